"""`dun legal`: hand the claim to the legal route."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from receivables_cli.cli.common import AtOpt, CommitOpt, LedgerOpt, OnOpt, command, moment
from receivables_cli.cli.events import _choice
from receivables_cli.cli.write import CaseArg, NoteOpt, record


@command("legal")
def legal(case: CaseArg,
          route: Annotated[str, typer.Option(
              "--route", help="dunning_court, lawyer, collection_agency or debt_enforcement.", show_default=False)],
          reference: Annotated[Optional[str], typer.Option("--reference", help="File number at court or "
                                                           "agency.")] = None,
          note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
          ledger: LedgerOpt = None) -> None:
    """Record that the claim went to the legal route; dun stops proposing actions for it.

    Example:

    \b
      dun legal acme-2026-017 --route dunning_court --reference "26-1234567-0-1"
    """
    from receivables_cli.record import entry

    _choice(route, "ROUTES", "--route")
    when = moment(at, on)
    record(ledger, case, on, commit,
           lambda state: entry("legal", when, route=route, reference=reference, note=note))
