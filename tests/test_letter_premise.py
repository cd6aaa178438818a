"""A letter whose premise the ledger contradicts is refused, in every format, with the reason."""

from __future__ import annotations

import pytest

from tests.test_letter_sums import CUSTOMER

CASE = CUSTOMER  # Muster KG, RE-2026-031 of 1,190.00 due 2026-09-15


def letter(ledger, name: str, on: str, *more: str):
    return ledger.run("letter", "muster", name, *more, on=on)


@pytest.mark.parametrize("name", ["reminder", "dunning", "final-notice", "statement", "callback-request",
                                  "settlement-offer", "payment-proposal", "down-payment-request"])
def test_nothing_is_asked_for_before_the_invoice_falls_due(ledger, name):
    ledger.case("muster", CASE)
    early = letter(ledger, name, "2026-09-10")
    assert early.exit_code == 1 and early.stdout == ""
    assert (f"no {name} letter: nothing of muster is due on 2026-09-10 (RE-2026-031 falls due on 2026-09-15)"
            in early.stderr)
    assert "0,00" not in early.stdout
    due = letter(ledger, name, "2026-10-20")
    assert due.exit_code == 0, due.stderr
    assert "1.190,00 €" in due.stdout


def test_a_settlement_offer_never_offers_to_settle_for_nothing(ledger):
    ledger.case("muster", CASE)
    for fmt in ("md", "html", "eml"):
        refused = letter(ledger, "settlement-offer", "2026-09-10", "--format", fmt)
        assert refused.exit_code == 1 and "einmalig" not in refused.stdout


def test_an_instalment_agreement_may_be_made_before_the_due_date(ledger):
    ledger.case("muster", CASE + """\
  - at: 2026-09-10
    event: agreement
    installments:
      - {amount: 590.00, by: 2026-10-15}
      - {amount: 600.00, by: 2026-11-15}
""")
    made = letter(ledger, "installment-agreement", "2026-09-10")
    assert made.exit_code == 0, made.stderr
    assert "590,00 €" in made.stdout


@pytest.mark.parametrize("name", ["reminder", "dunning", "final-notice", "callback-request"])
def test_a_disputed_claim_is_not_chased_until_the_dispute_is_resolved(ledger, name):
    ledger.case("muster", CASE + """\
  - {at: 2026-10-01, event: dispute, note: says the shop never went live}
""")
    refused = letter(ledger, name, "2026-10-20")
    assert refused.exit_code == 1
    assert f"no {name} letter: muster is disputed since 2026-10-01" in refused.stderr
    assert "dun resolve muster" in refused.stderr
    ledger.case("muster", CASE + """\
  - {at: 2026-10-01, event: dispute, note: says the shop never went live}
  - {at: 2026-10-05, event: resolved, terms: the shop went live on 2026-10-04}
""")
    assert letter(ledger, name, "2026-10-20").exit_code == 0


def test_a_claim_on_hold_is_not_chased_before_the_hold_ends(ledger):
    ledger.case("muster", CASE + """\
  - {at: 2026-10-01, event: hold, until: 2026-10-31, reason: owner in hospital}
""")
    refused = letter(ledger, "final-notice", "2026-10-20")
    assert refused.exit_code == 1
    assert "muster is on hold until 2026-10-31 (owner in hospital)" in refused.stderr
    assert letter(ledger, "final-notice", "2026-11-02").exit_code == 0
    assert letter(ledger, "statement", "2026-10-20").exit_code == 0  # a statement of account is no chase


def test_a_promise_is_confirmed_while_it_runs_and_not_after(ledger):
    ledger.case("muster", CASE + """\
  - at: 2026-10-01 10:00
    event: call
    outcome: promised
    promise: {amount: 1190.00, by: 2026-10-10}
""")
    made = letter(ledger, "promise-confirmation", "2026-10-01")
    assert made.exit_code == 0, made.stderr
    assert "10. Oktober 2026" in made.stdout
    broken = letter(ledger, "promise-confirmation", "2026-10-20")
    assert broken.exit_code == 1
    assert "the promise of 1190.00 EUR by 2026-10-10 ran out on 2026-10-10 without the money" in broken.stderr


def test_a_down_payment_that_was_paid_is_not_asked_for_again(ledger):
    plan = CASE + """\
  - at: 2026-10-01
    event: agreement
    down_payment: {amount: 300.00, by: 2026-10-05}
    installments:
      - {amount: 890.00, by: 2026-11-05}
"""
    ledger.case("muster", plan)
    asked = letter(ledger, "down-payment-request", "2026-10-02")
    assert asked.exit_code == 0 and "300,00 €" in asked.stdout
    ledger.case("muster", plan + "  - {at: 2026-10-04, event: payment, amount: 300.00}\n")
    again = letter(ledger, "down-payment-request", "2026-11-20")  # the plan broke: a new proposal, not the 300
    assert again.exit_code == 0, again.stderr
    assert "300,00 €" not in again.stdout and "180,00 €" in again.stdout  # a fifth of 890.00 and interest, in tens


def test_an_agreement_signed_at_once_is_not_sent_for_signature(ledger):
    ledger.case("muster", CASE + """\
  - at: 2026-10-21
    event: agreement
    installments:
      - {amount: 595.00, by: 2026-11-20}
      - {amount: 595.00, by: 2026-12-20}
  - {at: 2026-10-21, event: signed}
""")
    actions = ledger.run("today", "--json", on="2026-10-21").stdout
    assert "installment-agreement" not in actions
    out = ledger.run("outbox", "--dir", str(ledger.root / "out"), on="2026-10-21")
    assert out.exit_code == 0, out.output


@pytest.mark.parametrize(("history", "said"), [("", False),
                                               ("  - {at: 2026-09-20, event: letter, template: reminder}\n", True)])
def test_the_thank_you_letter_speaks_of_reminders_only_when_there_were_some(ledger, history, said):
    ledger.case("muster", CASE + history + "  - {at: 2026-10-02, event: payment, amount: 1190.00}\n")
    for lang, sentence in (("de", "Meine Erinnerungen haben sich damit erledigt."),
                           ("en", "My reminders are settled with this.")):
        thanks = letter(ledger, "payment-thanks", "2026-10-05", "--lang", lang)
        assert thanks.exit_code == 0, thanks.stderr
        assert (sentence in thanks.stdout) is said


@pytest.mark.parametrize(("salutation", "lang", "expected"), [
    ("Sehr geehrte Frau Muster", "en", "Dear Ms Muster,"),
    ("Sehr geehrter Herr Dr. Becker", "en", "Dear Dr. Becker,"),
    ("Liebe Frau Korn", "en", "Dear Ms Korn,"),
    ("Hallo Erika", "en", "Dear Erika Muster,"),  # nothing to read: the contact's name
    ("Sehr geehrte Frau Muster", "de", "Sehr geehrte Frau Muster,"),
])
def test_a_salutation_is_carried_over_to_a_letter_in_the_other_language(ledger, salutation, lang, expected):
    contact = "  contact: Erika Muster\n"
    ledger.case("muster", CASE.replace(contact, f"{contact}  salutation: {salutation}\n"))
    text = letter(ledger, "reminder", "2026-10-20", "--lang", lang)
    assert text.exit_code == 0, text.stderr
    assert text.stdout.split("\n")[2] == expected, text.stdout


def test_the_statement_writes_every_minus_the_same_way(ledger):
    ledger.case("muster", CASE + """\
  - {at: 2026-10-01, event: payment, amount: 100.00}
  - at: 2026-10-10
    event: invoice
    number: RE-2026-040
    amount: 600.00
    due: 2026-11-09
""")
    text = letter(ledger, "statement", "2026-10-20").stdout
    assert "| -100,00 € |" in text and "| -600,00 € |" in text  # a payment, and an invoice not yet due
    assert "\u2212" not in text
