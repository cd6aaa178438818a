"""Base rates with their provenance: `dun rates`, notes on figures that rest on unsure rates, the import."""

from __future__ import annotations

import json
import os

from tests.test_statement import FIXED, UNCONFIRMED_NOTE, case, interest_lines, statement

# The Bundesbank's time-series CSV as downloaded in the German layout: header lines, then month-end
# values `YYYY-MM;value;flag` with a decimal comma, '.' where there is no value yet, a footnote line.
BBK_CSV = """\
;BBK01.SU0115;BBK01.SU0115_FLAGS
;Basiszinssatz gemäß § 247 BGB / Stand am Monatsende / SU0115;
Einheit;% p.a.;
Einheitenmultiplikator;Eins;
Stand vom;01.07.2026 10:15 Uhr;
2025-11;1,27;
2025-12;1,27;
2026-01;1,27;
2026-02;1,27;
2026-03;1,27;
2026-04;1,27;
2026-05;1,27;
2026-06;1,27;
2026-07;1,27;
2026-08;.;Kein Wert vorhanden
;allgemein: Quelle Deutsche Bundesbank;
"""


def test_rates_marks_the_unconfirmed_row(ledger):
    result = ledger.run("rates", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["from"]: r for r in json.loads(result.stdout)}
    assert rows["2026-07-01"]["confirmed"] is False and rows["2026-07-01"]["rate"] == "1.52"
    assert rows["2026-01-01"]["confirmed"] is True and "Bundesbank" in rows["2026-01-01"]["source"]
    text = ledger.run("rates").stdout
    line = next(x for x in text.splitlines() if x.startswith("2026-07-01"))
    assert " NO " in line and "shipped" in line


def test_statement_footnote_and_warning_when_the_unconfirmed_rate_is_used(ledger):
    case(ledger, FIXED)
    # before 1 July 2026 only confirmed rates are used: no note
    case(ledger, FIXED.replace("2026-09-30", "2026-03-31").replace("2026-09-01", "2026-03-01"))
    early = ledger.run("statement", "c", "--on", "2026-04-30")
    assert early.stderr == "" and "*" not in early.stdout
    case(ledger, FIXED)
    result = ledger.run("statement", "c", "--on", "2026-10-10")
    assert "2026-10-01..2026-10-10, 10.52 % *" in result.stdout
    assert result.stdout.rstrip().endswith(f"* {UNCONFIRMED_NOTE}")
    assert result.stderr == f"warning: {UNCONFIRMED_NOTE}\n"
    assert statement(ledger, "2026-10-10")["notes"] == [UNCONFIRMED_NOTE]


def test_letter_with_interest_warns_about_the_unconfirmed_rate(ledger):
    case(ledger, FIXED)
    result = ledger.run("letter", "c", "final-notice", "--on", "2026-10-20")
    assert result.exit_code == 0, result.stderr
    assert f"warning: interest in this letter: {UNCONFIRMED_NOTE}" in result.stderr


def test_dun_yaml_row_overrides_with_its_source(ledger):
    ledger.config('base_rates:\n  2026-07-01: {rate: 1.27, source: "Bundesbank press release", confirmed: true}\n'
                  "  2027-01-01: 1.40\n")
    rows = {r["from"]: r for r in json.loads(ledger.run("rates", "--json").stdout)}
    assert rows["2026-07-01"] == {"country": "DE", "from": "2026-07-01", "rate": "1.27",
                                  "source": "Bundesbank press release", "confirmed": True, "origin": "dun.yaml"}
    assert rows["2027-01-01"]["origin"] == "dun.yaml" and rows["2027-01-01"]["confirmed"] is True  # today's form
    case(ledger, FIXED)
    # 10000 x (1.27 + 9) % x 10 / 365 (1..10 Oct) = 28.1370 -> 28.14, and no note
    data = statement(ledger, "2026-10-10")
    assert interest_lines(data) == [("2026-10-01..2026-10-10, 10.27 %", "28.14")] and data["notes"] == []


def test_rates_import_of_a_bundesbank_csv(ledger, tmp_path):
    sample = tmp_path / "BBK01.SU0115.csv"
    sample.write_text(BBK_CSV, encoding="utf-8")
    before = (ledger.root / "dun.yaml").read_bytes()
    result = ledger.run("rates", "import", str(sample))
    assert result.exit_code == 0, result.stderr
    # month-end values become rows: the first month, then each half-year's first month
    assert "3 DE rows from 2025-11-01 to 2026-07-01" in result.stdout
    assert (ledger.root / "dun.yaml").read_bytes() == before  # dun.yaml is never rewritten
    lines = (ledger.root / "rates.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "country,from,rate,source,confirmed"
    assert lines[-1].startswith("DE,2026-07-01,1.27,") and lines[-1].endswith(",yes")
    rows = {r["from"]: r for r in json.loads(ledger.run("rates", "--json").stdout)}
    assert (rows["2026-07-01"]["confirmed"], rows["2026-07-01"]["origin"]) == (True, "rates.csv")
    case(ledger, FIXED)
    data = statement(ledger, "2026-10-10")
    assert interest_lines(data) == [("2026-10-01..2026-10-10, 10.27 %", "28.14")] and data["notes"] == []
    again = ledger.run("rates", "import", str(sample))  # a second import changes nothing
    assert "(0 new, 0 changed)" in again.stdout


def test_rates_import_reads_the_english_layout_and_reports_bad_lines(ledger, tmp_path):
    english = tmp_path / "en.csv"
    english.write_text(',BBK01.SU0115,BBK01.SU0115_FLAGS\nunit,% p.a.,\n2026-07,1.27,\n', encoding="utf-8")
    assert ledger.run("rates", "import", str(english)).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Einheit;% p.a.;\n2026-07;eins;\n", encoding="utf-8")
    result = ledger.run("rates", "import", str(bad))
    assert result.exit_code == 1 and f"{bad}:2: 'eins' is not a rate such as 1,27" in result.stderr
    empty = tmp_path / "other.csv"
    empty.write_text("date;value\n", encoding="utf-8")
    assert "no rows such as 2026-07;1,27" in ledger.run("rates", "import", str(empty)).stderr
    assert ledger.run("rates", "import").exit_code == 2


def test_austria_business_rate_by_the_preceding_half_year_and_flat_fee(ledger):
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    # §456 UGB: for 2025-07..12 the OeNB rate on 30 Jun 2025 applies: 1.53 (from 11 Jun) + 9.2 = 10.73 %
    # fixed due 30 Jun 2025, default from 1 Jul: 1000 x 10.73 % x 31 / 365 (1..31 Jul) = 9.1132 -> 9.11
    case(ledger, "- at: 2025-06-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2025-06-30\n"
                 "  fixed_due: true\n")
    data = statement(ledger, "2025-07-31")
    assert interest_lines(data) == [("2025-07-01..2025-07-31, 10.73 %", "9.11")]
    assert (data["claimable_flat_fee"], data["flat_fee_basis"], data["notes"]) == ("40.00", "§458 UGB", [])
    assert "flat fee 40.00 EUR (§458 UGB)" in ledger.run("statement", "c", "--on", "2025-07-31").stdout


def test_austria_first_half_year_ignores_a_change_within_it(ledger):
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    # 2025-01..06 uses the rate on 31 Dec 2024: 2.53 + 9.2 = 11.73 %, even after the cut to 2.03 on 12 Mar
    # 1000 x 11.73 % x 30 / 365 (1..30 Apr) = 9.6411 -> 9.64
    case(ledger, "- at: 2025-03-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2025-03-31\n"
                 "  fixed_due: true\n")
    assert interest_lines(statement(ledger, "2025-04-30")) == [("2025-04-01..2025-04-30, 11.73 %", "9.64")]


def test_austria_consumer_four_percent_and_beyond_the_table(ledger):
    (ledger.root / "dun.yaml").write_text("country: AT\n")
    # consumer: 4 % (§1333 ABGB): 1000 x 4 % x 31 / 365 = 3.3973 -> 3.40
    case(ledger, "- at: 2025-06-01\n  event: invoice\n  number: RE-1\n  amount: 1000\n  due: 2025-06-30\n"
                 "  fixed_due: true\n", kind="private")
    assert interest_lines(statement(ledger, "2025-07-31")) == [("2025-07-01..2025-07-31, 4.00 %", "3.40")]
    # business in 2026-07..12: the rate on 30 Jun 2026 is not in the table: extrapolated, and said so
    case(ledger, "- at: 2026-06-01\n  event: invoice\n  number: RE-1\n  amount: 1190\n  due: 2026-06-30\n"
                 "  fixed_due: true\n")
    data = statement(ledger, "2026-07-10")
    # 1190 x 10.73 % x 10 / 365 = 3.4983 -> 3.50, on the last known rate (1.53 on 31 Dec 2025)
    assert interest_lines(data) == [("2026-07-01..2026-07-10, 10.73 %", "3.50")]
    assert "extrapolated" in data["notes"][0]


def test_check_reports_a_bad_rates_csv_row(ledger):
    (ledger.root / "rates.csv").write_text("country,from,rate,source,confirmed\nDE,2026-07-01,1.27,x,yes\n"
                                           "DE,2027-13-01,1.40,x,yes\n", encoding="utf-8")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert f"{ledger.root / 'rates.csv'}:3: not a base-rate row" in result.stdout


def test_agenda_follows_an_imported_rate_with_accrued_interest(ledger, tmp_path):
    # with claim: accrued the open amount includes interest, so a new rates.csv must not be served from the cache
    ledger.config("interest:\n  claim: accrued\n")
    case(ledger, FIXED + "- at: 2026-10-02 10:00\n  event: call\n  outcome: refused\n")
    for path in (ledger.root / "cases" / "c.yaml", ledger.root / "dun.yaml"):  # old enough to be cached
        os.utime(path, (1_700_000_000, 1_700_000_000))
    first = json.loads(ledger.run("today", "--json", "--on", "2026-10-10").stdout)[0]["open"]
    sample = tmp_path / "bbk.csv"
    sample.write_text(BBK_CSV, encoding="utf-8")
    ledger.run("rates", "import", str(sample))
    second = json.loads(ledger.run("today", "--json", "--on", "2026-10-10").stdout)[0]["open"]
    # 10000 x 10.52 % x 10 / 365 = 28.82 before; x 10.27 % = 28.14 after
    assert (first, second) == ("10028.82", "10028.14")
