"""Money and law against hand-computed figures; each test states its derivation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from receivables_cli.money.law import court_fee_de, dunning_court_fee_de, payment_order_fee_ch
from tests.conftest import DUN_YAML

D = Decimal


def case(ledger, events: str, kind: str = "business", evidence: str = "strong") -> None:
    body = "\n".join("  " + line for line in events.strip("\n").splitlines())
    ledger.case("c", f"customer:\n  name: X\n  kind: {kind}\nevidence: {evidence}\nhistory:\n{body}\n")


def statement(ledger, on: str) -> dict:
    result = ledger.run("statement", "c", "--json", "--on", on)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def interest_lines(data: dict) -> list[tuple[str, str]]:
    return [(x["text"], x["amount"]) for x in data["lines"] if x["kind"] == "interest"]


UNCONFIRMED_NOTE = ("the base rate 1.52 % from 2026-07-01 (DE) is not confirmed from a primary source (secondary "
                    "sources only; confirm with the Bundesbank (dun rates import) or override under base_rates: in "
                    "dun.yaml); figures using it may change")
INVOICE = "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 1190.00\n  due: 2026-10-15\n"


def test_contract_example_b2b_rate_and_thirty_day_rule(ledger):
    # 30-day rule: later of due 15 Oct and receipt 4 Oct, + 30 = Sat 14 Nov, -> Mon 16 Nov (§193), + 1 = 17 Nov
    # 690 x (1.52 + 9) % x 6 / 365 = 1.1933 -> 1.19
    case(ledger, INVOICE + "- at: 2026-11-10\n  event: payment\n  amount: 500.00\n")
    data = statement(ledger, "2026-11-22")
    assert data == {
        "case": "c", "on": "2026-11-22", "currency": "EUR", "default_from": "2026-11-17",
        "lines": [{"date": "2026-10-01", "kind": "invoice", "text": "RE-1", "amount": "1190.00"},
                  {"date": "2026-11-10", "kind": "payment", "text": "", "amount": "-500.00"},
                  {"date": "2026-11-22", "kind": "interest", "text": "2026-11-17..2026-11-22, 10.52 %",
                   "amount": "1.19"}],
        "principal_open": "690.00", "charged_open": "0.00", "interest_accrued": "1.19",
        "claimable_flat_fee": "40.00", "total": "691.19",
        # added keys: the 1.52 % from 2026-07-01 is unconfirmed (law.md), and the flat fee's legal basis
        "notes": [UNCONFIRMED_NOTE], "flat_fee_basis": "§288(5) BGB",
        # each open invoice's limitation (§§195, 199 BGB: the end of 2026 + 3 years; the payment of 2026-11-10
        # would restart it only to 2029-11-10, earlier)
        "limitation": [{"invoice": "RE-1", "time_barred_after": "2029-12-31", "acknowledged": None,
                        "time_barred": False}]}


def test_consumer_rate_and_default_by_a_letter(ledger):
    # private: no 30-day rule without the notice; the dunning letter of Tue 20 Oct grants a deadline of
    # 20 Oct + 10 = Fri 30 Oct (a working day in Berlin), so default begins the day after: 31 Oct (§286(1))
    # 1190 x (1.52 + 5) % x 23 / 365 (31 Oct..22 Nov) = 4.8891 -> 4.89
    case(ledger, INVOICE + "- at: 2026-10-20\n  event: letter\n  template: dunning\n", kind="private")
    data = statement(ledger, "2026-11-22")
    assert data["default_from"] == "2026-10-31"
    assert interest_lines(data) == [("2026-10-31..2026-11-22, 6.52 %", "4.89")]
    assert data["claimable_flat_fee"] == "0.00"  # no flat fee from a consumer


def test_default_by_a_letter_starts_after_its_deadline_on_a_working_day(ledger):
    # reminder of Tue 15 Dec 2026: 15 Dec + 10 = Fri 25 Dec (Christmas), Sat 26 Dec (holiday), Sun 27 Dec,
    # so the deadline the letter states is Mon 28 Dec and default begins on 29 Dec, not at receipt (19 Dec)
    case(ledger, "- at: 2026-12-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-12-10\n"
                 "- at: 2026-12-15\n  event: letter\n  template: reminder\n", kind="private")
    data = statement(ledger, "2026-12-31")
    assert data["default_from"] == "2026-12-29"
    # 1000 x 6.52 % x 3 / 365 (29..31 Dec) = 0.5359 -> 0.54
    assert interest_lines(data) == [("2026-12-29..2026-12-31, 6.52 %", "0.54")]


def test_default_by_letter_follows_policy_deadline_days(ledger):
    # letter_deadline_days: 5 -> Tue 20 Oct + 5 = Sun 25 Oct -> Mon 26 Oct; default from 27 Oct
    ledger.config("policy:\n  letter_deadline_days: 5\n")
    case(ledger, INVOICE + "- at: 2026-10-20\n  event: letter\n  template: dunning\n", kind="private")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-10-27"


def test_thirty_day_rule_still_wins_when_earlier_than_the_letter_deadline(ledger):
    # business: 30-day rule gives 17 Nov (see the contract example); a dunning letter of Tue 10 Nov
    # grants a deadline to Fri 20 Nov (default 21 Nov): the earlier start stands
    case(ledger, INVOICE + "- at: 2026-11-10\n  event: letter\n  template: dunning\n")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-11-17"


def test_fixed_due_date_still_wins_over_a_letter(ledger):
    # fixed due 30 Sep: default from 1 Oct whatever a letter of 5 Oct says (§286(2) no. 1)
    case(ledger, FIXED + "- at: 2026-10-05\n  event: letter\n  template: reminder\n", kind="private")
    assert statement(ledger, "2026-10-20")["default_from"] == "2026-10-01"


def test_switzerland_default_after_the_deadline_the_dunning_letter_grants(ledger):
    # OR 102(1), the cautious reading (law.md ⚠): a dunning letter that grants a deadline puts the debtor in
    # default after it: Tue 20 Oct + 10 days = Fri 30 Oct, a working day; default from Sat 31 Oct
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, INVOICE + "- at: 2026-10-20\n  event: letter\n  template: dunning\n")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-10-31"


def test_consumer_thirty_day_rule_only_with_the_notice(ledger):
    case(ledger, INVOICE, kind="private")
    assert statement(ledger, "2026-11-22")["default_from"] is None
    ledger.config("consumer_30_day_notice: true\n")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-11-17"


def test_fixed_due_date_and_a_period_across_1_july(ledger):
    # fixed due Fri 19 Jun: default from 20 Jun
    # 10000 x (1.27 + 9) % x 11 / 365 (20..30 Jun) = 30.9507 -> 30.95
    # 10000 x (1.52 + 9) % x 10 / 365 (1..10 Jul)  = 28.8219 -> 28.82
    case(ledger, "- at: 2026-06-01\n  event: invoice\n  number: RE-1\n  amount: 10000\n  due: 2026-06-19\n"
                 "  fixed_due: true\n")
    data = statement(ledger, "2026-07-10")
    assert data["default_from"] == "2026-06-20"
    assert interest_lines(data) == [("2026-06-20..2026-06-30, 10.27 %", "30.95"),
                                    ("2026-07-01..2026-07-10, 10.52 %", "28.82")]
    assert data["interest_accrued"] == "59.77"


FIXED = "- at: 2026-09-01\n  event: invoice\n  number: RE-1\n  amount: 10000\n  due: 2026-09-30\n  fixed_due: true\n"


def test_part_payment_in_the_middle_of_a_period(ledger):
    # 10000 x 10.52 % x 10 / 365 (1..10 Oct) = 28.8219 -> 28.82
    #  6000 x 10.52 % x 10 / 365 (11..20 Oct) = 17.2932 -> 17.29 (the payment day counts on the new principal)
    case(ledger, FIXED + "- at: 2026-10-11\n  event: payment\n  amount: 4000\n")
    assert interest_lines(statement(ledger, "2026-10-20")) == [("2026-10-01..2026-10-10, 10.52 %", "28.82"),
                                                               ("2026-10-11..2026-10-20, 10.52 %", "17.29")]


def test_allocation_costs_then_interest_then_principal(ledger):
    # payment 100: fee 40, then charged interest 5.00, then 55 of principal -> 945 open
    # accrued after the charge of 10 Oct: 1000 x 10.52 % x 4 / 365 (11..14 Oct) = 1.1529 -> 1.15
    #                                      945 x 10.52 % x 6 / 365 (15..20 Oct) = 1.6342 -> 1.63
    case(ledger, FIXED.replace("10000", "1000") + "- at: 2026-10-05\n  event: fee\n  amount: 40\n  reason: flat fee\n"
                 "- at: 2026-10-10\n  event: interest\n  amount: 5.00\n- at: 2026-10-15\n  event: payment\n"
                 "  amount: 100\n")
    data = statement(ledger, "2026-10-20")
    assert (data["principal_open"], data["charged_open"]) == ("945.00", "0.00")
    assert interest_lines(data)[-2:] == [("2026-10-11..2026-10-14, 10.52 %", "1.15"),
                                         ("2026-10-15..2026-10-20, 10.52 %", "1.63")]
    assert data["total"] == "947.78"
    assert data["claimable_flat_fee"] == "0.00"  # charged already


def test_payment_named_invoice_and_per_invoice_interest(ledger):
    case(ledger, FIXED + "- at: 2026-09-02\n  event: invoice\n  number: RE-2\n  amount: 500\n  due: 2026-09-30\n"
                 "  fixed_due: true\n- at: 2026-10-05\n  event: payment\n  amount: 500\n  invoice: RE-2\n")
    data = statement(ledger, "2026-10-10")
    # RE-2: 500 x 10.52 % x 4 / 365 (1..4 Oct) = 0.5764 -> 0.58; RE-1 untouched: 10000 x 10.52 % x 10/365 = 28.82
    assert interest_lines(data) == [("RE-2 2026-10-01..2026-10-04, 10.52 %", "0.58"),
                                    ("RE-1 2026-10-01..2026-10-10, 10.52 %", "28.82")]
    assert data["claimable_flat_fee"] == "80.00"  # two invoices in default


def test_switzerland_five_percent_days_360(ledger):
    # 1000 x 5 % x 29 / 360 (1..29 Oct) = 4.0278 -> 4.03; no flat fee in CH
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, FIXED.replace("10000", "1000"))
    data = statement(ledger, "2026-10-29")
    assert interest_lines(data) == [("2026-10-01..2026-10-29, 5.00 %", "4.03")]
    assert (data["currency"], data["claimable_flat_fee"]) == ("CHF", "0.00")


def test_base_rate_override_and_warning_beyond_the_table(ledger):
    case(ledger, FIXED)
    result = ledger.run("statement", "c", "--json", "--on", "2027-01-10")
    assert "base-rate table ends with 1.52 % from 2026-07-01" in result.stderr
    ledger.config("base_rates:\n  2027-01-01: 2.00\n")
    result = ledger.run("statement", "c", "--json", "--on", "2027-01-10")
    assert result.stderr == f"warning: {UNCONFIRMED_NOTE}\n"  # the 2026 part still rests on 1.52 %
    # 10000 x 11.00 % x 10 / 365 (1..10 Jan 2027) = 30.1370 -> 30.14
    assert interest_lines(json.loads(result.stdout))[-1] == ("2027-01-01..2027-01-10, 11.00 %", "30.14")


def test_charge_interest_fixes_what_accrued(ledger):
    case(ledger, FIXED)
    result = ledger.run("charge-interest", "c", "--on", "2026-10-10")
    assert result.exit_code == 0, result.stderr
    assert "event: interest\n    amount: 28.82\n" in ledger.text("c")
    assert statement(ledger, "2026-10-10")["interest_accrued"] == "0.00"
    # the next period starts after the charge: 10000 x 10.52 % x 1 / 365 = 2.88
    assert statement(ledger, "2026-10-11")["interest_accrued"] == "2.88"


def test_flat_fee_command(ledger):
    case(ledger, FIXED)
    assert ledger.run("fee", "c", "--flat", "--on", "2026-10-05").exit_code == 0
    assert "amount: 40.00\n    reason: flat fee for late payment (§288(5) BGB)\n" in ledger.text("c")
    again = ledger.run("fee", "c", "--flat", "--on", "2026-10-06")
    assert again.exit_code == 1 and "no flat fee is claimable" in again.stderr  # the case, not the command line


def test_flat_fee_command_cites_the_countrys_statute(ledger):
    # Austria: the 40 EUR between businesses rests on §458 UGB, not on the German §288(5) BGB
    (ledger.root / "dun.yaml").write_text(DUN_YAML.replace("country: DE\nregion: BE", "country: AT"), encoding="utf-8")
    case(ledger, FIXED)
    assert ledger.run("fee", "c", "--flat", "--on", "2026-10-05").exit_code == 0
    assert "reason: flat fee for late payment (§458 UGB)\n" in ledger.text("c")
    assert "BGB" not in ledger.text("c")


def test_dunning_fee_only_after_default_began(ledger):
    ledger.config("fees:\n  dunning: 1.00\n")
    case(ledger, INVOICE)
    ledger.run("sent", "c", "dunning", "--on", "2026-10-20")  # this letter puts the customer in default
    assert "event: fee" not in ledger.text("c")
    ledger.run("sent", "c", "final-notice", "--on", "2026-11-05")
    assert ledger.text("c").endswith("    event: fee\n    amount: 1.00\n    reason: final-notice letter, postage "
                                     "and material\n")


@pytest.mark.parametrize(("value", "full", "half"), [
    ("100", "40.00", "38.00"), ("500", "40.00", "38.00"), ("501", "61.00", "38.00"), ("1000", "61.00", "38.00"),
    ("1001", "82.00", "41.00"), ("1500", "82.00", "41.00"), ("2000", "103.00", "51.50"),
    ("2001", "125.50", "62.75"), ("3000", "125.50", "62.75"), ("5000", "170.50", "85.25"),
    ("10000", "283.00", "141.50"), ("25000", "435.50", "217.75"),
])
def test_court_fee_at_the_bracket_edges(value, full, half):
    # §34 GKG: 40 up to 500; +21 per started 500 to 2,000; +22.50 per started 1,000 to 10,000; ...
    assert court_fee_de(D(value)) == D(full)
    assert dunning_court_fee_de(D(value)) == D(half)


@pytest.mark.parametrize(("value", "fee"), [("100", "7"), ("101", "20"), ("500", "20"), ("1000", "40"),
                                             ("10000", "60"), ("100000", "90"), ("1000000", "190"),
                                             ("1000001", "400")])
def test_swiss_payment_order_fee(value, fee):
    assert payment_order_fee_ch(D(value)) == D(fee)


def test_decide_legal_carries_route_cost_and_recommendation(ledger):
    notice = INVOICE + ("- at: 2026-10-15 10:00\n  event: call\n  outcome: refused\n")
    case(ledger, notice)
    item = next(i for i in json.loads(ledger.run("today", "--json", "--on", "2026-10-15").stdout)
                if i["action"] == "decide_legal")
    assert (item["recommendation"], item["route"], item["estimated_cost"]) == ("legal", "dunning_court", "41.00")
    case(ledger, notice.replace("1190.00", "300.00"), evidence="weak")
    item = json.loads(ledger.run("today", "--json", "--on", "2026-10-15").stdout)[0]
    assert (item["recommendation"], item["estimated_cost"]) == ("write_off", "38.00")


def test_limitation_at_year_end_and_after_a_restart(ledger):
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n")
    item = json.loads(ledger.run("today", "--json", "--on", "2026-11-01").stdout)
    assert any("after 2026-12-31" in i["reason"] for i in item if i["action"] == "limitation_warning")
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n"
                 "- at: 2026-03-02\n  event: promise\n  amount: 460\n  by: 2026-03-31\n")
    items = json.loads(ledger.run("today", "--json", "--on", "2029-01-01").stdout)
    assert any("after 2029-03-02" in i["reason"] for i in items if i["action"] == "limitation_warning")


def test_show_json_has_interest_accrued(ledger):
    case(ledger, INVOICE + "- at: 2026-11-10\n  event: payment\n  amount: 500.00\n")
    data = json.loads(ledger.run("show", "c", "--json", "--on", "2026-11-22").stdout)
    assert list(data)[:12] == ["case", "customer", "status", "currency", "invoiced", "paid", "credited", "charged",
                               "open", "overdue_days", "interest_accrued", "next"]
    assert data["interest_accrued"] == "1.19"


# ---- properties ---------------------------------------------------------------------------------

money = st.decimals(min_value="0.01", max_value="20000", places=2)


@st.composite
def payments(draw):
    count = draw(st.integers(0, 4))
    return [(draw(st.integers(1, 120)), draw(money), draw(st.sampled_from(["payment", "credit", "fee", "interest"])))
            for _ in range(count)]


def _events(amount, items) -> str:
    from datetime import date, timedelta

    text = FIXED.replace("10000", str(amount))
    for offset, value, kind in sorted(items, key=lambda x: x[0]):
        day = date(2026, 9, 1) + timedelta(days=offset)
        extra = "  reason: r\n" if kind in ("fee", "credit") else ""
        text += f"- at: {day}\n  event: {kind}\n  amount: {value}\n{extra}"
    return text


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=money, items=payments(), days=st.lists(st.integers(0, 400), min_size=2, max_size=2))
@example(amount=D("0.01"), items=[(2, D("0.01"), "fee"), (1, D("0.02"), "payment")], days=[0, 1])  # overpaid on day 1
def test_statement_lines_sum_to_the_total_and_nothing_goes_negative(ledger, amount, items, days):
    case(ledger, _events(amount, items))
    from datetime import date, timedelta

    on = (date(2026, 9, 1) + timedelta(days=max(days))).isoformat()
    data = statement(ledger, on)
    assert sum(D(x["amount"]) for x in data["lines"]) == D(data["total"])
    assert D(data["interest_accrued"]) >= 0
    past = [(v, k) for offset, v, k in items if offset <= max(days)]  # a later entry is not in the statement yet
    owed = amount + sum(v for v, k in past if k in ("fee", "interest"))
    if sum(v for v, k in past if k in ("payment", "credit")) <= owed:  # not overpaid by that day
        assert D(data["charged_open"]) >= 0 and D(data["principal_open"]) >= 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=money, a=st.integers(0, 500), b=st.integers(0, 500))
def test_accrued_interest_never_decreases_without_payments(ledger, amount, a, b):
    from datetime import date, timedelta

    case(ledger, FIXED.replace("10000", str(amount)))
    early, late = sorted((a, b))
    first = statement(ledger, (date(2026, 9, 1) + timedelta(days=early)).isoformat())["interest_accrued"]
    second = statement(ledger, (date(2026, 9, 1) + timedelta(days=late)).isoformat())["interest_accrued"]
    assert D("0") <= D(first) <= D(second)


def test_law_override_changes_the_limitation(ledger):
    ledger.config("law:\n  limitation_years: 4\n")
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n")
    assert not any(i["action"] == "limitation_warning"
                   for i in json.loads(ledger.run("today", "--json", "--on", "2026-11-01").stdout))
    items = json.loads(ledger.run("today", "--json", "--on", "2027-11-01").stdout)
    assert any("after 2027-12-31" in i["reason"] for i in items if i["action"] == "limitation_warning")


# ---- interest: {claim: accrued} ------------------------------------------------------------------

ISSUE_367 = ("- at: 2026-01-10\n  event: invoice\n  number: RE-1\n  amount: 5000.00\n  due: 2026-01-24\n"
             "- at: 2026-05-15\n  event: payment\n  amount: 2000.00\n")


def test_accrued_claim_payment_pays_interest_before_principal(ledger):
    # business, 30-day rule: later of due Sat 24 Jan and receipt 13 Jan, + 30 = Mon 23 Feb, + 1 = 24 Feb
    # 24 Feb..14 May = 5 + 31 + 30 + 14 = 80 days: 5000 x (1.27 + 9) % x 80 / 365 = 112.5479 -> 112.55
    # the payment of 15 May pays those 112.55 first (§367 BGB): principal 5000 - (2000 - 112.55) = 3112.55
    # 15 May..30 Jun = 17 + 30 = 47 days: 3112.55 x 10.27 % x 47 / 365 = 41.1616 -> 41.16
    ledger.config("interest:\n  claim: accrued\n")
    case(ledger, ISSUE_367)
    data = statement(ledger, "2026-06-30")
    assert data["default_from"] == "2026-02-24"
    assert interest_lines(data) == [("2026-02-24..2026-05-14, 10.27 %", "112.55"),
                                    ("2026-05-15..2026-06-30, 10.27 %", "41.16")]
    assert (data["principal_open"], data["interest_accrued"], data["total"]) == ("3112.55", "41.16", "3153.71")
    assert sum(D(x["amount"]) for x in data["lines"]) == D(data["total"])
    shown = json.loads(ledger.run("show", "c", "--json", "--on", "2026-06-30").stdout)
    # open = 5000 + 112.55 + 41.16 (all interest accrued) - 2000 = 3153.71, as the statement's total
    assert (shown["open"], shown["interest_accrued"]) == ("3153.71", "41.16")
    listed = json.loads(ledger.run("list", "--json", "--on", "2026-06-30").stdout)
    assert listed[0]["open"] == "3153.71"


def test_charged_claim_keeps_interest_out_of_open(ledger):
    # the default: no interest charged, so the payment goes to principal: 5000 - 2000 = 3000
    # accrued, not part of open: 112.55 (as above) + 3000 x 10.27 % x 47 / 365 = 39.6740 -> 39.67; = 152.22
    case(ledger, ISSUE_367)
    data = statement(ledger, "2026-06-30")
    assert (data["principal_open"], data["interest_accrued"]) == ("3000.00", "152.22")
    assert json.loads(ledger.run("show", "c", "--json", "--on", "2026-06-30").stdout)["open"] == "3000.00"


def test_accrued_claim_settled_only_when_interest_is_paid(ledger):
    # a payment on 30 Jun first pays the interest accrued through 29 Jun:
    # 112.55 (paid on 15 May) and 3112.55 x 10.27 % x 46 / 365 (15..29 May+Jun) = 40.2845 -> 40.29
    # paying 3112.55 leaves 40.29 of principal, which earns 40.29 x 10.27 % x 1 / 365 = 0.0113 -> 0.01
    # on 30 Jun itself: 40.30 open; paying 3112.55 + 40.29 = 3152.84 settles the case
    ledger.config("interest:\n  claim: accrued\n")
    case(ledger, ISSUE_367 + "- at: 2026-06-30\n  event: payment\n  amount: 3112.55\n")
    shown = json.loads(ledger.run("show", "c", "--json", "--on", "2026-06-30").stdout)
    assert (shown["status"], shown["open"]) == ("open", "40.30")
    case(ledger, ISSUE_367 + "- at: 2026-06-30\n  event: payment\n  amount: 3152.84\n")
    shown = json.loads(ledger.run("show", "c", "--json", "--on", "2026-06-30").stdout)
    assert (shown["status"], shown["open"]) == ("settled", "0.00")


def test_accrued_claim_in_today_and_per_invoice(ledger):
    # two invoices: the payment names RE-2, so RE-1 keeps its principal and its own interest (§366 BGB)
    # RE-2 500, fixed due 30 Sep: 1..4 Oct 500 x 10.52 % x 4 / 365 = 0.5764 -> 0.58 paid first,
    # then 499.42 of principal: RE-2 keeps 0.58 open; RE-1 10000 x 10.52 % x 10 / 365 (1..10 Oct) = 28.82
    ledger.config("interest:\n  claim: accrued\n")
    case(ledger, FIXED + "- at: 2026-09-02\n  event: invoice\n  number: RE-2\n  amount: 500\n  due: 2026-09-30\n"
                 "  fixed_due: true\n- at: 2026-10-05\n  event: payment\n  amount: 500\n  invoice: RE-2\n")
    data = statement(ledger, "2026-10-10")
    assert data["principal_open"] == "10000.58"
    # RE-2 from 5 Oct on 0.58: 0.58 x 10.52 % x 6 / 365 = 0.001 -> 0.00
    assert data["interest_accrued"] == "28.82"
    items = json.loads(ledger.run("today", "--json", "--on", "2026-10-10").stdout)
    assert {i["open"] for i in items} == {"10029.40"}  # 10500 + 0.58 + 28.82 - 500


def test_interest_claim_must_be_known(ledger):
    ledger.config("interest:\n  claim: sometimes\n")
    case(ledger, INVOICE)
    result = ledger.run("check")
    assert result.exit_code == 1
    message = "dun.yaml:12: interest claim must be one of charged, accrued, not 'sometimes'"
    assert message in result.stdout + result.stderr


def test_charge_interest_refused_when_interest_is_claimed_as_it_accrues(ledger):
    # a charge would fix the interest and restart the accrual after it, losing what payments already paid
    ledger.config("interest:\n  claim: accrued\n")
    case(ledger, ISSUE_367)
    before = ledger.snapshot()
    result = ledger.run("charge-interest", "c", "--on", "2026-06-30")
    assert result.exit_code == 1 and "claim: accrued" in result.stderr
    assert ledger.snapshot() == before
