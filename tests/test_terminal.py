"""Terminal output: tables that fit the width, plain when piped, colour, the pager, plurals, one overdue figure.

The terminal cases run dun in a real pseudo-terminal (pexpect) of a given size.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables_cli.output.tables import Layout, display_width, fit, shorten, wrap_lines
from tests.conftest import ACME

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DEMO_CASES = 7  # actions on the demo ledger's agenda of 24 November 2026


@pytest.fixture
def demo(tmp_path) -> Path:
    target = tmp_path / "demo"
    target.mkdir()
    shutil.copy(ROOT / "dun.yaml", target / "dun.yaml")
    shutil.copytree(ROOT / "cases", target / "cases")
    return target


def _env(ledger: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "PAGER", "DUN_PAGER")}
    env.update(DUN_LEDGER=str(ledger), DUN_TODAY="2026-11-24", TERM="xterm", **extra)
    return env


def in_terminal(ledger: Path, *args: str, cols: int = 80, rows: int = 200, **env: str) -> str:
    """What dun prints to a real terminal of that size (line ends as the terminal gets them, made plain)."""
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", *args], env=_env(ledger, **env),
                          dimensions=(rows, cols), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before.replace("\r\n", "\n")


def piped(ledger: Path, *args: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=_env(ledger, **env),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def widest(text: str) -> int:
    return max(display_width(ANSI.sub("", line)) for line in text.splitlines())


def agenda_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"[a-z-]+-\d{4}-\d{3}( |$)", line)]


# --- the table fitting itself ---------------------------------------------------------------------------

def test_shorten_cuts_at_a_word_boundary():
    assert shorten("Kiosk am Markt, Inh. Selin Aydın", 16) == "Kiosk am Markt…"
    assert shorten("Eventagentur Sommerfeld UG", 23) == "Eventagentur…"
    assert shorten("ACME GmbH", 9) == "ACME GmbH"
    assert shorten("Handelsgesellschaft", 8) == "Handels…"  # one long word: nothing else to do


def test_wide_characters_count_two_columns():
    assert display_width("株式会社") == 8
    assert display_width(shorten("株式会社 東京 商事", 9)) <= 9


names = st.text(alphabet=st.sampled_from(list("abcdefgh ,.äßı株")), min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.from_regex(r"[a-z]{1,12}-\d{3}", fullmatch=True), names, names), min_size=1,
                     max_size=6),
       width=st.integers(min_value=20, max_value=200), wrap=st.booleans())
def test_a_fitted_table_never_exceeds_the_width_nor_breaks_a_row(rows, width, wrap):
    layouts = [Layout(("case", "customer", "reason"), rows, flex=(1, 2), wrap=wrap),
               Layout(("case", "reason"), [(r[0], r[2]) for r in rows], flex=(1,), wrap=wrap)]
    text = fit(layouts, width)
    assert widest(text) <= width
    for row in rows:  # each case id shows whole, at the start of a line
        assert any(line.startswith(row[0]) for line in text.splitlines())


def test_without_a_width_nothing_is_cut():
    rows = [("a-001", "Kiosk am Markt, Inh. Selin Aydın", "x" * 150)]
    text = fit([Layout(("case", "customer", "reason"), rows, flex=(1, 2))], None)
    assert "Kiosk am Markt, Inh. Selin Aydın" in text and "x" * 150 in text


def test_prose_wraps_under_its_indent_and_commands_stay_whole():
    command = "    dun call acme-2026-017 promised --promise-amount 1190.00 --promise-by 2026-12-01"
    text = wrap_lines(["-> collection_call: " + "word " * 30, command], 40, keep=lambda s: "dun " in s)
    lines = text.splitlines()
    assert all(len(line) <= 40 for line in lines[:-1]) and lines[-1] == command
    assert lines[1].startswith("   word")  # under the text, not under the arrow


# --- the commands in a real terminal, and piped ----------------------------------------------------------

def test_today_in_80_columns_fits_with_one_line_an_action(demo):
    out = in_terminal(demo, "today", cols=80, NO_COLOR="1")
    assert widest(out) <= 80
    rows = agenda_rows(out)
    assert len(rows) == DEMO_CASES  # no row broken over two lines
    # 5950.00 principal + 8.57 default interest: the demo claims interest as it accrues (§367 BGB, the default)
    assert any(r.startswith("stadtwerke-2026-022") and "dunning_letter" in r and "5958.57 EUR" in r for r in rows)


def test_today_in_200_columns_is_the_full_table_as_piped(demo):
    wide = in_terminal(demo, "today", cols=200, NO_COLOR="1")
    assert "Kiosk am Markt, Inh. Selin Aydın" in wide and "dunning_letter (dunning)" in wide
    assert wide == piped(demo, "today")


def test_today_in_100_columns_cuts_the_customer_at_a_word(demo):
    out = in_terminal(demo, "today", cols=100, NO_COLOR="1")
    assert widest(out) <= 100 and len(agenda_rows(out)) == DEMO_CASES
    assert "Kiosk am Markt…" in out and "Selin" not in out


def test_piped_output_is_plain_and_whole_whatever_columns_says(demo):
    out = piped(demo, "today", COLUMNS="40")
    assert "\x1b[" not in out
    assert "Kiosk am Markt, Inh. Selin Aydın" in out and widest(out) > 100
    assert "Eventagentur Sommerfeld UG" in piped(demo, "list", COLUMNS="40")


def test_columns_overrides_the_terminal_size(demo):
    out = in_terminal(demo, "list", cols=200, COLUMNS="80", NO_COLOR="1")
    assert widest(out) <= 80 and len(agenda_rows(out)) == 10
    assert "customer" not in out  # the case ids name the customers; a table without them fits


def test_too_narrow_for_a_table_each_row_becomes_a_block(demo):
    out = in_terminal(demo, "list", cols=50, NO_COLOR="1")
    assert widest(out) <= 50
    assert len(agenda_rows(out)) == 10 and "  customer: Kiosk am Markt, Inh. Selin Aydın" in out


def test_show_and_why_wrap_their_free_text_within_the_width(demo):
    for args in (("show", "acme-2026-017"), ("why", "acme-2026-017"), ("brief", "altkunde-2023-088")):
        out = in_terminal(demo, *args, cols=72, NO_COLOR="1", DUN_PAGER="")
        lines = [line for line in out.splitlines() if not line.lstrip().startswith("dun ")]
        assert max(display_width(line) for line in lines) <= 72, args
    narrow = in_terminal(demo, "show", "acme-2026-017", cols=60, DUN_PAGER="")
    assert widest(narrow) <= 60
    assert " ".join(narrow.split()).count("Asked for a call back.") == 1  # wrapped within its column, kept whole


def test_report_cuts_a_long_name_at_a_word_never_inside_one(ledger):
    ledger.case("a", ACME.replace("ACME GmbH", "Internationale Handelsgesellschaft Nordwest mbH"))
    out = in_terminal(ledger.root, "report", cols=60, NO_COLOR="1")
    assert widest(out) <= 60
    [line] = [line for line in out.splitlines() if "1190.00  100 %" in line]
    assert "Internationale…" in line and "Handelsg" not in line
    assert "Internationale Handelsgesellschaft Nordwest mbH" in piped(ledger.root, "report")


def test_colour_on_a_terminal_and_never_with_no_color_or_piped(demo):
    coloured = in_terminal(demo, "today", cols=200)
    assert "\x1b[31m" in coloured  # overdue amounts in red
    assert ANSI.sub("", coloured) == in_terminal(demo, "today", cols=200, NO_COLOR="1")
    assert "\x1b[" not in in_terminal(demo, "today", cols=200, NO_COLOR="yes")
    assert "\x1b[" not in piped(demo, "today")


@pytest.mark.skipif(shutil.which("less") is None, reason="no less on this machine")
def test_a_long_brief_goes_through_the_pager_on_a_terminal(demo):
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", "brief", "acme-2026-017"],
                          env=_env(demo, PAGER="less"), dimensions=(12, 80), encoding="utf-8", timeout=60)
    child.expect("STATEMENT IN SHORT")
    child.expect(r"\(END\)|:")  # less waits on a screen of twelve lines
    assert "RECORD THE OUTCOME" not in child.before
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_no_pager_when_switched_off_or_piped(demo):
    whole = in_terminal(demo, "--no-pager", "brief", "acme-2026-017", rows=12, PAGER="less")
    assert "RECORD THE OUTCOME" in whole
    assert "RECORD THE OUTCOME" in in_terminal(demo, "brief", "acme-2026-017", rows=12, DUN_PAGER="")
    assert "RECORD THE OUTCOME" in piped(demo, "brief", "acme-2026-017", PAGER="false")


# --- words and figures ---------------------------------------------------------------------------------

def test_singular_and_plural(ledger):
    ledger.case("acme", ACME)
    out = ledger.run("today", "--on", "2026-10-15").stdout  # info call on day 14; due that day: not overdue
    assert out.rstrip().endswith("1 action: 1 call; nothing overdue")
    assert "status open · EUR · 1 day overdue" in ledger.run("show", "acme", "--on", "2026-10-16").stdout
    assert "1 day overdue" in ledger.run("why", "acme", "--on", "2026-10-16").stdout
    assert "open in 1 case, 1190.00 of it overdue in 1 case" in ledger.run("report", "--on", "2026-10-16").stdout


def test_today_counts_overdue_as_report_does(ledger):
    ledger.case("a", ACME)  # 1190 overdue, a collection call on the agenda
    ledger.case("b", ACME.replace("1190.00", "300.00").replace("due: 2026-10-15", "due: 2026-11-30"))  # not due
    ledger.case("c", ACME.replace("1190.00", "500.00") + "  - at: 2026-11-20\n    event: hold\n"
                "    until: 2027-01-10\n    reason: owner ill\n")  # overdue, on hold: nothing on the agenda
    ledger.case("d", ACME + "  - at: 2026-10-20\n    event: invoice\n    number: RE-2\n    amount: 200\n"
                "    due: 2026-12-01\n")  # 1190 overdue, 200 not due yet
    ledger.case("e", ACME + "  - at: 2026-11-01\n    event: payment\n    amount: 1190\n")  # settled
    for path in (ledger.root / "cases").iterdir():  # old enough for the agenda cache to keep them
        os.utime(path, (path.stat().st_mtime - 60, path.stat().st_mtime - 60))
    report = json.loads(ledger.run("report", "--json").stdout)
    assert report["currencies"]["EUR"]["overdue"] == "2880.00"
    assert report["overdue_cases"] == {"EUR": 3}
    summary = ledger.run("today").stdout.rstrip().splitlines()[-1]
    assert summary.endswith("; 2880.00 EUR overdue in 3 cases")
    ledger.run("today")  # fills the agenda cache; the next run reads every case from it
    assert ledger.run("today").stdout == ledger.run("--no-cache", "today").stdout  # cached or not, the same


def test_sentences_from_the_playbook_and_the_brief_agree_with_their_numbers(ledger):
    ledger.config("policy: {call_attempts: 1, after_call_days: 1}\n")
    ledger.case("acme", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    out = ledger.run("why", "acme", "--on", "2026-11-03").stdout
    assert "only after 1 unanswered collection call (so far 0)" in out
    ledger.case("acme", ACME + "  - at: 2026-11-03 10:20\n    event: call\n    outcome: reached\n")
    assert "1 day after call (reached) on 2026-11-03" in ledger.run("why", "acme", "--on", "2026-11-05").stdout
    assert "1190.00 open, 1 day overdue" in ledger.run("brief", "acme", "--on", "2026-10-16").stdout


def test_warnings_are_yellow_on_a_terminal(demo):
    (demo / "cases" / "broken.yaml").write_text("customer:\n  name: X\nhistory:\n  - at: 2026-02-30\n    event: note\n"
                                               "    text: x\n", encoding="utf-8")
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", "today"], env=_env(demo), dimensions=(200, 200),
                          encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "\x1b[33mwarning:\x1b[0m" in child.before and "broken.yaml:4:" in child.before


CELLS = st.text(alphabet=st.sampled_from(list("ab Z09.-:…€éäÖß·–\u00ad\u00a0\u0301😀漢\t\x1b")), max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(CELLS, min_size=n, max_size=n), st.lists(st.lists(CELLS, min_size=n, max_size=n), max_size=4),
    st.sets(st.integers(0, n - 1)), st.sampled_from([0, 2]))))
def test_plain_tables_are_laid_out_exactly_as_tabulate_lays_them_out(table):
    """tables.simple spares `dun show` the import of tabulate: same text, or None (tabulate then)."""
    import tabulate

    from receivables_cli.output.tables import simple

    headers, rows, right, padding = table
    ours = simple(headers, rows, tuple(right), padding)
    if ours is None:
        return
    kept, tabulate.MIN_PADDING = tabulate.MIN_PADDING, padding
    try:
        theirs = tabulate.tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                                   colalign=["right" if i in right else "left" for i in range(len(headers))])
    finally:
        tabulate.MIN_PADDING = kept
    assert ours == theirs


def test_a_plain_table_needs_no_tabulate_and_a_wide_one_still_gets_it():
    from receivables_cli.output.tables import simple

    assert simple(["case", "open"], [["acme", "1190.00"]], (1,)) == "case     open\n----  -------\nacme  1190.00"
    assert simple(["name"], [["Müller & Söhne · Köln"]]) == "name\n" + "-" * 21 + "\nMüller & Söhne · Köln"
    assert simple(["name"], [["漢字"]]) is None and simple([""], [[""]]) is None
    money = simple(["", "amount"], [["paid", "0.00"]], (1,), padding=2)
    assert money == "        amount\n----  --------\npaid      0.00"  # as tabulate pads headers by two
