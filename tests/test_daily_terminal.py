"""The terminal: the agenda cuts the customer's name with … before it drops a column, in colour too; piped
`import bank` cuts nothing (issue 22, item 7). `dun work` at 60 columns: tests/test_daily_work.py."""

from __future__ import annotations

import io
import os
import re
import signal
import sys

import pytest

from tests.test_demo_ledger import demo  # noqa: F401  (the fixture)
from tests.test_import_bank import DATA, write_cases

pexpect = pytest.importorskip("pexpect")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def on_terminal(root, columns: int, *args: str, colour: bool = True) -> str:
    env = {**os.environ, "DUN_LEDGER": str(root), "DUN_TODAY": "2026-11-22", "COLUMNS": str(columns),
           "TERM": "xterm-256color", "DUN_PAGER": ""}
    env.pop("NO_COLOR", None)
    if not colour:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", *args], env=env, encoding="utf-8", timeout=60,
                          dimensions=(50, columns), preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.logfile_read = io.StringIO()
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.logfile_read.getvalue()).replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [101, 120, 140, 142, 145, 150, 155])
def test_the_agenda_keeps_the_customer_column_and_cuts_the_name_first(demo, columns):  # noqa: F811
    out = on_terminal(demo.root, columns, "today")
    table = out.split("\n\n")[0].splitlines()
    assert table[0].split()[:3] == ["case", "customer", "action"], table[0]
    assert max(len(line) for line in table) <= columns
    if columns >= 129:  # wide enough for the template names beside a cut name
        assert "(dunning)" in out or "dunning_letter (dunning)" in out
    if columns < 130:
        assert "…" in out  # "Kiosk am Markt, Inh. Selin Aydın" is cut, not dropped


def test_colour_does_not_change_the_layout(demo):  # noqa: F811
    assert on_terminal(demo.root, 142, "today") == on_terminal(demo.root, 142, "today", colour=False)


def test_piped_import_bank_cuts_nothing(ledger):
    write_cases(ledger)
    statement = (DATA / "camt053-v02.xml").read_text(encoding="utf-8")
    long_payer = "Hotel Seeblick GmbH Betriebsgesellschaft fuer Tourismus und Gastronomie am See"
    path = ledger.root / "long.xml"
    path.write_text(statement.replace("HOTEL SEEBLICK GMBH", long_payer), encoding="utf-8")
    result = ledger.run("import", "bank", str(path))
    assert result.exit_code == 0, result.output
    assert long_payer in result.stdout


def test_import_bank_on_a_narrow_terminal_fits(ledger):
    write_cases(ledger)
    out = on_terminal(ledger.root, 90, "import", "bank", str(DATA / "camt053-v02.xml"), colour=False)
    assert max(len(line) for line in out.splitlines() if "camt053" not in line) <= 90
