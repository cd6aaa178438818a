"""Guard rails for the hand that types: refuse the likely typo before it is appended."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from receivables_cli.domain.errors import DunError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.][^@\s]*")
FORCE_HINT = "add --force if that is really so"


def check_email(text: str | None, option: str = "--email") -> None:
    """A structural check: one @, a dot in the domain, no spaces or line breaks."""
    if text is not None and not _EMAIL.fullmatch(text):
        raise DunError(f"{option} '{text}' is not an e-mail address (expected name@domain.example)")


def check_not_future(day: date, today: date, what: str = "--at") -> None:
    """What happened cannot have happened after today (as --on or DUN_TODAY sets it)."""
    if day > today:
        raise DunError(f"{what} {day} is in the future (today is {today}); nothing was written")


def check_not_more_than_open(amount: Decimal, open_amount: Decimal, what: str, force: bool) -> None:
    """A payment or credit larger than the open amount is usually a typo, sometimes an overpayment."""
    if amount > open_amount and not force:
        raise DunError(f"{what} {amount:.2f} is more than the {open_amount:.2f} open; nothing was written "
                       f"({FORCE_HINT}: an overpayment leaves a credit balance)")


def check_due_after_issue(issued: date, due: date | None, force: bool) -> None:
    if due is not None and due < issued and not force:
        raise DunError(f"--due {due} is before the invoice date {issued}; nothing was written ({FORCE_HINT})")


def check_promise(amount: Decimal, by: date, open_amount: Decimal, made: date) -> None:
    """A promise is what the customer can pay of what is open, on a day still ahead: a letter confirms it."""
    if amount > open_amount:
        raise DunError(f"the promise of {amount:.2f} is more than the {open_amount:.2f} open; nothing was written "
                       "(a confirmation would ask the customer for money they do not owe)")
    if by < made:
        raise DunError(f"the promised day {by} is before the day of the promise {made}; nothing was written")


def check_hold_ends_ahead(until: date, today: date) -> None:
    if until < today:
        raise DunError(f"--until {until} is in the past (today is {today}); a hold must end on a later day")


# Limits where values enter (command line, imports, edit): a case file must stay one that every command reads.
MAX_TEXT = 10_000  # characters of a note, a reason, agreed terms, an address: pages of text
MAX_WORD = 500  # characters of a name, a number, a reference, an e-mail address or a payer
_TEXT_FIELDS = ("note", "text", "terms", "reason", "address", "summary", "subject")


def too_long(key: str, value: str) -> str | None:
    """Why a field's text is too long for dun, or None."""
    limit = MAX_TEXT if key in _TEXT_FIELDS else MAX_WORD
    if len(value) <= limit:
        return None
    return f"{key} is {len(value):,} characters long, more than dun keeps ({limit:,})"


def long_fields(values, key: str = "") -> list[tuple[str, str]]:
    """(field, text) of every text in `values` (an entry, a customer, a case) longer than its limit."""
    from dataclasses import fields, is_dataclass

    if isinstance(values, str):
        return [(key, values)] if too_long(key, values) else []
    if values is None or isinstance(values, (int, Decimal, date)):  # no text: the common case, asked first
        return []
    if isinstance(values, dict):
        if all(v is None or type(v) in _SCALARS or (type(v) is str and len(v) <= MAX_WORD) for v in values.values()):
            return []  # a history entry of short texts (each bank credit matched is one): nothing to walk
        items = values.items()
    elif isinstance(values, (list, tuple)):
        items = ((key, v) for v in values)
    elif is_dataclass(values) and not isinstance(values, type):
        items = ((f.name.rstrip("_"), getattr(values, f.name)) for f in fields(values))
    else:
        return []
    return [found for k, v in items for found in long_fields(v, k)]


_SCALARS = frozenset({int, bool, Decimal, date, datetime})  # no text in them; a subclass is asked the long way


def check_lengths(values, where: str) -> None:
    """Refuse, naming the field, a value longer than dun keeps; nothing is written."""
    from receivables_cli.domain.errors import WriteRefused

    if found := long_fields(values):
        key, text = found[0]
        raise WriteRefused(f"{where}: {too_long(key, text)}; nothing was written")


def check_not_after_tomorrow(day: date, today: date, what: str) -> str | None:
    """Why a date from a file (a booking) cannot be true: after tomorrow (a day's grace for time zones)."""
    from datetime import timedelta

    if day > today + timedelta(days=1):
        return f"{what} {day} is after tomorrow (today is {today})"
    return None
