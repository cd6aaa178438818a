"""Tie the ledger, the fold and the playbook together for the commands."""

from __future__ import annotations

from datetime import date

from receivables_cli.ledger import Ledger
from receivables_cli.model import Case
from receivables_cli.state import CaseState, fold


def state_of(ledger: Ledger, case: Case, on: date) -> CaseState:
    return fold(case, on, ledger.config.currency, ledger.config.payment_terms_days)


def actions_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> list[dict]:
    """The case's actions scheduled on or before `on` + `ahead` days, as JSON items."""
    return []
