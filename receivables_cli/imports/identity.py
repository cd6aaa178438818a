"""A payment's identity across statements: the same booking read from a camt.053, an MT940 and a CSV
export of the same account is one payment, though each format gives it other references and texts.

A booking is known when a recorded payment has its bank reference; else when one of the same day
and amount was typed in by hand (no reference), or names the same payer (names normalised) and a
compatible text (one contains the other, letters and digits only), or the same text. A recorded
payment stands for one booking of each statement file: two equal credits of one day in one file,
one recorded, leave the other to be matched; the same booking in three files is one payment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from receivables_cli.imports.names import name_words


@dataclass(frozen=True, slots=True)
class Booking:
    """What identifies a bank booking across formats: day, amount, reference, payer, text."""
    day: date
    amount: Decimal
    reference: str | None
    payer: tuple[str, ...]
    text: str
    where: str  # a case id, or "this import"


def squeeze(text: str | None) -> str:
    return _NOT_ALNUM.sub("", (text or "").casefold())


_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def booking(day: date, amount: Decimal, reference, payer, text, where: str) -> Booking:
    return Booking(day, amount, reference or None, tuple(sorted(name_words(payer or ""))), squeeze(text), where)


class Known:
    """The bookings recorded so far; `take` finds the one an entry of a file repeats (once per file)."""

    def __init__(self) -> None:
        self.by_reference: dict[str, Booking] = {}
        self.by_day: dict[tuple, list[Booking]] = defaultdict(list)
        self.used: set[tuple[int, str]] = set()  # (booking, file) pairs already taken

    def add(self, b: Booking) -> None:
        if b.reference:
            self.by_reference.setdefault(b.reference, b)
        self.by_day[(b.day, b.amount)].append(b)

    def add_events(self, case_id: str, events) -> None:
        for e in events:
            if e.event == "payment":
                self.add(booking(e.day, e.amount, e.reference, e.payer, e.note, case_id))

    def take(self, b: Booking, file: str) -> Booking | None:
        found = self.by_reference.get(b.reference) if b.reference else None
        if found is None:
            found = next((k for k in self.by_day.get((b.day, b.amount), [])
                          if (id(k), file) not in self.used and same_booking(k, b)), None)
        if found is not None:
            self.used.add((id(found), file))
        return found


def same_booking(known: Booking, new: Booking) -> bool:
    """Whether a recorded payment of the same day and amount is this booking."""
    if known.reference and new.reference and known.reference == new.reference:
        return True
    if not known.reference and not known.payer and known.where != "this import":
        return True  # typed in by hand: it stands for the bank's entry of its day and amount
    texts = _compatible(known.text, new.text)
    if known.payer and new.payer:
        return known.payer == new.payer and texts
    return texts and bool(known.text or new.text)


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a in b or b in a
