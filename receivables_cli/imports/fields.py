"""Reading the business terms of EN 16931 invoices: required values, amounts, dates, payment terms."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from receivables_cli.imports.records import ImportProblem

_COMPANY = re.compile(
    r"\b(gmbh|mbh|ag|ug|kg|ohg|gbr|e\.\s?k\.?|e\.\s?v\.?|eg|se|kgaa|ltd|limited|inc|llc|plc|s\.?a\.?r?\.?l?|"
    r"sas|b\.?v\.?|n\.?v\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|gesmbh|& co)(?=\W|$)", re.I)


def required(path, value: str | None, what: str) -> str:
    if not value:
        raise ImportProblem(path, f"no {what}")
    return value


def amount(path, value: str | None, what: str) -> Decimal:
    text = required(path, value, what).strip()
    result = -entry_amount(path, text[1:], what) if text.startswith("-") else entry_amount(path, text, what)
    if result <= 0:
        raise ImportProblem(path, f"{what} is {value}: nothing to collect (a credit note or a paid invoice)")
    return result


def entry_amount(where, raw: str | None, what: str) -> Decimal:
    """An unsigned amount as banks and invoices write it in XML: ASCII digits, a dot, at most two
    decimals and 15 digits before the point; zero allowed. NaN, exponents and 29 digits are refused."""
    from receivables_cli.domain.amounts import AmountError, parse_amount

    text = (raw or "").strip()
    if text.startswith("-"):
        raise ImportProblem(where, f"{what} '{text}' is negative")
    try:
        return parse_amount(text, allow_zero=True)
    except AmountError as e:
        raise ImportProblem(where, f"{what} '{text}' is not an amount ({_reason(e)})") from None


def _reason(e: Exception) -> str:
    message = str(e)
    return "write it like 1190.50" if "is not an amount" in message else message


def iso_date(path, value: str | None, what: str) -> date:
    """YYYY-MM-DD (UBL) or YYYYMMDD (CII format 102), within the dates a case file may hold."""
    from receivables_cli.domain.reader import FIRST_DAY, LAST_DAY

    text = required(path, value, what)
    try:
        day = date.fromisoformat(text[:10]) if "-" in text else date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ImportProblem(path, f"{what} '{text}' is not a date") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ImportProblem(path, f"{what} '{text}' is outside the dates dun handles ({FIRST_DAY} to {LAST_DAY})")
    return day


def due_date(path, issued: date, due: date | None) -> date | None:
    """The due date, refused when it lies before the invoice was issued."""
    if due is not None and due < issued:
        raise ImportProblem(path, f"due date {due} is before the issue date {issued}")
    return due


def lines_of(element) -> str:
    """An element's text with its line breaks (payment terms list one term a line), each line printable."""
    lines = ((element.text or "") if element is not None else "").splitlines()
    return "\n".join("".join(c for c in " ".join(line.split()) if c.isprintable()) for line in lines).strip()


def is_percent(text: str) -> bool:
    """A percentage as XML writes it: 2, 2.5, 3.00 (below 100)."""
    return bool(re.fullmatch(r"\d{1,2}(?:\.\d{1,4})?", text))


def decimal(text: str) -> Decimal:
    return Decimal(text)


def looks_like_company(name: str) -> bool:
    return bool(_COMPANY.search(name))


def address(*lines: str | None) -> str | None:
    """Postal address lines, blank ones dropped, as a multi-line text."""
    kept = [" ".join(line.split()) for line in lines if line and line.strip()]
    return "\n".join(kept) or None
