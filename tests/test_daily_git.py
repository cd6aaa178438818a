"""`--commit` in a real git repository: bank imports, appends made without --commit, print/ (issue 22, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_commit_lock import GIT_ENV, git
from tests.test_import_bank import DATA, write_cases


@pytest.fixture
def repo(ledger, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    write_cases(ledger)
    git(ledger.root, "init", "-q")
    git(ledger.root, "add", ".")
    git(ledger.root, "commit", "-qm", "start")
    return ledger


def status(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


def test_bank_import_with_commit_in_the_config_commits_the_import_log(repo):
    repo.config("git: {commit: true}\n")
    git(repo.root, "commit", "-qam", "commit on")
    assert repo.run("pay", "mueller-2026-033", "100").exit_code == 0  # the undo journal makes .dun/ first
    result = repo.run("import", "bank", str(DATA / "camt053-v02.xml"), "--record")
    assert result.exit_code == 0, result.output
    assert status(repo.root) == ""
    assert ".dun/bank-imports" in git(repo.root, "ls-files")
    assert git(repo.root, "log", "-1", "--format=%s").startswith("bank import: ")


def test_a_dun_folder_from_before_is_mended(repo):
    (repo.root / ".dun").mkdir()
    (repo.root / ".dun" / ".gitignore").write_text("*\n")
    result = repo.run("--commit", "import", "bank", str(DATA / "camt053-v02.xml"), "--record")
    assert result.exit_code == 0, result.output
    assert status(repo.root) == ""
    assert ".dun/bank-imports" in git(repo.root, "ls-files")


def test_sent_with_commit_after_entries_appended_without_it(repo):
    assert repo.run("note", "acme-2026-017", "called, all fine").exit_code == 0
    assert repo.run("note", "acme-2026-017", "second thought").exit_code == 0
    result = repo.run("sent", "acme-2026-017", "dunning", "--commit")
    assert result.exit_code == 0, result.output
    assert status(repo.root) == ""
    message = git(repo.root, "log", "-1", "--format=%s")
    assert "acme-2026-017" in message and "with 2 earlier entries not committed before" in message


def test_a_case_created_without_commit_is_added_by_the_next_commit(repo):
    result = repo.run("new", "neu-2026-001", "--customer", "Neu GmbH", "--invoice", "RE-1", "--amount", "100",
                      "--date", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert repo.run("--commit", "note", "neu-2026-001", "first call").exit_code == 0
    assert status(repo.root) == ""


def test_an_edit_in_the_middle_is_still_refused(repo):
    path = repo.root / "cases" / "acme-2026-017.yaml"
    path.write_text(path.read_text().replace("ACME GmbH", "ACME AG"))
    result = repo.run("note", "acme-2026-017", "x", "--commit")
    assert result.exit_code == 1 and "commit them first" in result.stderr
    assert "x" not in path.read_text().split("history:")[1]


def test_the_fix_command_printed_on_failure_works(repo):
    from receivables_cli.store.gitstep import GitStep

    (repo.root / ".dun").mkdir()
    (repo.root / ".dun" / ".gitignore").write_text("*\n")
    from receivables_cli.store.undo import private_dir

    private_dir(repo.root)
    log = repo.root / ".dun" / "bank-imports"
    log.write_text("2026-11-22\tabc\t1 matched\tx.xml\n")
    import subprocess

    command = GitStep(repo.root, log, str).by_hand("bank import")
    assert subprocess.run(command, shell=True, capture_output=True).returncode == 0
    assert status(repo.root) == ""


def test_init_keeps_print_out_and_the_print_folder_is_excluded(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from receivables_cli.cli import app
    from receivables_cli.store.gitstep import keep_out

    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "books"
    root.mkdir()
    git(root, "init", "-q")
    assert CliRunner().invoke(app, ["init", str(root)]).exit_code == 0
    assert "/print/" in (root / ".gitignore").read_text()
    (root / ".gitignore").write_text(".*.tmp\n")  # a ledger from before 0.4
    git(root, "add", ".")
    git(root, "commit", "-qm", "start")
    (root / "print").mkdir()
    (root / "print" / "a--dunning.pdf").write_bytes(b"%PDF")
    keep_out(root, "print")
    assert status(root) == ""
