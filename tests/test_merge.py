"""The merge driver for case files, and two real clones recording on the same day."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from receivables_cli.store.mergefile import merge
from tests.conftest import DUN_YAML

GIT_ENV = {"GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@example.org", "GIT_COMMITTER_NAME": "Anna",
           "GIT_COMMITTER_EMAIL": "anna@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
# git runs the driver through the shell: `dun` must be on its PATH, as after a pip install
ENV = {**os.environ, **GIT_ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
       "DUN_TODAY": "2026-10-20"}

HEADER = "customer:\n  name: Nordlicht Versicherung AG\n  email: ap@nordlicht.example\nhistory:\n"
BASE = HEADER + "  - at: 2026-10-01\n    event: invoice\n    number: RE-7\n    amount: 2975.00\n"


def entry(at: str, text: str, comment: str = "") -> str:
    return f"  - at: {at}{comment}\n    event: note\n    text: {text}\n"


def test_both_sides_appended_entries_are_kept_whole_in_at_order():
    ours = BASE + entry("2026-10-20", "laptop") + entry("2026-10-22", "laptop later")
    theirs = BASE + entry("2026-10-21 09:00", "phone  # with a comment", "  # kept as written")
    merged, clean = merge(BASE, ours, theirs)
    assert clean
    assert merged == BASE + entry("2026-10-20", "laptop") + entry("2026-10-21 09:00", "phone  # with a comment",
                                                                "  # kept as written") + entry("2026-10-22",
                                                                                              "laptop later")


def test_entries_on_the_same_day_keep_ours_before_theirs_even_where_union_would_fuse_them():
    pay = "  - at: 2026-10-20\n    event: payment\n    amount: 100.00\n"
    ours, theirs = BASE + entry("2026-10-20", "from laptop") + pay, BASE + entry("2026-10-20", "from phone") + pay
    merged, clean = merge(BASE, ours, theirs)
    assert clean
    assert merged == BASE + entry("2026-10-20", "from laptop") + pay + entry("2026-10-20", "from phone") + pay


def test_a_header_edited_on_one_side_merges_with_the_others_entries():
    ours = BASE.replace("ap@nordlicht", "buchhaltung@nordlicht") + entry("2026-10-20", "laptop")
    theirs = BASE + entry("2026-10-20", "phone")
    merged, clean = merge(BASE, ours, theirs)
    assert clean and "buchhaltung@nordlicht" in merged and "laptop" in merged and "phone" in merged


def test_a_header_edited_differently_on_both_sides_is_a_conflict_and_the_entries_still_merge():
    ours = BASE.replace("ap@nordlicht", "buchhaltung@nordlicht") + entry("2026-10-20", "laptop")
    theirs = BASE.replace("ap@nordlicht", "finanzen@nordlicht") + entry("2026-10-20", "phone")
    merged, clean = merge(BASE, ours, theirs)
    assert not clean
    assert "<<<<<<< ours\n  email: buchhaltung@" in merged and ">>>>>>> theirs\n" in merged
    assert merged.endswith(entry("2026-10-20", "laptop") + entry("2026-10-20", "phone"))


def test_an_earlier_entry_edited_is_left_to_gits_own_merge():
    ours = BASE.replace("amount: 2975.00", "amount: 2795.00") + entry("2026-10-20", "laptop")
    theirs = BASE + entry("2026-10-20", "phone")
    merged, clean = merge(BASE, ours, theirs)
    assert not clean and "<<<<<<<" in merged  # both appended at the same place: git's text merge conflicts


def test_crlf_files_stay_crlf():
    crlf = BASE.replace("\n", "\r\n")
    merged, clean = merge(crlf, crlf + entry("2026-10-20", "a").replace("\n", "\r\n"),
                          crlf + entry("2026-10-19", "b").replace("\n", "\r\n"))
    assert clean and merged == crlf + (entry("2026-10-19", "b") + entry("2026-10-20", "a")).replace("\n", "\r\n")


def test_the_driver_writes_into_ours_and_exits_one_on_a_conflict(tmp_path):
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    files["base"].write_text(BASE)
    files["ours"].write_text(BASE.replace("Nordlicht", "Nordlicht Nord") + entry("2026-10-20", "x"))
    files["theirs"].write_text(BASE.replace("Nordlicht", "Nordlicht Süd"))
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "merge-file", *map(str, files.values())],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "<<<<<<<" in files["ours"].read_text()
    files["ours"].write_text(BASE + entry("2026-10-20", "x"))
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "merge-file", *map(str, files.values())],
                         capture_output=True, text=True)
    assert run.returncode == 0  # only theirs renamed the customer: taken, with our entry
    assert files["ours"].read_text() == BASE.replace("Nordlicht", "Nordlicht Süd") + entry("2026-10-20", "x")


def test_files_that_are_not_utf8_are_left_to_gits_merge(tmp_path):
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_bytes(b"customer: {name: M\xfcller}\nhistory:\n")
    ours.write_bytes(base.read_bytes() + b"  - at: 2026-10-20\n    event: note\n    text: a\n")
    theirs.write_bytes(base.read_bytes())
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "merge-file", str(base), str(ours), str(theirs)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert ours.read_bytes().endswith(b"text: a\n")


# two real clones --------------------------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True, text=True,
                          env=ENV)


def dun(ledger: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "receivables_cli", *args], capture_output=True, text=True,
                          env={**ENV, "DUN_LEDGER": str(ledger)})
    assert done.returncode == 0, done.stderr
    return done


def clones(tmp_path: Path, driver: bool) -> tuple[Path, Path]:
    origin, seed, laptop, phone = (tmp_path / n for n in ("origin.git", "seed", "laptop", "phone"))
    assert git(tmp_path, "init", "-q", "--bare", str(origin)).returncode == 0
    assert git(tmp_path, "init", "-q", str(seed)).returncode == 0
    dun(seed, "init", str(seed))
    (seed / "dun.yaml").write_text(DUN_YAML, encoding="utf-8")  # a real creditor, so that check is silent
    (seed / "cases" / "nordlicht.yaml").write_text(BASE)
    for args in (("add", "."), ("commit", "-qm", "ledger"), ("push", "-q", str(origin), "HEAD:main")):
        assert git(seed, *args).returncode == 0
    for clone in (laptop, phone):
        assert git(tmp_path, "clone", "-q", str(origin), str(clone)).returncode == 0
        if driver:
            dun(clone, "git-setup")
    return laptop, phone


@pytest.mark.parametrize("driver", [True, False], ids=["driver", "union-fallback"])
def test_two_clones_note_the_same_day_and_both_notes_are_kept(tmp_path, driver):
    laptop, phone = clones(tmp_path, driver)
    dun(laptop, "--commit", "note", "nordlicht", "note from laptop")
    assert git(laptop, "push", "-q").returncode == 0
    dun(phone, "--commit", "note", "nordlicht", "note from phone")
    pulled = git(phone, "pull", "-q", "--no-rebase", "--no-edit")
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    text = (phone / "cases" / "nordlicht.yaml").read_text()
    assert text.count("    event: note\n") == 2 and "note from laptop" in text and "note from phone" in text
    assert dun(phone, "check").stdout == ""
    assert git(phone, "status", "--porcelain").stdout == ""


def test_with_the_driver_entries_that_end_alike_merge_whole(tmp_path):
    laptop, phone = clones(tmp_path, driver=True)
    dun(laptop, "--commit", "pay", "nordlicht", "100")
    assert git(laptop, "push", "-q").returncode == 0
    dun(phone, "--commit", "pay", "nordlicht", "100")
    assert git(phone, "pull", "-q", "--no-rebase", "--no-edit").returncode == 0
    assert (phone / "cases" / "nordlicht.yaml").read_text().count("    amount: 100.00\n") == 2
    assert dun(phone, "check").stdout == ""


def test_without_the_driver_entries_that_end_alike_can_fuse_and_check_names_them(tmp_path):
    laptop, phone = clones(tmp_path, driver=False)
    dun(laptop, "--commit", "pay", "nordlicht", "100")
    assert git(laptop, "push", "-q").returncode == 0
    dun(phone, "--commit", "pay", "nordlicht", "100")
    assert git(phone, "pull", "-q", "--no-rebase", "--no-edit").returncode == 0
    check = subprocess.run([sys.executable, "-m", "receivables_cli", "check"], capture_output=True, text=True,
                           env={**ENV, "DUN_LEDGER": str(phone)})
    # the documented limit of the union fallback: said plainly, with both lines, never silently
    assert check.returncode == 1
    assert "nordlicht.yaml:9: entries fused by a merge: the entry on line 9 has nothing but 'at:'" in check.stdout
    assert "went to the entry on line 10" in check.stdout


def test_init_in_a_repository_registers_the_driver_and_git_setup_outside_one_says_so(tmp_path):
    assert git(tmp_path, "init", "-q", str(tmp_path / "book")).returncode == 0
    out = dun(tmp_path / "book", "init", str(tmp_path / "book")).stdout
    assert "registered dun's merge driver" in out
    assert git(tmp_path / "book", "config", "merge.dun.driver").stdout.strip().endswith("merge-file %O %A %B")
    assert (tmp_path / "book" / ".git" / "info" / "attributes").read_text() == "cases/*.yaml merge=dun\n"
    assert ".*.tmp" in (tmp_path / "book" / ".gitignore").read_text()
    (tmp_path / "plain").mkdir()
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "git-setup", "--ledger", str(tmp_path / "plain")],
                         capture_output=True, text=True, env=ENV)
    assert run.returncode == 1 and "not in a git repository" in run.stderr


def test_git_setup_for_a_ledger_in_a_subfolder_names_its_cases_from_the_top(tmp_path):
    assert git(tmp_path, "init", "-q", str(tmp_path / "repo")).returncode == 0
    (tmp_path / "repo" / "books" / "cases").mkdir(parents=True)
    dun(tmp_path / "repo" / "books", "git-setup")
    dun(tmp_path / "repo" / "books", "git-setup")  # twice: one line
    assert (tmp_path / "repo" / ".git" / "info" / "attributes").read_text() == "books/cases/*.yaml merge=dun\n"
