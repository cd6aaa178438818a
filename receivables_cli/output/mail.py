"""Letters as e-mail (RFC 5322) and as an HTML page laid out for A4 and a window envelope."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from receivables_cli.domain.errors import DunError

_ADDR = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
QR_CID = "girocode"
# The print layout (HTML and PDF alike): A4, DIN 5008 form B. The page area starts 25 mm from the left
# and 20 mm from the top; the letterhead fills it down to 45 mm, where the 85 x 45 mm address field
# begins 20 mm from the left edge: 17.7 mm for the return address line (at its foot), then the
# recipient from 62.7 mm. Beside it, 125 mm from the left edge, is form B's information block: the
# GiroCode goes there, so it is on page 1 whatever the length of the letter. For Swiss ledgers the
# field moves to the right-hand window (SN 010130), 118 mm from the left and inside the 20 mm margin.
FONT = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
# The footer (the creditor's mandatory company details and bank) runs at the foot of every page;
# page numbers from page 2 sit at the top right, in the body's font. Fold marks (105 and 210 mm)
# and the hole mark (148.5 mm) are drawn on the first page, 5 mm from the left edge.
PRINT_CSS = """
@page { size: A4; margin: 20mm 20mm 27mm 25mm;
        @top-right { content: var(--page-label); font: 8.5pt var(--font); color: #444; vertical-align: bottom;
                     padding-bottom: 4mm; }
        @bottom-center { content: element(footer); vertical-align: top; padding-top: 3mm; } }
@page :first { @top-right { content: none; } }
@page bill { margin: 0; @top-right { content: none; } @bottom-center { content: none; } }
body { font: 10pt/1.35 var(--font); color: #111; margin: 0; }
p { margin: 0 0 3.2mm; }
.footer { position: running(footer); font-size: 7pt; line-height: 1.35; color: #444; text-align: center;
          border-top: .3pt solid #999; padding-top: 1.5mm; width: 165mm; }
.mark { position: absolute; left: -20mm; width: 5mm; height: 0; border-top: .3pt solid #666; }
.mark.hole { width: 7mm; }
.refline { display: flex; justify-content: space-between; margin: 5mm 0 6mm; font-size: 9pt; }
.refline .place-date { margin: 0; font-size: 10pt; }
.letterhead { height: 25mm; box-sizing: border-box; font-size: 8.5pt; line-height: 1.35; }
.letterhead strong { font-size: 12pt; display: block; margin-bottom: 1mm; }
.window { position: relative; height: 45mm; width: 85mm; margin-left: -5mm; }
.window.sn { margin-left: 93mm; width: 72mm; }  /* 118 mm from the left edge, to the right margin */
.window.sn .return { font-size: 6.5pt; text-overflow: ellipsis; }
.addressrow { position: relative; height: 45mm; }
.qr.info { position: absolute; left: 100mm; top: 2mm; margin: 0; width: 62mm; display: block; font-size: 7.5pt; }
.qr.info svg { display: block; width: 30mm; height: 30mm; margin-bottom: 1mm; }
.return { position: absolute; left: 5mm; right: 0; top: 13mm; font-size: 7pt; white-space: nowrap;
          overflow: hidden; border-bottom: .3pt solid #777; }
.recipient { position: absolute; left: 5mm; right: 0; top: 17.7mm; white-space: pre-line; font-size: 10pt;
             line-height: 1.25; }
.place-date { text-align: right; margin: 6mm 0 8mm; }
h1 { font-size: 10pt; font-weight: bold; margin: 0 0 5mm; }
h2 { font-size: 10pt; margin: 5mm 0 2mm; break-after: avoid; }
p, li, tr { break-inside: avoid; orphans: 3; widows: 3; }
table { border-collapse: collapse; margin: 2mm 0 4mm; break-inside: auto; }
td, th { border-bottom: .4pt solid #bbb; padding: .6mm 4mm .6mm 0; text-align: left; vertical-align: top; }
.closing { break-inside: avoid; }
hr { break-after: page; border: 0; margin: 0; }  /* an enclosure (the agreement) starts on a page of its own */
.qr { margin-top: 8mm; font-size: 8.5pt; display: flex; gap: 4mm; align-items: center; break-inside: avoid; }
.qr svg, .qr img { width: 32mm; height: 32mm; }
.bill { page: bill; break-before: page; padding-top: 192mm; }
.bill img { display: block; width: 210mm; height: 105mm; }
@media screen { body { max-width: 165mm; margin: 2em auto; } .bill { padding-top: 2em; } }
"""
MAIL_CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; max-width: 42em; margin: 2.5em auto; color: #111; }
.letterhead { border-bottom: 1px solid #999; padding-bottom: .5em; margin-bottom: 2em; font-size: 9.5pt; }
.letterhead strong { font-size: 12pt; display: block; }
.recipient { white-space: pre-line; margin-bottom: 2.5em; }
.place-date { text-align: right; margin-bottom: 1.5em; }
h1 { font-size: 12pt; margin: 0 0 1.5em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
td, th { border-bottom: 1px solid #ccc; padding: .2em .8em .2em 0; text-align: left; }
.qr { margin-top: 2em; font-size: 9pt; }
.qr img { width: 120px; height: 120px; vertical-align: middle; margin-right: 1em; }
.refline { display: flex; justify-content: space-between; font-size: 9.5pt; color: #444; margin-bottom: 1.5em; }
.refline .place-date { margin: 0; }
.footer { margin-top: 3em; border-top: 1px solid #999; padding-top: .5em; font-size: 8.5pt; color: #444; }
"""
PAGE_LABEL = {"de": '"Seite " counter(page) " von " counter(pages)',
              "en": '"Page " counter(page) " of " counter(pages)'}


def checked_address(value: str | None, what: str) -> str:
    """An e-mail address fit for a header: no line breaks, one plain addr-spec."""
    if not value:
        raise DunError(f"no e-mail address for the {what}; add 'email:' to the case or dun.yaml")
    if "\n" in value or "\r" in value or "=?" in value or not _ADDR.fullmatch(value.strip()):
        raise DunError(f"the {what}'s e-mail address {value!r} is not a valid address; nothing was rendered")
    return value.strip()


def _one_line(name: str | None) -> str:
    """A display name or subject on one line: a line break in a name must not start a new header.

    Python's email package decodes RFC 2047 encoded words (`=?utf-8?b?...?=`) when a header is set
    and writes what they hold verbatim, line breaks included; so they are decoded here, cleaned like
    typed text, and any `=?` left is broken up.
    """
    from receivables_cli.domain.textcheck import decoded_words

    text = " ".join(decoded_words(name or "").split())
    return "".join(c for c in text if c.isprintable()).replace("=?", "= ?")


@dataclass(frozen=True)
class Attachment:
    """A file attached to an e-mail."""
    filename: str
    mime: str  # "application/pdf"
    data: bytes


def message_id(case: str, template: str, day, sender: str | None) -> str:
    """The stable `<case.template.yyyymmdd@domain>`: a resend of the letter is the same message."""
    domain = (sender or "").rpartition("@")[2].strip() or "dun.invalid"
    return f"<{case}.{template}.{day:%Y%m%d}@{domain}>"


def build_email(ctx: dict, subject: str, text: str, html: str, message_date, mid: str | None = None,
                qr_png: bytes | None = None, attachments: list[Attachment] = (),
                reply_to: tuple[str, str] | None = None):
    """From the creditor, To the recipient: plain text and HTML alternatives, the GiroCode inline (cid:),
    then the attachments (a form to sign, the Swiss QR-bill, the invoice).

    `reply_to` (the customer's Message-ID and subject) puts the message into their thread.
    """
    from email.headerregistry import Address  # here: a printed letter's page needs none of the e-mail modules
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    sender = checked_address(ctx["creditor"]["email"], "creditor (dun.yaml)")
    who = ctx["recipient"]
    to = checked_address(who["email"], f"{who['role']} {_one_line(who['name'])}".strip())
    msg = EmailMessage()
    msg["From"] = Address(_one_line(ctx["creditor"]["name"]), addr_spec=sender)
    msg["To"] = Address(_one_line(who["name"]), addr_spec=to)
    msg["Subject"] = _one_line(reply_subject(reply_to[1] or subject) if reply_to else subject)
    if reply_to:
        msg["In-Reply-To"] = msg["References"] = f"<{reply_to[0]}>"
    msg["Date"] = format_datetime(message_date)
    msg["Message-ID"] = mid or make_msgid(idstring=ctx["case"]["id"], domain=sender.split("@", 1)[1])
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if qr_png:
        msg.get_payload()[1].add_related(qr_png, "image", "png", cid=f"<{QR_CID}>", filename="girocode.png",
                                         disposition="inline")
    for a in attachments:
        main, sub = a.mime.split("/", 1)
        msg.add_attachment(a.data, maintype=main, subtype=sub, filename=a.filename)
    return msg


def as_text(msg) -> str:
    """The message as text with no header folded: a long Message-ID stays one token that tools can match."""
    return msg.as_string(policy=msg.policy.clone(max_line_length=998))


def qr_bill_page(svg: str) -> str:
    """A page of its own for the Swiss QR-bill (210 x 105 mm), for the e-mail's attachment."""
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page { size: 210mm 105mm; margin: 0 } '
            f'body {{ margin: 0 }} img {{ display: block; width: 210mm; height: 105mm }}</style></head><body>'
            f'<img alt="QR-bill" src="{_data_uri(svg)}"></body></html>')


def reply_subject(subject: str) -> str:
    """``Re: `` and the subject, without piling up ``Re: AW: Re:``."""
    return "Re: " + re.sub(r"^(?:\s*(?:re|aw|wg|fwd?)\s*(?:\[\d+\])?\s*:\s*)+", "", subject, flags=re.I)


def html_page(ctx: dict, subject: str, body_markdown: str, *, qr: str | None = None, bill_svg: str | None = None,
              window: str | None = "din") -> str:
    """A complete letter page. `window`: 'din' (DIN 5008 B), 'sn' (SN 010130, right) or None (e-mail)."""
    import markdown
    from markdown.extensions.tables import TableExtension

    esc = html_lib.escape
    # the extension as an object, not by name: see output/letters.py _markdown_html
    body = _keep_closing(markdown.markdown(body_markdown, extensions=[TableExtension()], output_format="html"))
    css = (PRINT_CSS.replace("var(--page-label)", PAGE_LABEL[ctx["lang"]]).replace("var(--font)", FONT)
           if window else MAIL_CSS)
    parts = [f'<!DOCTYPE html>\n<html lang="{ctx["lang"]}">\n<head>\n<meta charset="utf-8">\n'
             f"<title>{esc(subject)}</title>\n<style>{css}</style>\n</head>\n<body>",
             _footer(ctx) if window else "", _marks() if window else "",
             _letterhead(ctx), _address_row(ctx, window, qr), _refline(ctx), f"<h1>{esc(subject)}</h1>", body]
    if qr and window != "din":  # on paper the code sits in the information block beside the address
        parts.append(f'<div class="qr">{qr}<div>{esc(_qr_caption(ctx))}</div></div>')
    if ctx.get("enclosures"):
        from receivables_cli.output.enclosures import enclosure_line

        line = enclosure_line(ctx["lang"], ctx["enclosures"], window is None)
        parts.append(f'<p class="enclosures">{esc(line)}</p>')
    if window is None:
        parts.append(_footer(ctx))
    if bill_svg:
        parts.append(f'<div class="bill"><img alt="QR-bill" src="{_data_uri(bill_svg)}"></div>')
    return "\n".join(parts) + "\n</body>\n</html>\n"


def qr_image_html(svg: str | None = None, cid: bool = False) -> str:
    """The GiroCode for the page: inline SVG (print) or an <img> of the message's PNG part (e-mail)."""
    return f'<img alt="GiroCode" src="cid:{QR_CID}">' if cid else (svg or "")


def _letterhead(ctx: dict) -> str:
    esc, creditor = html_lib.escape, ctx["creditor"]
    bits = [esc(x) for x in (creditor["address"] or "").strip().splitlines()]
    bits += [esc(x) for x in (creditor["phone"], creditor["email"]) if x]
    return f'<div class="letterhead"><strong>{esc(creditor["name"] or "")}</strong>{" · ".join(bits)}</div>'


def _address_row(ctx: dict, window: str | None, qr: str | None) -> str:
    """The address field; for DIN 5008 with the GiroCode in the information block to its right."""
    block = _address_block(ctx, window)
    if window != "din" or not qr:
        return block
    caption = html_lib.escape(_qr_caption(ctx))
    return f'<div class="addressrow">{block}<div class="qr info">{qr}<div>{caption}</div></div></div>'


def _address_block(ctx: dict, window: str | None) -> str:
    esc, customer = html_lib.escape, ctx["customer"]
    recipient = "\n".join(line.strip() for line in (customer["address"] or customer["name"]).strip().splitlines())
    if window is None:
        return f'<div class="recipient">{esc(recipient)}</div>'
    text, size = fitted_return_line(ctx["creditor"], RETURN_WIDTH_MM[window])
    return (f'<div class="window {window}"><div class="return" style="font-size: {size:.2f}pt">{esc(text)}</div>'
            f'<div class="recipient">{esc(recipient)}</div></div>')


RETURN_WIDTH_MM = {"din": 79.0, "sn": 66.0}  # the window less its 5 mm inset and a margin


def return_line(creditor: dict, street: bool = True) -> str:
    """The one-line return address above the recipient: ``Anna Beispiel · Lindenweg 3 · 10115 Berlin``."""
    address = (creditor["address"] or "").strip().splitlines()
    lines = [creditor["name"] or ""] + (address if street else address[-1:])
    return " · ".join(" ".join(line.split()) for line in lines if line.strip())


def fitted_return_line(creditor: dict, width_mm: float) -> tuple[str, float]:
    """The return line and a font size at which it fits the window: 7 pt, down to 6 pt, then without the
    street, then smaller still (never clipped)."""
    from receivables_cli.output.letter_checks import text_width_mm

    for street in (True, False):
        text = return_line(creditor, street)
        for size in (7.0, 6.5, 6.0):
            if text_width_mm(text, size) <= width_mm:
                return text, size
    return text, 6.0 * width_mm / text_width_mm(text, 6.0)


def _marks() -> str:
    """Fold marks at 105 and 210 mm, the hole mark at 148.5 mm (from the top edge; the page area starts at 20)."""
    return ('<div class="mark" style="top: 85mm"></div><div class="mark hole" style="top: 128.5mm"></div>'
            '<div class="mark" style="top: 190mm"></div>')


FOOTER_WORDS = {"de": {"register": "Registergericht", "directors": "Geschäftsführung", "vat": "USt-IdNr.",
                       "tax": "Steuernummer", "bank": "Bankverbindung", "ours": "Unser Zeichen",
                       "number": "Ihre Kundennummer"},
                "en": {"register": "Register court", "directors": "Managing directors", "vat": "VAT ID",
                       "tax": "Tax number", "bank": "Bank", "ours": "Our reference", "number": "Your customer number"}}


def footer_lines(ctx: dict) -> list[str]:
    """The creditor's mandatory company details (register, management, VAT id, tax number) and bank."""
    c, w = ctx["creditor"], FOOTER_WORDS[ctx["lang"]]
    company = [c["name"] or ""]
    register = c.get("register") or {}
    if register.get("court") or register.get("number"):
        entry = (register.get("court"), register.get("number"))
        company.append(f"{w['register']}: " + ", ".join(x for x in entry if x))
    if c.get("managing_directors"):
        company.append(f"{w['directors']}: " + ", ".join(c["managing_directors"]))
    tax = [f"{w['vat']} {c['vat_id']}"] if c.get("vat_id") else []
    tax += [f"{w['tax']} {c['tax_number']}"] if c.get("tax_number") else []
    bank = [f"{w['bank']}: IBAN {_grouped(c['iban'])}" + (f" · BIC {c['bic']}" if c.get("bic") else "")] \
        if c.get("iban") else []
    return [line for line in (" · ".join(company), " · ".join(tax + bank)) if line]


def reference_line(ctx: dict) -> str:
    """``Unser Zeichen: acme-2026-017 · Ihre Kundennummer: K-1042``."""
    w = FOOTER_WORDS[ctx["lang"]]
    number = ctx["customer"].get("number")
    return f"{w['ours']}: {ctx['case']['id']}" + (f" · {w['number']}: {number}" if number else "")


def _grouped(iban: str) -> str:
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _footer(ctx: dict) -> str:
    return '<div class="footer">' + "<br>".join(html_lib.escape(x) for x in footer_lines(ctx)) + "</div>"


def _refline(ctx: dict) -> str:
    esc = html_lib.escape
    return (f'<div class="refline"><span class="ref">{esc(reference_line(ctx))}</span>'
            f'<span class="place-date">{esc(_place_date(ctx))}</span></div>')


def _place_date(ctx: dict) -> str:
    lines = (ctx["creditor"]["address"] or "").strip().splitlines()
    town = re.sub(r"^(?:[A-Z]{1,2}[- ])?\d{4,5}\s+", "", lines[-1].strip()) if lines else ""
    return f"{town}, {ctx['today_text']}" if town else ctx["today_text"]


def _keep_closing(body: str) -> str:
    """Keep the greeting and signature together on one page, with the paragraph just before them (never a
    greeting alone on a page); signature lines to sign stay together with the text just before them."""
    blocks = re.split(r"\n(?=<(?:p|h\d|ul|ol|table|div|hr)\b)", body.strip())
    if len(blocks) < 4:
        return body
    start = len(blocks) - 3
    for i in range(max(0, len(blocks) - 6), len(blocks)):
        if blocks[i].startswith("<p>____"):  # the first signature line to sign: from the text before it
            start = max(0, i - 1)
            break
    while start > 0 and re.search(r":\s*</p>$", blocks[start - 1]):  # "Zahlungen bitte auf:" stays with the account
        start -= 1
    return "\n".join(blocks[:start] + ['<div class="closing">', *blocks[start:], "</div>"])


def _data_uri(svg: str) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _qr_caption(ctx: dict) -> str:
    return ("Mit der Banking-App scannen und bezahlen (GiroCode)" if ctx["lang"] == "de"
            else "Scan with your banking app to pay (EPC QR code)")
