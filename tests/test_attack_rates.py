"""`dun rates import` and rates.csv against garbage: no NaN, no duplicate months, no absurd years."""

from __future__ import annotations

import pytest

from tests.test_rates import FIXED, case


def run_import(ledger, tmp_path, text: str):
    path = tmp_path / "bbk.csv"
    path.write_text(text, encoding="utf-8")
    return path, ledger.run("rates", "import", str(path))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e5", "sNaN", "12345678901234567890123456789", "99,5"])
def test_rate_that_is_no_base_rate_is_refused_and_nothing_written(ledger, tmp_path, value):
    """NaN, Infinity and 1e5 (read as 100000 %) were written into rates.csv."""
    path, result = run_import(ledger, tmp_path, f"2026-07;1,27;\n2026-08;{value};\n")
    assert result.exit_code == 1
    assert f"{path}:2: '{value}' is not a rate such as 1,27" in result.stderr
    assert not (ledger.root / "rates.csv").exists()


def test_negative_base_rates_still_read(ledger, tmp_path):
    """The German base rate was below zero from 2013 to 2022."""
    _, result = run_import(ledger, tmp_path, "2016-07;-0,88;\n")
    assert result.exit_code == 0, result.stderr
    assert "DE,2016-07-01,-0.88," in (ledger.root / "rates.csv").read_text(encoding="utf-8")


def test_duplicate_month_with_two_values_is_refused(ledger, tmp_path):
    """The second value silently won and was reported as '1 new, 1 changed'."""
    path, result = run_import(ledger, tmp_path, "2026-07;1,27;\n2026-07;9,99;\n")
    assert result.exit_code == 1
    assert f"{path}:2: 2026-07 is in the file twice, with 1,27 (line 1) and 9,99" in result.stderr
    assert not (ledger.root / "rates.csv").exists()


def test_bad_month_is_named_as_the_month(ledger, tmp_path):
    """'2026-13;1,27' said that 1,27 is not a rate."""
    path, result = run_import(ledger, tmp_path, "2026-13;1,27;\n")
    assert result.exit_code == 1
    assert f"{path}:1: '2026-13' is not a month" in result.stderr


@pytest.mark.parametrize("month", ["0000-07", "1000-01", "9999-12"])
def test_months_outside_any_sensible_table_are_refused(ledger, tmp_path, month):
    path, result = run_import(ledger, tmp_path, f"{month};1,27;\n")
    assert result.exit_code == 1
    assert f"{path}:1: '{month}' is not a month" in result.stderr


def test_hundreds_of_thousands_of_garbage_lines_are_a_short_message(ledger, tmp_path):
    path, result = run_import(ledger, tmp_path, "2026-07;zz;\n" * 700_000)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) <= 21  # the first 20 problems, then how many more
    assert "and 699980 more" in result.stderr


def test_file_far_too_large_for_the_series_is_refused_unread(ledger, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.truncate(60_000_000)
    result = ledger.run("rates", "import", str(path))
    assert result.exit_code == 1 and f"{path}: 60000000 bytes is too large" in result.stderr


def test_hand_edited_rates_csv_with_nan_is_a_problem_not_a_crash(ledger):
    (ledger.root / "rates.csv").write_text("country,from,rate,source,confirmed\nDE,2026-07-01,NaN,x,yes\n",
                                           encoding="utf-8")
    case(ledger, FIXED)
    result = ledger.run("check")
    assert result.exit_code == 1
    assert f"{ledger.root / 'rates.csv'}:2: not a base-rate row" in result.stdout
    statement = ledger.run("statement", "c", "--on", "2026-12-01")
    assert "Traceback" not in statement.output and "NaN" not in statement.stdout
