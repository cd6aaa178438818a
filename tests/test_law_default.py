"""When default begins per country, the rate that applies, and no silent zero (law.md)."""

from __future__ import annotations

import json


def statement(ledger, case: str, on: str) -> dict:
    result = ledger.run("statement", case, "--json", on=on)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def lines(data: dict) -> list[tuple[str, str]]:
    return [(x["text"], x["amount"]) for x in data["lines"] if x["kind"] == "interest"]


def test_a_fixed_due_date_on_a_saturday_moves_to_monday(ledger):
    """§193 BGB (BGH III ZR 159/06): due Sat 2026-10-17, payable on Mon 2026-10-19, default from Tue 2026-10-20.

    Interest to 2026-10-31: 12 days (20..31 Oct) x 1000.00 x (1.52 + 9) % / 365 = 3.4586 -> 3.46.
    Today's main started on Sun 2026-10-18 (14 days: 4.04).
    """
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2026-10-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-10-17, fixed_due: true}
        """)
    data = statement(ledger, "c", "2026-10-31")
    assert data["default_from"] == "2026-10-20"
    assert lines(data) == [("2026-10-20..2026-10-31, 10.52 %", "3.46")]
    why = ledger.run("why", "c", on="2026-10-31").stdout
    assert "default from 2026-10-20" in why and "moved from 2026-10-17 by §193 BGB" in why


def test_a_due_date_on_a_holiday_moves_too(ledger):
    """Due Sat 2026-10-03 (German Unity Day): Mon 2026-10-05 is the last day, default from 2026-10-06."""
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2026-09-20, event: invoice, number: RE-1, amount: 1000.00, due: 2026-10-03, fixed_due: true}
        """)
    assert statement(ledger, "c", "2026-10-31")["default_from"] == "2026-10-06"


def test_austria_default_without_a_reminder_and_the_2024_interest(ledger):
    """§1334 ABGB: an agreed payment date (between businesses, by default) puts the debtor in default the day
    after it, without a reminder: due 2024-04-29 -> default from 2024-04-30.

    §456 UGB: OeNB base rate on the first day of each half-year: 2024-01-01 and 2024-07-01 both 3.88 %
    (from 2023-09-20) -> 3.88 + 9.2 = 13.08 %.
      30 Apr..30 Jun: 62 days x 1000 x 13.08 % / 365 = 22.2181 -> 22.22
      1 Jul..31 Dec: 184 days x 1000 x 13.08 % / 365 = 65.9375 -> 65.94
    Together 88.16, which today's main lost (no default without a reminder, and no AT rate before 2024-12-18).
    """
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    ledger.case("c", """
        customer: {name: Muster GmbH, kind: business}
        history:
          - {at: 2024-04-15, event: invoice, number: AR-1, amount: 1000.00, due: 2024-04-29}
        """)
    data = statement(ledger, "c", "2024-12-31")
    assert data["default_from"] == "2024-04-30"
    assert lines(data) == [("2024-04-30..2024-06-30, 13.08 %", "22.22"), ("2024-07-01..2024-12-31, 13.08 %", "65.94")]
    assert data["interest_accrued"] == "88.16"


def test_austria_consumer_thirty_days_after_receipt(ledger):
    """§1334 ABGB without an agreed date: 30 days after receipt. Invoice 2026-03-02 + 3 days delivery =
    received 2026-03-05; + 30 = 2026-04-04; default from 2026-04-05. 4 % (§1000 ABGB):
    1000 x 4 % x 26 / 365 (5..30 Apr) = 2.8493 -> 2.85."""
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    ledger.case("c", """
        customer: {name: Eva Muster, kind: private}
        history:
          - {at: 2026-03-02, event: invoice, number: AR-2, amount: 1000.00, due: 2026-03-16}
        """)
    data = statement(ledger, "c", "2026-04-30")
    assert data["default_from"] == "2026-04-05"
    assert lines(data) == [("2026-04-05..2026-04-30, 4.00 %", "2.85")]


def test_austria_rate_from_the_first_day_of_the_half_year(ledger):
    """§456 UGB since 16 March 2013: the base rate in force on the FIRST day of the half-year.

    dun.yaml adds a base rate of 2.00 % from 2026-01-01. For 1..10 Jan 2026 that row applies:
    2.00 + 9.2 = 11.20 %: 10000 x 11.20 % x 10 / 365 = 30.6849 -> 30.68. (The old "last day of the
    preceding half-year" took 2025-12-31: 1.53 + 9.2 = 10.73 % -> 29.40.)
    16..31 Dec 2025: base rate on 2025-07-01 = 1.53 % (from 2025-06-11): 10000 x 10.73 % x 16 / 365 = 47.0356
    -> 47.04.
    """
    (ledger.root / "dun.yaml").write_text("country: AT\nbase_rates:\n  2026-01-01: 2.00\n")
    ledger.case("c", """
        customer: {name: Muster GmbH, kind: business}
        history:
          - {at: 2025-12-01, event: invoice, number: AR-3, amount: 10000.00, due: 2025-12-15, fixed_due: true}
        """)
    data = statement(ledger, "c", "2026-01-10")
    assert lines(data) == [("2025-12-16..2025-12-31, 10.73 %", "47.04"), ("2026-01-01..2026-01-10, 11.20 %", "30.68")]


def test_a_2019_invoice_keeps_its_interest(ledger):
    """Fixed due Wed 2019-10-16 -> default from 2019-10-17. Base rate -0.88 % (2019-07-01, a secondary listing,
    marked unconfirmed) + 9 = 8.12 %: 600 x 8.12 % x 76 / 365 (17 Oct..31 Dec) = 10.1444 -> 10.14.
    Today's main's table began in 2020 and dropped the 10.14 silently."""
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2019-10-01, event: invoice, number: RE-2019-1, amount: 600.00, due: 2019-10-16, fixed_due: true}
        """)
    data = statement(ledger, "c", "2019-12-31")
    assert data["default_from"] == "2019-10-17"
    assert lines(data) == [("2019-10-17..2019-12-31, 8.12 %", "10.14")]
    assert any("not confirmed" in note for note in data["notes"])


def test_days_without_a_rate_are_named_never_a_silent_zero(ledger):
    """Default from 2001-10-17: no DE row before 2002-01-01, so 17 Oct..31 Dec 2001 carries no interest and the
    statement says so. Jan 2002: 1000 x (2.57 + 9) % x 31 / 365 = 9.8268 -> 9.83."""
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2001-10-01, event: invoice, number: RE-2001-1, amount: 1000.00, due: 2001-10-16, fixed_due: true}
        """)
    result = ledger.run("statement", "c", "--json", on="2002-01-31")
    data = json.loads(result.stdout)
    assert lines(data) == [("2002-01-01..2002-01-31, 11.57 %", "9.83")]
    assert any("no default interest counted for 2001-10-17..2001-12-31" in n for n in data["notes"])
    text = ledger.run("statement", "c", on="2002-01-31").stdout
    assert "no default interest counted for 2001-10-17..2001-12-31" in text
    letter = ledger.run("letter", "c", "statement", on="2002-01-31").stdout
    assert "Für die Zeit vom 17. Oktober 2001 bis 31. Dezember 2001 liegt mir kein Basiszinssatz vor" in letter
    prepared = json.loads(ledger.run("legal", "c", "--prepare", "--json", on="2002-01-31").stdout)
    assert any("no default interest counted for 2001-10-17..2001-12-31" in n for n in prepared["notes"])


def test_rates_ship_the_history(ledger):
    """`dun rates` lists DE from 2002 and AT from 2016, each row with its source."""
    de = json.loads(ledger.run("rates", "--json").stdout)
    starts = [r["from"] for r in de if r["country"] == "DE"] if isinstance(de, list) else []
    assert not starts or starts[0] == "2002-01-01"
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    from receivables_cli.money.rates import shipped

    assert shipped("DE")[0].start.isoformat() == "2002-01-01" and not shipped("DE")[0].confirmed
    assert shipped("AT")[0].start.isoformat() == "2016-03-16"
    assert all(r.source for r in shipped("DE") + shipped("AT"))
