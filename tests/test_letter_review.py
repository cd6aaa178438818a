"""Letters read as the customer reads them: no fee twice, a reference when only costs are owed,
a word on unconfirmed base rates, arrears after a missed instalment, Swiss spelling, and a
payment code that asks for what the text asks for."""

from __future__ import annotations

import email
import email.policy
import json
import re
from decimal import Decimal

import pytest

from receivables_cli.domain.model import TEMPLATES
from receivables_cli.output.letters import format_money
from receivables_cli.output.payment import epc_payload, qr_png

IBAN = "DE02120300000000202051"

ONE = """
customer:
  name: Muster KG
  kind: business
  contact: Erika Muster
  email: erika@muster.example
  address: |
    Muster KG
    Musterstraße 1
    10115 Berlin
history:
  - at: 2026-09-01
    event: invoice
    number: RE-2026-031
    amount: 1190.00
    due: 2026-09-15
"""

# Paid in full, yet the dunning fee and the charged interest are still owed: the invoice was paid the day
# before the dunning letter went out, its fee and the interest up to the payment were charged afterwards
# (a payment made after them would have paid them first and left part of the invoice open, §367 BGB).
COSTS_ONLY = ONE + """\
  - {at: 2026-09-22, event: letter, template: reminder}
  - {at: 2026-10-13, event: payment, amount: 1190.00}
  - {at: 2026-10-14, event: letter, template: dunning}
  - {at: 2026-10-14, event: fee, amount: 2.50, reason: "dunning letter, postage and material"}
  - {at: 2026-10-30, event: interest, amount: 12.40}
"""

# An instalment plan whose second instalment was missed.
MISSED = ONE + """\
  - {at: 2026-09-22, event: letter, template: reminder}
  - at: 2026-10-01
    event: agreement
    installments:
      - {amount: 400.00, by: 2026-10-15}
      - {amount: 400.00, by: 2026-11-02}
      - {amount: 390.00, by: 2026-12-01}
  - {at: 2026-10-14, event: payment, amount: 400.00}
"""


def _message(ledger, *args: str, on: str):
    result = ledger.run("letter", *args, "--format", "eml", "--on", on)
    assert result.exit_code == 0, result.stderr
    return email.message_from_string(result.stdout, policy=email.policy.default)


def _png(msg) -> bytes:
    return next(p for p in msg.walk() if p.get_content_type() == "image/png").get_content()


def _giro(amount: str) -> bytes:
    return qr_png(epc_payload("Anna Beispiel Webdesign", IBAN, Decimal(amount), "RE-2026-031", "BYLADEM1001"))


# --- a fee recorded by `dun sent` ------------------------------------------------------------

@pytest.mark.parametrize("template", ["dunning", "final-notice"])
def test_rerendering_after_sent_shows_the_letters_fee_once(ledger, template):
    ledger.config("fees: {dunning: 2.50}\n")
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: reminder}\n")
    before = ledger.run("letter", "one", template, "--on", "2026-11-20").stdout
    assert ledger.run("sent", "one", template, "--on", "2026-11-20").exit_code == 0
    after = ledger.run("letter", "one", template, "--on", "2026-11-20").stdout
    assert after.count("2,50 €") == 1, after
    assert "berechnet am 20.11.2026" not in after
    assert after == before  # the letter reads the same before and after sending


def test_the_fee_of_an_earlier_letter_is_not_this_letters_fee(ledger):
    ledger.config("fees: {dunning: 2.50}\n")
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: reminder}\n")
    assert ledger.run("sent", "one", "dunning", "--on", "2026-10-20").exit_code == 0
    text = ledger.run("letter", "one", "dunning", "--on", "2026-11-20").stdout
    assert "- Porto und Material der Mahnung, berechnet am 20.10.2026: 2,50 €" in text
    assert "- Porto und Material für diese Mahnung: 2,50 €" in text


# --- every invoice paid, costs still owed ------------------------------------------------------

@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_template_works_when_only_fees_and_interest_are_owed(ledger, lang):
    ledger.case("costs", COSTS_ONLY + "  - {at: 2026-11-03, event: resolved, terms: Logo ok}\n")
    needing = {"promise-confirmation", "installment-agreement", "payment-thanks"}  # refuse on this case
    for name in set(TEMPLATES) - needing:
        result = ledger.run("letter", "costs", name, "--lang", lang, "--on", "2026-11-20")
        assert result.exit_code == 0, (name, result.stderr)
        assert "RE-2026-031" in result.stdout, name  # the reference to pay under
        assert "None" not in result.stdout


def test_dunning_for_costs_only_asks_for_them_and_says_no_invoice_is_overdue(ledger):
    ledger.case("costs", COSTS_ONLY)
    text = ledger.run("letter", "costs", "dunning", "--on", "2026-11-20").stdout
    assert text.startswith("# Mahnung zu Rechnung RE-2026-031\n")
    assert "- Rechnung" not in text
    assert "- Porto und Material der Mahnung, berechnet am 14.10.2026: 2,50 €" in text
    assert "- Verzugszinsen, berechnet bis zum 30.10.2026: 12,40 €" in text


# --- interest on an unconfirmed base rate -------------------------------------------------------

def test_interest_on_the_unconfirmed_rate_is_flagged_to_the_user_not_in_the_letter(ledger):
    ledger.case("one", ONE)  # in default from mid-October: the 2026-07 row of 1.52 % is unconfirmed
    de = ledger.run("letter", "one", "dunning", "--on", "2026-11-20")
    assert re.search(r"- Verzugszinsen vom .* bis heute", de.stdout)
    assert "amtlich" not in de.stdout and "not confirmed" in de.stderr
    en = ledger.run("letter", "one", "dunning", "--lang", "en", "--on", "2026-11-20").stdout
    assert "officially confirmed" not in en


def test_no_rate_note_without_such_interest(ledger):
    ledger.case("one", ONE)
    before_default = ledger.run("letter", "one", "dunning", "--on", "2026-09-20").stdout
    assert "Verzugszinsen vom" not in before_default and "Basiszinssatz" not in before_default
    ledger.config("base_rates: {2026-07-01: 1.52}\n")  # confirmed by the user
    confirmed = ledger.run("letter", "one", "dunning", "--on", "2026-11-20").stdout
    assert "Verzugszinsen vom" in confirmed and "Basiszinssatz" not in confirmed


# --- the final notice after a missed instalment -----------------------------------------------------

def test_final_notice_after_a_missed_instalment_asks_for_the_arrears(ledger):
    ledger.case("plan", MISSED)
    text = ledger.run("letter", "plan", "final-notice", "--on", "2026-11-20").stdout
    assert "- Rate, fällig am 2. November 2026: 400,00 €" in text
    assert "**400,00 €** bis zum **30. November 2026**" in text
    # 18 days after the instalment's date: clause 5 has made the rest due for a business, and the letter
    # says so, but asks only for the arrears
    assert "Nach Nummer 5 unserer Vereinbarung ist der gesamte noch offene Betrag bereits fällig" in text
    assert "1.190,00" not in text and "790,00" not in text  # never the whole rest demanded
    assert _png(_message(ledger, "plan", "final-notice", on="2026-11-20")) == _giro("400.00")
    en = ledger.run("letter", "plan", "final-notice", "--lang", "en", "--on", "2026-11-20").stdout
    assert "- instalment due 2 November 2026: €400.00" in en and "clause 5 of our agreement" in en


def test_final_notice_to_a_consumer_sets_the_two_week_period_of_clause_5(ledger):
    ledger.case("plan", MISSED.replace("kind: business", "kind: private").replace("  contact: Erika Muster\n", ""))
    text = ledger.run("letter", "plan", "final-notice", "--on", "2026-12-02").stdout
    assert "- Rate, fällig am 2. November 2026: 400,00 €" in text
    assert "- Rate, fällig am 1. Dezember 2026: 390,00 €" in text
    assert "**790,00 €** bis zum **21. Dezember 2026**" in text  # 3 days' delivery + 14 days, a Monday
    assert "mit mindestens zwei aufeinanderfolgenden Raten" in text
    assert "Geht die Zahlung bis zum 21. Dezember 2026 nicht ein, wird der gesamte noch offene Betrag fällig." in text


def test_final_notice_without_an_agreement_still_asks_for_everything(ledger):
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: reminder}\n")
    text = ledger.run("letter", "one", "final-notice", "--on", "2026-11-20").stdout
    assert "Nummer 5" not in text and "Zusammen sind das" in text


# --- the payment code asks for what the text asks for ----------------------------------------------------

@pytest.mark.parametrize(("template", "pattern"), [
    ("dunning", r"Bitte überweisen Sie \*\*([\d.,]+) €\*\*"),
    ("final-notice", r"Zusammen sind das \*\*([\d.,]+) €\*\*"),
    ("statement", r"Bitte überweisen Sie \*\*([\d.,]+) €\*\*"),
    ("settlement-offer", r"einmalig \*\*([\d.,]+) €\*\*"),
    ("down-payment-request", r"Anzahlung von \*\*([\d.,]+) €\*\*"),
])
def test_girocode_amount_equals_the_amount_in_the_text(ledger, template, pattern):
    ledger.config("fees: {dunning: 2.50}\n")
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: reminder}\n")
    text = ledger.run("letter", "one", template, "--on", "2026-11-20").stdout
    asked = re.search(pattern, text).group(1).replace(".", "").replace(",", ".")
    assert Decimal(asked) != Decimal("1190.00") or template == "down-payment-request"
    assert _png(_message(ledger, "one", template, on="2026-11-20")) == _giro(asked)


# --- Swiss German -----------------------------------------------------------------------------------------

CH_CONFIG = """\
creditor:
  name: Anna Beispiel Webdesign
  address: |
    Lindenweg 3
    8001 Zürich
  email: anna@example.org
  iban: CH9300762011623852957
country: CH
currency: CHF
"""


def test_swiss_german_letters_write_ss_for_sharp_s(ledger):
    (ledger.root / "dun.yaml").write_text(CH_CONFIG, encoding="utf-8")
    ledger.case("one", ONE.replace("Musterstraße 1\n    10115 Berlin", "Seestrasse 12\n    8002 Zürich"))
    for name in ("reminder", "dunning", "final-notice", "statement"):
        text = ledger.run("letter", "one", name, "--on", "2026-11-20").stdout
        assert "ß" not in text, name
        assert "Mit freundlichen Grüssen" in text
    final = ledger.run("letter", "one", "final-notice", "--on", "2026-11-20").stdout
    assert "Ausserdem" in final or "Verzugspauschale" not in final


def test_german_and_austrian_letters_keep_sharp_s(ledger):
    ledger.case("one", ONE)
    assert "Mit freundlichen Grüßen" in ledger.run("letter", "one", "reminder", "--on", "2026-11-20").stdout


def test_swiss_qr_bill_amount_equals_the_amount_in_the_text(ledger):
    from pypdf import PdfReader

    (ledger.root / "dun.yaml").write_text(CH_CONFIG + "fees: {dunning: 2.50}\n", encoding="utf-8")
    ledger.case("one", ONE.replace("Musterstraße 1\n    10115 Berlin", "Seestrasse 12\n    8002 Zürich")
                + "  - {at: 2026-10-01, event: letter, template: reminder}\n")
    text = ledger.run("letter", "one", "dunning", "--on", "2026-11-20").stdout
    asked = re.search(r"Bitte überweisen Sie \*\*CHF ([\d’',.]+)\*\*", text).group(1)
    amount = Decimal(re.sub(r"[’',]", "", asked))
    out = ledger.root / "x.pdf"
    result = ledger.run("letter", "one", "dunning", "--format", "pdf", "-o", str(out), "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    last = PdfReader(out).pages[-1].extract_text()
    assert f"{amount:,.2f}".replace(",", " ") in last, last
    assert amount != Decimal("1190.00")


def test_statement_json_is_unchanged_by_the_letter_context(ledger):
    ledger.case("one", ONE)
    st = json.loads(ledger.run("statement", "one", "--json", "--on", "2026-11-20").stdout)
    text = ledger.run("letter", "one", "statement", "--on", "2026-11-20").stdout
    assert f"**{format_money(st['total'], 'EUR', 'de_DE')}**" in text


# --- sentences true to the history ------------------------------------------------------------------------

def test_callback_request_after_a_dunning_letter_does_not_promise_one(ledger):
    ledger.case("one", ONE)
    first = ledger.run("letter", "one", "callback-request", "--on", "2026-11-20").stdout
    assert "schriftlich und\nmit Frist anmahnen" in first
    ledger.case("one", ONE + "  - {at: 2026-10-20, event: letter, template: dunning}\n")
    later = ledger.run("letter", "one", "callback-request", "--on", "2026-11-20").stdout
    assert "anmahnen" not in later and "über das weitere Vorgehen" in later
    en = ledger.run("letter", "one", "callback-request", "--lang", "en", "--on", "2026-11-20").stdout
    assert "in writing" not in en and "decide on the next steps" in en


def test_agreement_letter_names_a_passed_payment_date_as_overdue(ledger):
    ledger.case("plan", MISSED)
    text = ledger.run("letter", "plan", "installment-agreement", "--on", "2026-11-20").stdout
    assert "Als Nächstes" not in text
    assert "Am **2. November 2026** waren **400,00 €** fällig" in text
    early = ledger.run("letter", "plan", "installment-agreement", "--on", "2026-10-20").stdout
    assert "Als Nächstes sind **400,00 €** bis zum\n**2. November 2026** fällig." in early


def test_down_payment_request_keeps_to_the_agreed_instalments_and_a_future_date(ledger):
    ledger.case("plan", ONE + """\
  - at: 2026-11-02
    event: agreement
    down_payment: {amount: 190.00, by: 2026-11-10}
    installments:
      - {amount: 500.00, by: 2026-12-10}
      - {amount: 500.00, by: 2027-01-11}
""")
    text = ledger.run("letter", "plan", "down-payment-request", "--on", "2026-11-20").stdout
    assert "Anzahlung von **190,00 €**\n  bis zum **30. November 2026**" in text  # 10 Nov has passed
    assert "wie in unserer Vereinbarung vom 2. November 2026 festgelegt in Raten" in text
    assert "Den Rest von" not in text and "auf einmal machbar" not in text
    assert _png(_message(ledger, "plan", "down-payment-request", on="2026-11-20")) == _giro("190.00")


def test_dunning_letter_after_a_missed_instalment_asks_for_the_arrears(ledger):
    ledger.case("plan", MISSED)
    text = ledger.run("letter", "plan", "dunning", "--on", "2026-11-20").stdout
    assert text.startswith("# Mahnung: fällige Zahlung zu Rechnung RE-2026-031\n")
    assert "- Rate, fällig am 2. November 2026: 400,00 €" in text
    assert "**400,00 €** bis spätestens **30. November 2026**" in text
    assert "ist nach Nummer 5 der Vereinbarung der\ngesamte noch offene Betrag bereits fällig" in text  # 18 days late
    within = ledger.run("letter", "plan", "dunning", "--on", "2026-11-16").stdout  # 14 days: not yet
    assert "kann der gesamte noch offene Betrag sofort fällig werden" in within and "bereits fällig" not in within
    assert "790,00" not in text and "1.190,00" not in text
    assert _png(_message(ledger, "plan", "dunning", on="2026-11-20")) == _giro("400.00")
    en = ledger.run("letter", "plan", "dunning", "--lang", "en", "--on", "2026-11-20").stdout
    assert en.startswith("# Agreed payment overdue: invoice RE-2026-031\n") and "clause 5 of the agreement" in en


@pytest.mark.parametrize(("contact", "greeting"), [
    ("Kreditorenbuchhaltung", "Sehr geehrte Damen und Herren,"),
    ("Accounts payable", "Sehr geehrte Damen und Herren,"),
    ("Erika Muster", "Guten Tag Erika Muster,"),
])
def test_a_department_is_not_greeted_like_a_person(ledger, contact, greeting):
    ledger.case("amt", f"""
customer:
  name: Stadtwerke Beispielstadt
  kind: public
  contact: {contact}
  email: kreditoren@stadtwerke.example
history:
  - at: 2026-10-05
    event: invoice
    number: RE-2026-022
    amount: 5950.00
""")
    result = ledger.run("letter", "amt", "reminder", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert greeting in result.stdout


def test_english_letters_go_on_with_a_capital_after_the_greeting_german_ones_do_not(ledger):
    ledger.case("amt", """
customer:
  name: Stadtwerke Beispielstadt
  kind: business
  contact: Erika Muster
  email: kreditoren@stadtwerke.example
history:
  - at: 2026-10-05
    event: invoice
    number: RE-2026-022
    amount: 5950.00
""")
    for name in ("reminder", "dunning", "final-notice", "statement", "payment-proposal", "settlement-offer"):
        en = ledger.run("letter", "amt", name, "--lang", "en", "--on", "2026-11-20").stdout
        first = en.split("Dear Erika Muster,\n", 1)[1].lstrip("\n")
        assert first[0].isupper(), (name, first[:40])
        de = ledger.run("letter", "amt", name, "--lang", "de", "--on", "2026-11-20").stdout
        first = de.split("Guten Tag Erika Muster,\n", 1)[1].lstrip("\n")
        assert first[0].islower() or first[0].isdigit(), (name, first[:40])
