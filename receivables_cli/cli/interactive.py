"""The interactive `dun call`: ask what happened, then record it."""

from __future__ import annotations

from receivables_cli.errors import UsageError
from receivables_cli.model import OUTCOMES


def interactive_call(case: str, *, on, commit, ledger) -> None:
    raise UsageError(f"give the call's outcome: dun call {case} OUTCOME, where OUTCOME is one of "
                     + ", ".join(OUTCOMES))
