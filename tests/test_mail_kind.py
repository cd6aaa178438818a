"""The rule table of reply kinds, one example per rule, and the dates and sums a reply names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from receivables_cli.imports.mailkind import RULES, absent_until, classify, first_amount, first_date
from receivables_cli.imports.mailtext import html_text, new_text, summary

SENT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)

# every rule with a sentence that must fire it (and no rule before it)
EXAMPLES = {
    "ooo_de": "Vielen Dank für Ihre Nachricht. Ich bin derzeit im Urlaub.",
    "ooo_en": "Thank you for your email. I am out of the office this week.",
    "dispute_de": "Mit der Rechnung sind wir nicht einverstanden, die Arbeiten sind mangelhaft.",
    "dispute_en": "We contest this invoice; the work was not completed.",
    "invoice_request_de": "Bitte senden Sie uns die Rechnung noch einmal zu, sie ist nie angekommen.",
    "invoice_request_en": "We did not receive your invoice. Please send it again.",
    "paid_de": "Der Betrag wurde gestern überwiesen, bitte prüfen Sie Ihr Konto.",
    "paid_en": "This invoice has been paid already.",
    "instalments_de": "Wäre eine Ratenzahlung möglich?",
    "instalments_en": "Could we agree a payment plan for the rest?",
    "promise_de": "Wir werden den Betrag nächste Woche überweisen.",
    "promise_en": "We'll pay the invoice on Friday.",
    "address_change_de": "Bitte beachten Sie unsere neue Anschrift ab Januar.",
    "address_change_en": "Our company has moved, please update your records.",
}
KIND_OF = {r.name: r.kind for r in RULES}


def test_every_rule_has_an_example():
    assert set(EXAMPLES) == {r.name for r in RULES}


@pytest.mark.parametrize("rule", list(EXAMPLES))
def test_each_rule_fires_on_its_example(rule):
    reading = classify("", EXAMPLES[rule], False, SENT)
    assert (reading.kind, reading.rule) == (KIND_OF[rule], rule)


def test_a_reply_that_matches_no_rule_is_other():
    assert classify("Frage", "Wer ist bei Ihnen zuständig?", False, SENT).kind == "other"


def test_an_auto_reply_header_makes_it_an_out_of_office_whatever_the_text():
    reading = classify("Re: Rechnung", "Ihre Nachricht ist eingegangen. Bis 10.12.2026 zurück.", True, SENT)
    assert reading.kind == "out_of_office" and reading.rule == "auto_reply_header"


def test_the_subject_counts_too():
    assert classify("Abwesenheitsnotiz", "", False, SENT).kind == "out_of_office"


def test_a_quoted_reminder_does_not_decide_the_kind():
    text = new_text("Danke, erledigt.\n\n> Bitte zahlen Sie bis 15.12.\n> wir werden sonst mahnen")
    assert text == "Danke, erledigt." and classify("", text, False, SENT).kind == "other"


@pytest.mark.parametrize(("text", "paid_on"), [
    ("bereits am 1. Dezember überwiesen", date(2026, 12, 1)),
    ("already paid on December 2", date(2026, 12, 2)),
    ("schon am 02.12.2026 bezahlt", date(2026, 12, 2)),
    ("we paid yesterday", date(2026, 12, 2)),
    ("have paid on 2026-11-30", date(2026, 11, 30)),
    ("already paid", None),
])
def test_paid_reads_the_day_named(text, paid_on):
    reading = classify("", text, False, SENT)
    assert (reading.kind, reading.paid_on) == ("paid", paid_on)


def test_a_date_without_a_year_around_new_year_is_the_nearest():
    assert first_date("bezahlt am 30.12.", date(2027, 1, 4), past=True) == date(2026, 12, 30)


def test_promise_reads_sum_and_day():
    reading = classify("", "Wir werden 1.190,00 € bis zum 15. Dezember überweisen.", False, SENT)
    assert reading.promise.amount == Decimal("1190.00") and reading.promise.by == date(2026, 12, 15)
    vague = classify("", "We will pay soon.", False, SENT)
    assert vague.kind == "promise" and vague.promise is None


@pytest.mark.parametrize(("text", "amount"), [
    ("1.190,50 €", Decimal("1190.50")), ("€1,190.50", Decimal("1190.50")), ("EUR 500", Decimal("500.00")),
    ("500 Euro", Decimal("500.00")), ("CHF 1'250.00", Decimal("1250.00")), ("nothing", None),
])
def test_sums_as_people_write_them(text, amount):
    assert first_amount(text) == amount


@pytest.mark.parametrize(("text", "until"), [
    ("Ich bin bis zum 14.12.2026 nicht im Büro.", date(2026, 12, 14)),
    ("I am away and back on 9 December.", date(2026, 12, 8)),
    ("Ab dem 7.12. bin ich wieder im Büro.", date(2026, 12, 6)),
    ("Ich bin im Urlaub.", None),
])
def test_out_of_office_reads_the_last_day_of_absence(text, until):
    assert absent_until(text, date(2026, 12, 3)) == until


def test_html_only_text_without_styles_and_with_quotes_marked():
    html = ("<html><head><style>p {color: red}</style></head><body><p>Bereits bezahlt.</p>"
            "<blockquote>Bitte zahlen Sie</blockquote></body></html>")
    text = html_text(html)
    assert "color" not in text and new_text(text) == "Bereits bezahlt."


def test_signature_and_outlook_quote_are_cut():
    text = ("Hello Anna,\nwe will pay on Friday.\n\nKind regards\nTom Baker\nBolt Ltd\n"
            "From: Anna Beispiel\nSent: Friday\n> old text")
    assert new_text(text) == "Hello Anna,\nwe will pay on Friday."


def test_summary_is_one_line_of_at_most_300_characters():
    long = "Wort " * 200
    cut = summary(long)
    assert len(cut) <= 300 and cut.endswith("…") and "\n" not in summary("a\nb\r\nc")
