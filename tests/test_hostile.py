"""Hostile and broken files: a clear message within a second, and the other cases still work."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receivables_cli.store.casefile import load_case
from tests.conftest import ACME

DATA = Path(__file__).parent / "data"

# file in tests/data -> (line, part of the message)
CORPUS = {
    "alias-bomb.yaml": (1, "anchors and aliases"),
    "deep-nesting.yaml": (None, "nested deeper than"),
    "binary-garbage.yaml": (None, "not valid UTF-8"),
    "invalid-utf8.yaml": (2, "not valid UTF-8"),
    "conflict-markers.yaml": (8, "git conflict marker"),
    "empty.yaml": (1, "the file has no content"),
    "only-a-comment.yaml": (1, "the file has no content"),
    "event-split-in-two.yaml": (10, "entries fused by a merge: lines 8 and 10 both say at:"),
    "fused-by-union.yaml": (8, "entries fused by a merge: the entry on line 8 has nothing but 'at:'"),
    "indentation-mix.yaml": (8, "entries start at 2 and 4 spaces"),
    "nul-byte.yaml": (6, "character U+0000 is not allowed"),
    "huge-amount.yaml": (7, "more than 15 digits before the point"),
    "unicode-digits.yaml": (7, "'１０' is not an amount"),
    "line-separator.yaml": (6, "number contains a control character U+2028"),
    "far-future.yaml": (4, "outside the dates dun handles"),
    "bidi-override.yaml": (2, "customer name contains the bidirectional control U+202E"),
    "bidi-isolate.yaml": (3, "bidirectional control U+2066"),
}
# files whose parse could kill the interpreter: only ever read in a child process
CRASHERS = {"block-nesting.yaml": (1, "nested deeper than 32 levels")}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_gives_a_clear_message_fast_and_spares_the_others(ledger, name):
    ledger.case("acme", ACME)
    shutil.copy(DATA / name, ledger.root / "cases" / name)
    line, message = CORPUS[name]
    start = time.perf_counter()
    result = ledger.run("today", "--json", "--on", "2026-11-03")
    assert time.perf_counter() - start < 1.0
    assert result.exit_code == 1
    assert [i["case"] for i in json.loads(result.stdout)] == ["acme"]
    where = f"{name}:{line}: " if line else f"{name}:"
    assert where in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_ten_megabyte_file_is_refused_without_parsing(ledger):
    ledger.case("acme", ACME)
    big = ledger.root / "cases" / "huge.yaml"
    big.write_text(ACME + "".join(f"  - at: 2026-11-01\n    event: note\n    text: line {i}\n" for i in range(250_000)))
    assert big.stat().st_size > 10_000_000
    start = time.perf_counter()
    result = ledger.run("check")
    assert time.perf_counter() - start < 1.0
    assert "huge.yaml:1: the file is" in result.stdout and "more than a case file can be" in result.stdout


yaml_text = st.recursive(
    st.one_of(st.text(max_size=12), st.integers().map(str), st.sampled_from(["2026-02-30", "1.005", "-3", "~"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["at", "event", "amount", "customer", "history", "name",
                                                             "number", "outcome", "promise", "by", "x"]), inner,
                                            max_size=5)),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(doc=yaml_text)
def test_random_documents_never_raise_only_problems_with_a_line(doc):
    import yaml

    text = yaml.safe_dump(doc, allow_unicode=True) if not isinstance(doc, str) else doc
    case, problems = load_case(Path("cases/x.yaml"), text)
    assert (case is None) == bool(problems)
    assert all(p.line >= 0 and p.message for p in problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_random_text_never_raises(text):
    load_case(Path("cases/x.yaml"), text)


@st.composite
def histories(draw):
    kinds = ["invoice", "payment", "call", "letter", "promise", "agreement", "dispute", "resolved", "hold", "note",
             "credit", "fee", "legal", "written_off", "signed", "interest", "meeting"]
    lines = ["customer:", "  name: X", f"  kind: {draw(st.sampled_from(['private', 'business', 'public']))}",
             "history:", "  - at: 2026-01-05", "    event: invoice", "    number: R0", "    amount: 1000"]
    for i in range(draw(st.integers(0, 15))):
        day = f"2026-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        kind = draw(st.sampled_from(kinds))
        body = {"invoice": [f"number: R{i + 1}", "amount: 120.50"], "payment": ["amount: 99.99"],
                "call": [f"outcome: {draw(st.sampled_from(['reached', 'no_answer', 'refused', 'hardship']))}"],
                "meeting": ["outcome: promised", "promise: {amount: 50, by: 2026-12-01}"],
                "letter": [f"template: {draw(st.sampled_from(['reminder', 'dunning', 'final-notice']))}"],
                "promise": ["amount: 10", "by: 2026-11-30"],
                "agreement": ["installments:", "  - {amount: 100, by: 2026-12-01}"],
                "dispute": ["note: n"], "resolved": [], "hold": ["until: 2026-12-24", "reason: r"],
                "note": ["text: t"], "credit": ["amount: 5", "reason: r"], "fee": ["amount: 1", "reason: r"],
                "legal": ["route: lawyer"], "written_off": ["reason: r"], "signed": [], "interest": ["amount: 2"]}
        lines += [f"  - at: {day}", f"    event: {kind}"] + [f"    {x}" for x in body[kind]]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=histories(), day=st.dates(min_value=__import__("datetime").date(2026, 1, 1),
                                      max_value=__import__("datetime").date(2027, 12, 31)))
def test_any_event_sequence_folds_and_plans_without_error(ledger, text, day):
    ledger.case("c", text)
    for args in (["today", "--json"], ["why", "c"], ["statement", "c", "--json"], ["show", "c", "--json"]):
        result = ledger.run(*args, "--on", day.isoformat())
        assert result.exit_code == 0, (args, result.stderr)


def test_a_write_killed_before_the_rename_leaves_the_old_file_and_nothing_for_check(ledger):
    path = ledger.case("acme", ACME)
    before = path.read_bytes()
    code = ("import os, signal, sys\n"
            "from receivables_cli.store import safewrite\n"
            "safewrite._before_rename = lambda tmp: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from receivables_cli.cli import main\n"
            "sys.argv = ['dun', 'note', 'acme', 'lost in the crash']\n"
            "main()\n")
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-22")
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "acme.yaml"]
    assert leftovers and all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)
    result = ledger.run("check")
    assert (result.exit_code, result.stdout) == (0, "")
    assert ledger.run("note", "acme", "after the crash").exit_code == 0


def test_two_hundred_thousand_nested_brackets_do_not_crash_the_interpreter(ledger):
    ledger.case("acme", ACME)
    (ledger.root / "cases" / "brackets.yaml").write_text("customer:\n  name: " + "[" * 200_000 + "]" * 200_000 + "\n")
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-03")
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "today"], env=env, capture_output=True, text=True)
    assert run.returncode == 1  # a crash would be -11
    assert "brackets.yaml:2: nested deeper than 32 levels" in run.stderr
    assert "collection_call" in run.stdout


def _dun(root: Path, *args: str, timeout: float = 5, on: str = "2026-11-03") -> subprocess.CompletedProcess:
    env = dict(os.environ, DUN_LEDGER=str(root), DUN_TODAY=on)
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _special_files(cases: Path) -> list[str]:
    """Entries of cases/ that are not regular files: they cannot live in tests/data."""
    os.mkfifo(cases / "fifo.yaml")
    (cases / "zero.yaml").symlink_to("/dev/zero")
    (cases / "dangling.yaml").symlink_to(cases / "nowhere")
    (cases / "loop.yaml").symlink_to(cases / "loop.yaml")
    (cases / "folder.yaml").mkdir()
    return ["fifo.yaml", "zero.yaml", "dangling.yaml", "loop.yaml", "folder.yaml"]


@pytest.mark.parametrize("command", ["check", "list", "today", "report"])
def test_thirty_thousand_levels_of_block_nesting_are_refused_not_a_segfault(ledger, command):
    ledger.case("acme", ACME)
    shutil.copy(DATA / "block-nesting.yaml", ledger.root / "cases")
    run = _dun(ledger.root, command)
    assert run.returncode == 1, run  # a crash would be -11
    assert "block-nesting.yaml:1: nested deeper than 32 levels" in run.stdout + run.stderr
    if command != "check":
        assert "acme" in run.stdout or "ACME" in run.stdout


def test_a_big_file_of_shallow_brackets_gives_one_message_quickly(ledger):
    ledger.case("acme", ACME)
    row = "- [[a, b], {c: [d]}]\n"
    (ledger.root / "cases" / "brackets.yaml").write_text(row * (3_900_000 // len(row)))
    run = _dun(ledger.root, "check")  # was 29 s and 900 MB
    assert run.returncode == 1
    assert run.stdout.count("brackets.yaml") == 1 and "more than 400000 values" in run.stdout


@pytest.mark.parametrize("name", ["fifo.yaml", "zero.yaml", "dangling.yaml", "loop.yaml", "folder.yaml"])
def test_an_entry_that_is_not_a_regular_file_is_named_and_skipped(ledger, name):
    ledger.case("acme", ACME)
    _special_files(ledger.root / "cases")
    for command in ("check", "list", "today", "report", "--no-cache today --json"):  # no cache: no stat in the listing
        run = _dun(ledger.root, *command.split())
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, (command, run.stderr)
        assert f"{name}:1: not a regular file" in run.stdout + run.stderr, (command, run)


def test_a_link_to_a_regular_case_file_is_read(ledger, tmp_path):
    elsewhere = tmp_path / "kept-elsewhere.yaml"
    elsewhere.write_text(ACME.lstrip("\n"))
    (ledger.root / "cases" / "acme.yaml").symlink_to(elsewhere)
    assert ledger.run("check").exit_code == 0
    assert "ACME GmbH" in ledger.run("list").stdout


READ_COMMANDS = (["check"], ["list"], ["today"], ["today", "--json"], ["report"], ["show", "acme"],
                 ["statement", "acme"], ["outbox", "--dir", "OUT"])


def test_every_read_command_survives_the_whole_corpus_beside_a_good_case(ledger, tmp_path):
    ledger.case("acme", ACME)
    cases = ledger.root / "cases"
    for name in [*CORPUS, *CRASHERS]:
        shutil.copy(DATA / name, cases / name)
    _special_files(cases)
    (ledger.root / ".dun").mkdir()
    (ledger.root / ".dun" / "bank-imports").symlink_to("/dev/zero")  # committed with the ledger: a partner plants it
    row = "- [[a, b], {c: [d]}]\n"
    (cases / "shallow-brackets.yaml").write_text(row * (3_900_000 // len(row)))
    before = {p.name: p.read_bytes() for p in cases.iterdir() if p.is_file() and not p.is_symlink()
              and p.name != "fifo.yaml"}
    for args in READ_COMMANDS:
        args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
        run = _dun(ledger.root, *args)  # the timeout is the bound: 5 s
        assert run.returncode in (0, 1), (args, run.returncode, run.stderr[-500:])
        assert "Traceback" not in run.stderr, (args, run.stderr[-2000:])
        if args[0] in ("list", "today", "report", "show", "statement"):
            assert "ACME" in run.stdout or "acme" in run.stdout, (args, run.stdout)
    assert before == {n: (cases / n).read_bytes() for n in before}


def test_a_case_dated_near_the_end_of_the_calendar_gives_a_message_not_an_overflow(ledger):
    ledger.case("acme", ACME)
    shutil.copy(DATA / "far-future.yaml", ledger.root / "cases")
    result = ledger.run("today", on="9000-12-31")
    assert "far-future.yaml:4: at: 9999-12-20 is outside the dates dun handles" in result.stderr
    assert ledger.run("today", on="9999-12-31").exit_code == 2  # --on / DUN_TODAY out of range: a usage error


@pytest.mark.parametrize("text", ["1" * 16, "0" * 3 + "1" * 16 + ".00", "１０", "١٠٠", "1e5", "10.001"])
def test_amounts_are_bounded_and_ascii_where_they_enter(text):
    from receivables_cli.domain.amounts import AmountError, parse_amount

    with pytest.raises(AmountError):
        parse_amount(text)


def test_fifteen_digits_before_the_point_are_an_amount():
    from decimal import Decimal

    from receivables_cli.domain.amounts import parse_amount

    assert parse_amount("999999999999999.99") == Decimal("999999999999999.99")


def test_an_amount_too_long_on_the_command_line_is_a_usage_error(ledger):
    ledger.case("acme", ACME)
    result = ledger.run("pay", "acme", "9" * 29)
    assert result.exit_code == 2 and "more than 15 digits" in result.stderr
    assert "9" * 29 not in ledger.text("acme")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\v", "\f", "\x1b", "\r"])
def test_a_control_character_in_a_text_field_is_named(char):
    escaped = char.encode("unicode_escape").decode()  # YAML reads \\x0b, \\u2028 in double quotes
    text = ACME.replace("number: RE-2026-017", f'number: "RE-{escaped}-017"')
    case, problems = load_case(Path("cases/acme.yaml"), text.lstrip("\n"))
    assert case is None
    assert [str(p) for p in problems] == [
        f"cases/acme.yaml:10: number contains a control character U+{ord(char):04X}; delete it"]


def test_line_breaks_and_tabs_stay_allowed_in_multi_line_fields():
    text = ACME.replace("  phone:", '  address: "Musterstr. 1\\n\\t10115 Berlin"\n  phone:')
    case, problems = load_case(Path("cases/acme.yaml"), text.lstrip("\n"))
    assert problems == [] and case.customer.address == "Musterstr. 1\n\t10115 Berlin"
    case, problems = load_case(Path("cases/acme.yaml"), text.replace("name: ACME GmbH", 'name: "ACME\\nGmbH"'))
    assert "customer name contains a control character U+000A" in problems[0].message
