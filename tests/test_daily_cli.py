"""Daily use from the command line: no silent downgrades (issue 22, item 4)."""

from __future__ import annotations

from typer.testing import CliRunner

from receivables_cli.cli import app
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
