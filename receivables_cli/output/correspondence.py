"""Compose a case's letter as Markdown, an HTML page, an e-mail or a PDF, and find the one that is due."""

from __future__ import annotations

from datetime import date, datetime

from receivables_cli.domain.errors import DunError, InvalidData
from receivables_cli.domain.state import CaseState
from receivables_cli.output.desk import LetterDesk
from receivables_cli.output.letter_context import build_context, letter_language
from receivables_cli.output.letters import find_template, format_day, render

FORMATS = ("md", "html", "eml", "pdf")


def letter_gaps(desk: LetterDesk, state: CaseState) -> list[str]:
    """What a printed letter lacks: the customer's postal address, the creditor's name, address, IBAN."""
    creditor, customer = desk.config.creditor, state.case.customer
    gaps = [f"dun.yaml has no creditor {key}; add '{key}:' under 'creditor:'"
            for key in ("name", "address", "iban") if not getattr(creditor, key) or
            (key == "name" and creditor.name == "Your Name")]
    if creditor.iban not in desk.valid_ibans:  # one the use case knows valid needs no schwifty, nor this module
        from receivables_cli.output.payment import iban_problem

        wrong = iban_problem(creditor.iban)
        if wrong:
            gaps.append(wrong)
    if not customer.address:
        gaps.append(f"{state.case.id} has no postal address; add 'address: |' under 'customer:' in "
                    f"cases/{state.case.id}.yaml")
    return gaps


def render_letter(desk: LetterDesk, state: CaseState, name: str, fmt: str, day: date, to: str | None = None,
                  lang: str | None = None, reply_to: tuple[str, str] | None = None) -> str | bytes:
    """The letter as Markdown, an HTML page or an RFC 5322 message (str), or as an A4 PDF (bytes)."""
    if fmt not in FORMATS:
        raise DunError(f"--format must be one of {', '.join(FORMATS)}")
    if desk.config.placeholders:  # never send a letter from "Your Name Webdesign" with the example IBAN
        raise InvalidData(list(desk.config.placeholders))
    if fmt == "pdf" and (gaps := letter_gaps(desk, state)):
        raise DunError("a printed letter needs these details: " + "; ".join(gaps))
    language = letter_language(state, lang, desk.config.language)
    ctx = build_context(desk, state, day, language, to, name)
    from receivables_cli.output.letter_checks import refuse_out_of_place

    refuse_out_of_place(name, state, ctx)
    ctx["today_text"] = format_day(day, ctx["locale"])
    ctx["by_mail"] = fmt == "eml"
    template = find_template(desk.root, language, name, desk.front_matter)
    subject, body = render(template, ctx, compiled=desk.compiled)
    if fmt == "md":
        return f"# {subject}\n\n{body}"
    check_before_leaving(desk, template, ctx, body, fmt)
    from receivables_cli.output.enclosures import enclosures

    enclosed = enclosures(desk.root, state, name, day)
    ctx["enclosures"] = [e.number for e in enclosed]
    if fmt == "eml":
        return _email(desk, state, template, ctx, subject, body, day, enclosed, reply_to)
    page = _page(desk, state, template, ctx, subject)
    if fmt == "html":
        return page
    from receivables_cli.output.enclosures import append_pdfs
    from receivables_cli.output.pdf import html_to_pdf

    pdf = html_to_pdf(page, desk.pdf_tables)
    return append_pdfs(pdf, [e.data for e in enclosed]) if enclosed else pdf


def check_before_leaving(desk: LetterDesk, template, ctx: dict, body: str, fmt: str) -> None:
    """Refuse a letter that demands what is not due, states another total than `dun statement`, whose
    address leaves the envelope window, or whose template could hide the payment code."""
    from receivables_cli.output import letter_checks as checks
    from receivables_cli.output.letters import format_money

    checks.refuse_hidden_payment(template.body, "")
    checks.refuse_unpaid_later(ctx, body, format_day)
    checks.refuse_wrong_total(template.name, ctx, body, format_money)
    if fmt in ("pdf", "html"):
        checks.refuse_address_outside(ctx["customer"]["address"], "sn" if desk.config.country == "CH" else "din")


def compose(desk: LetterDesk, state: CaseState, name: str, day: date, fmt: str = "md", to: str | None = None,
            lang: str | None = None) -> str:
    """The letter as text: Markdown, an HTML page, or an RFC 5322 message."""
    if fmt == "pdf":
        raise DunError("a PDF is not text; use render_letter")
    return render_letter(desk, state, name, fmt, day, to, lang)


def _page(desk: LetterDesk, state: CaseState, template, ctx: dict, subject: str) -> str:
    """The print page: DIN 5008 B with the GiroCode, or for Swiss ledgers SN 010130 with the QR-bill."""
    from receivables_cli.output.mail import html_page
    from receivables_cli.output.payment import girocode, qr_svg, swiss_bill_svg

    _, escaped = render(template, ctx, html=True, compiled=desk.compiled)
    payment = _payment(desk, state, template.name, ctx)
    if desk.config.country == "CH":
        bill = swiss_bill_svg(desk, state, payment, ctx["lang"]) if payment else None
        return html_page(ctx, subject, escaped, bill_svg=bill, window="sn")
    payload = girocode(payment)
    return html_page(ctx, subject, escaped, qr=qr_svg(payload) if payload else None, window="din")


# Letters that are forms to sign and send back: by e-mail they come as a PDF too.
FORMS = ("installment-agreement", "payment-proposal")


def _email(desk: LetterDesk, state: CaseState, template, ctx: dict, subject: str, body: str, day: date,
           enclosed: list = (), reply_to: tuple[str, str] | None = None) -> str:
    from receivables_cli.output.mail import Attachment, as_text, build_email, html_page, message_id, qr_image_html
    from receivables_cli.output.payment import girocode, qr_png

    _, escaped = render(template, ctx, html=True, compiled=desk.compiled)
    payment = _payment(desk, state, template.name, ctx)
    payload = girocode(payment)
    page = html_page(ctx, subject, escaped, qr=qr_image_html(cid=True) if payload else None, window=None)
    attachments = []
    if template.name in FORMS:
        attachments.append(Attachment(_form_name(ctx["lang"], template.name), "application/pdf",
                                      _form_pdf(desk, state, template, ctx, subject)))
    if desk.config.country == "CH" and payment is not None:
        attachments.append(_swiss_bill_attachment(desk, state, payment, ctx["lang"]))
    attachments += [Attachment(e.filename, "application/pdf", e.data) for e in enclosed]
    mid = message_id(state.case.id, template.name, day, ctx["creditor"]["email"])
    message = build_email(ctx, subject, _plain_text(ctx, body), page, _message_date(desk, day), mid,
                          qr_png=qr_png(payload) if payload else None, attachments=attachments,
                          reply_to=reply_to)
    return as_text(message)


def _plain_text(ctx: dict, body: str) -> str:
    """The e-mail's text part: the letter, then (after the signature separator) our reference and the footer."""
    from receivables_cli.output.enclosures import enclosure_line
    from receivables_cli.output.mail import footer_lines, reference_line
    from receivables_cli.output.plaintext import markdown_to_text

    text = markdown_to_text(body)
    if ctx.get("enclosures"):
        text += "\n" + enclosure_line(ctx["lang"], ctx["enclosures"], True) + " (PDF)\n"
    return text + "\n-- \n" + "\n".join([reference_line(ctx), *footer_lines(ctx)]) + "\n"


def _message_date(desk: LetterDesk, day: date) -> datetime:
    """Now in the ledger's time zone (not the machine's); for another day, 09:00 of that day there."""
    from zoneinfo import ZoneInfo

    from receivables_cli.domain.calendar import TIMEZONES

    zone = ZoneInfo(desk.config.timezone or TIMEZONES.get(desk.config.country, "Europe/Berlin"))
    now = datetime.now(zone).replace(microsecond=0)
    return now if now.date() == day else datetime.combine(day, datetime.min.time().replace(hour=9), zone)


def _form_pdf(desk: LetterDesk, state: CaseState, template, ctx: dict, subject: str) -> bytes:
    """The letter as printed (with the form to sign), for the e-mail's attachment."""
    from receivables_cli.output.pdf import html_to_pdf

    paper = {**ctx, "by_mail": False}
    return html_to_pdf(_page(desk, state, template, paper, subject), desk.pdf_tables)


def _form_name(lang: str, name: str) -> str:
    words = {"de": {"installment-agreement": "Ratenzahlungsvereinbarung", "payment-proposal": "Zahlungsvorschlag"},
             "en": {"installment-agreement": "instalment-agreement", "payment-proposal": "payment-proposal"}}
    return f"{words[lang][name]}.pdf"


def _swiss_bill_attachment(desk: LetterDesk, state: CaseState, payment, lang: str):
    """The Swiss QR-bill as a PDF of its own (the payment part a Swiss customer's banking app reads)."""
    from receivables_cli.output.mail import Attachment, qr_bill_page
    from receivables_cli.output.payment import swiss_bill_svg
    from receivables_cli.output.pdf import html_to_pdf

    pdf = html_to_pdf(qr_bill_page(swiss_bill_svg(desk, state, payment, lang)), desk.pdf_tables)
    return Attachment("QR-Rechnung.pdf" if lang == "de" else "QR-bill.pdf", "application/pdf", pdf)


def _payment(desk: LetterDesk, state: CaseState, name: str, ctx: dict):
    """The payment code's data: account and reference from dun.yaml and the case, the amount the text asks for.

    `ctx` is the context as built, before any template saw it (each rendering gets a copy).
    """
    from dataclasses import replace

    from receivables_cli.output.payment import payment_due

    payment, due = payment_due(desk, state, name), ctx["payment_due"]
    return replace(payment, amount=due["amount"]) if payment is not None and due is not None else None
