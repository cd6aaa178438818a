"""`dun rates`: the base-rate table with its sources, and its update from the Bundesbank's CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import Argument, JsonOpt, LedgerOpt, Option, command, emit_json, open_ledger, table
from receivables_cli.domain.errors import UsageError


@command("rates")
def rates(words: Annotated[Optional[list[str]], Argument(
              metavar="[import FILE]", help="'import FILE': read the Bundesbank's CSV of series BBK01.SU0115 into "
              "the ledger's rates.csv.", show_default=False)] = None,
          country: Annotated[Optional[str], Option(
              "--country", metavar="XX", help="DE, AT or CH (default: the ledger's country).")] = None,
          json: JsonOpt = False, ledger: LedgerOpt = None) -> None:
    """The base-rate table: each row with its source, and whether it is confirmed.

    Rows come from the table shipped with dun, then the ledger's rates.csv (written by
    'dun rates import', never dun.yaml), then dun.yaml's base_rates: rows; later ones win.

    Examples:

    \b
      dun rates --country DE
      dun rates import ~/Downloads/BBK01.SU0115.csv
    """
    from receivables_cli.domain.config import COUNTRIES

    book = open_ledger(ledger)
    if words:
        if len(words) != 2 or words[0] != "import":
            raise UsageError("use: dun rates [--country XX] or dun rates import FILE")
        _import(book, Path(words[1]))
        return
    chosen = (country or book.config.country).upper()
    if chosen not in COUNTRIES:
        raise UsageError(f"--country must be one of {', '.join(COUNTRIES)}")
    _show(book, chosen, json)


def _show(book, country: str, json: bool) -> None:
    from receivables_cli.money.rates import rate_table

    overrides = book.config.base_rates if country == book.config.country else None
    rows = rate_table(country, book.root, overrides)
    if json:
        emit_json([r.as_json() for r in rows])
        return
    if not rows:
        print(f"No base rates for {country}: its default interest is a fixed rate.")
        return
    print(table([(r.start, f"{r.rate:.2f}", "yes" if r.confirmed else "NO", r.origin, r.source) for r in rows],
                ("from", "%", "confirmed", "from file", "source"), right=(1,)))


MAX_BYTES = 10_000_000  # the whole series since 1999 is about 20 KB


def _import(book, file: Path) -> None:
    from receivables_cli.domain.errors import DunError, InvalidData
    from receivables_cli.money.rates import BUNDESBANK, changes, parse_bundesbank
    from receivables_cli.store.plainfile import read_regular
    from receivables_cli.usecases.rates import import_rows

    try:
        if file.stat().st_size > MAX_BYTES:
            raise DunError(f"{file}: {file.stat().st_size} bytes is too large for the Bundesbank's series "
                           "(a few KB); is this the right file?")
        data = read_regular(file, MAX_BYTES, "the Bundesbank's series")  # not /dev/zero, not a pipe
    except OSError as e:
        raise DunError(f"cannot read {file}: {e.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older downloads are Windows-1252
    monthly, problems = parse_bundesbank(text, file)
    if problems:
        raise InvalidData(problems)
    rows = changes(monthly)
    added, changed = import_rows(book.root, "DE", rows, f"{BUNDESBANK}, imported from {file.name}")
    print(f"{book.root / 'rates.csv'}: {len(rows)} DE rows from {rows[0][0]} to {rows[-1][0]} "
          f"({added} new, {changed} changed)")
