"""Smaller attacks: undecodable arguments, formulas in `today --csv`, linked case files, bidi controls,
undo after a push without an upstream."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from tests.conftest import ACME


@pytest.fixture
def acme(ledger):
    ledger.case("acme", ACME)
    return ledger


@pytest.mark.parametrize("args", [[b"note", b"acme", b"a\xffb"],
                                  [b"pay", b"acme", b"10", b"--note", b"caf\xe9"],
                                  [b"new", b"x", b"--customer", b"ab\xe2\x82", b"--invoice", b"R1", b"--amount", b"1"]])
def test_an_argument_that_is_not_utf8_is_a_usage_error_not_a_traceback(acme, args):
    """`dun note CASE $'a\\xffb'` ended in a UnicodeEncodeError traceback."""
    before = acme.snapshot()
    env = {**os.environ, "DUN_LEDGER": str(acme.root), "DUN_TODAY": "2026-11-22"}
    done = subprocess.run([sys.executable.encode(), b"-m", b"receivables_cli", *args], env=env, capture_output=True,
                          timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "Traceback" not in err
    assert "is not valid UTF-8 text" in err and "nothing was done" in err
    assert acme.snapshot() == before


def test_today_csv_makes_formulas_inert_as_legal_csv_does(ledger):
    """`today --csv` wrote =HYPERLINK(...) unescaped."""
    ledger.case("evil", ACME.replace("name: ACME GmbH", 'name: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"'))
    result = ledger.run("today", "--csv", on="2026-11-03")
    assert result.exit_code == 0, result.stderr
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["customer"].startswith("'=HYPERLINK(")
    assert row["open"] == "1190.00"


def test_an_append_to_a_linked_case_file_writes_the_file_and_keeps_the_link(ledger, tmp_path):
    """The append replaced the link with a file of its own; the shared file was left behind."""
    shared = tmp_path / "shared" / "acme.yaml"
    shared.parent.mkdir()
    shared.write_text(ACME.lstrip("\n"), encoding="utf-8")
    link = ledger.root / "cases" / "acme.yaml"
    link.symlink_to(shared)
    assert ledger.run("note", "acme", "through the link").exit_code == 0
    assert link.is_symlink()
    assert "text: through the link" in shared.read_text(encoding="utf-8")
    assert ledger.run("undo", "acme").exit_code == 0
    assert link.is_symlink() and shared.read_text(encoding="utf-8") == ACME.lstrip("\n")


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a"])
def test_bidi_controls_are_refused_in_names(ledger, char):
    """'ACME \\u202eHbmG' shows as 'ACME GmbH' but is another name."""
    result = ledger.run("new", "acme", "--customer", f"ACME {char}HbmG", "--invoice", "R1", "--amount", "10",
                        "--date", "2026-10-01")
    assert result.exit_code == 1
    assert f"customer name contains the bidirectional control U+{ord(char):04X}" in result.stderr
    assert not (ledger.root / "cases" / "acme.yaml").exists()


def test_right_to_left_names_with_plain_marks_stay_allowed(ledger):
    result = ledger.run("new", "dalia", "--customer", "\u05d3\u05dc\u05d9\u05d4 \u200fGmbH", "--invoice", "R1",
                        "--amount", "10", "--date", "2026-10-01")
    assert result.exit_code == 0, result.stderr


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env)


def test_undo_is_refused_after_a_push_when_no_upstream_is_configured(acme, tmp_path):
    """`git push origin main` (no -u) sets no upstream: undo took back an entry others had."""
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", str(remote))
    _git(acme.root, "init", "-q", "-b", "main")
    _git(acme.root, "add", "cases")
    _git(acme.root, "commit", "-q", "-m", "start")
    _git(acme.root, "remote", "add", "origin", str(remote))
    acme.run("note", "acme", "pushed")
    _git(acme.root, "commit", "-q", "-am", "note")
    _git(acme.root, "push", "-q", "origin", "main")
    result = acme.run("undo", "acme")
    assert result.exit_code == 1 and "pushed already" in result.stderr and "origin/main" in result.stderr
    assert "text: pushed" in acme.text("acme")
