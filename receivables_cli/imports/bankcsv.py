"""CSV exports of online banking: a bank dun knows by its header line (csvpresets), or the column
mapping under `bank: csv:` in dun.yaml (names, or numbers counted from 1 for a file without a header).

Banks write a few lines of preamble before the header, use `;` and a decimal comma, and
often Windows-1252: the header is the first line that holds the date and amount columns, and
a file that is not UTF-8 is read as Windows-1252. A signed amount tells credit (positive) from
debit (negative); a status column marks pending rows, a currency column each row's currency.
A row that does not read is listed with its line and reason; the other rows are read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from receivables_cli.domain.config_io import CsvMapping
from receivables_cli.domain.csvpresets import PENDING_WORDS, PRESETS, Preset, pick, recognise
from receivables_cli.imports.records import BankEntry

_STATUS_NAMES = ("Status", "Info", "Buchungsstatus", "Umsatzstatus")
_CURRENCY_NAMES = ("Währung", "Waehrung", "Currency", "Whrg.", "WKZ")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each value is in the rows: column indexes (0-based), the header line (None: no header)."""

    name: str
    header: int | None
    date: int
    amount: int
    payer: int | None
    text: int | None
    reference: int | None
    status: int | None
    currency: int | None
    delimiter: str
    decimal: str
    date_formats: tuple[str, ...]
    columns: tuple[str, ...] = ()  # the header line's names, for messages


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _lines(content: str) -> list[str]:
    """Lines split at line breaks only: U+2028 or a form feed inside a field does not end a row."""
    import io

    return io.StringIO(content, newline="").readlines()


def _cells(line: str, delimiter: str) -> list[str]:
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]


def layout(content: str, mapping: CsvMapping | None) -> Layout | None:
    """How to read this CSV: by the mapping in dun.yaml, a preset it names, or a preset its header fits."""
    head = _lines(content[:100_000])[:30]
    if mapping and not mapping.preset:
        mapped = _mapped(head, mapping)
        if mapped is not None or mapping.date.isdigit():
            return mapped  # else the export of another bank than the mapping's: a preset may know it
    presets = [PRESETS[mapping.preset]] if mapping and mapping.preset else None
    for n, line in enumerate(head):
        for delimiter in (";", ",", "\t"):
            cells = _cells(line, delimiter)
            found = _fits(cells, presets) if presets else recognise(cells)
            if found:
                return _from_preset(found, n, cells, delimiter)
    return None


def _fits(cells: list[str], presets: list[Preset]) -> Preset | None:
    return next((p for p in presets if pick(cells, p.date) and pick(cells, p.amount)), None)


def _from_preset(p: Preset, n: int, cells: list[str], delimiter: str) -> Layout:
    def at(names: tuple[str, ...]) -> int | None:
        name = pick(cells, names)
        return cells.index(name) if name else None

    amount = at(p.amount)
    return Layout(p.name, n, at(p.date), amount, at(p.payer), at(p.text), at(p.reference), at(p.status),
                  _currency_column(cells, amount, p.currency), delimiter, p.decimal, p.date_formats, tuple(cells))


def _currency_column(cells: list[str], amount: int | None, names: tuple[str, ...]) -> int | None:
    """The currency column that belongs to the amount: the first after it, else the only one (ING writes
    one for the balance and one for the amount)."""
    found = [i for i, c in enumerate(cells) if c in names]
    after = [i for i in found if amount is not None and i > amount]
    return (after or found or [None])[0]


def _mapped(head: list[str], m: CsvMapping) -> Layout | None:
    formats = (m.date_format,)
    if m.date.isdigit() and m.amount.isdigit():
        def num(column: str | None) -> int | None:
            return int(column) - 1 if column and column.isdigit() and int(column) > 0 else None

        return Layout("mapped by column number", None, num(m.date), num(m.amount), num(m.payer), num(m.text),
                      num(m.reference), num(m.status), num(m.currency), m.delimiter, m.decimal, formats)
    for n, line in enumerate(head):
        cells = _cells(line, m.delimiter)
        if m.date in cells and m.amount in cells:
            def at(column: str | None, cells=cells) -> int | None:
                return cells.index(column) if column and column in cells else None

            amount = cells.index(m.amount)
            status = at(m.status) if m.status else at(pick(cells, _STATUS_NAMES))
            currency = at(m.currency) if m.currency else _currency_column(cells, amount, _CURRENCY_NAMES)
            return Layout("mapped in dun.yaml", n, cells.index(m.date), amount, at(m.payer), at(m.text),
                          at(m.reference), status, currency, m.delimiter, m.decimal, formats, tuple(cells))
    return None


def read_csv(path, content: str, shape: Layout, currency: str) -> list[BankEntry]:
    """One entry per data row; a row that does not read is an entry with `path:line: why`."""
    from receivables_cli.imports.records import MAX_ENTRIES, too_many

    if content.count("\n") > 2 * MAX_ENTRIES:  # refused before the rows are split and read
        too_many(path, content.count("\n"))
    start = 0 if shape.header is None else shape.header + 1
    rows = csv.reader(_lines(content)[start:], delimiter=shape.delimiter)
    entries = []
    for row in rows:
        cells = [" ".join(c.split()) for c in row]
        if not any(cells):
            continue
        entry = _entry(path, start + rows.line_num, cells, shape, currency)
        if entry is not None:
            entries.append(entry)
        if len(entries) > MAX_ENTRIES:
            too_many(path, len(entries))
    return entries


def _entry(path, line: int, cells: list[str], shape: Layout, currency: str) -> BankEntry | None:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    raw_date, raw_amount = cell(shape.date), cell(shape.amount)
    pending = _pending(cell(shape.status))
    booked = _date(raw_date, shape.date_formats)
    try:
        amount = _amount(raw_amount, shape.decimal)
    except ValueError as e:
        if booked is None and shape.header is None and line == 1:
            return None  # the column titles of a file mapped by number
        if booked is None and not pending:
            return None  # a line after the rows: a closing balance, a total, a note of the bank
        return _problem(path, line, str(e), pending)
    if booked is None and not pending:
        return _problem(path, line, f"'{raw_date[:40]}' in column {_name(shape, shape.date)} is not a date of the form "
                                    f"{' or '.join(shape.date_formats)}", pending)
    return BankEntry(source=str(path), position=line, booked=booked, amount=abs(amount),
                     currency=(cell(shape.currency) or currency).upper()[:3], credit=amount > 0,
                     status="pending" if pending else "booked", reference=cell(shape.reference) or None,
                     payer=cell(shape.payer) or None, text=cell(shape.text), line=line)


def _problem(path, line: int, why: str, pending: bool) -> BankEntry:
    return BankEntry(source=str(path), position=line, booked=None, amount=Decimal(0), currency="", credit=False,
                     status="pending" if pending else "booked", problem=why, line=line)


def _name(shape: Layout, index: int) -> str:
    return shape.columns[index] if index < len(shape.columns) else str(index + 1)


def _pending(status: str) -> bool:
    word = status.strip().lower()
    return bool(word) and (word in PENDING_WORDS or any(w in word for w in ("vorgemerkt", "pending", "ausstehend")))


def _date(raw: str, formats: tuple[str, ...]) -> date | None:
    for f in formats:
        try:
            return datetime.strptime(raw, f).date()
        except ValueError:
            continue
    return None


def _amount(raw: str, decimal: str) -> Decimal:
    """A signed amount in the file's notation; anything else (1190.00 under decimal ',', 1e5, NaN,
    a third decimal) is refused rather than read as a hundred times the money."""
    from receivables_cli.domain.amounts import AmountError, parse_amount

    text = re.sub(r"[\s€$£]|EUR|CHF", "", raw)
    negative = text.startswith("-") or text.endswith("-")  # some banks put the sign last
    text = text.strip("+-") if text.count("-") <= 1 else text
    sep, point = re.escape("." if decimal == "," else ","), re.escape(decimal)
    if not re.fullmatch(f"(?:[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+|[0-9]+)(?:{point}[0-9]{{1,2}})?", text):
        raise ValueError(f"'{raw[:40]}' is not an amount with the decimal '{decimal}'")
    try:
        value = parse_amount(re.sub(sep, "", text).replace(decimal, "."), allow_zero=True)
    except AmountError as e:
        raise ValueError(f"'{raw[:40]}' is not an amount ({e})") from None
    return -value if negative else value
