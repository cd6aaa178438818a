"""CSV exports of online banking, read through the column mapping under `bank: csv:` in dun.yaml.

Banks write a few lines of preamble before the header, use `;` and a decimal comma, and
often Windows-1252: the header is the first line that names the mapped date and amount
columns, and a file that is not UTF-8 is read as Windows-1252. A signed amount tells
credit (positive) from debit (negative).
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from receivables_cli.config import CsvMapping
from receivables_cli.imports.records import BankEntry, ImportProblem


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def header_line(content: str, mapping: CsvMapping) -> int | None:
    """The index of the line holding the mapped column names, or None."""
    for n, line in enumerate(content.splitlines()[:30]):
        cells = [c.strip() for c in next(csv.reader([line], delimiter=mapping.delimiter), [])]
        if mapping.date in cells and mapping.amount in cells:
            return n
    return None


def read_csv(path, content: str, mapping: CsvMapping, currency: str) -> list[BankEntry]:
    """One entry per data row; a row that does not read is `path:line: why`."""
    start = header_line(content, mapping)
    if start is None:
        raise ImportProblem(path, f"no header line with the columns '{mapping.date}' and '{mapping.amount}' "
                                  "(bank: csv: in dun.yaml)")
    lines = content.splitlines()[start:]
    rows = csv.DictReader(lines, delimiter=mapping.delimiter)
    rows.fieldnames = [(f or "").strip() for f in rows.fieldnames or []]
    entries = []
    for n, row in enumerate(rows, start + 2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        entries.append(_entry(path, n, row, mapping, currency))
    return entries


def _entry(path, line: int, row: dict, mapping: CsvMapping, currency: str) -> BankEntry:
    def cell(column: str | None) -> str:
        return " ".join((row.get(column) or "").split()) if column else ""

    try:
        booked = datetime.strptime(cell(mapping.date), mapping.date_format).date()
    except ValueError:
        raise ImportProblem(f"{path}:{line}", f"'{cell(mapping.date)}' in column {mapping.date} is not a date "
                                              f"of the form {mapping.date_format}") from None
    amount = _amount(f"{path}:{line}", cell(mapping.amount), mapping.decimal)
    return BankEntry(source=str(path), position=line, booked=booked, amount=abs(amount), currency=currency,
                     credit=amount > 0, reference=cell(mapping.reference) or None,
                     payer=cell(mapping.payer) or None, text=cell(mapping.text))


def _amount(where: str, raw: str, decimal: str) -> Decimal:
    thousands = "." if decimal == "," else ","
    text = re.sub(r"[\s€$£]|EUR|CHF", "", raw).replace(thousands, "").replace(decimal, ".")
    if text.endswith("-"):  # some banks put the sign last
        text = "-" + text[:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ImportProblem(where, f"'{raw}' is not an amount") from None
