"""Exact amounts: parsing from YAML or command-line text, rounding, JSON form."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]+))?")  # ASCII digits: "１０" is no amount
MAX_DIGITS = 15  # before the point: up to 999 trillion, far beyond any invoice, safe for every sum


class AmountError(ValueError):
    """Text that is not a valid amount."""


def parse_amount(text: str, *, allow_zero: bool = False) -> Decimal:
    """Parse ``1190``, ``1190.5`` or ``1190.50`` exactly; never through a float."""
    raw = str(text).strip()
    if raw.startswith("-"):
        raise AmountError(f"amount must be positive, not {raw}")
    m = _AMOUNT.fullmatch(raw)
    if not m:
        raise AmountError(f"'{raw}' is not an amount; write it like 1190.50 (a dot, no thousands separator)")
    if m.group(2) and len(m.group(2)) > 2:
        raise AmountError(f"amount {raw} has more than two decimal places")
    if len(m.group(1).lstrip("0")) > MAX_DIGITS:
        raise AmountError(f"amount {raw[:20]}... has more than {MAX_DIGITS} digits before the point")
    value = Decimal(raw)
    if value == 0 and not allow_zero:
        raise AmountError("amount must be more than zero")
    return value


def cents(value: Decimal) -> Decimal:
    """Round half up to the cent (commercial rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def shares(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`amount` split in proportion to `weights` (each positive), in cents that add up to `amount`.

    Each share is the difference of the rounded running totals, so no cent is lost or made up
    and a share never exceeds what exact division would give by a cent or more (§366(2) BGB:
    among equal debts "verhältnismäßig").
    """
    total, running, before, result = sum(weights, ZERO), ZERO, ZERO, []
    for weight in weights:
        running += weight
        upto = cents(amount * running / total)
        result.append(upto - before)
        before = upto
    return result


def fmt(value: Decimal) -> str:
    """Two decimals, as in JSON and tables: ``1190.00``."""
    return str(cents(value))


def split(total: Decimal, parts: int) -> list[Decimal]:
    """Split into equal parts rounded down to the cent; the remainder goes on the last."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    share = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    return [share] * (parts - 1) + [total - share * (parts - 1)]
