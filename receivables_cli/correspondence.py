"""Compose a case's letter in Markdown, HTML or as an e-mail, and find the one that is due."""

from __future__ import annotations

from datetime import date, datetime

from receivables_cli.errors import DunError
from receivables_cli.ledger import Ledger
from receivables_cli.letter_context import build_context, letter_language
from receivables_cli.letters import find_template, format_day, render
from receivables_cli.state import CaseState

FORMATS = ("md", "html", "eml")


def due_letters(ledger: Ledger, state: CaseState, day: date) -> list[str]:
    """The templates of the letter actions due for this case on `day`."""
    from receivables_cli.agenda import actions_of

    return [a["template"] for a in actions_of(ledger, state, day) if a["channel"] == "letter"]


def compose(ledger: Ledger, state: CaseState, name: str, day: date, fmt: str = "md", to: str | None = None,
            lang: str | None = None) -> str:
    """The letter as Markdown text, an HTML page, or an RFC 5322 message."""
    if fmt not in FORMATS:
        raise DunError(f"--format must be one of {', '.join(FORMATS)}")
    language = letter_language(ledger, state, lang)
    ctx = build_context(ledger, state, day, language, to, name)
    ctx["today_text"] = format_day(day, ctx["locale"])
    template = find_template(ledger.root, language, name)
    subject, body = render(template, ctx)
    if fmt == "md":
        return f"# {subject}\n\n{body}"
    page = _html(ctx, template, subject)
    if fmt == "html":
        return page
    from receivables_cli.mail import build_email

    when = datetime.now().astimezone()
    if day != when.date():
        when = datetime.combine(day, datetime.min.time().replace(hour=9)).astimezone()
    return build_email(ctx, subject, body, page, when).as_string()


def _html(ctx: dict, template, subject: str) -> str:
    from receivables_cli.mail import epc_payload, epc_qr_svg, html_page

    _, escaped = render(template, ctx, html=True)
    creditor, invoice = ctx["creditor"], ctx["invoice"]
    qr = None
    if ctx["currency"] == "EUR" and creditor["iban"] and ctx["open"] > 0 and invoice:
        qr = epc_qr_svg(epc_payload(creditor["name"] or "", creditor["iban"], ctx["open"], invoice["number"],
                                    creditor["bic"]))
    return html_page(ctx, subject, escaped, qr)
