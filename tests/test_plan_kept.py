"""An instalment plan kept to the end settles the claim, as clause 4 of dun's own agreement promises."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.test_letter_sums import ACCRUED, CUSTOMER

# in default from 2026-10-16 (30 days after the invoice); the plan covers the invoice, not the interest
# up to 2026-10-31, which clause 4 waives if every payment comes in time, with any interest for its term
PLAN = CUSTOMER + """\
  - at: 2026-11-01
    event: agreement
    down_payment: {amount: 190.00, by: 2026-11-05}
    installments:
      - {amount: 500.00, by: 2026-12-05}
      - {amount: 500.00, by: 2027-01-05}
  - {at: 2026-11-02, event: signed}
"""


def run(ledger, *args, on="2027-01-20"):
    result = ledger.run(*args, on=on)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def show(ledger, on="2027-01-20") -> dict:
    return json.loads(run(ledger, "show", "plan", "--json", on=on))


def payments(*days: str) -> str:
    amounts = ("190.00", "500.00", "500.00")[:len(days)]
    return "".join(f"  - {{at: {day}, event: payment, amount: {amount}}}\n"
                   for day, amount in zip(days, amounts, strict=True))


@pytest.fixture
def plan(ledger):
    ledger.config(ACCRUED)
    return ledger


def test_a_plan_paid_in_time_settles_the_case_and_waives_the_rest(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-04", "2027-01-04"))
    before = show(plan, on="2026-12-10")
    assert before["status"] == "agreement" and Decimal(before["open"]) > Decimal("500.00")  # interest owed meanwhile
    after = show(plan)
    assert after["status"] == "settled" and after["open"] == "0.00"
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert statement["total"] == "0.00" and statement["claimable_flat_fee"] == "0.00"  # clause 4: no costs either
    waiver = [x for x in statement["lines"] if x["kind"] == "waiver"]
    assert len(waiver) == 1 and waiver[0]["date"] == "2027-01-04" and Decimal(waiver[0]["amount"]) < 0
    assert waiver[0]["text"] == "waived under the agreement of 2026-11-01"
    assert "interest" not in [x["kind"] for x in statement["lines"] if x["date"] > "2026-10-31"]
    actions = json.loads(run(plan, "today", "--json", "--ahead", "30"))
    assert [a["action"] for a in actions if a["case"] == "plan"] in ([], ["thank_customer"])  # no chase for the rest
    refused = plan.run("letter", "plan", "dunning", on="2027-01-20")
    assert refused.exit_code == 1 and "nothing of plan is due" in refused.stderr


def test_a_payment_within_the_fortnight_of_clause_5_still_keeps_the_plan(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-19", "2027-01-04"))  # 14 days after 2026-12-05
    assert show(plan)["status"] == "settled"


def test_a_payment_later_than_clause_5_allows_leaves_the_interest_owed(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-20", "2027-01-04"))  # 15 days after 2026-12-05
    found = show(plan)
    assert found["status"] == "open" and Decimal(found["open"]) > 0
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert "waiver" not in [x["kind"] for x in statement["lines"]]


def test_a_plan_not_yet_paid_in_full_waives_nothing(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-04"))
    found = show(plan, on="2026-12-20")
    assert found["status"] == "agreement" and Decimal(found["open"]) > Decimal("500.00")


def test_the_statement_letter_names_the_waiver_in_the_letters_language(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-04", "2027-01-04"))
    de = plan.run("letter", "plan", "statement", on="2027-01-04")
    assert de.exit_code == 1 and "nothing of plan is due" in de.stderr  # settled: no statement to pay
    thanks = run(plan, "letter", "plan", "payment-thanks", on="2027-01-04")
    assert "vollständig bezahlt" in thanks and "nichts mehr offen" in thanks


def test_a_plan_that_covers_everything_leaves_nothing_to_waive(plan):
    text = PLAN.replace("amount: 500.00, by: 2027-01-05", "amount: 520.00, by: 2027-01-05")  # the interest too
    last = "  - {at: 2027-01-04, event: payment, amount: 520.00}\n"
    plan.case("plan", text + payments("2026-11-05", "2026-12-04") + last)
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert [x for x in statement["lines"] if x["kind"] == "waiver"] == []


KEPT = PLAN + payments("2026-11-05", "2026-12-04", "2027-01-04")
LATER = """\
  - at: 2027-01-10
    event: invoice
    number: RE-2027-001
    amount: 800.00
    due: 2027-01-24
"""  # an invoice after the plan was kept


def test_an_invoice_after_the_plan_is_owed_in_full(plan):
    plan.case("plan", KEPT + LATER)
    found = show(plan, on="2027-03-01")
    assert found["status"] == "open" and Decimal(found["open"]) > Decimal("800.00")  # with its own interest
    statement = json.loads(run(plan, "statement", "plan", "--json", on="2027-03-01"))
    waiver = [x for x in statement["lines"] if x["kind"] == "waiver"]
    assert len(waiver) == 1 and Decimal(waiver[0]["amount"]) > Decimal("-20.00")  # RE-2026-031's rest only


def test_an_invoice_not_yet_due_when_the_plan_was_made_is_not_waived(plan):
    plan.case("plan", CUSTOMER + """\
  - at: 2026-10-20
    event: invoice
    number: RE-2026-040
    amount: 600.00
    due: 2026-11-20
""" + PLAN[len(CUSTOMER):] + payments("2026-11-05", "2026-12-04", "2027-01-04"))
    found = show(plan)
    assert Decimal(found["open"]) >= Decimal("600.00") and found["status"] != "settled"


def test_a_later_agreement_keeps_the_waiver_of_a_plan_kept_before(plan):
    plan.case("plan", KEPT + LATER + """\
  - at: 2027-02-01
    event: agreement
    installments:
      - {amount: 400.00, by: 2027-03-01}
      - {amount: 400.00, by: 2027-04-01}
""")
    statement = json.loads(run(plan, "statement", "plan", "--json", on="2027-02-01"))
    assert [x["date"] for x in statement["lines"] if x["kind"] == "waiver"] == ["2027-01-04"]
    assert Decimal(statement["total"]) < Decimal("820.00")  # RE-2027-001 and its interest, not RE-2026-031 again


def test_a_credit_during_the_plan_counts_towards_it(plan):
    plan.case("plan", PLAN + payments("2026-11-05", "2026-12-04") + """\
  - {at: 2026-12-20, event: credit, amount: 100.00, reason: goodwill}
  - {at: 2027-01-04, event: payment, amount: 400.00}
""")
    assert show(plan)["status"] == "settled"
