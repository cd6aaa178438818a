"""Record a base-rate table (`dun rates import`) in the ledger's rates.csv."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from receivables_cli.money.rates import LEDGER_FIELDS, LEDGER_FILE, BaseRate, ledger_rates
from receivables_cli.store.safewrite import write_file


def import_rows(root: Path, country: str, new: list[tuple[date, Decimal]], source: str) -> tuple[int, int]:
    """Write the rows into the ledger's rates.csv (never dun.yaml); return (added, changed)."""
    path = root / LEDGER_FILE
    existing, _ = ledger_rates(root)
    by_key = {(r.country, r.start): r for r in existing}
    added = changed = 0
    for start, rate in new:
        old = by_key.get((country, start))
        if old is None:
            added += 1
        elif old.rate != rate:
            changed += 1
        by_key[(country, start)] = BaseRate(country, start, rate, source, True, LEDGER_FILE)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LEDGER_FIELDS)
    for key in sorted(by_key):
        r = by_key[key]
        writer.writerow([r.country, r.start.isoformat(), f"{r.rate:.2f}", r.source, "yes" if r.confirmed else "no"])
    write_file(path, out.getvalue())
    return added, changed
