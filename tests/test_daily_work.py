"""`dun work` in a real pseudo-terminal of 60 columns: only calls whose window is open, text wrapped between
words, and why a letter can only be saved to print (issue 22, items 2, 4 and 7)."""

from __future__ import annotations

import io
import os
import re
import signal
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

BUSINESS = """
customer:
  name: Müller Landschaftsbau GmbH
  kind: business
  contact: Erika Muster
  phone: "+49 30 5551234"
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
"""
PUBLIC = """
customer:
  name: Bezirksamt Mitte von Berlin, Straßen- und Grünflächenamt
  kind: public
  email: post@amt.example
  address: |
    Bezirksamt Mitte
    Müllerstr. 146
    13353 Berlin
history:
  - at: 2026-10-20
    event: invoice
    number: RE-2026-020
    amount: 480.00
    due: 2026-11-03
"""


def spawn(ledger, on: str, *args: str, command: str = "work"):
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": on, "NO_COLOR": "1", "COLUMNS": "60",
           "DUN_PAGER": ""}
    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", command, *args], env=env, encoding="utf-8",
                          timeout=30, dimensions=(40, 60),
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.logfile_read = io.StringIO()  # all the terminal showed
    return child


def lines_of(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]


def assert_fits(text: str, columns: int = 60) -> None:
    wide = [line for line in lines_of(text) if len(line) > columns]
    assert not wide, wide


def test_on_a_monday_work_offers_no_business_call(ledger):
    ledger.case("acme", BUSINESS)
    ledger.case("amt", PUBLIC)
    assert "collection_call" in ledger.run("today", "--json", on="2026-11-09").stdout  # today still lists it
    child = spawn(ledger, "2026-11-09")  # a Monday; the window is Tue-Thu
    child.expect("not offered today")
    child.expect(r"\(k\) skip")
    child.sendline("k")
    child.expect(pexpect.EOF)
    out = child.logfile_read.getvalue()
    child.close()
    assert "collection call: Müller" not in out and "collection call" not in out.split("not offered")[0]
    assert child.exitstatus == 0


def test_work_wraps_at_60_columns_between_words(ledger):
    ledger.case("amt", PUBLIC)
    child = spawn(ledger, "2026-11-09")
    child.expect(r"\(q\) quit")
    child.sendline("k")
    child.expect(pexpect.EOF)
    out = child.logfile_read.getvalue()
    child.close()
    assert_fits(out)
    words = set(re.findall(r"[\w.,:;'()-]+", out))
    for word in ("Straßen-", "Grünflächenamt", "department", "friendly"):
        assert word in words or word.strip("-") in words, word


def test_why_a_letter_can_only_be_saved_to_print(ledger):
    ledger.case("amt", PUBLIC)
    child = spawn(ledger, "2026-11-09")
    child.expect("only 'save to print': no mail command is set")
    child.expect(r"mail: \{command:")
    child.expect(r"\(q\) quit")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()


def test_the_stale_bank_warning_wraps_too(ledger):
    ledger.config("bank: {stale_days: 3}\n")
    ledger.case("amt", PUBLIC)
    child = spawn(ledger, "2026-11-09", command="today")
    child.expect(pexpect.EOF)
    out = child.logfile_read.getvalue()
    child.close()
    assert "No bank statement imported yet" in out
    assert_fits(out)
