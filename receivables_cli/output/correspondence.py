"""Compose a case's letter as Markdown, an HTML page, an e-mail or a PDF, and find the one that is due."""

from __future__ import annotations

from datetime import date, datetime

from receivables_cli.errors import DunError, InvalidData
from receivables_cli.output.letter_context import build_context, letter_language
from receivables_cli.output.letters import find_template, format_day, render
from receivables_cli.playbook.state import CaseState
from receivables_cli.store.ledger import Ledger

FORMATS = ("md", "html", "eml", "pdf")


def due_letters(ledger: Ledger, state: CaseState, day: date) -> list[str]:
    """The templates of the letter actions due for this case on `day`."""
    from receivables_cli.playbook.agenda import actions_of

    return [a["template"] for a in actions_of(ledger, state, day) if a["channel"] == "letter"]


def letter_gaps(ledger: Ledger, state: CaseState) -> list[str]:
    """What a printed letter lacks: the customer's postal address, the creditor's name, address, IBAN."""
    creditor, customer = ledger.config.creditor, state.case.customer
    gaps = [f"dun.yaml has no creditor {key}; add '{key}:' under 'creditor:'"
            for key in ("name", "address", "iban") if not getattr(creditor, key) or
            (key == "name" and creditor.name == "Your Name")]
    from receivables_cli.output.payment import iban_problem

    if iban_problem(creditor.iban):
        gaps.append(iban_problem(creditor.iban))
    if not customer.address:
        gaps.append(f"{state.case.id} has no postal address; add 'address: |' under 'customer:' in "
                    f"cases/{state.case.id}.yaml")
    return gaps


def render_letter(ledger: Ledger, state: CaseState, name: str, fmt: str, day: date, to: str | None = None,
                  lang: str | None = None, reply_to: tuple[str, str] | None = None) -> str | bytes:
    """The letter as Markdown, an HTML page or an RFC 5322 message (str), or as an A4 PDF (bytes)."""
    if fmt not in FORMATS:
        raise DunError(f"--format must be one of {', '.join(FORMATS)}")
    if ledger.config.placeholders:  # never send a letter from "Your Name Webdesign" with the example IBAN
        raise InvalidData(list(ledger.config.placeholders))
    if fmt == "pdf" and (gaps := letter_gaps(ledger, state)):
        raise DunError("a printed letter needs these details: " + "; ".join(gaps))
    language = letter_language(ledger, state, lang)
    ctx = build_context(ledger, state, day, language, to, name)
    ctx["today_text"] = format_day(day, ctx["locale"])
    template = find_template(ledger.root, language, name)
    subject, body = render(template, ctx)
    if fmt == "md":
        return f"# {subject}\n\n{body}"
    if fmt == "eml":
        return _email(ledger, state, template, ctx, subject, body, day, reply_to)
    page = _page(ledger, state, template, ctx, subject)
    if fmt == "html":
        return page
    from receivables_cli.output.pdf import html_to_pdf

    return html_to_pdf(page)


def compose(ledger: Ledger, state: CaseState, name: str, day: date, fmt: str = "md", to: str | None = None,
            lang: str | None = None) -> str:
    """The letter as text: Markdown, an HTML page, or an RFC 5322 message."""
    if fmt == "pdf":
        raise DunError("a PDF is not text; use render_letter")
    return render_letter(ledger, state, name, fmt, day, to, lang)


def _page(ledger: Ledger, state: CaseState, template, ctx: dict, subject: str) -> str:
    """The print page: DIN 5008 B with the GiroCode, or for Swiss ledgers SN 010130 with the QR-bill."""
    from receivables_cli.output.mail import html_page
    from receivables_cli.output.payment import girocode, qr_svg, swiss_bill_svg

    _, escaped = render(template, ctx, html=True)
    payment = _payment(ledger, state, template.name, ctx)
    if ledger.config.country == "CH":
        bill = swiss_bill_svg(ledger, state, payment, ctx["lang"]) if payment else None
        return html_page(ctx, subject, escaped, bill_svg=bill, window="sn")
    payload = girocode(payment)
    return html_page(ctx, subject, escaped, qr=qr_svg(payload) if payload else None, window="din")


def _email(ledger: Ledger, state: CaseState, template, ctx: dict, subject: str, body: str, day: date,
           reply_to: tuple[str, str] | None = None) -> str:
    from receivables_cli.output.mail import build_email, html_page, qr_image_html
    from receivables_cli.output.payment import girocode, qr_png
    from receivables_cli.output.plaintext import markdown_to_text

    _, escaped = render(template, ctx, html=True)
    payload = girocode(_payment(ledger, state, template.name, ctx))
    page = html_page(ctx, subject, escaped, qr=qr_image_html(cid=True) if payload else None, window=None)
    when = datetime.now().astimezone()
    if day != when.date():
        when = datetime.combine(day, datetime.min.time().replace(hour=9)).astimezone()
    message = build_email(ctx, subject, markdown_to_text(body), page, when,
                          qr_png=qr_png(payload) if payload else None, reply_to=reply_to)
    return message.as_string()


def _payment(ledger: Ledger, state: CaseState, name: str, ctx: dict):
    """The payment code's data: account and reference from dun.yaml and the case, the amount the text asks for.

    `ctx` is the context as built, before any template saw it (each rendering gets a copy).
    """
    from dataclasses import replace

    from receivables_cli.output.payment import payment_due

    payment, due = payment_due(ledger, state, name), ctx["payment_due"]
    return replace(payment, amount=due["amount"]) if payment is not None and due is not None else None
