"""Letters as e-mail (RFC 5322) and as a print-ready HTML page with a payment QR code."""

from __future__ import annotations

import html as html_lib
import re
from email.headerregistry import Address
from email.message import EmailMessage

from receivables_cli.errors import DunError

_ADDR = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; max-width: 42em; margin: 2.5em auto; color: #111; }
.letterhead { border-bottom: 1px solid #999; padding-bottom: .5em; margin-bottom: 2em; font-size: 9.5pt; }
.letterhead strong { font-size: 12pt; }
.address { white-space: pre-line; margin-bottom: 2.5em; min-height: 6em; }
.date { text-align: right; margin-bottom: 1.5em; }
h1 { font-size: 12pt; margin: 0 0 1.5em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
td, th { border-bottom: 1px solid #ccc; padding: .2em .8em .2em 0; text-align: left; }
.qr { margin-top: 2em; font-size: 9pt; display: flex; gap: 1em; align-items: center; }
@media print { body { margin: 0 auto; } }
"""


def checked_address(value: str | None, what: str) -> str:
    """An e-mail address fit for a header: no line breaks, one plain addr-spec."""
    if not value:
        raise DunError(f"no e-mail address for the {what}; add 'email:' to the case or dun.yaml")
    if "\n" in value or "\r" in value or not _ADDR.fullmatch(value.strip()):
        raise DunError(f"the {what}'s e-mail address {value!r} is not a valid address; nothing was rendered")
    return value.strip()


def _one_line(name: str | None) -> str:
    """A display name on one line: a line break in a name must not start a new header."""
    return " ".join((name or "").split())


def build_email(ctx: dict, subject: str, text: str, html: str, message_date, domain: str | None = None):
    """From the creditor, To the recipient, text/plain (Markdown) and text/html alternatives."""
    from email.utils import format_datetime, make_msgid

    sender = checked_address(ctx["creditor"]["email"], "creditor (dun.yaml)")
    to = checked_address(ctx["recipient"]["email"], ctx["recipient"]["role"])
    msg = EmailMessage()
    msg["From"] = Address(_one_line(ctx["creditor"]["name"]), addr_spec=sender)
    msg["To"] = Address(_one_line(ctx["recipient"]["name"]), addr_spec=to)
    msg["Subject"] = subject.replace("\n", " ").replace("\r", " ")
    msg["Date"] = format_datetime(message_date)
    msg["Message-ID"] = make_msgid(idstring=ctx["case"]["id"], domain=domain or sender.split("@", 1)[1])
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def html_page(ctx: dict, subject: str, body_markdown: str, qr_svg: str | None) -> str:
    """A complete, print-friendly HTML letter: letterhead, address block, date, subject, body."""
    import markdown

    esc = html_lib.escape
    creditor, customer = ctx["creditor"], ctx["customer"]
    head_bits = [esc(x) for x in (creditor["address"] or "").strip().splitlines()]
    head_bits += [esc(x) for x in (creditor["phone"], creditor["email"]) if x]
    body = markdown.markdown(body_markdown, extensions=["tables"], output_format="html")
    qr = (f'<div class="qr">{qr_svg}<div>{esc(_qr_caption(ctx))}</div></div>' if qr_svg else "")
    return (f'<!DOCTYPE html>\n<html lang="{ctx["lang"]}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(subject)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<div class="letterhead"><strong>{esc(creditor["name"] or "")}</strong><br>{" · ".join(head_bits)}'
            f'</div>\n<div class="address">{esc(customer["address"] or customer["name"])}</div>\n'
            f'<div class="date">{esc(ctx["today_text"])}</div>\n<h1>{esc(subject)}</h1>\n{body}\n{qr}\n'
            "</body>\n</html>\n")


def _qr_caption(ctx: dict) -> str:
    return ("Mit der Banking-App scannen und bezahlen (GiroCode)" if ctx["lang"] == "de"
            else "Scan with your banking app to pay (EPC QR code)")


def epc_payload(name: str, iban: str, amount, reference: str, bic: str | None = None) -> str:
    """The EPC069-12 text of a SEPA credit transfer (GiroCode), version 002, UTF-8."""
    from decimal import Decimal

    value = Decimal(str(amount))
    if not Decimal("0.01") <= value <= Decimal("999999999.99"):
        raise DunError("a payment code needs an amount between 0.01 and 999999999.99 EUR")
    lines = ["BCD", "002", "1", "SCT", bic or "", name[:70], iban.replace(" ", "").upper(), f"EUR{value:.2f}",
             "", "", reference[:140]]
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > 331:
        raise DunError("the payment code text is longer than the 331 bytes EPC069-12 allows")
    return payload


def epc_qr_svg(payload: str) -> str:
    """The payload as an inline SVG QR code, error correction M."""
    import segno

    return segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False).svg_inline(scale=3)
