"""What is open, item by item, as a letter lists it: each invoice's principal, each fee and interest
charge, and the default interest accrued, every part once (§367 BGB)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OpenParts:
    """The open amount in its items; they add up to the statement's total."""
    principal: dict[str, Decimal]  # per invoice: its principal still open (no costs, no interest)
    charges: dict[int, Decimal]    # per fee or interest event (by id): what is still open of it
    interest_from: date | None     # the first day of the default interest accrued and still owed
    interest_paid: Decimal         # of the interest accrued since that day, what payments paid already
    paid_costs: Decimal = ZERO     # what payments paid of fees (costs first, §367 BGB)
    paid_interest: Decimal = ZERO  # what payments paid of interest, charged or accrued (before the principal)


def open_parts(buckets: dict, interest_lines: dict[str, list]) -> OpenParts:
    """The items of the buckets (statement._compute) with each invoice's interest lines, oldest first.

    Within an invoice payments pay costs, then interest, then principal (§367 BGB), and of its costs
    (or its charged interest) the oldest first; the default interest still owed is the latest accrued.
    """
    charges: dict[int, Decimal] = {}
    starts: list[date] = []
    for number, b in buckets.items():
        left = {"fee": b.costs, "interest": b.interest}
        for e, amount in reversed(b.charges):
            charges[id(e)] = min(amount, max(left[e.event], ZERO))
            left[e.event] -= charges[id(e)]
        owed = b.accrued
        for x in reversed(interest_lines.get(number, [])):
            if owed <= 0:
                break
            if x.amount > 0:
                starts.append(x.start)
                owed -= x.amount
    start, paid = min(starts, default=None), ZERO
    if start is not None:
        since = sum((x.amount for lines in interest_lines.values() for x in lines if x.start >= start), ZERO)
        paid = max(since - sum((b.accrued for b in buckets.values()), ZERO), ZERO)
    settled = [b.settled for b in buckets.values()]
    return OpenParts({n: b.principal for n, b in buckets.items()}, charges, start, paid,
                     sum((s.get("costs", ZERO) for s in settled), ZERO),
                     sum((s.get("interest", ZERO) + s.get("accrued", ZERO) for s in settled), ZERO))
