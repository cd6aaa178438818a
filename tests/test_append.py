"""Appends keep every old byte, queue under the lock, and refuse what is unsafe."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receivables_cli.store import safewrite
from tests.conftest import ACME

COMMENTED = """
# ACME: hand-written notes stay where they are
customer:
  name: ACME GmbH   # the legal name
  kind: business
history:
    # an odd indent on purpose
    - at: 2026-10-01
      event: invoice
      number: RE-2026-017
      amount: 1190.00   # gross
    # last comment
"""


def test_append_keeps_old_bytes_as_exact_prefix(ledger):
    path = ledger.case("acme", COMMENTED)
    before = path.read_bytes()
    result = ledger.run("pay", "acme", "500", "--at", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == "    - at: 2026-11-20\n      event: payment\n      amount: 500.00\n"


def test_append_to_file_without_final_newline_and_crlf(ledger):
    path = ledger.root / "cases" / "crlf.yaml"
    path.write_bytes(ACME.lstrip().replace("\n", "\r\n").rstrip(b"\r\n".decode()).encode())
    before = path.read_bytes()
    assert ledger.run("note", "crlf", "called the bank").exit_code == 0
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before):] == b"\r\n  - at: 2026-11-22\r\n    event: note\r\n    text: called the bank\r\n"


def test_history_not_last_is_refused(ledger):
    path = ledger.case("x", "history:\n  - at: 2026-10-01\n    event: note\n    text: a\ncustomer:\n  name: X\n")
    before = path.read_bytes()
    result = ledger.run("note", "x", "b")
    assert result.exit_code == 1
    assert "'history:' must be the last key" in result.stderr
    assert path.read_bytes() == before


def test_file_changed_between_read_and_rename_is_refused(ledger, monkeypatch):
    path = ledger.case("acme", ACME)

    def editor_saves(tmp):
        path.write_text(path.read_text() + "# edited meanwhile\n")

    monkeypatch.setattr(safewrite, "_before_rename", editor_saves)
    result = ledger.run("note", "acme", "lost?")
    assert result.exit_code == 1
    assert "changed while dun was writing" in result.stderr
    assert path.read_text().endswith("# edited meanwhile\n")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_text_that_needs_quoting_reads_back_exactly(ledger):
    path = ledger.case("acme", ACME)
    tricky = 'yes: "quoted" # not a comment\\ - [x] {y} ü'
    assert ledger.run("note", "acme", tricky).exit_code == 0
    assert ledger.run("show", "acme", "--json").stdout.count("not a comment") == 1
    assert '"text": "yes: \\"quoted\\" # not a comment\\\\ - [x] {y} ü"' in ledger.run("show", "acme", "--json").stdout
    assert path.read_text().count("- at:") == 2


def test_twelve_concurrent_processes_lose_nothing(ledger):
    path = ledger.case("acme", ACME)
    env = {"DUN_LEDGER": str(ledger.root), "DUN_TODAY": "2026-11-22", "PATH": "/usr/bin:/bin"}

    def note(i):
        return subprocess.run([sys.executable, "-m", "receivables_cli", "note", "acme", f"note {i}"],
                              env=env, capture_output=True, text=True)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(note, range(12)))
    assert [r.returncode for r in results] == [0] * 12, [r.stderr for r in results]
    text = path.read_text()
    assert sorted(int(line.split()[-1]) for line in text.splitlines() if "text: note" in line) == list(range(12))
    assert ledger.run("check").exit_code == 0


def test_read_only_commands_leave_the_ledger_byte_identical(ledger):
    ledger.case("acme", COMMENTED)
    ledger.case("bad", "customer:\n  name: X\n  kind: nope\n")
    before = ledger.snapshot()
    read_only = (["show", "acme"], ["show", "acme", "--json"], ["list"], ["list", "--all", "--json"], ["check"],
                 ["today"], ["today", "--json", "--ahead", "30"], ["today", "--ics"], ["today", "--csv"],
                 ["why", "acme"], ["statement", "acme"], ["brief", "acme"], ["report", "--json"],
                 ["letter", "acme", "dunning", "--format", "html"], ["call", "acme"])
    for args in read_only:
        ledger.run(*args, input="")
    assert ledger.snapshot() == before


_note = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
_amount = st.decimals(min_value="0.01", max_value="99999.99", places=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(st.tuples(st.just("note"), _note), st.tuples(st.just("pay"), _amount)),
                      min_size=1, max_size=5))
def test_any_sequence_of_appends_round_trips(ledger, steps):
    path = ledger.case("acme", COMMENTED)
    for kind, value in steps:
        before = path.read_bytes()
        force = ("--force",) if kind == "pay" else ()  # the sums may exceed what is open: overpayments
        result = ledger.run(kind, "acme", *force, "--", str(value))
        assert result.exit_code == 0, result.stderr
        assert path.read_bytes().startswith(before)
    history = __import__("json").loads(ledger.run("show", "acme", "--json").stdout)["history"]
    got = [(h["event"], h.get("text") or h.get("amount")) for h in history[1:]]
    assert got == [("payment" if k == "pay" else "note", v if k == "note" else f"{v:.2f}") for k, v in steps]


def test_inline_history_is_refused_with_a_fix(ledger):
    path = ledger.case("x", "customer:\n  name: X\nhistory: []\n")
    result = ledger.run("note", "x", "hello")
    assert result.exit_code == 1 and "x.yaml:3: history is written inline ([])" in result.stderr
    assert path.read_text() == "customer:\n  name: X\nhistory: []\n"


def test_empty_history_gets_its_first_entry(ledger):
    path = ledger.case("x", "customer:\n  name: X\nhistory:\n")
    assert ledger.run("note", "x", "first").exit_code == 0
    assert path.read_text().endswith("history:\n  - at: 2026-11-22\n    event: note\n    text: first\n")


def test_append_after_a_block_scalar_and_a_comment(ledger):
    path = ledger.case("x", ACME + "  - at: 2026-11-01\n    event: note\n    text: |\n      two lines\n"
                                   "      of text\n# trailing comment\n")
    assert ledger.run("pay", "x", "10").exit_code == 0
    history = __import__("json").loads(ledger.run("show", "x", "--json").stdout)["history"]
    assert history[-2]["text"] == "two lines\nof text\n"
    assert history[-1] == {"at": "2026-11-22", "event": "payment", "amount": "10.00"}
    assert ledger.run("check").exit_code == 0 and path.read_text().count("- at:") == 3


def test_an_append_keeps_the_files_mode_and_group(ledger):
    import os

    path = ledger.case("acme", ACME)
    os.chmod(path, 0o600)
    group = os.stat(path).st_gid
    assert ledger.run("note", "acme", "private").exit_code == 0
    assert (os.stat(path).st_mode & 0o777, os.stat(path).st_gid) == (0o600, group)


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_the_next_write_removes_temp_files_of_dead_writers_only(ledger):
    import os

    ledger.case("acme", ACME)
    cases = ledger.root / "cases"
    dead = cases / f".acme.yaml.{_dead_pid()}.tmp"
    mine = cases / f".acme.yaml.{os.getppid()}.tmp"  # a running process: a write in progress
    for tmp in (dead, mine):
        tmp.write_text("half a write")
    assert ledger.run("note", "acme", "after a crash").exit_code == 0
    assert not dead.exists() and mine.exists()


def test_check_fix_removes_temp_files_of_dead_writers(ledger):
    ledger.case("acme", ACME)
    dead = ledger.root / "cases" / f".acme.yaml.{_dead_pid()}.tmp"
    dead.write_text("half a write")
    result = ledger.run("check", "--fix")
    assert result.exit_code == 0 and "removed" in result.stderr and not dead.exists()


def test_a_case_id_too_long_for_the_temp_file_is_refused_with_a_message(ledger):
    result = ledger.run("new", "a" * 246, "--customer", "X", "--invoice", "R1", "--amount", "10")
    assert result.exit_code == 1 and "a case id has at most 200 characters" in result.stderr
    assert ledger.run("new", "a" * 200, "--customer", "X", "--invoice", "R1", "--amount", "10").exit_code == 0
