"""Payments allocated as §366(2)/§367 BGB and OR 85/87 say; interest claimed as it accrues by default."""

from __future__ import annotations

import json

CHARGED = "interest: {claim: charged}\n"


def statement(ledger, on: str, case: str = "c") -> dict:
    result = ledger.run("statement", case, "--json", on=on)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def interest(data: dict) -> list[tuple[str, str]]:
    return [(x["text"], x["amount"]) for x in data["lines"] if x["kind"] == "interest"]


TWO = """
    customer: {name: Muster GmbH}
    history:
      - {at: 2026-08-01, event: invoice, number: RE-A, amount: 1000.00, due: 2026-08-31}
      - {at: 2026-09-01, event: invoice, number: RE-B, amount: 500.00, due: 2026-09-10, fixed_due: true}
      - {at: 2026-09-20, event: payment, amount: 500.00}
    """


def test_an_unnamed_payment_goes_first_to_the_invoice_in_default(ledger):
    """§366(2) BGB: both invoices are due on 2026-09-20. RE-B (fixed due Thu 2026-09-10) is in default since
    2026-09-11 and bears interest; RE-A (due 2026-08-31, 30-day rule: received 2026-08-04, default only from
    2026-10-01) is older but not in default. So the 500.00 pay RE-B, not the older RE-A.

    With interest fixed by charge (to see the allocation alone), at 1.52 + 9 = 10.52 %:
      RE-B 11..19 Sep, 9 days x 500 x 10.52 % / 365 = 1.2970 -> 1.30, then nothing open
      RE-A 1..10 Oct, 10 days x 1000 x 10.52 % / 365 = 2.8822 -> 2.88
    Today's main paid the older RE-A and counted 4.32 on RE-B (30 days on 500) and 1.44 on RE-A.
    """
    (ledger.root / "dun.yaml").write_text(CHARGED)
    ledger.case("c", TWO)
    data = statement(ledger, "2026-10-10")
    assert interest(data) == [("RE-B 2026-09-11..2026-09-19, 10.52 %", "1.30"),
                              ("RE-A 2026-10-01..2026-10-10, 10.52 %", "2.88")]
    assert data["principal_open"] == "1000.00"


def test_a_named_payment_stays_with_its_invoice(ledger):
    (ledger.root / "dun.yaml").write_text(CHARGED)
    ledger.case("c", TWO.replace("amount: 500.00}\n", "amount: 500.00, invoice: RE-A}\n"))
    data = statement(ledger, "2026-10-10")
    assert ("RE-B 2026-09-11..2026-10-10, 10.52 %", "4.32") in interest(data)


ONE = """
    customer: {name: Muster GmbH}
    history:
      - {at: 2026-09-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-09-30, fixed_due: true}
      - {at: 2026-10-31, event: payment, amount: 500.00}
    """


def test_interest_accrued_is_paid_before_principal_by_default(ledger):
    """§367(1) BGB, the default now (no interest: key in dun.yaml): the payment of 2026-10-31 pays the interest
    accrued up to the day before first.
      1..30 Oct: 30 days x 1000 x 10.52 % / 365 = 8.6466 -> 8.65; principal 1000 - (500 - 8.65) = 508.65
      31 Oct..30 Nov: 31 days x 508.65 x 10.52 % / 365 = 4.5446 -> 4.54
    Open 508.65 + 4.54 = 513.19. Today's main kept the payment on the principal (500.00 + 13.12 = 513.12).
    """
    (ledger.root / "dun.yaml").write_text("country: DE\n")
    ledger.case("c", ONE)
    data = statement(ledger, "2026-11-30")
    assert (data["principal_open"], data["interest_accrued"], data["total"]) == ("508.65", "4.54", "513.19")
    shown = json.loads(ledger.run("show", "c", "--json", on="2026-11-30").stdout)
    assert shown["open"] == "513.19"


def test_a_ledger_that_set_charged_keeps_it(ledger):
    """interest: {claim: charged}: the payment goes to principal; interest waits for `dun charge-interest`.
      1..30 Oct on 1000: 8.65; 31 Oct..30 Nov on 500: 31 x 500 x 10.52 % / 365 = 4.4674 -> 4.47"""
    (ledger.root / "dun.yaml").write_text(CHARGED)
    ledger.case("c", ONE)
    data = statement(ledger, "2026-11-30")
    assert (data["principal_open"], data["interest_accrued"]) == ("500.00", "13.12")


def test_switzerland_interest_first_by_default(ledger):
    """OR 85(1): a part payment goes to interest first. Default (OR 102(2)) from 2026-10-01, 5 % (OR 104), /360:
      1..30 Oct: 30 x 1000 x 5 % / 360 = 4.1667 -> 4.17; principal 1000 - 495.83 = 504.17
      31 Oct..30 Nov: 31 x 504.17 x 5 % / 360 = 2.1707 -> 2.17
    Today's main kept the payment on the principal: 500.00 + 6.32 = 506.32."""
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    ledger.case("c", ONE)
    data = statement(ledger, "2026-11-30")
    assert (data["principal_open"], data["interest_accrued"], data["total"]) == ("504.17", "2.17", "506.34")


def test_charge_interest_explains_the_default(ledger):
    (ledger.root / "dun.yaml").write_text("country: DE\n")
    ledger.case("c", ONE)
    result = ledger.run("charge-interest", "c", on="2026-11-30")
    assert result.exit_code == 1 and "interest: {claim: charged}" in result.stderr


SAME_DAY = """
    customer: {name: Muster GmbH}
    history:
      - {at: 2026-09-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-09-30, fixed_due: true}
      - {at: 2026-09-01, event: invoice, number: RE-2, amount: 500.00, due: 2026-09-30, fixed_due: true}
      - {at: 2026-10-20, event: payment, amount: 600.00}
    """


def test_an_unnamed_payment_is_shared_in_proportion_between_equal_invoices(ledger):
    """§366(2) BGB, last words: among debts alike in every other respect, in proportion (OR 87(2) likewise).
    RE-1 and RE-2 were issued the same day, fall due the same day and are in default since 2026-10-01
    (Wed 2026-09-30 fixed, §286(2) no. 1). Up to the day before the payment, at 1.52 + 9 = 10.52 %:
      RE-1 1..19 Oct: 19 x 1000 x 10.52 % / 365 = 5.4762 -> 5.48, owed 1005.48
      RE-2 1..19 Oct: 19 x  500 x 10.52 % / 365 = 2.7381 -> 2.74, owed  502.74
    The 600.00 go 2:1 (1005.48 : 502.74): 400.00 to RE-1 (5.48 interest, 394.52 principal -> 605.48 open),
    200.00 to RE-2 (2.74 interest, 197.26 principal -> 302.74 open). From 20 Oct through 30 Nov (42 days):
      RE-1 42 x 605.48 x 10.52 % / 365 = 7.3296 -> 7.33
      RE-2 42 x 302.74 x 10.52 % / 365 = 3.6648 -> 3.66
    Today's main paid all of it to RE-1 first (405.48 and 500.00 open: 4.91 and 6.05)."""
    (ledger.root / "dun.yaml").write_text("country: DE\n")
    ledger.case("c", SAME_DAY)
    data = statement(ledger, "2026-11-30")
    assert interest(data)[2:] == [("RE-1 2026-10-20..2026-11-30, 10.52 %", "7.33"),
                                  ("RE-2 2026-10-20..2026-11-30, 10.52 %", "3.66")]
    assert (data["principal_open"], data["interest_accrued"]) == ("908.22", "10.99")


def test_a_payment_covering_equal_invoices_pays_both_and_the_rest_goes_on(ledger):
    """More than both owe: each is paid in full, whatever is left is a credit (no share is rounded away)."""
    (ledger.root / "dun.yaml").write_text("country: DE\n")
    ledger.case("c", SAME_DAY.replace("amount: 600.00}", "amount: 1600.00}"))
    data = statement(ledger, "2026-11-30")
    assert interest(data)[2:] == []
    assert data["total"] == "-91.78"  # 1600.00 - 1005.48 - 502.74


def test_with_interest_charged_an_unnamed_payment_is_shared_in_proportion_too(ledger):
    """interest: {claim: charged}: the payment goes to principal only, 1000 : 500, so 601.00 as 400.67 : 200.33."""
    (ledger.root / "dun.yaml").write_text(CHARGED)
    ledger.case("c", SAME_DAY.replace("amount: 600.00}", "amount: 601.00}"))
    data = statement(ledger, "2026-10-31")
    # 1..19 Oct on 1000 and 500, then 20..31 Oct (12 days) on 599.33 and 299.67 (601.00 split 400.67 : 200.33)
    assert sorted(interest(data)) == [("RE-1 2026-10-01..2026-10-19, 10.52 %", "5.48"),
                                      ("RE-1 2026-10-20..2026-10-31, 10.52 %", "2.07"),
                                      ("RE-2 2026-10-01..2026-10-19, 10.52 %", "2.74"),
                                      ("RE-2 2026-10-20..2026-10-31, 10.52 %", "1.04")]
    assert data["principal_open"] == "899.00"
