"""Daily use from the command line: no silent downgrades (issue 22, item 4), input as people type it (item 3)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from receivables_cli.cli import app
from receivables_cli.cli.typed import amount_text, date_text
from receivables_cli.domain.errors import UsageError
from tests.test_daily_agenda import ACME


def test_init_writes_a_commented_mail_key(tmp_path):
    assert CliRunner().invoke(app, ["init", str(tmp_path / "books")]).exit_code == 0
    text = (tmp_path / "books" / "dun.yaml").read_text()
    assert '# mail: {command: "msmtp -t"}' in text


def test_the_send_it_hint_uses_the_configured_mail_command(ledger):
    ledger.config('mail: {command: "sendmail -t -i"}\n')
    ledger.case("acme", ACME)
    result = ledger.run("call", "acme", input="2\n\n1190\n2026-11-20\n", on="2026-11-03")  # promised
    assert result.exit_code == 0, result.output
    assert "| sendmail -t -i && dun sent acme promise-confirmation" in result.stdout
    assert "msmtp" not in result.stdout


def test_without_a_mail_command_the_hint_says_msmtp_is_an_example(ledger):
    ledger.case("acme", ACME)
    result = ledger.run("call", "acme", input="2\n\n1190\n2026-11-20\n", on="2026-11-03")
    assert "| msmtp -t" in result.stdout and "set your mail command in dun.yaml" in result.stdout


# --- input as people type it (item 3) ---------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "language", "read"), [
    ("119,50", "de", "119.50"), ("119,50", "en", "119.50"), ("1.190,00", "de", "1190.00"),
    ("1,190.00", "en", "1190.00"), ("1.190,00", "en", "1190.00"), ("1.190", "de", "1190"),
    ("1,190", "en", "1190"), ("1.190.000", "de", "1190000"), ("1190.5", "de", "1190.5"), ("1190", "en", "1190"),
    ("119,50 €", "de", "119.50"),
])
def test_amounts_as_typed(typed, language, read):
    assert amount_text(typed, "AMOUNT", language) == read


@pytest.mark.parametrize(("typed", "language"), [("1.190", "en"), ("1,190", "de"), ("1,190", None)])
def test_an_amount_that_reads_two_ways_is_refused_with_both(typed, language):
    with pytest.raises(UsageError) as e:
        amount_text(typed, "AMOUNT", language)
    assert "1190 or 1.190" in str(e.value)


@pytest.mark.parametrize(("typed", "read"), [
    ("23.10.2026", "2026-10-23"), ("23.10.26", "2026-10-23"), ("3.1.2027", "2027-01-03"), ("23.10.", "2026-10-23"),
    ("2.1.", "2027-01-02"), ("23/10/2026", "2026-10-23"), ("2026-10-23", "2026-10-23"), ("5/5/2026", "2026-05-05"),
])
def test_dates_as_typed(typed, read):
    from datetime import date

    assert date_text(typed, "--by", date(2026, 11, 22)) == read


def test_a_slashed_date_that_reads_two_ways_is_refused_with_both():
    from datetime import date

    with pytest.raises(UsageError) as e:
        date_text("03/04/2026", "--by", date(2026, 11, 22))
    assert "2026-04-03 (day/month) or 2026-03-04 (month/day)" in str(e.value)


def test_pay_and_promise_as_a_german_user_types_them(ledger):
    ledger.case("acme", ACME)
    result = ledger.run("pay", "acme", "119,50", "--at", "20.11.2026")
    assert result.exit_code == 0, result.output
    assert "amount: 119.50" in ledger.text("acme") and "at: 2026-11-20" in ledger.text("acme")
    result = ledger.run("promise", "acme", "1.070,50", "--by", "30.11.")
    assert result.exit_code == 0, result.output
    assert "amount: 1070.50\n    by: 2026-11-30" in ledger.text("acme")


def test_an_english_ledger_refuses_1_190_with_both_readings(ledger):
    ledger.config("language: en\n")
    ledger.case("acme", ACME)
    result = ledger.run("pay", "acme", "1.190")
    assert result.exit_code == 2 and "reads two ways: 1190 or 1.190" in result.stderr


def test_a_promise_in_the_past_is_refused_unless_forced(ledger):
    ledger.case("acme", ACME)
    before = ledger.text("acme")
    result = ledger.run("promise", "acme", "500", "--by", "2026-11-20")
    assert result.exit_code == 1 and "--by 2026-11-20 is in the past" in result.stderr
    result = ledger.run("call", "acme", "promised", "--promise-by", "20.11.2026")
    assert result.exit_code == 1 and "in the past" in result.stderr
    assert ledger.text("acme") == before
    # recorded late: made on the 18th for the 20th, both past
    assert ledger.run("promise", "acme", "500", "--by", "2026-11-20", "--at", "2026-11-18", "--force").exit_code == 0


def test_a_first_instalment_in_the_past_is_refused_unless_forced(ledger):
    ledger.case("acme", ACME)
    result = ledger.run("agree", "acme", "--installments", "3", "--first", "01.11.2026")
    assert result.exit_code == 1 and "--first 2026-11-01 is in the past" in result.stderr
    assert ledger.run("agree", "acme", "--installments", "3", "--first", "01.12.2026").exit_code == 0
