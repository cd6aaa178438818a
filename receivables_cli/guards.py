"""Guard rails for the hand that types: refuse the likely typo before it is appended."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from receivables_cli.errors import DunError

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
