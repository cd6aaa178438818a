"""What the letters say: one language, sentences true to the history, agreements that hold up."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from receivables_cli.domain.model import TEMPLATES
from receivables_cli.output.letters import format_money
from receivables_cli.usecases.agenda import desk_of

CREDITOR = """\
creditor:
  name: Anna Beispiel Webdesign
  address: |
    Lindenweg 3
    10115 Berlin
  email: anna@example.org
  phone: "+49 30 5550100"
"""
COUNTRIES = {
    "DE": "country: DE\nregion: BE\n  iban: DE02120300000000202051\n",
    "AT": "country: AT\nbase_rates: {2025-06-11: 1.53}\n  iban: AT611904300234573201\n",
    "CH": "country: CH\ncurrency: CHF\n  iban: CH9300762011623852957\n",
}


def use_country(book, country: str, extra: str = "") -> None:
    top, iban = COUNTRIES[country].split("\n  ", 1)
    extra = extra if "interest:" in extra else extra + "interest: {claim: charged}\n"  # as these were derived
    (book.root / "dun.yaml").write_text(CREDITOR + "  " + iban + top + "\n" + extra, encoding="utf-8")


# A case with a little of everything: reminder and dunning letter, a payment, a fee, a settled
# dispute, charged interest, an agreement and a promise.
FULL = """
customer:
  name: Muster KG
  kind: business
  contact: Erika Muster
  email: erika@muster.example
  address: |
    Muster KG
    Musterstraße 1
    10115 Berlin
  manager: {name: Max Muster, role: Geschäftsführer}
history:
  - at: 2026-09-01
    event: invoice
    number: RE-2026-031
    amount: 1190.00
    due: 2026-09-15
    subject: Webdesign
  - at: 2026-10-01
    event: letter
    template: reminder
  - at: 2026-10-14
    event: letter
    template: dunning
  - at: 2026-10-14
    event: fee
    amount: 1.50
    reason: dunning letter, postage and material
  - at: 2026-10-20
    event: payment
    amount: 190.00
  - at: 2026-10-22
    event: dispute
    note: logo colours
  - at: 2026-10-28
    event: credit
    amount: 50.00
    reason: logo redone
    terms: Logo 2.0
  - at: 2026-10-29
    event: resolved
    terms: Logo 2.0 ok
  - at: 2026-11-02
    event: agreement
    down_payment: {amount: 200.00, by: 2026-11-13}
    installments:
      - {amount: 400.00, by: 2026-12-15}
      - {amount: 351.50, by: 2027-01-15}
  - at: 2026-11-05
    event: promise
    amount: 200.00
    by: 2026-11-13
"""

# Words that give away the other language (whole words, case-sensitive where case matters).
NOT_IN_GERMAN = r"\b(the|and|of|to|your|you|invoice|interest|court|flat fee|payment|due|amount|Dear|regards)\b"
NOT_IN_ENGLISH = (r"\b(Sie|Ihre|und|der|die|das|vom|bis|Mahnung|Zinsen|Verzugszinsen|Rechnung|Zahlung|fällig|"
                  r"Betrag|Grüßen|Guten Tag|Verzugspauschale|Gläubiger|Schuldner)\b")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


@pytest.fixture(params=["DE", "AT", "CH"])
def full(request, ledger):
    use_country(ledger, request.param)
    ledger.case("full", FULL)
    charged = ledger.run("charge-interest", "full", "--on", "2026-11-10")
    assert charged.exit_code == 0, charged.stderr
    return ledger


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_template_speaks_one_language(full, lang):
    giveaway = NOT_IN_GERMAN if lang == "de" else NOT_IN_ENGLISH
    for name in (t for t in TEMPLATES if t != "payment-thanks"):  # a settled case's letter
        result = full.run("letter", "full", name, "--lang", lang, "--on", "2026-11-10")
        assert result.exit_code == 0, (name, result.stderr)
        text = result.stdout
        words = re.findall(giveaway, text)
        assert not words, f"{lang}/{name}: {words}\n{text}"
        assert not re.search(ISO_DATE, text), f"{lang}/{name}: an ISO date\n{text}"
        assert "None" not in text and "{{" not in text
        assert not re.search(r" [,.:]|\(\)|: \n", text), f"{lang}/{name}: an empty placeholder\n{text}"


def test_statement_has_no_empty_interest_period_after_charging(full):
    text = full.run("letter", "full", "statement", "--on", "2026-11-10").stdout
    assert "# Forderungsaufstellung, Stand 10. November 2026" in text
    assert not re.search(r"\| 0[,.]00", text.replace("CHF ", "")), text
    assert "Verzugszinsen, berechnet bis zum 10.11.2026" in text
    en = full.run("letter", "full", "statement", "--lang", "en", "--on", "2026-11-10").stdout
    assert en.startswith("# Statement of account as of 10 November 2026")


def test_statement_lines_are_localized_with_rate_and_dates(ledger):
    use_country(ledger, "DE")
    ledger.case("plain", FULL.split("  - at: 2026-10-01")[0])
    de = ledger.run("letter", "plain", "statement", "--on", "2026-11-24").stdout
    en = ledger.run("letter", "plain", "statement", "--lang", "en", "--on", "2026-11-24").stdout
    rate_de = "10,52 %" if date(2026, 11, 24) >= date(2026, 7, 1) else ""
    assert re.search(r"Verzugszinsen vom \d\d\.\d\d\.2026 bis 24\.11\.2026, " + re.escape(rate_de) + " p. a.", de)
    assert re.search(r"default interest from \d+ \w{3} 2026 to 24 Nov 2026, 10\.52% a year", en)


# --- the final notice tells the history as it is ---------------------------------------------

ONE = """
customer:
  name: Muster KG
  kind: business
  contact: Erika Muster
history:
  - at: 2026-09-01
    event: invoice
    number: RE-2026-031
    amount: 1190.00
    due: 2026-09-15
"""


def test_final_notice_after_one_dunning_letter_names_only_that_letter(ledger):
    use_country(ledger, "DE")
    ledger.case("one", ONE + "  - {at: 2026-10-14, event: letter, template: dunning}\n")
    text = ledger.run("letter", "one", "final-notice", "--on", "2026-10-27").stdout
    assert "mit meiner Mahnung vom 14. Oktober 2026 habe ich Sie um Zahlung gebeten." in text
    assert "Erinnerung" not in text
    assert "Eine Zahlung ist bis heute nicht eingegangen." in text
    en = ledger.run("letter", "one", "final-notice", "--lang", "en", "--on", "2026-10-27").stdout
    assert "I asked you to pay in my formal reminder of 14 October 2026." in en and "payment reminder" not in en


def test_final_notice_after_reminder_dunning_and_part_payment(ledger):
    use_country(ledger, "DE")
    ledger.case("two", ONE + "  - {at: 2026-10-01, event: letter, template: reminder}\n"
                "  - {at: 2026-10-14, event: letter, template: dunning}\n"
                "  - {at: 2026-10-20, event: payment, amount: 190.00}\n")
    text = ledger.run("letter", "two", "final-notice", "--on", "2026-10-27").stdout
    assert ("mit meiner Zahlungserinnerung vom 1. Oktober 2026 und meiner Mahnung vom 14. Oktober 2026 habe ich "
            "Sie um Zahlung gebeten.") in text
    assert "Ihre Zahlung von 190,00 € am 20. Oktober 2026 habe ich erhalten, danke dafür. Offen ist noch:" in text
    assert "offen 1.000,00 €" in text
    assert "bisher nicht gezahlt" not in text and "nicht eingegangen" not in text


def test_final_notice_states_running_interest_with_its_start_and_figure(ledger):
    use_country(ledger, "DE")
    ledger.case("one", ONE + "  - {at: 2026-10-14, event: letter, template: dunning}\n")
    st = json.loads(ledger.run("statement", "one", "--json", "--on", "2026-10-27").stdout)
    interest = format_money(st["interest_accrued"], "EUR", "de_DE")
    start = date.fromisoformat(st["default_from"])
    text = ledger.run("letter", "one", "final-notice", "--on", "2026-10-27").stdout
    assert f"- Verzugszinsen vom {start.day}. Oktober 2026 bis heute (§ 288 Abs. 2 BGB): {interest}" in text
    total = format_money(st["total"], "EUR", "de_DE")
    assert f"Zusammen sind das **{total}**" in text
    assert "die Berechnung der gesetzlichen Verzugszinsen" not in text  # not a future threat: it runs already


def test_write_off_case_threatens_no_court(ledger):
    use_country(ledger, "DE")
    weak = ONE.replace("amount: 1190.00", "amount: 300.00").replace("history:", "evidence: weak\nhistory:")
    ledger.case("weak", weak + "  - {at: 2026-10-14, event: letter, template: dunning}\n")
    de = ledger.run("letter", "weak", "final-notice", "--on", "2026-10-27").stdout
    en = ledger.run("letter", "weak", "final-notice", "--lang", "en", "--on", "2026-10-27").stdout
    for word in ("Mahngericht", "Mahnbescheid", "gerichtlich", "ohne weitere Ankündigung", "rechtlichen Schritten",
                 "Kosten dieses Verfahrens"):
        assert word not in de
    for word in ("court", "without further notice", "legal action"):
        assert word not in en
    assert "entscheide ich über das weitere Vorgehen" in de
    ledger.case("strong", ONE + "  - {at: 2026-10-14, event: letter, template: dunning}\n")
    strong = ledger.run("letter", "strong", "final-notice", "--on", "2026-10-27").stdout
    assert ("ohne weitere Ankündigung beim zuständigen Mahngericht einen Mahnbescheid gegen Sie beantragen"
            in strong)


@pytest.mark.parametrize(("country", "route", "flat"), [
    ("DE", "beim zuständigen Mahngericht einen Mahnbescheid", "§ 288 Abs. 5 BGB"),
    ("AT", "beim zuständigen Bezirksgericht eine Mahnklage", "§ 458 UGB"),
    ("CH", "beim zuständigen Betreibungsamt die Betreibung", None),
])
def test_country_facts_per_ledger(ledger, country, route, flat):
    use_country(ledger, country)
    ledger.case("one", ONE + "  - {at: 2026-10-14, event: letter, template: dunning}\n")
    text = ledger.run("letter", "one", "final-notice", "--on", "2026-10-27").stdout
    assert route in text
    if flat:
        locale = {"DE": "de_DE", "AT": "de_AT"}[country]
        assert f"Verzugspauschale von {format_money(40, 'EUR', locale)} nach {flat}" in text
        assert "BGB" not in text or country == "DE"
    else:
        assert "Verzugspauschale" not in text and "BGB" not in text


def test_dunning_fee_recorded_by_sent_appears_in_the_next_letter_and_its_total(ledger):
    use_country(ledger, "DE", "fees: {dunning: 1.50}\n")
    ledger.case("fee", ONE)
    dunning = ledger.run("letter", "fee", "dunning", "--on", "2026-11-20").stdout
    assert "- Porto und Material für diese Mahnung: 1,50 €" in dunning
    assert ledger.run("sent", "fee", "dunning", "--on", "2026-11-20").exit_code == 0
    assert "reason: dunning letter, postage and material" in ledger.text("fee")
    st = json.loads(ledger.run("statement", "fee", "--json", "--on", "2026-12-02").stdout)
    text = ledger.run("letter", "fee", "final-notice", "--on", "2026-12-02").stdout
    assert "- Porto und Material der Mahnung, berechnet am 20.11.2026: 1,50 €" in text
    assert "- Porto und Material für diese Mahnung: 1,50 €" in text  # the final notice's own
    to_pay = Decimal(st["total"]) + Decimal("1.50")
    assert Decimal(st["charged_open"]) == Decimal("1.50")
    assert f"Zusammen sind das **{format_money(to_pay, 'EUR', 'de_DE')}**" in text
    en = ledger.run("letter", "fee", "final-notice", "--lang", "en", "--on", "2026-12-02").stdout
    assert "- postage and material for the formal reminder, charged on 20 Nov 2026: €1.50" in en


# --- the instalment agreement --------------------------------------------------------------

AGREED = ONE + """\
  - {at: 2026-10-14, event: letter, template: dunning}
  - {at: 2026-10-14, event: fee, amount: 1.50, reason: "dunning letter, postage and material"}
  - at: 2026-11-02
    event: agreement
    down_payment: {amount: 191.50, by: 2026-11-13}
    installments:
      - {amount: 500.00, by: 2026-12-15}
      - {amount: 500.00, by: 2027-01-15}
"""


def test_installment_agreement_names_interest_and_fees_and_what_becomes_of_them(ledger):
    use_country(ledger, "DE")
    ledger.case("agreed", AGREED.replace("  contact: Erika Muster\n", "  contact: Erika Muster\n  address: |\n"
                                         "    Muster KG\n    Musterstraße 1\n    10115 Berlin\n  manager: "
                                         "{name: Max Muster, role: Geschäftsführer}\n"))
    st = json.loads(ledger.run("statement", "agreed", "--json", "--on", "2026-11-02").stdout)
    text = ledger.run("letter", "agreed", "installment-agreement", "--on", "2026-11-02").stdout
    interest = format_money(st["interest_accrued"], "EUR", "de_DE")
    assert "- Porto und Material der Mahnung, berechnet am 14.10.2026: 1,50 €" in text
    assert re.search(r"- Verzugszinsen vom \d+\. Oktober 2026 bis heute \(§ 288 Abs. 2 BGB\): " + re.escape(interest),
                     text)
    assert f"insgesamt\n**{format_money(st['total'], 'EUR', 'de_DE')}** zu schulden" in text
    assert f"verzichtet der Gläubiger auf den Restbetrag von {interest}" in text
    assert "mehr als 14 Tage nach ihrem Termin" in text and "drei Tage" not in text
    assert "zwischen **Anna Beispiel Webdesign** (Gläubiger), Lindenweg 3, 10115 Berlin" in text
    assert ("und **Muster KG** (Schuldner), Musterstraße 1, 10115 Berlin,\nvertreten durch Max Muster "
            "(Geschäftsführer)") in text
    # cover letter first, the agreement as an enclosure, the signature lines last
    assert text.index("Mit freundlichen Grüßen") < text.index("Anlage: Ratenzahlungsvereinbarung")
    assert text.count("Mit freundlichen Grüßen") == 1
    assert text.rstrip().endswith("Unterschrift Schuldner: Muster KG, vertreten durch Max Muster (Geschäftsführer)")
    assert "Als Nächstes sind **191,50 €** bis zum\n**13. November 2026** fällig." in text


def test_installment_agreement_for_a_consumer_needs_two_instalments_and_a_grace_period(ledger):
    use_country(ledger, "DE")
    ledger.case("private", AGREED.replace("kind: business", "kind: private").replace("  contact: Erika Muster\n", ""))
    text = ledger.run("letter", "private", "installment-agreement", "--on", "2026-11-02").stdout
    assert "mit mindestens zwei aufeinanderfolgenden Raten" in text and "Frist von zwei Wochen" in text
    assert "vertreten durch" not in text
    assert text.startswith("# Ratenzahlungsvereinbarung") and "Guten Tag Muster KG," in text


def test_installment_agreement_asks_next_for_the_instalment_after_the_down_payment(ledger):
    use_country(ledger, "DE")
    ledger.case("agreed", AGREED + "  - {at: 2026-11-12, event: payment, amount: 191.50}\n")
    text = ledger.run("letter", "agreed", "installment-agreement", "--on", "2026-11-20").stdout
    assert "Als Nächstes sind **500,00 €** bis zum\n**15. Dezember 2026** fällig." in text
    assert "Davon sind bereits 191,50 € eingegangen." in text


def test_payment_due_is_the_down_payment_then_the_next_instalment(ledger):
    from receivables_cli.output.letter_context import build_context
    from receivables_cli.store.ledger import open_ledger
    from receivables_cli.usecases.agenda import state_of

    use_country(ledger, "DE")
    ledger.case("agreed", AGREED + "  - {at: 2026-11-12, event: payment, amount: 100.00}\n")
    book = open_ledger(ledger.root)
    day = date(2026, 11, 12)
    desk = desk_of(book)
    ctx = build_context(desk, state_of(book, book.load("agreed"), day), day, "de", template="installment-agreement")
    assert ctx["payment_due"] == {"amount": Decimal("91.50"), "by": date(2026, 11, 13)}
    later = date(2026, 11, 14)
    book.load("agreed")
    ctx = build_context(desk_of(book), state_of(book, book.load("agreed"), later), later, "de", template="dunning")
    assert ctx["payment_due"]["amount"] == ctx["arrears_to_pay"] == Decimal("91.50")  # the rest of the down payment
    ctx = build_context(desk_of(book), state_of(book, book.load("agreed"), later), later, "de", template="reminder")
    assert ctx["payment_due"]["amount"] == ctx["open"]


# --- internal notes, agreed terms ----------------------------------------------------------

SECRETS = ONE + """\
  - {at: 2026-09-20 10:00, event: call, outcome: no_answer, note: SECRET-call}
  - {at: 2026-09-22 10:00, event: meeting, outcome: reached, note: SECRET-meeting}
  - {at: 2026-10-01, event: letter, template: reminder, note: SECRET-letter}
  - {at: 2026-10-02, event: promise, amount: 100.00, by: 2026-10-09, note: SECRET-promise}
  - {at: 2026-10-10, event: payment, amount: 100.00, note: SECRET-payment}
  - {at: 2026-10-12, event: fee, amount: 5.00, reason: Einschreiben, note: SECRET-fee}
  - {at: 2026-10-13, event: interest, amount: 3.00, note: SECRET-interest}
  - {at: 2026-10-14, event: dispute, note: SECRET-dispute}
  - {at: 2026-10-15, event: credit, amount: 10.00, reason: SECRET-credit-reason, note: SECRET-credit, terms: Nachlass}
  - {at: 2026-10-16, event: resolved, note: SECRET-resolved, terms: Alles geklärt}
  - {at: 2026-10-17, event: hold, until: 2026-10-18, reason: SECRET-hold}
  - {at: 2026-10-18, event: note, text: SECRET-note}
  - at: 2026-10-19
    event: agreement
    note: SECRET-agreement
    installments:
      - {amount: 500.00, by: 2026-11-15}
      - {amount: 582.00, by: 2026-12-15}
  - {at: 2026-10-20, event: signed, note: SECRET-signed}
  - at: 2026-10-21 10:00
    event: call
    outcome: promised
    promise: {amount: 500.00, by: 2026-11-15}
    note: SECRET-promised
"""


def test_no_note_ever_reaches_a_letter(ledger):
    use_country(ledger, "DE")
    ledger.case("secrets", SECRETS)
    for lang in ("de", "en"):
        for name in (t for t in TEMPLATES if t not in ("payment-thanks", "installment-agreement")):
            result = ledger.run("letter", "secrets", name, "--lang", lang, "--on", "2026-10-22")
            assert result.exit_code == 0, (name, result.stderr)
            assert "SECRET" not in result.stdout, (lang, name, result.stdout)
    signed = ledger.run("letter", "secrets", "installment-agreement", "--on", "2026-10-22")  # signed on 2026-10-20
    assert signed.exit_code == 1 and "the agreement of 2026-10-19 is signed" in signed.stderr
    text = ledger.text("secrets") + "  - {at: 2026-10-23, event: legal, route: lawyer, note: SECRET-legal}\n"
    ledger.case("secrets", text)
    assert "SECRET" not in ledger.run("letter", "secrets", "statement", "--on", "2026-10-24").stdout


def test_dispute_resolution_confirms_the_terms_and_the_credit_not_the_note(ledger):
    use_country(ledger, "DE")
    ledger.case("disp", ONE + "  - {at: 2026-10-20, event: dispute, note: says the form is broken}\n")
    assert ledger.run("resolve", "disp", "--note", "Gutschrift 380; Rest zahlt er bis 10.12.",
                      "--terms", "Das Kontaktformular ist seit dem 10. November repariert.",
                      "--on", "2026-11-11").exit_code == 0
    assert ledger.run("credit", "disp", "80", "--reason", "late launch", "--terms", "Nachlass für den späten Start",
                      "--on", "2026-11-11").exit_code == 0
    text = ledger.run("letter", "disp", "dispute-resolution", "--on", "2026-11-12").stdout
    assert "- Ich schreibe Ihnen 80,00 € gut; die Forderung verringert sich um diesen Betrag." in text
    assert "- Das Kontaktformular ist seit dem 10. November repariert." in text
    assert "- Nachlass für den späten Start" in text
    assert "Gutschrift 380" not in text and "late launch" not in text


def test_dispute_resolution_refuses_when_nothing_was_agreed(ledger):
    use_country(ledger, "DE")
    ledger.case("disp", ONE + "  - {at: 2026-10-20, event: dispute, note: form}\n"
                "  - {at: 2026-10-25, event: resolved, note: internal only}\n")
    result = ledger.run("letter", "disp", "dispute-resolution", "--on", "2026-11-12")
    assert result.exit_code == 1 and result.stdout == ""
    assert "nothing agreed to confirm for disp" in result.stderr and "--terms" in result.stderr


# --- other letters -------------------------------------------------------------------------

def test_down_payment_request_names_amount_and_dates_we_set(ledger):
    use_country(ledger, "DE")
    ledger.case("hard", ONE.replace("kind: business", "kind: private")
                + "  - {at: 2026-09-20 19:00, event: call, outcome: hardship}\n")
    text = ledger.run("letter", "hard", "down-payment-request", "--on", "2026-09-21").stdout
    # a fifth of 1,190.00 is 238.00, rounded up to a multiple of ten
    assert "eine Anzahlung von **240,00 €**\n  bis zum **1. Oktober 2026**." in text
    assert "- Den Rest von **950,00 €** zahlen Sie bis zum **2. November 2026**." in text
    assert "Termin" not in text.split("Offen sind")[0].replace("Raten", "")  # no date left to the customer


def test_settlement_offer_includes_interest_and_fees(ledger):
    use_country(ledger, "DE")
    ledger.case("set", AGREED.split("  - at: 2026-11-02")[0])
    st = json.loads(ledger.run("statement", "set", "--json", "--on", "2026-11-02").stdout)
    total = Decimal(st["total"])
    assert total > Decimal("1191.50")  # fee and interest on top of the invoice
    text = ledger.run("letter", "set", "settlement-offer", "--on", "2026-11-02").stdout
    offer = (total * Decimal("0.9")).quantize(Decimal("0.01"))
    assert f"Offen sind derzeit insgesamt **{format_money(total, 'EUR', 'de_DE')}**" in text
    assert f"einmalig **{format_money(offer, 'EUR', 'de_DE')}**" in text
    assert "einschließlich Zinsen und Kosten erledigt" in text


def test_private_customer_without_contact_is_greeted_by_name(ledger):
    use_country(ledger, "DE")
    ledger.case("p", ONE.replace("kind: business", "kind: private").replace("Muster KG", "Peter Klein")
                .replace("  contact: Erika Muster\n", ""))
    assert "Guten Tag Peter Klein," in ledger.run("letter", "p", "reminder").stdout
    assert "Dear Peter Klein," in ledger.run("letter", "p", "reminder", "--lang", "en").stdout
    assert "Damen und Herren" not in ledger.run("letter", "p", "dunning").stdout


def test_assistant_without_email_is_an_error_not_the_contacts_address(ledger):
    use_country(ledger, "DE")
    ledger.case("a", ONE.replace("  contact: Erika Muster\n", "  contact: Erika Muster\n  email: erika@muster.example\n"
                                 "  assistant: {name: Jana Beispiel, phone: \"+49 30 1\"}\n"))
    result = ledger.run("letter", "a", "callback-request", "--to", "assistant", "--format", "eml")
    assert result.exit_code == 1
    assert "assistant" in result.stderr and "email" in result.stderr.replace("e-mail", "email")
    assert "erika@muster.example" not in result.stdout


@pytest.mark.parametrize("kind", ["corporate", "public"])
def test_reminder_to_an_accounts_department_is_formal(ledger, kind):
    use_country(ledger, "DE")
    ledger.case("c", ONE.replace("kind: business", f"kind: {kind}"))
    de = ledger.run("letter", "c", "reminder").stdout
    en = ledger.run("letter", "c", "reminder", "--lang", "en").stdout
    assert de.startswith("# Zahlungserinnerung: Rechnung RE-2026-031")
    assert "alles in Ordnung" not in de and "Alltag" not in de and "Sollte Ihrer Buchhaltung" in de
    assert "I hope all is well" not in en and "accounts department" in en


def test_reminder_to_a_business_stays_warm(ledger):
    use_country(ledger, "DE")
    ledger.case("b", ONE)
    assert "ist bei Ihnen alles in Ordnung?" in ledger.run("letter", "b", "reminder").stdout


def test_interest_claimed_as_it_accrues_is_listed_where_the_open_amount_includes_it(ledger):
    use_country(ledger, "DE", "interest: {claim: accrued}\n")
    ledger.case("acc", ONE)
    show = json.loads(ledger.run("show", "acc", "--json", "--on", "2026-11-20").stdout)
    assert Decimal(show["open"]) > Decimal("1190.00")
    interest = format_money(Decimal(show["open"]) - Decimal("1190.00"), "EUR", "de_DE")
    for name in ("reminder", "callback-request", "payment-proposal"):
        text = ledger.run("letter", "acc", name, "--on", "2026-11-20").stdout
        assert re.search(r"- Verzugszinsen vom \d+\. \w+ 2026 bis heute \(§ 288 Abs. 2 BGB\): " + re.escape(interest),
                         text), (name, text)
        assert format_money(show["open"], "EUR", "de_DE") in text


def test_installment_agreement_without_anything_to_waive_mentions_no_waiver(ledger):
    use_country(ledger, "DE")
    ledger.case("early", ONE.replace("kind: business", "kind: private") + """\
  - at: 2026-09-10
    event: agreement
    installments:
      - {amount: 590.00, by: 2026-10-15}
      - {amount: 600.00, by: 2026-11-15}
""")
    text = ledger.run("letter", "early", "installment-agreement", "--on", "2026-09-10").stdout
    assert "Der Zahlungsplan deckt den gesamten Betrag nach Nummer 1." in text
    assert "Verzicht" not in text and "verzichtet" not in text
    en = ledger.run("letter", "early", "installment-agreement", "--lang", "en", "--on", "2026-09-10").stdout
    assert "waive" not in en
