"""Every recording command appends the right entry, and only that."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ACME


def appended(ledger, case_id: str, *args: str) -> str:
    before = ledger.text(case_id)
    result = ledger.run(*args)
    assert result.exit_code == 0, result.stderr
    after = ledger.text(case_id)
    assert after.startswith(before)
    return after[len(before):]


@pytest.mark.parametrize(("args", "expected"), [
    (["call", "acme", "no_answer", "--at", "2026-11-03 10:05"],
     "  - at: 2026-11-03 10:05\n    event: call\n    outcome: no_answer\n"),
    (["call", "acme", "promised", "--promise-by", "2026-12-01", "--with", "assistant"],
     "  - at: 2026-11-22\n    event: call\n    outcome: promised\n    with: assistant\n"
     "    promise: {amount: 1190.00, by: 2026-12-01}\n"),
    (["sent", "acme", "dunning", "--to", "manager"],
     "  - at: 2026-11-22\n    event: letter\n    template: dunning\n    to: manager\n"),
    (["pay", "acme", "500", "--invoice", "RE-2026-017"],
     "  - at: 2026-11-22\n    event: payment\n    amount: 500.00\n    invoice: RE-2026-017\n"),
    (["promise", "acme", "1190", "--by", "2026-12-01"],
     "  - at: 2026-11-22\n    event: promise\n    amount: 1190.00\n    by: 2026-12-01\n"),
    (["credit", "acme", "90.5", "--reason", "late delivery"],
     "  - at: 2026-11-22\n    event: credit\n    amount: 90.50\n    reason: late delivery\n"),
    (["fee", "acme", "40", "--reason", "flat fee"],
     "  - at: 2026-11-22\n    event: fee\n    amount: 40.00\n    reason: flat fee\n"),
    (["dispute", "acme", "--note", "form broken"], "  - at: 2026-11-22\n    event: dispute\n    note: form broken\n"),
    (["resolve", "acme"], "  - at: 2026-11-22\n    event: resolved\n"),
    (["hold", "acme", "--until", "2027-01-10", "--reason", "hospital"],
     "  - at: 2026-11-22\n    event: hold\n    until: 2027-01-10\n    reason: hospital\n"),
    (["legal", "acme", "--route", "dunning_court", "--reference", "26-1234567"],
     "  - at: 2026-11-22\n    event: legal\n    route: dunning_court\n    reference: 26-1234567\n"),
    (["write-off", "acme", "--reason", "insolvent"],
     "  - at: 2026-11-22\n    event: written_off\n    reason: insolvent\n"),
    (["note", "acme", "new clerk"], "  - at: 2026-11-22\n    event: note\n    text: new clerk\n"),
    (["meeting", "acme", "promised", "--promise-by", "2026-12-15", "--at", "2026-11-20 15:00"],
     "  - at: 2026-11-20 15:00\n    event: meeting\n    outcome: promised\n"
     "    promise: {amount: 1190.00, by: 2026-12-15}\n"),
    (["signed", "acme", "--note", "by post"], "  - at: 2026-11-22\n    event: signed\n    note: by post\n"),
    (["invoice", "acme", "--number", "RE-2026-031", "--amount", "480", "--date", "2026-11-02"],
     "  - at: 2026-11-02\n    event: invoice\n    number: RE-2026-031\n    amount: 480.00\n"),
])
def test_recording_commands_append_one_entry(ledger, args, expected):
    ledger.case("acme", ACME)
    assert appended(ledger, "acme", *args) == expected
    assert ledger.run("check").exit_code == 0


def test_agree_splits_to_the_cent_with_the_rest_on_the_last(ledger):
    ledger.case("acme", ACME)
    text = appended(ledger, "acme", "agree", "acme", "--installments", "3", "--down-payment", "190.01",
                    "--first", "2027-01-31", "--every", "1m")
    assert text == ("  - at: 2026-11-22\n    event: agreement\n    installments:\n"
                    "      - {amount: 333.33, by: 2027-01-31}\n      - {amount: 333.33, by: 2027-02-28}\n"
                    "      - {amount: 333.33, by: 2027-03-31}\n"
                    "    down_payment: {amount: 190.01, by: 2026-11-30}\n")  # a week on is a Sunday


def test_agree_every_two_weeks_from_default_first(ledger):
    ledger.case("acme", ACME)
    text = appended(ledger, "acme", "agree", "acme", "--installments", "2", "--every", "2w")
    # two weeks after Sunday 2026-11-22 is a Sunday: the plan starts on the Monday
    assert "{amount: 595.00, by: 2026-12-07}" in text and "{amount: 595.00, by: 2026-12-21}" in text


@pytest.mark.parametrize(("args", "message"), [
    (["pay", "acme", "10", "--invoice", "RE-2026-018"], "has no invoice 'RE-2026-018'; did you mean 'RE-2026-017'?"),
    (["call", "acme", "promissed"], "did you mean 'promised'?"),
    (["call", "acme", "promised"], "--promise-by"),
    (["meeting", "acme", "no_answer"], "is not valid"),
    (["sent", "acme", "dunnig"], "did you mean 'dunning'?"),
    (["agree", "acme", "--installments", "3", "--every", "monthly"], "is not an interval"),
    (["invoice", "acme", "--number", "RE-2026-017", "--amount", "5"], "has an invoice RE-2026-017 already"),
    (["pay", "acme", "12.50.3"], "is not an amount"),  # 12,50 is read as 12.50
])
def test_bad_arguments_write_nothing(ledger, args, message):
    path = ledger.case("acme", ACME)
    before = path.read_bytes()
    result = ledger.run(*args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert path.read_bytes() == before


def test_new_creates_a_valid_case_and_refuses_to_overwrite(ledger):
    args = ["new", "acme-2026-017", "--customer", "Müller & Söhne KG", "--invoice", "RE-1", "--amount", "1190",
            "--date", "2026-10-01", "--email", "info@mueller.example", "--kind", "business"]
    assert ledger.run(*args).exit_code == 0
    data = json.loads(ledger.run("show", "acme-2026-017", "--json").stdout)
    assert (data["customer"], data["open"], data["overdue_days"]) == ("Müller & Söhne KG", "1190.00", 38)
    again = ledger.run(*args)
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_commit_commits_only_the_changed_file(ledger, monkeypatch):
    ledger.case("acme", ACME)
    git = ["git", "-C", str(ledger.root), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(ledger.root)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    (ledger.root / "scratch.txt").write_text("not mine")
    env_git = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": "t@example.org"}
    for key, value in env_git.items():
        monkeypatch.setenv(key, value)
    result = ledger.run("--commit", "call", "acme", "promised", "--promise-amount", "500", "--promise-by",
                        "2026-12-01")
    assert result.exit_code == 0, result.stderr
    log = subprocess.run([*git, "log", "-1", "--format=%s", "--name-only"], capture_output=True, text=True).stdout
    assert log.split("\n")[0] == "acme: call promised 500.00 by 2026-12-01"
    assert "cases/acme.yaml" in log and "scratch.txt" not in log


def test_init_creates_a_ledger(tmp_path):
    from typer.testing import CliRunner

    from receivables_cli.cli import app

    result = CliRunner().invoke(app, ["init", str(tmp_path / "book")])
    assert result.exit_code == 0
    assert (tmp_path / "book" / "cases").is_dir()
    assert "merge=union" in (tmp_path / "book" / ".gitattributes").read_text()
    check = CliRunner().invoke(app, ["check", "--ledger", str(tmp_path / "book")])
    assert check.exit_code == 1  # the example creditor must be replaced before letters go out
    assert all("dun.yaml:" in line and "is still the example" in line for line in check.stdout.splitlines())
    assert CliRunner().invoke(app, ["init", str(tmp_path / "book")]).exit_code == 1
