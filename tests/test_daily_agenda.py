"""The agenda's judgement after a kept part promise, a signature in the post, a settled dispute, a missed
instalment of a private customer, and business calls on a Monday (issue 22, item 2)."""

from __future__ import annotations

import json

ACME = """
customer:
  name: ACME GmbH
  kind: business
  contact: Erika Muster
  email: erika@acme.example
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
"""

PRIVATE = """
customer:
  name: Jonas Bohnenkamp
  kind: private
  email: jonas@example.org
  address: |
    Jonas Bohnenkamp
    Gartenstr. 4
    10115 Berlin
history:
  - at: 2026-08-01
    event: invoice
    number: RE-2026-008
    amount: 900.00
    due: 2026-08-15
"""


def agenda(ledger, on: str) -> list[tuple[str, str]]:
    result = ledger.run("today", "--json", on=on)
    assert result.exit_code == 0, result.output
    return [(i["case"], i["action"]) for i in json.loads(result.stdout)]


def items(ledger, on: str) -> dict:
    result = ledger.run("today", "--json", on=on)
    return {i["action"]: i for i in json.loads(result.stdout)}


def test_no_formal_letter_right_after_a_kept_part_promise(ledger):
    ledger.case("acme", ACME + """
  - at: 2026-11-03 10:00
    event: call
    outcome: promised
    promise: {amount: 400.00, by: 2026-11-13}
  - at: 2026-11-03
    event: letter
    template: promise-confirmation
  - at: 2026-11-12
    event: payment
    amount: 400.00
""")
    for day in ("2026-11-13", "2026-11-16", "2026-11-19"):
        assert ("acme", "dunning_letter") not in agenda(ledger, day), day
    due = items(ledger, "2026-11-20")["dunning_letter"]
    assert due["due"] == "2026-11-20" and "part payment" in due["reason"]


AGREED = PRIVATE + """
  - at: 2026-09-10 19:00
    event: call
    outcome: hardship
  - at: 2026-09-10
    event: agreement
    installments:
      - {amount: 300.00, by: 2026-10-01}
      - {amount: 300.00, by: 2026-11-01}
      - {amount: 300.00, by: 2026-12-01}
  - at: 2026-09-10
    event: letter
    template: installment-agreement
"""


def test_chase_signature_waits_after_they_said_it_is_in_the_post(ledger):
    ledger.case("bohnen", AGREED)
    assert ("bohnen", "chase_signature") in agenda(ledger, "2026-09-17")
    result = ledger.run("call", "bohnen", "reached", "--note", "signed, in the post", on="2026-09-17")
    assert result.exit_code == 0, result.output
    for day in ("2026-09-18", "2026-09-21", "2026-09-23"):
        assert ("bohnen", "chase_signature") not in agenda(ledger, day), day
    again = items(ledger, "2026-09-24")["chase_signature"]
    assert "signed, in the post" in again["reason"]
    assert ledger.run("signed", "bohnen", on="2026-09-25").exit_code == 0
    assert ("bohnen", "chase_signature") not in agenda(ledger, "2026-09-25")


def test_a_note_that_it_is_signed_counts_too(ledger):
    ledger.case("bohnen", AGREED)
    assert ledger.run("note", "bohnen", "Er hat unterschrieben, kommt per Post", on="2026-09-18").exit_code == 0
    assert ("bohnen", "chase_signature") not in agenda(ledger, "2026-09-19")


SIGNED = AGREED + """
  - at: 2026-09-20
    event: signed
"""


def test_one_missed_instalment_of_a_private_customer_is_not_the_whole_rest(ledger):
    ledger.case("bohnen", SIGNED + """
  - at: 2026-09-30
    event: payment
    amount: 300.00
""")
    missed = items(ledger, "2026-11-05")["installment_missed"]
    assert "whole rest is now due" not in missed["reason"]
    assert "two missed instalments" in missed["reason"] and "two-week" in missed["reason"]
    assert ledger.run("call", "bohnen", "reached", "--note", "pays next week", on="2026-11-05").exit_code == 0
    for day in ("2026-11-05", "2026-11-06", "2026-11-20", "2026-12-04"):
        actions = [a for _, a in agenda(ledger, day)]
        assert "final_notice" not in actions and "dunning_letter" not in actions, (day, actions)
    notice = items(ledger, "2026-12-05")["final_notice"]  # the second instalment's day + 3 + 1
    assert "two missed instalments" in notice["reason"] and "two-week grace period" in notice["reason"]


def test_a_business_keeps_its_own_clause(ledger):
    ledger.case("acme", ACME + """
  - at: 2026-10-20 10:00
    event: call
    outcome: hardship
  - at: 2026-10-20
    event: agreement
    installments:
      - {amount: 595.00, by: 2026-11-01}
      - {amount: 595.00, by: 2026-12-01}
""")
    missed = items(ledger, "2026-11-05")["installment_missed"]
    assert "more than 14 days late" in missed["reason"]


def test_the_dispute_resolution_letter_comes_after_resolve(ledger):
    ledger.case("acme", ACME + """
  - at: 2026-11-03 10:00
    event: call
    outcome: disputed
    note: the contact form does not send
""")
    assert ("acme", "resolve_dispute") in agenda(ledger, "2026-11-03")
    result = ledger.run("resolve", "acme", "--terms", "Das Kontaktformular ist repariert.", on="2026-11-10")
    assert result.exit_code == 0, result.output
    letter = items(ledger, "2026-11-10")["confirm_resolution"]
    assert letter["template"] == "dispute-resolution" and letter["channel"] == "letter"
    assert ledger.run("sent", "acme", "dispute-resolution", on="2026-11-10").exit_code == 0
    assert ("acme", "confirm_resolution") not in agenda(ledger, "2026-11-11")


def test_resolve_without_terms_says_how_to_get_the_letter(ledger):
    ledger.case("acme", ACME + """
  - at: 2026-11-03 10:00
    event: call
    outcome: disputed
""")
    result = ledger.run("resolve", "acme", on="2026-11-10")
    assert result.exit_code == 0 and "--terms" in result.output
    assert ("acme", "confirm_resolution") not in agenda(ledger, "2026-11-10")


def test_austria_waits_six_weeks(ledger):
    from tests.conftest import DUN_YAML

    (ledger.root / "dun.yaml").write_text(DUN_YAML.replace("country: DE\nregion: BE\n", "country: AT\n"))
    ledger.case("bohnen", SIGNED)
    assert ledger.run("call", "bohnen", "reached", on="2026-10-05").exit_code == 0
    assert "final_notice" not in [a for _, a in agenda(ledger, "2026-11-10")]
    assert "final_notice" in [a for _, a in agenda(ledger, "2026-11-12")]
