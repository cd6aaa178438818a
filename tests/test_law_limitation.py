"""Limitation per invoice, the warning with its remedy, and no court step for a time-barred invoice."""

from __future__ import annotations

import json

AT = "country: AT\n"


def items(ledger, on: str) -> list[dict]:
    result = ledger.run("today", "--json", "--ahead", "0", on=on)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def warning(ledger, on: str) -> str | None:
    return next((i["reason"] for i in items(ledger, on) if i["action"] == "limitation_warning"), None)


def test_a_payment_to_another_invoice_does_not_restart_this_one(ledger):
    """AR-2023-101 (AT, due 2023-12-14) is time-barred after 2026-12-14 (§1486 ABGB: 3 years from the due date).

    The payment of 2025-03-03 names AR-2024-007 and acknowledges only that one (2025-03-03 + 3 years =
    2028-03-03). The warning for AR-2023-101 starts 90 days before 2026-12-14 = 2026-09-15 (earlier than
    1 October). Today's main restarted the whole case and gave no warning at all in 2026.
    """
    (ledger.root / "dun.yaml").write_text(AT)
    ledger.case("c", """
        customer: {name: Muster GmbH, kind: business}
        history:
          - {at: 2023-11-30, event: invoice, number: AR-2023-101, amount: 800.00, due: 2023-12-14}
          - {at: 2024-02-01, event: invoice, number: AR-2024-007, amount: 900.00, due: 2024-02-15}
          - {at: 2025-03-03, event: payment, amount: 500.00, invoice: AR-2024-007}
          - {at: 2025-03-05, event: legal, route: collection_agency}
        """)
    assert warning(ledger, "2026-09-14") is None
    reason = warning(ledger, "2026-09-15")
    assert reason is not None and "AR-2023-101" in reason and "after 2026-12-14" in reason
    assert "AR-2024-007" not in reason.split(":")[0]
    assert "claim at court" in reason  # the remedy in Austria


def test_an_invoice_of_2024_is_time_barred_after_2027_12_31_whatever_another_invoice_got(ledger):
    """RE-2024-019 of 2024-12-20: §§195, 199 BGB -> the end of 2024 + 3 years = after 2027-12-31.

    RE-2024-003 was paid in full on 2025-01-10, naming it: that acknowledges RE-2024-003 only. Today's
    main took the payment as a restart of the case and said 2028-01-10 (2025-01-10 + 3 years).
    """
    ledger.case("c", """
        customer: {name: Muster GmbH, kind: business}
        history:
          - {at: 2024-03-01, event: invoice, number: RE-2024-003, amount: 300.00}
          - {at: 2024-12-20, event: invoice, number: RE-2024-019, amount: 700.00}
          - {at: 2025-01-10, event: payment, amount: 300.00, invoice: RE-2024-003}
        """)
    reason = warning(ledger, "2027-10-01")
    assert reason is not None and "Invoice RE-2024-019 becomes time-barred after 2027-12-31" in reason
    assert "2028-01-10" not in reason


def test_an_unnamed_part_payment_acknowledges_every_invoice(ledger):
    """An unnamed payment of 2026-03-02 covers the whole debt: both invoices of 2023 run to 2029-03-02."""
    ledger.case("c", """
        customer: {name: Muster GmbH, kind: business}
        history:
          - {at: 2023-03-01, event: invoice, number: RE-1, amount: 300.00}
          - {at: 2023-05-01, event: invoice, number: RE-2, amount: 700.00}
          - {at: 2026-03-02, event: payment, amount: 100.00}
        """)
    assert warning(ledger, "2026-12-01") is None
    assert "Invoice RE-1, RE-2 becomes time-barred after 2029-03-02" in warning(ledger, "2028-12-02")


OLD = """
    customer: {name: Altkunde GmbH, kind: business}
    history:
      - {at: 2023-06-12, event: invoice, number: RE-2023-088, amount: 2400.00, due: 2023-06-26}
      - {at: 2023-07-20 10:00, event: call, outcome: refused}
    """


def test_today_warns_from_1_october_with_the_remedy(ledger):
    """RE-2023-088 of 2023 -> time-barred after 2026-12-31; from 2026-10-01 the warning names the remedy."""
    ledger.case("altkunde", OLD)
    assert warning(ledger, "2026-09-30") is None
    reason = warning(ledger, "2026-10-01")
    assert "RE-2023-088" in reason and "after 2026-12-31" in reason
    assert "Mahnbescheid" in reason and "§204(1) no. 3 BGB" in reason and "§167 ZPO" in reason
    assert "written acknowledgement" in reason
    text = ledger.run("today", on="2026-10-01").stdout
    assert "RE-2023-088" in text and "Mahnbescheid" in text and "§167 ZPO" in text
    assert "written acknowledgement" in text


def test_after_the_date_no_court_step_and_no_stale_text(ledger):
    """On 2027-01-02 RE-2023-088 is time-barred: the customer may refuse (§214 BGB); no court, no agency."""
    ledger.case("altkunde", OLD)
    found = items(ledger, "2027-01-02")
    legal = next(i for i in found if i["action"] == "decide_legal")
    assert legal["recommendation"] == "write_off" and legal["estimated_cost"] is None
    assert legal["time_barred"] == ["RE-2023-088"]
    barred = next(i for i in found if i["action"] == "limitation_warning")
    assert "§214 BGB" in barred["reason"] and "time-barred since 2027-01-01" in barred["reason"]
    for item in found:
        assert "Mahnbescheid" not in item["reason"] and "before then" not in item["reason"]
    text = ledger.run("today", on="2027-01-02").stdout
    assert "legal route (dunning_court)" not in text


def test_a_collection_agency_does_not_silence_the_warning(ledger):
    """A hand-over to a collection agency stops nothing (law.md): the warning still comes."""
    ledger.case("altkunde", OLD + "  - {at: 2025-02-01, event: legal, route: collection_agency}\n")
    assert "Mahnbescheid" in warning(ledger, "2026-10-01")
    ledger.case("altkunde", OLD + "  - {at: 2025-02-01, event: legal, route: dunning_court}\n")
    assert warning(ledger, "2026-10-01") is None


def test_why_names_the_invoice(ledger):
    ledger.case("altkunde", OLD)
    result = ledger.run("why", "altkunde", on="2026-10-01")
    assert "RE-2023-088 becomes time-barred after 2026-12-31" in result.stdout


def test_show_and_statement_name_each_invoices_limitation(ledger):
    """RE-1 of 2023 -> after 2026-12-31; RE-2 of 2024 -> after 2027-12-31: each its own."""
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2023-11-01, event: invoice, number: RE-1, amount: 300.00}
          - {at: 2024-02-01, event: invoice, number: RE-2, amount: 700.00}
        """)
    shown = json.loads(ledger.run("show", "c", "--json", on="2026-11-01").stdout)
    assert [(x["invoice"], x["time_barred_after"]) for x in shown["limitation"]] == [("RE-1", "2026-12-31"),
                                                                                     ("RE-2", "2027-12-31")]
    text = ledger.run("statement", "c", on="2027-01-05").stdout
    assert "Limitation: invoice RE-1 time-barred since 2027-01-01" in text
    assert "Limitation: invoice RE-2 time-barred after 2027-12-31" in text
    prepared = json.loads(ledger.run("legal", "c", "--prepare", "--json", on="2027-01-05").stdout)
    assert any("Invoice RE-1 is time-barred since 2027-01-01" in n for n in prepared["notes"])
