"""`dun undo` (only dun's own, unchanged, unpushed last append) and `dun edit` (saved only when valid)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ACME


@pytest.fixture
def acme(ledger):
    ledger.case("acme", ACME)
    return ledger


def test_undo_removes_the_last_append_and_restores_the_file_byte_for_byte(acme):
    before = acme.text("acme")
    assert acme.run("pay", "acme", "500", "--note", "first half").exit_code == 0
    result = acme.run("undo", "acme")
    assert result.exit_code == 0, result.stderr
    assert "event: payment" in result.stdout and "amount: 500.00" in result.stdout
    assert acme.text("acme") == before


def test_undo_removes_both_entries_of_one_command(acme):
    acme.config("fees:\n  dunning: 5\n")
    before = acme.text("acme")
    assert acme.run("sent", "acme", "dunning").exit_code == 0
    assert "event: fee" in acme.text("acme")
    assert acme.run("undo", "acme").exit_code == 0
    assert acme.text("acme") == before


def test_undo_works_once(acme):
    acme.run("note", "acme", "one")
    acme.run("note", "acme", "two")
    assert acme.run("undo", "acme").exit_code == 0
    again = acme.run("undo", "acme")
    assert again.exit_code == 1 and "nothing to undo" in again.stderr
    assert "text: one" in acme.text("acme")


def test_undo_is_refused_when_the_last_entry_was_edited(acme):
    acme.run("note", "acme", "typo")
    path = acme.root / "cases" / "acme.yaml"
    path.write_text(path.read_text().replace("text: typo", "text: fixed by hand"))
    before = path.read_bytes()
    result = acme.run("undo", "acme")
    assert result.exit_code == 1 and "changed since dun's last append" in result.stderr
    assert path.read_bytes() == before


def test_undo_is_refused_when_the_last_entry_is_not_duns(acme):
    acme.run("note", "acme", "by dun")
    path = acme.root / "cases" / "acme.yaml"
    with path.open("a") as f:
        f.write("  - at: 2026-11-20\n    event: note\n    text: typed by hand\n")
    result = acme.run("undo", "acme")
    assert result.exit_code == 1
    assert "typed by hand" in acme.text("acme") and "by dun" in acme.text("acme")


def test_undo_without_any_append_is_refused(acme):
    result = acme.run("undo", "acme")
    assert result.exit_code == 1 and "nothing to undo" in result.stderr


def test_the_journal_lives_in_an_ignored_folder(acme):
    acme.run("note", "acme", "x")
    assert (acme.root / ".dun" / ".gitignore").read_text() == "*\n!bank-imports\n"  # all but the import log


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env)


@pytest.fixture
def cloned(acme, tmp_path):
    """The ledger as a clone of a bare remote, with the case pushed."""
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", str(remote))
    _git(acme.root, "init", "-q", "-b", "main")
    _git(acme.root, "add", "cases")
    _git(acme.root, "commit", "-q", "-m", "start")
    _git(acme.root, "remote", "add", "origin", str(remote))
    _git(acme.root, "push", "-q", "-u", "origin", "main")
    return acme


def test_undo_in_git_works_while_uncommitted_or_unpushed(cloned):
    before = cloned.text("acme")
    cloned.run("note", "acme", "uncommitted")
    assert cloned.run("undo", "acme").exit_code == 0
    assert cloned.text("acme") == before
    cloned.run("note", "acme", "committed, not pushed")
    _git(cloned.root, "commit", "-q", "-am", "note")
    assert cloned.run("undo", "acme").exit_code == 0
    assert cloned.text("acme") == before


def test_undo_is_refused_once_pushed(cloned):
    cloned.run("note", "acme", "pushed")
    _git(cloned.root, "commit", "-q", "-am", "note")
    _git(cloned.root, "push", "-q")
    result = cloned.run("undo", "acme")
    assert result.exit_code == 1 and "pushed already" in result.stderr
    assert "text: pushed" in cloned.text("acme")


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """A real $EDITOR: a script that writes the next of the given contents into the file it is given."""
    queue = tmp_path / "editor-queue"

    def use(*contents: str):
        queue.mkdir(exist_ok=True)
        for i, text in enumerate(contents):
            (queue / f"{i:02}").write_text(text)
        script = tmp_path / "fake-editor.py"
        script.write_text(textwrap.dedent(f"""
            import pathlib, sys
            queue = sorted(pathlib.Path({str(queue)!r}).iterdir())
            if queue:
                pathlib.Path(sys.argv[1]).write_text(queue[0].read_text())
                queue[0].unlink()
        """))
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
        monkeypatch.delenv("VISUAL", raising=False)

    return use


GOOD = ACME.lstrip("\n") + "  - at: 2026-11-20\n    event: note\n    text: added by hand\n"
BROKEN = ACME.lstrip("\n") + "  - at: 2026-11-20\n    event: nota\n"


def test_edit_saves_a_valid_file(acme, editor):
    editor(GOOD)
    result = acme.run("edit", "acme")
    assert result.exit_code == 0, result.output
    assert acme.text("acme") == GOOD


def test_a_broken_save_keeps_the_old_file_when_asked(acme, editor):
    before = acme.text("acme")
    editor(BROKEN)
    result = acme.run("edit", "acme", input="k\n")
    assert result.exit_code == 1
    assert "acme.yaml:14: event 'nota'" in result.stderr
    assert "(e)dit again, (k)eep the old file" in result.stdout
    assert acme.text("acme") == before


def test_a_broken_save_can_be_edited_again(acme, editor):
    editor(BROKEN, GOOD)
    result = acme.run("edit", "acme", input="e\n")
    assert result.exit_code == 0, result.output
    assert acme.text("acme") == GOOD


def test_edit_without_a_terminal_answer_keeps_the_old_file(acme, editor):
    before = acme.text("acme")
    editor(BROKEN)
    assert acme.run("edit", "acme", input="").exit_code == 1
    assert acme.text("acme") == before


def test_edit_refuses_when_the_file_changed_meanwhile(acme, tmp_path, monkeypatch):
    case = acme.root / "cases" / "acme.yaml"
    script = tmp_path / "racing-editor.py"
    script.write_text(textwrap.dedent(f"""
        import pathlib, sys
        pathlib.Path(sys.argv[1]).write_text({GOOD!r})
        real = pathlib.Path({str(case)!r})
        real.write_text(real.read_text() + "  - at: 2026-11-21\\n    event: note\\n    text: meanwhile\\n")
    """))
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = acme.run("edit", "acme")
    assert result.exit_code == 1 and "changed while you were editing" in result.stderr
    assert "meanwhile" in acme.text("acme") and "added by hand" not in acme.text("acme")
    assert (acme.root / ".dun" / "edited-acme.yaml").read_text() == GOOD


def test_edit_breaks_the_undo_of_the_entry_before(acme, editor):
    acme.run("note", "acme", "x")
    editor(GOOD)
    acme.run("edit", "acme")
    assert acme.run("undo", "acme").exit_code == 1
    assert acme.text("acme") == GOOD


def test_undo_and_edit_commit_when_asked(cloned, editor, monkeypatch):
    for key, value in (("GIT_AUTHOR_NAME", "t"), ("GIT_AUTHOR_EMAIL", "t@example.org"),
                       ("GIT_COMMITTER_NAME", "t"), ("GIT_COMMITTER_EMAIL", "t@example.org")):
        monkeypatch.setenv(key, value)
    before = cloned.text("acme")
    assert cloned.run("note", "acme", "typo", "--commit").exit_code == 0
    result = cloned.run("undo", "acme", "--commit")
    assert result.exit_code == 0, result.output
    assert cloned.text("acme") == before
    editor(GOOD)
    assert cloned.run("edit", "acme", "--commit").exit_code == 0
    log = _git(cloned.root, "log", "--format=%s").stdout.splitlines()
    assert log[:3] == ["acme: edited by hand", "acme: undo the last entry", "acme: note"]
    assert _git(cloned.root, "status", "--porcelain", "--", "cases").stdout == ""
    assert ".dun" not in _git(cloned.root, "status", "--porcelain").stdout  # it ignores itself
