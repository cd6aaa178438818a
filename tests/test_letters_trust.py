"""Letters the recipient trusts: every sentence true to the ledger (what is due, what was agreed,
who promised, which letters went before), nothing meant for the user, the words as a customer reads them."""

from __future__ import annotations

import email
import email.policy
import re

CREDITOR_CH = """\
creditor:
  name: Anna Beispiel Webdesign
  address: |
    Bahnhofstrasse 1
    8001 Zürich
  email: anna@example.org
  iban: CH9300762011623852957
country: CH
currency: CHF
language: de
"""

# A library with one invoice overdue and one that falls due only after the letter's date.
LIBRARY = """
customer:
  name: Stadtbibliothek Musterstadt
  kind: public
  contact: Buchhaltung
  email: buchhaltung@bibliothek.example
  address: |
    Stadtbibliothek Musterstadt
    Am Markt 1
    10115 Berlin
history:
  - {at: 2026-09-20, event: invoice, number: RE-2026-104, amount: 800.00, due: 2026-10-04}
  - {at: 2026-10-05, event: invoice, number: RE-2026-111, amount: 1547.00, due: 2026-10-19}
"""

ONE = """
customer:
  name: Becker Bau GmbH
  kind: business
  contact: Jan Becker
  email: jan@becker.example
  manager: {name: Petra Becker, role: Geschäftsführerin, email: petra@becker.example}
  address: |
    Becker Bau GmbH
    Hauptstraße 5
    10115 Berlin
history:
  - {at: 2026-09-01, event: invoice, number: RE-2026-031, amount: 1190.00, due: 2026-09-15}
"""


def _md(ledger, *args, on="2026-11-20") -> str:
    result = ledger.run("letter", *args, "--on", on)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _eml(ledger, *args, on="2026-11-20"):
    result = ledger.run("letter", *args, "--format", "eml", "--on", on)
    assert result.exit_code == 0, result.stderr
    return email.message_from_string(result.stdout, policy=email.policy.default)


# --- 1: a letter asks only for what is due on its date ---------------------------------------------

def test_a_reminder_never_demands_an_invoice_that_is_not_yet_due(ledger):
    ledger.case("lib", LIBRARY)
    text = _md(ledger, "lib", "reminder", on="2026-10-15")
    assert "**800,00 €**" in text and "2.347,00" not in text
    later = [line for line in text.splitlines() if "RE-2026-111" in line]
    assert later and all("noch nicht fällig" in line and "19. Oktober 2026" in line for line in later)
    html = ledger.run("letter", "lib", "reminder", "--format", "html", "--on", "2026-10-15").stdout
    assert "2.347,00" not in html


def test_a_ledger_template_naming_a_later_invoice_as_unpaid_is_refused(ledger):
    ledger.case("lib", LIBRARY)
    (ledger.root / "letters" / "de").mkdir(parents=True)
    (ledger.root / "letters" / "de" / "reminder.md").write_text(
        "---\nsubject: Erinnerung\n---\n{{ salutation }},\n\nnoch nicht bezahlt:\n\n"
        "{% for line in statement.lines %}- {{ line.text }}: {{ line.amount|money }}\n{% endfor %}\n"
        "Bitte zahlen Sie {{ statement.total|money }}.\n", encoding="utf-8")
    result = ledger.run("letter", "lib", "reminder", "--format", "eml", "--on", "2026-10-15")
    assert result.exit_code == 1
    assert "RE-2026-111" in result.stderr and "19 October" not in result.stderr


# --- 2 (only the letters' part): no flat-fee sentence beside a charged flat fee -------------------

def test_no_template_adds_a_flat_fee_sentence_once_the_flat_fee_is_charged(ledger):
    ledger.case("two", ONE + "  - {at: 2026-09-05, event: invoice, number: RE-2026-035, amount: 595.00, "
                             "due: 2026-09-19}\n  - {at: 2026-10-20, event: fee, amount: 80.00, "
                             "reason: flat fee for late payment (2 invoices)}\n")
    for name in ("final-notice", "statement", "dunning"):
        text = _md(ledger, "two", name)
        assert "die Verzugspauschale von" not in text.replace("\n", " "), name
        assert "Verzugspauschale von 40,00" not in text.replace("\n", " "), name


# --- 3: the dispute letter keeps to the agreed terms --------------------------------------------------

def test_dispute_letter_keeps_the_agreed_date_and_states_the_credit_once(ledger):
    ledger.case("disp", ONE + """\
  - {at: 2026-11-02, event: dispute, note: "layout broken on phones"}
  - at: 2026-11-20
    event: credit
    amount: 190.00
    reason: mobile layout
    terms: "Gutschrift von 190,00 € für das Layout. Der Restbetrag ist bis 10. Dezember 2026 zu zahlen."
""")
    text = _md(ledger, "disp", "dispute-resolution")
    assert "**10. Dezember 2026**" in text and "30. November 2026" not in text
    assert text.count("190,00") == 1


def test_a_date_agreed_for_something_else_is_not_taken_as_the_payment_date(ledger):
    ledger.case("disp", ONE + "  - {at: 2026-11-02, event: dispute, note: x}\n"
                "  - {at: 2026-11-20, event: resolved, terms: Nacharbeit am Layout bis 9. Dezember 2026}\n")
    text = _md(ledger, "disp", "dispute-resolution")
    assert "bis zum **30. November 2026**" in text


# --- 4: promises the customer made, thanks for what happened ---------------------------------------

def test_a_promise_above_the_open_amount_or_in_the_past_is_refused(ledger):
    ledger.case("one", ONE)
    before = ledger.text("one")
    too_much = ledger.run("meeting", "one", "promised", "--promise-amount", "3000", "--promise-by", "2026-12-01")
    assert too_much.exit_code == 1 and "1190.00" in too_much.stderr
    past = ledger.run("call", "one", "promised", "--promise-amount", "500", "--promise-by", "2026-11-01")
    assert past.exit_code == 1 and "2026-11-01" in past.stderr
    written = ledger.run("promise", "one", "2000", "--by", "2026-12-01")
    assert written.exit_code == 1
    assert ledger.text("one") == before


def test_down_payment_request_thanks_for_the_talk_only_after_one(ledger):
    ledger.case("one", ONE)
    text = _md(ledger, "one", "down-payment-request")
    assert "finanzielle Lage" not in text
    ledger.case("hard", ONE + "  - {at: 2026-11-18, event: call, outcome: hardship}\n")
    assert "finanzielle Lage" in _md(ledger, "hard", "down-payment-request")


# --- 5: the right person, the right greeting ------------------------------------------------------------

def test_the_promise_confirmation_goes_to_the_one_who_promised(ledger):
    ledger.case("one", ONE + "  - {at: 2026-11-19, event: call, outcome: promised, with: manager, "
                             "promise: {amount: 1190.00, by: 2026-12-01}}\n")
    msg = _eml(ledger, "one", "promise-confirmation")
    assert "petra@becker.example" in msg["To"]
    text = msg.get_body(("plain",)).get_content()
    assert "Petra Becker" in text.splitlines()[0] and "Jan Becker" not in text


def test_a_contact_with_frau_or_herr_is_greeted_formally(ledger):
    ledger.case("one", ONE.replace("contact: Jan Becker", "contact: Herr Jan Becker"))
    assert _md(ledger, "one", "reminder").splitlines()[2] == "Sehr geehrter Herr Becker,"
    assert _md(ledger, "one", "reminder", "--lang", "en").splitlines()[2] == "Dear Mr Becker,"
    ledger.case("two", ONE.replace("contact: Jan Becker", "contact: Frau Dr. Jana Becker"))
    assert _md(ledger, "two", "reminder").splitlines()[2] == "Sehr geehrte Frau Dr. Becker,"


def test_dun_new_sets_the_salutation(ledger):
    result = ledger.run("new", "kiosk", "--customer", "Kiosk Ali", "--invoice", "RE-12", "--amount", "450",
                        "--date", "2026-10-01", "--contact", "Ali Yilmaz", "--salutation", "Sehr geehrter Herr Yilmaz")
    assert result.exit_code == 0, result.stderr
    assert "salutation: Sehr geehrter Herr Yilmaz" in ledger.text("kiosk")
    assert "Sehr geehrter Herr Yilmaz," in _md(ledger, "kiosk", "reminder")


# --- 6: the user's caveats stay with the user ----------------------------------------------------------

def test_an_unconfirmed_base_rate_is_said_to_the_user_not_the_customer(ledger):
    ledger.case("one", ONE)  # in default from mid-October: the 2026-07 row of 1.52 % is unconfirmed
    for name in ("dunning", "final-notice", "statement", "installment-agreement"):
        if name == "installment-agreement":
            ledger.case("one", ONE + "  - {at: 2026-11-10, event: agreement, installments: "
                                     "[{amount: 600.00, by: 2026-12-01}, {amount: 600.00, by: 2027-01-04}]}\n")
        result = ledger.run("letter", "one", name, "--on", "2026-11-20")
        assert result.exit_code == 0, result.stderr
        assert "amtlich" not in result.stdout and "ändern" not in result.stdout, name
        assert "unconfirmed" in result.stderr or "confirm" in result.stderr
    en = ledger.run("letter", "one", "dunning", "--lang", "en", "--on", "2026-11-20").stdout
    assert "officially confirmed" not in en


# --- 7: earlier letters are named --------------------------------------------------------------------

def test_a_second_dunning_letter_names_the_first_and_a_final_notice_the_earlier_one(ledger):
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: dunning}\n"
                             "  - {at: 2026-10-20, event: letter, template: final-notice}\n")
    dunning = _md(ledger, "one", "dunning").replace("\n", " ")
    assert "meiner Mahnung vom 1. Oktober 2026" in dunning
    final = _md(ledger, "one", "final-notice").replace("\n", " ")
    assert "meiner letzten Mahnung vom 20. Oktober 2026" in final
    again = _md(ledger, "one", "dunning", on="2026-10-01")  # the re-rendering of the day it was sent
    assert "vom 1. Oktober 2026" not in again


# --- 9: words ------------------------------------------------------------------------------------------

def test_final_notice_without_legal_route_keeps_its_sentences_apart(ledger):
    ledger.case("weak", ONE.replace("history:", "evidence: weak\nhistory:").replace("1190.00", "190.00"))
    text = _md(ledger, "weak", "final-notice")
    assert not re.search(r"[a-z]\.[A-ZÄÖÜ]", text)
    assert "weitere Vorgehen." in text


def test_no_sentence_runs_into_the_next(ledger):
    ledger.case("one", ONE + "  - {at: 2026-10-01, event: letter, template: dunning}\n")
    for lang in ("de", "en"):
        for name in ("reminder", "dunning", "final-notice", "statement", "settlement-offer", "callback-request"):
            text = _md(ledger, "one", name, "--lang", lang)
            assert not re.search(r"[a-z]\.[A-ZÄÖÜ]|\)[A-Za-z]", text), (lang, name, text)


def test_several_items_are_not_called_the_following_invoice(ledger):
    ledger.case("two", ONE.replace("kind: business", "kind: corporate")
                + "  - {at: 2026-09-05, event: invoice, number: RE-2026-035, amount: 595.00, due: 2026-09-19}\n")
    text = _md(ledger, "two", "reminder")
    assert "die folgende Rechnung" not in text and "folgenden" in text


def test_swiss_letters_write_ss_in_the_address_and_on_the_qr_bill(ledger):
    import base64

    (ledger.root / "dun.yaml").write_text(CREDITOR_CH, encoding="utf-8")
    ledger.case("ch", ONE.replace("Hauptstraße 5", "Seestraße 12a").replace("10115 Berlin", "8002 Zürich"))
    for lang in ("de", "en"):
        page = ledger.run("letter", "ch", "dunning", "--format", "html", "--lang", lang).stdout
        assert "Seestrasse 12a" in page and "Seestraße" not in page
        bill = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)).decode()
        assert "Seestrasse" in bill and "Seestraße" not in bill


def test_the_agreement_names_the_debtor_once_and_promises_no_change(ledger):
    ledger.case("at", ONE.replace("Geschäftsführerin", "Komplementärin") + "  - {at: 2026-11-10, event: agreement, "
                "installments: [{amount: 600.00, by: 2026-12-01}, {amount: 590.00, by: 2027-01-04}]}\n")
    text = _md(ledger, "at", "installment-agreement")
    assert "(Komplementärin) (Schuldner)" not in text.replace("\n", " ")
    assert "(Schuldner)" in text and "ändern" not in text
    assert "\n\n**1. Anerkenntnis.**" in text and "\n\nund **Becker Bau GmbH** (Schuldner)" in text


def test_the_agreement_by_e_mail_carries_the_pdf_to_sign(ledger):
    ledger.case("one", ONE + "  - {at: 2026-11-10, event: agreement, installments: "
                             "[{amount: 600.00, by: 2026-12-01}, {amount: 590.00, by: 2027-01-04}]}\n")
    msg = _eml(ledger, "one", "installment-agreement")
    pdfs = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
    assert "Anhang" in msg.get_body(("plain",)).get_content()


def test_plain_text_never_splits_an_iban(ledger):
    ledger.case("one", ONE)
    for name in ("dunning", "installment-agreement", "statement"):
        if name == "installment-agreement":
            ledger.case("one", ONE + "  - {at: 2026-11-10, event: agreement, installments: "
                                     "[{amount: 600.00, by: 2026-12-01}, {amount: 590.00, by: 2027-01-04}]}\n")
        text = _eml(ledger, "one", name).get_body(("plain",)).get_content()
        starts = [m.start() for m in re.finditer("DE02", text)]
        assert starts and all(text[at:].startswith("DE02 1203 0000 0000 2020 51") for at in starts), name
