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
from decimal import Decimal

from receivables_cli.config import CsvMapping
from receivables_cli.imports.records import BankEntry, ImportProblem


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _lines(content: str) -> list[str]:
    """Lines split at line breaks only: U+2028 or a form feed inside a field does not end a row."""
    import io

    return io.StringIO(content, newline="").readlines()


def header_line(content: str, mapping: CsvMapping) -> int | None:
    """The index of the line holding the mapped column names, or None."""
    for n, line in enumerate(_lines(content[:100_000])[:30]):
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
    from receivables_cli.imports.records import MAX_ENTRIES, too_many

    if content.count("\n") > 2 * MAX_ENTRIES:  # refused before the rows are split and read
        too_many(path, content.count("\n"))
    rows = csv.DictReader(_lines(content)[start:], delimiter=mapping.delimiter)
    rows.fieldnames = [(f or "").strip() for f in rows.fieldnames or []]
    entries = []
    for row in rows:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        entries.append(_entry(path, start + rows.line_num, row, mapping, currency))
        if len(entries) > MAX_ENTRIES:
            too_many(path, len(entries))
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
    """A signed amount in the mapped notation; anything else (1190.00 under decimal ',', 1e5, NaN,
    a third decimal) is refused rather than read as a hundred times the money."""
    from receivables_cli.money.amounts import AmountError, parse_amount

    text = re.sub(r"[\s€$£]|EUR|CHF", "", raw)
    negative = text.startswith("-") or text.endswith("-")  # some banks put the sign last
    text = text.strip("+-") if text.count("-") <= 1 else text
    sep, point = re.escape("." if decimal == "," else ","), re.escape(decimal)
    if not re.fullmatch(f"(?:[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+|[0-9]+)(?:{point}[0-9]{{1,2}})?", text):
        raise ImportProblem(where, f"'{raw}' is not an amount with the decimal '{decimal}' "
                                   "(bank: csv: decimal in dun.yaml)")
    try:
        value = parse_amount(re.sub(sep, "", text).replace(decimal, "."), allow_zero=True)
    except AmountError as e:
        raise ImportProblem(where, f"'{raw}' is not an amount ({e})") from None
    return -value if negative else value
