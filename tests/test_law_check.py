"""Every legal and money figure checked against its source and a hand computation.

Each test names the rule, its source and the derivation; dates are pinned.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import pytest

from receivables_cli.money.law import court_fee_de, dunning_court_fee_de, legal_estimate, payment_order_fee_ch
from receivables_cli.money.rates import DATA

D = Decimal


def case(ledger, events: str, kind: str = "business") -> None:
    body = "\n".join("  " + line for line in events.strip("\n").splitlines())
    ledger.case("c", f"customer:\n  name: X\n  kind: {kind}\nhistory:\n{body}\n")


def statement(ledger, on: str) -> dict:
    result = ledger.run("statement", "c", "--json", "--on", on)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def interest_lines(data: dict) -> list[tuple[str, str]]:
    return [(x["text"], x["amount"]) for x in data["lines"] if x["kind"] == "interest"]


def limitation_reason(ledger, on: str) -> str | None:
    items = json.loads(ledger.run("today", "--json", "--on", on).stdout)
    return next((i["reason"] for i in items if i["action"] == "limitation_warning"), None)


# ---- base rates (§247 BGB; OeNB) -----------------------------------------------------------------

def test_german_base_rate_rows_as_the_bundesbank_published_them():
    # §247(1) BGB: the rate changes on 1 Jan and 1 Jul by the move of the ECB main refinancing rate.
    # Bundesbank announcements: -0.88 % from 2016-07-01 unchanged to 2022-12-31; 1.62 (2023-01-01),
    # 3.12 (2023-07-01), 3.62 (2024-01-01), 3.37 (2024-07-01), 2.27 (2025-01-01), 1.27 (2025-07-01),
    # 1.27 (2026-01-01: the ECB rate stayed at 2.15 % since June 2025); 1.52 from 2026-07-01 is not confirmed.
    with (DATA / "base-rates-DE.csv").open(encoding="utf-8") as f:
        rows = [(r["from"], r["rate"], r["confirmed"]) for r in csv.DictReader(f)]
    # law.md: the rows 2002..2019 are from secondary listings (unconfirmed, ⚠), the complete history back to 2002
    assert rows[0] == ("2002-01-01", "2.57", "no") and rows[35] == ("2019-07-01", "-0.88", "no")
    assert all(r[2] == "no" for r in rows[:36])
    assert rows[36:] == [("2020-01-01", "-0.88", "yes"), ("2023-01-01", "1.62", "yes"), ("2023-07-01", "3.12", "yes"),
                    ("2024-01-01", "3.62", "yes"), ("2024-07-01", "3.37", "yes"), ("2025-01-01", "2.27", "yes"),
                    ("2025-07-01", "1.27", "yes"), ("2026-01-01", "1.27", "yes"), ("2026-07-01", "1.52", "no")]


def test_austrian_rows_and_the_half_year_rule_agree_on_either_reading():
    # OeNB notices: 2.53 % from 2024-12-18, 2.03 % from 2025-03-12, 1.53 % from 2025-06-11.
    # §456 UGB (since 2013) takes the rate "in force on the first calendar day of a half-year", and so does dun;
    # the older §352 UGB took the last day of the preceding half-year. They differ only for a change that takes
    # effect on 1 Jan or 1 Jul itself; no shipped row does (test_law_default shows the rule on such a row).
    with (DATA / "base-rates-AT.csv").open(encoding="utf-8") as f:
        starts = [date.fromisoformat(r["from"]) for r in csv.DictReader(f)]
    assert not [d for d in starts if (d.month, d.day) in ((1, 1), (7, 1))]


def test_german_rate_before_2023_is_the_negative_base_plus_the_margin(ledger):
    # fixed due 2022-11-30, business: default from 1 Dec 2022 at -0.88 + 9 = 8.12 %;
    # 1000 x 8.12 % x 31 / 365 (1..31 Dec) = 6.8964 -> 6.90; 1 Jan 2023: 1.62 + 9 = 10.62 %,
    # 1000 x 10.62 % x 10 / 365 = 2.9096 -> 2.91 (the split at 1 January)
    case(ledger, "- at: 2022-11-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2022-11-30\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2023-01-10")) == [("2022-12-01..2022-12-31, 8.12 %", "6.90"),
                                                               ("2023-01-01..2023-01-10, 10.62 %", "2.91")]


# ---- day counts -------------------------------------------------------------------------------------

def test_leap_year_still_counts_365_days(ledger):
    # act/365 in every year (dun's documented choice; law.md): the 29 days of February 2028 are 29/365 of a
    # year. base rate 2.00 % from 2028-01-01 (dun.yaml), business: 11.00 %.
    # fixed due 2028-01-31 -> default from 1 Feb; 10000 x 11 % x 29 / 365 (1..29 Feb) = 87.3973 -> 87.40
    # (act/366 would give 87.16; act/360 88.61)
    ledger.config("base_rates:\n  2028-01-01: 2.00\n")
    case(ledger, "- at: 2028-01-02\n  event: invoice\n  number: RE-1\n  amount: 10000\n  due: 2028-01-31\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2028-02-29")) == [("2028-02-01..2028-02-29, 11.00 %", "87.40")]


def test_leap_year_half_year_has_182_days(ledger):
    # 1 Jan..30 Jun 2028 = 31 + 29 + 31 + 30 + 31 + 30 = 182 days; fixed due 2027-12-31.
    # 10000 x 11 % x 182 / 365 = 548.4932 -> 548.49; rounded once for the whole period line
    ledger.config("base_rates:\n  2027-07-01: 2.00\n  2028-01-01: 2.00\n")
    case(ledger, "- at: 2027-12-01\n  event: invoice\n  number: RE-1\n  amount: 10000\n  due: 2027-12-31\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2028-06-30")) == [("2028-01-01..2028-06-30, 11.00 %", "548.49")]


def test_switzerland_counts_actual_days_over_360(ledger):
    # OR 104: 5 %; dun divides the actual days by 360 (docs/money-and-law.md: the choice, against 30/360).
    # fixed due 2026-01-31 -> 1 Feb..31 Mar = 28 + 31 = 59 days: 1000 x 5 % x 59 / 360 = 8.1944 -> 8.19
    # (30/360 would count 60 days: 8.33). No split at 1 Jan/1 Jul inside this span.
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, "- at: 2026-01-02\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-01-31\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2026-03-31")) == [("2026-02-01..2026-03-31, 5.00 %", "8.19")]


def test_periods_split_at_1_july_and_at_a_payment_rounded_once_each(ledger):
    # fixed due 2026-06-15, business, claim charged: default from 16 Jun.
    # 16..30 Jun: 3000 x 10.27 % x 15 / 365 = 12.6603 -> 12.66
    # 1..9 Jul:   3000 x 10.52 % x 9 / 365  =  7.7819 ->  7.78  (split at 1 July: the new base rate)
    # 10..20 Jul: 1000 x 10.52 % x 11 / 365 =  3.1704 ->  3.17  (split at the payment of 2000 on 10 Jul)
    case(ledger, "- at: 2026-06-01\n  event: invoice\n  number: RE-1\n  amount: 3000\n  due: 2026-06-15\n"
                 "  fixed_due: true\n- at: 2026-07-10\n  event: payment\n  amount: 2000\n")
    data = statement(ledger, "2026-07-20")
    assert interest_lines(data) == [("2026-06-16..2026-06-30, 10.27 %", "12.66"),
                                    ("2026-07-01..2026-07-09, 10.52 %", "7.78"),
                                    ("2026-07-10..2026-07-20, 10.52 %", "3.17")]
    assert data["interest_accrued"] == "23.61"


# ---- when default begins (§286 BGB) ---------------------------------------------------------------

def test_thirty_day_rule_moved_off_christmas(ledger):
    # due Wed 25 Nov 2026 (receipt 14 Nov is earlier) + 30 = Fri 25 Dec (holiday), Sat 26 Dec (holiday),
    # Sun 27 Dec -> Mon 28 Dec (§193 BGB); default begins Tue 29 Dec 2026
    case(ledger, "- at: 2026-11-11\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-11-25\n")
    assert statement(ledger, "2026-12-31")["default_from"] == "2026-12-29"


def test_thirty_day_rule_from_receipt_when_it_is_later_than_the_due_date(ledger):
    # invoice 2026-10-01 due the same day; receipt = 1 Oct + 3 = Sun 4 Oct, the later of the two;
    # 4 Oct + 30 = Tue 3 Nov (a working day) -> default from Wed 4 Nov
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-10-01\n")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-11-04"


def test_letter_deadline_on_a_weekend_moves_to_monday(ledger):
    # private customer, no 30-day notice: the dunning letter of Wed 4 Nov 2026 sets 4 Nov + 10 = Sat 14 Nov,
    # moved to Mon 16 Nov (the date the letter states); default begins Tue 17 Nov, not at receipt (8 Nov)
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-10-15\n"
                 "- at: 2026-11-04\n  event: letter\n  template: dunning\n", kind="private")
    assert statement(ledger, "2026-11-22")["default_from"] == "2026-11-17"


def test_a_letter_before_the_due_date_does_not_start_default(ledger):
    # §286(1) BGB: only a reminder after the claim fell due puts the debtor in default
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-10-15\n"
                 "- at: 2026-10-10\n  event: letter\n  template: reminder\n", kind="private")
    assert statement(ledger, "2026-11-22")["default_from"] is None


def test_consumer_thirty_day_rule_needs_the_notice_and_then_pays_five_points(ledger):
    # due 15 Oct, receipt 4 Oct: 15 Oct + 30 = Sat 14 Nov -> Mon 16 Nov; default from 17 Nov (only with the
    # notice, §286(3) sentence 1 half-sentence 2). 1000 x (1.52 + 5) % x 6 / 365 (17..22 Nov) = 1.0718 -> 1.07
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-10-15\n",
         kind="private")
    assert statement(ledger, "2026-11-22")["default_from"] is None
    ledger.config("consumer_30_day_notice: true\n")
    data = statement(ledger, "2026-11-22")
    assert interest_lines(data) == [("2026-11-17..2026-11-22, 6.52 %", "1.07")]
    assert data["claimable_flat_fee"] == "0.00"  # §288(5): never from a consumer


# ---- flat fee (§288(5) BGB, §458 UGB) ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["business", "corporate", "public"])
def test_flat_fee_per_invoice_in_default_for_every_non_consumer(ledger, kind):
    # two invoices, only RE-1 in default by 2026-10-20 (fixed due 30 Sep); RE-2 is not due yet: 40.00
    case(ledger, "- at: 2026-09-01\n  event: invoice\n  number: RE-1\n  amount: 100\n  due: 2026-09-30\n"
                 "  fixed_due: true\n- at: 2026-10-10\n  event: invoice\n  number: RE-2\n  amount: 100\n"
                 "  due: 2026-10-24\n", kind=kind)
    assert statement(ledger, "2026-10-20")["claimable_flat_fee"] == "40.00"


def test_flat_fee_once_per_invoice_after_it_was_charged(ledger):
    # RE-1 and RE-2 both in default (fixed due 30 Sep): 2 x 40.00; one charged -> 40.00 left; both -> 0.00
    events = ("- at: 2026-09-01\n  event: invoice\n  number: RE-1\n  amount: 100\n  due: 2026-09-30\n"
              "  fixed_due: true\n- at: 2026-09-02\n  event: invoice\n  number: RE-2\n  amount: 100\n"
              "  due: 2026-09-30\n  fixed_due: true\n")
    fee = "- at: 2026-10-05\n  event: fee\n  amount: 40\n  reason: flat fee for late payment\n"
    case(ledger, events)
    assert statement(ledger, "2026-10-20")["claimable_flat_fee"] == "80.00"
    case(ledger, events + fee)
    assert statement(ledger, "2026-10-20")["claimable_flat_fee"] == "40.00"
    case(ledger, events + fee + fee.replace("10-05", "10-06"))
    assert statement(ledger, "2026-10-20")["claimable_flat_fee"] == "0.00"


def test_austria_flat_fee_under_458_ugb_and_eleven_point_seven_three_percent(ledger):
    # §456 UGB: the OeNB rate in force for 2025-01..06 is 2.53 % (from 2024-12-18; the cut to 2.03 % on
    # 2025-03-12 waits for the next half-year) + 9.2 = 11.73 %. fixed due 2025-02-28 -> default from 1 Mar.
    # 1000 x 11.73 % x 31 / 365 (1..31 Mar) = 9.9625 -> 9.96; flat fee 40 EUR under §458 UGB
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    case(ledger, "- at: 2025-02-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2025-02-28\n"
                 "  fixed_due: true\n")
    data = statement(ledger, "2025-03-31")
    assert interest_lines(data) == [("2025-03-01..2025-03-31, 11.73 %", "9.96")]
    assert (data["claimable_flat_fee"], data["flat_fee_basis"]) == ("40.00", "§458 UGB")


def test_no_flat_fee_in_switzerland(ledger):
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, "- at: 2026-09-01\n  event: invoice\n  number: RE-1\n  amount: 100\n  due: 2026-09-30\n"
                 "  fixed_due: true\n")
    assert statement(ledger, "2026-10-20")["claimable_flat_fee"] == "0.00"


# ---- limitation -------------------------------------------------------------------------------------

def test_switzerland_five_years_from_the_due_date(ledger):
    # OR 128 (five years) from the due date (OR 130): due 2026-10-15 -> time-barred after 2031-10-15;
    # the warning comes 90 days before (2031-07-17), earlier than 1 October 2031
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 100\n  due: 2026-10-15\n")
    assert limitation_reason(ledger, "2031-07-16") is None
    assert "after 2031-10-15" in limitation_reason(ledger, "2031-07-17")
    assert "Betreibung" in limitation_reason(ledger, "2031-07-17")


def test_austria_three_years_from_the_due_date(ledger):
    # §1486 ABGB: three years from the due date: due 2026-10-15 -> after 2029-10-15 (not year end)
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    case(ledger, "- at: 2026-10-01\n  event: invoice\n  number: RE-1\n  amount: 100\n  due: 2026-10-15\n")
    assert "after 2029-10-15" in limitation_reason(ledger, "2029-09-01")


def test_germany_restart_by_a_part_payment(ledger):
    # §§195, 199: invoice of 2023 -> after 2026-12-31; a part payment on 2026-06-01 acknowledges the debt
    # (§212(1) no. 1) and a full three years run again from then: after 2029-06-01
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n"
                 "- at: 2026-06-01\n  event: payment\n  amount: 10\n")
    assert "after 2029-06-01" in limitation_reason(ledger, "2029-05-01")


def test_a_payment_after_the_claim_is_time_barred_does_not_restart_it(ledger):
    # §212 BGB restarts a period that is running; a claim time-barred after 2026-12-31 stays time-barred when
    # 10.00 arrive on 2027-02-01 (the debtor cannot reclaim them, §214(2), but the rest is not revived)
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n"
                 "- at: 2027-02-01\n  event: payment\n  amount: 10\n")
    reason = limitation_reason(ledger, "2027-03-01")
    assert reason is not None and "time-barred since 2027-01-01" in reason


def test_restarts_chain_while_each_comes_in_time(ledger):
    # invoice 2023 -> after 2026-12-31; promise 2026-03-02 -> after 2029-03-02; payment 2029-01-15, in time,
    # -> after 2032-01-15
    case(ledger, "- at: 2023-06-12\n  event: invoice\n  number: RE-1\n  amount: 460\n"
                 "- at: 2026-03-02\n  event: promise\n  amount: 460\n  by: 2026-03-31\n"
                 "- at: 2029-01-15\n  event: payment\n  amount: 10\n")
    assert "after 2032-01-15" in limitation_reason(ledger, "2031-12-01")


# ---- court and office fees --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "full", "half"), [
    # §34 GKG as amended from 2025-06-01 (KostBRÄG 2025): 40 up to 500, then per started step
    # 500 -> +21 to 2,000; 1,000 -> +22.50 to 10,000; 3,000 -> +30.50 to 25,000; 5,000 -> +40.50 to 50,000;
    # 15,000 -> +140 to 200,000; 30,000 -> +210 to 500,000; beyond, 50,000 -> +210. KV 1100: half, min 38.00.
    ("500", "40.00", "38.00"),            # 40 / 2 = 20 -> minimum 38.00
    ("501", "61.00", "38.00"),            # 40 + 21; 30.50 -> 38.00
    ("1000", "61.00", "38.00"),
    ("1500", "82.00", "41.00"),           # 40 + 2 x 21
    ("2000", "103.00", "51.50"),          # 40 + 3 x 21
    ("2001", "125.50", "62.75"),          # 103 + 22.50
    ("3000", "125.50", "62.75"),
    ("5000", "170.50", "85.25"),          # 103 + 3 x 22.50
    ("10000", "283.00", "141.50"),        # 103 + 8 x 22.50
    ("25000", "435.50", "217.75"),        # 283 + 5 x 30.50
    ("50000", "638.00", "319.00"),        # 435.50 + 5 x 40.50
    ("60000", "778.00", "389.00"),        # 638 + 140 (one started 15,000)
    ("200000", "2038.00", "1019.00"),     # 638 + 10 x 140
    ("500000", "4138.00", "2069.00"),     # 2038 + 10 x 210
    ("500000.01", "4348.00", "2174.00"),  # + 210 for the started 50,000 above 500,000
])
def test_court_fee_table_against_hand_computation(value, full, half):
    assert (court_fee_de(D(value)), dunning_court_fee_de(D(value))) == (D(full), D(half))


@pytest.mark.parametrize(("value", "fee", "total"), [
    # GebV SchKG Art. 16(1): up to 100 -> 7; over 100 up to 500 -> 20; up to 1,000 -> 40; up to 10,000 -> 60;
    # up to 100,000 -> 90; up to 1,000,000 -> 190; above -> 400. The offices add 13.30 postage (8.00 for the
    # delivery of the Zahlungsbefehl + 5.30 for returning the creditor's copy by registered mail): the totals
    # 20.30 ... 413.30 they publish (law.md: "the bills seen").
    ("100", "7.00", "20.30"), ("100.05", "20.00", "33.30"), ("500", "20.00", "33.30"),
    ("500.05", "40.00", "53.30"), ("1000", "40.00", "53.30"), ("1000.05", "60.00", "73.30"),
    ("10000", "60.00", "73.30"), ("10000.05", "90.00", "103.30"), ("100000", "90.00", "103.30"),
    ("100000.05", "190.00", "203.30"), ("1000000", "190.00", "203.30"), ("1000000.05", "400.00", "413.30"),
])
def test_swiss_payment_order_fee_and_postage_as_the_offices_bill(value, fee, total):
    assert payment_order_fee_ch(D(value)) == D(fee)
    assert legal_estimate("CH", D(value)).cost == D(total)


def test_a_fixed_rate_is_not_split_at_1_july(ledger):
    # OR 104: 5 % whatever the base rates do, so 1 July starts no new period and the amount is rounded once:
    # fixed due 2026-06-15 -> 16 Jun..15 Jul = 30 days: 1000 x 5 % x 30 / 360 = 4.1667 -> 4.17
    # (split at 1 July it would be 15 + 15 days: 2.0833 -> 2.08 twice = 4.16)
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, "- at: 2026-06-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2026-06-15\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2026-07-15")) == [("2026-06-16..2026-07-15, 5.00 %", "4.17")]


def test_austrian_consumer_four_percent_in_one_period_across_the_year_end(ledger):
    # §1000 ABGB: 4 %; fixed due 2025-12-15 -> 16 Dec..15 Jan = 31 days: 1000 x 4 % x 31 / 365 = 3.3973 -> 3.40
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    case(ledger, "- at: 2025-12-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2025-12-15\n"
                 "  fixed_due: true\n", kind="private")
    assert interest_lines(statement(ledger, "2026-01-15")) == [("2025-12-16..2026-01-15, 4.00 %", "3.40")]


def test_a_term_in_years_from_29_february_ends_on_28_february_in_a_common_year():
    from datetime import date

    from receivables_cli.money.law import add_years

    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2026, 12, 31), 3) == date(2029, 12, 31)
