"""Base rates with their provenance: the shipped tables, the ledger's rates.csv, dun.yaml's rows.

Each row says where it comes from and whether it is confirmed from a primary source, so that
a statement or letter whose figures rest on an unconfirmed or extrapolated rate can say so.
Later layers win row by row: shipped < rates.csv (written by `dun rates import`) < dun.yaml.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.errors import Problem

DATA = Path(__file__).parent.parent / "data"
LEDGER_FILE = "rates.csv"
LEDGER_FIELDS = ("country", "from", "rate", "source", "confirmed")
BUNDESBANK = "Deutsche Bundesbank, series BBK01.SU0115 (base rate under §247 BGB)"
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_RATE = re.compile(r"-?[0-9]{1,2}(?:\.[0-9]{1,4})?")  # percent a year: -0.88 to 12.00 so far
YEARS = range(1900, 2201)
MAX_PROBLEMS = 20  # a wrong file gives the first few lines, not a million


def base_rate(text: str) -> Decimal:
    """A rate in percent a year, such as 1.27 or -0.88; ValueError for NaN, 1e5 or 29 digits."""
    if not _RATE.fullmatch(text.strip()) or not -10 <= Decimal(text.strip()) <= 25:
        raise ValueError(text)
    return Decimal(text.strip())


@dataclass(frozen=True, slots=True)
class BaseRate:
    """A base rate from a day on, with where it comes from."""
    country: str
    start: date
    rate: Decimal  # percent a year
    source: str
    confirmed: bool
    origin: str  # shipped, rates.csv or dun.yaml

    def as_json(self) -> dict:
        return {"country": self.country, "from": self.start.isoformat(), "rate": f"{self.rate:.2f}",
                "source": self.source, "confirmed": self.confirmed, "origin": self.origin}


def shipped(country: str) -> list[BaseRate]:
    """The table that comes with dun (data/base-rates-XX.csv)."""
    path = DATA / f"base-rates-{country}.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        return [BaseRate(country, date.fromisoformat(row["from"]), Decimal(row["rate"]), row["source"],
                         row["confirmed"] == "yes", "shipped") for row in csv.DictReader(f)]


def ledger_rates(root: Path | None) -> tuple[list[BaseRate], list[Problem]]:
    """The ledger's own rates.csv; a bad row is a problem with its line, the others still count."""
    path = (root / LEDGER_FILE) if root else None
    if path is None or not path.is_file():
        return [], []
    rows, problems = [], []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    for row in reader:
        try:
            rows.append(BaseRate(row["country"], _day(row["from"]), base_rate(row["rate"]),
                                 row.get("source") or "", (row.get("confirmed") or "yes") == "yes", LEDGER_FILE))
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(path, reader.line_num, "not a base-rate row: country,from,rate,source,confirmed "
                                                           "such as DE,2026-07-01,1.27,Bundesbank,yes"))
    return rows, problems


def _day(text: str) -> date:
    day = date.fromisoformat(text)
    if day.year not in YEARS:
        raise ValueError(text)
    return day


def rate_table(country: str, root: Path | None = None, overrides: dict | None = None) -> list[BaseRate]:
    """The merged table for a country, by start date."""
    table = {r.start: r for r in shipped(country)}
    table.update({r.start: r for r in ledger_rates(root)[0] if r.country == country})
    for start, entry in (overrides or {}).items():
        table[start] = BaseRate(country, start, entry.rate, entry.source or "dun.yaml", entry.confirmed, "dun.yaml")
    return [table[k] for k in sorted(table)]


def parse_bundesbank(text: str, path: Path) -> tuple[list[tuple[date, Decimal]], list[Problem]]:
    """The rows of a Bundesbank time-series CSV: header lines, then `YYYY-MM;value;flags` rows.

    Both the German layout (`;`, decimal comma) and the English one (`,`, decimal point) are read;
    a value of `.` (no value) is skipped, and so are header and footnote lines.
    """
    rows, problems, seen = [], [], {}
    for number, line in enumerate(text.splitlines(), 1):
        cells = [c.strip().strip('"') for c in line.split(";" if ";" in line else ",")]
        found = _MONTH.fullmatch(cells[0]) if cells else None
        if not found or len(cells) < 2 or cells[1] in ("", "."):
            continue
        row = _row(path, number, found, cells[1], ";" in line)
        if isinstance(row, Problem):
            problems.append(row)
        elif row[0] in seen and seen[row[0]][1] != row[1]:
            line_before, _, value_before = seen[row[0]]
            problems.append(Problem(path, number, f"{cells[0]} is in the file twice, with {value_before} "
                                                  f"(line {line_before}) and {cells[1]}"))
        else:
            seen.setdefault(row[0], (number, row[1], cells[1]))
            rows.append(row)
    if len(problems) > MAX_PROBLEMS:
        more = problems[MAX_PROBLEMS]
        problems = problems[:MAX_PROBLEMS] + [Problem(path, more.line, f"and {len(problems) - MAX_PROBLEMS} more "
                                                                      "problems like these")]
    if not rows and not problems:
        problems.append(Problem(path, 1, "no rows such as 2026-07;1,27 found: is this the Bundesbank's CSV of "
                                         "series BBK01.SU0115?"))
    return rows, problems


def _row(path, number: int, month, value: str, comma: bool) -> tuple[date, Decimal] | Problem:
    """(first day of the month, rate) of one line, or the problem with it."""
    try:
        start = date(int(month[1]), int(month[2]), int(month[3] or 1))
        if start.year not in YEARS:
            raise ValueError(month[0])
    except ValueError:
        return Problem(path, number, f"'{month[0]}' is not a month such as 2026-07")
    try:
        return start, base_rate(value.replace(",", ".") if comma else value)
    except ValueError:
        return Problem(path, number, f"'{value}' is not a rate such as 1,27")


def changes(monthly: list[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """Month-end values as table rows: every half-year's first month, and any month the rate changed."""
    rows, last = [], None
    for day, rate in sorted(monthly):
        start = date(day.year, day.month, 1)
        if rate != last or start.month in (1, 7):
            rows.append((start, rate))
        last = rate
    return rows
