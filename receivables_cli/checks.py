"""`dun check`: every problem of every file of a ledger."""

from __future__ import annotations

from receivables_cli.errors import Problem
from receivables_cli.ledger import Ledger


def check_ledger(ledger: Ledger) -> list[Problem]:
    """dun.yaml's problems, then each case file's, in file order."""
    problems = list(ledger.config_problems)
    _cases, found = ledger.load_all()
    problems.extend(found)
    return problems
