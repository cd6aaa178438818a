"""What every letter of one ledger needs besides its case, prepared once by the use case.

`output` renders from this view and the case's state; it never goes back to the ledger, the
store or the agenda to find the law, the calendar or the settings of the letter it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from receivables_cli.domain.calendar import Calendar
from receivables_cli.domain.config import Config
from receivables_cli.money.lawbook import Law


@dataclass(frozen=True)
class LetterDesk:
    """The ledger's folder (its own templates and enclosures) and its law (settings and calendar)."""

    root: Path
    law: Law
    valid_ibans: frozenset = frozenset()  # creditor IBANs the use case knows schwifty found valid
    # templates' front matter read before, by its text: (subject, needs); letters add what they read
    front_matter: dict | None = field(default=None, compare=False)
    # templates' Python code compiled before, by their text (output/letters.py, _compiled)
    compiled: dict | None = field(default=None, compare=False)
    # weasyprint's C declarations compiled before (output/weasyffi.py), for a desk that makes PDFs;
    # the first PDF of a process adds what it compiled
    pdf_tables: dict | None = field(default=None, compare=False)

    @property
    def config(self) -> Config:
        return self.law.config

    @property
    def calendar(self) -> Calendar:
        return self.law.calendar
