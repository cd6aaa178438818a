"""SWIFT MT940 statements, read with the `mt-940` package (German `:86:` subfields included)."""

from __future__ import annotations

import re
from datetime import date

from receivables_cli.imports.records import BankEntry, ImportProblem

_MARKERS = re.compile(r"^:(20|25|60[FM]):", re.M)
_RETURN_WORDS = ("RETOURE", "RUECKUEBERWEISUNG", "RÜCKÜBERWEISUNG", "RUECKBUCHUNG", "RÜCKBUCHUNG", "STORNO")


def is_mt940(content: str) -> bool:
    """A statement with a reference (:20:), an account (:25:) and an opening balance (:60F:)."""
    return len({m.group(1)[:2] for m in _MARKERS.finditer(content)}) == 3 and ":61:" in content


_LINE = re.compile(r"^:61:", re.M)
_CLOSING = re.compile(r"^:62[FM]:", re.M)


def read_mt940(path, content: str) -> list[BankEntry]:
    """Every :61: line with its :86: details; a line the parser passes over is an error, not a loss."""
    import logging

    import mt940

    from receivables_cli.imports.records import too_many

    lines = len(_LINE.findall(content))
    too_many(path, lines)
    if not _CLOSING.search(content):
        raise ImportProblem(path, "no closing balance (:62F:): the statement is cut short; download it again")
    logging.getLogger("mt940").setLevel(logging.CRITICAL)  # it logs every field it fails on to stderr
    try:
        transactions = mt940.parse(content)
    except Exception as e:  # the parser raises bare exceptions of several kinds on bad input
        raise ImportProblem(path, f"not a readable MT940 statement ({_why(e)})") from None
    if len(transactions) != lines:
        raise ImportProblem(path, f"{lines} statement lines (:61:), but only {len(transactions)} could be read; "
                                  "a line with a broken amount or date is in the file")
    return [_entry(path, n, t.data) for n, t in enumerate(transactions, 1)]


def _why(e: Exception) -> str:
    """The parser's complaint in one line, without its object reprs: 'Unable to parse ... from X'."""
    first = e.args[0] if e.args else e
    found = re.search(r"Unable to parse <mt940\.tags\.(\w+) object at 0x[0-9a-f]+> from '(.{0,60})", str(first))
    if found:
        return f"cannot read the {found.group(1)} field '{found.group(2)}'"
    return f"{type(e).__name__}: {str(e)[:200]}"


def _entry(path, position: int, data: dict) -> BankEntry:
    amount = data.get("amount")
    if amount is None or not isinstance(data.get("date"), date):
        raise ImportProblem(path, f"statement line {position} (:61:) has no amount or date")
    mark = str(data.get("status") or "")
    posting = str(data.get("posting_text") or "").upper()
    booked = data.get("entry_date") or data["date"]
    from receivables_cli.imports.fields import entry_amount

    value = entry_amount(path, format(abs(amount.amount), "f"), f"statement line {position} (:61:): amount")
    return BankEntry(
        source=str(path), position=position, booked=date(booked.year, booked.month, booked.day),
        amount=value, currency=amount.currency or data.get("currency") or "",
        credit=mark in ("C", "RD"), reversal=mark.startswith("R") or any(w in posting for w in _RETURN_WORDS),
        reference=_reference(data), payer=_clean(data.get("applicant_name")),
        text=_clean(data.get("purpose")) or "", creditor_ref=_clean(data.get("end_to_end_reference")),
    )


def _reference(data: dict) -> str | None:
    ref = _clean(data.get("bank_reference"))
    return ref if ref and ref.upper() != "NONREF" else None


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
