"""An instalment plan kept to the end settles the claim, as clause 4 of dun's own agreement promises."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.test_letter_sums import ACCRUED, CUSTOMER

# default from 2026-09-16 (due 2026-09-15, agreed); the plan covers the invoice, not the interest up to
# 2026-10-01, which clause 4 waives if every payment comes in time
PLAN = CUSTOMER + """\
  - at: 2026-10-01
    event: agreement
    down_payment: {amount: 190.00, by: 2026-10-05}
    installments:
      - {amount: 500.00, by: 2026-11-05}
      - {amount: 500.00, by: 2026-12-05}
  - {at: 2026-10-02, event: signed}
"""


def run(ledger, *args, on="2026-12-20"):
    result = ledger.run(*args, on=on)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def show(ledger, on="2026-12-20") -> dict:
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
    plan.case("plan", PLAN + payments("2026-10-05", "2026-11-04", "2026-12-04"))
    before = show(plan, on="2026-11-10")
    assert before["status"] == "agreement" and Decimal(before["open"]) > Decimal("500.00")  # interest owed meanwhile
    after = show(plan)
    assert after["status"] == "settled" and after["open"] == "0.00"
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert statement["total"] == "0.00" and statement["claimable_flat_fee"] == "0.00"  # clause 4: no costs either
    waiver = [x for x in statement["lines"] if x["kind"] == "waiver"]
    assert len(waiver) == 1 and waiver[0]["date"] == "2026-12-04" and Decimal(waiver[0]["amount"]) < 0
    assert waiver[0]["text"] == "waived under the agreement of 2026-10-01"
    assert "interest" not in [x["kind"] for x in statement["lines"] if x["date"] > "2026-12-04"]
    actions = json.loads(run(plan, "today", "--json", "--ahead", "30"))
    assert [a["action"] for a in actions if a["case"] == "plan"] in ([], ["thank_customer"])  # no chase for the rest
    refused = plan.run("letter", "plan", "dunning", on="2026-12-20")
    assert refused.exit_code == 1 and "nothing of plan is due" in refused.stderr


def test_a_payment_within_the_fortnight_of_clause_5_still_keeps_the_plan(plan):
    plan.case("plan", PLAN + payments("2026-10-05", "2026-11-19", "2026-12-04"))  # 14 days after 2026-11-05
    assert show(plan)["status"] == "settled"


def test_a_payment_later_than_clause_5_allows_leaves_the_interest_owed(plan):
    plan.case("plan", PLAN + payments("2026-10-05", "2026-11-20", "2026-12-04"))  # 15 days after 2026-11-05
    found = show(plan)
    assert found["status"] == "open" and Decimal(found["open"]) > 0
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert "waiver" not in [x["kind"] for x in statement["lines"]]


def test_a_plan_not_yet_paid_in_full_waives_nothing(plan):
    plan.case("plan", PLAN + payments("2026-10-05", "2026-11-04"))
    found = show(plan, on="2026-11-20")
    assert found["status"] == "agreement" and Decimal(found["open"]) > Decimal("500.00")


def test_the_statement_letter_names_the_waiver_in_the_letters_language(plan):
    plan.case("plan", PLAN + payments("2026-10-05", "2026-11-04", "2026-12-04"))
    de = plan.run("letter", "plan", "statement", on="2026-12-04")
    assert de.exit_code == 1 and "nothing of plan is due" in de.stderr  # settled: no statement to pay
    thanks = run(plan, "letter", "plan", "payment-thanks", on="2026-12-04")
    assert "vollständig bezahlt" in thanks and "nichts mehr offen" in thanks


def test_a_plan_that_covers_everything_leaves_nothing_to_waive(plan):
    text = PLAN.replace("amount: 500.00, by: 2026-12-05", "amount: 520.00, by: 2026-12-05")  # the interest too
    last = "  - {at: 2026-12-04, event: payment, amount: 520.00}\n"
    plan.case("plan", text + payments("2026-10-05", "2026-11-04") + last)
    statement = json.loads(run(plan, "statement", "plan", "--json"))
    assert [x for x in statement["lines"] if x["kind"] == "waiver"] == []
