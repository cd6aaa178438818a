"""What a letter offers and what it asks for: a settlement, a down payment, an agreement's next
instalment and its arrears."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from receivables_cli.domain.state import CaseState

ZERO = Decimal("0.00")
DOWN_PAYMENT_SHARE = Decimal("0.20")  # of what is owed, rounded up to a multiple of 10 (docs/letters.md)
REST_AFTER_DAYS = 30  # the date we set for the rest after a down payment


def settlement(total: Decimal, discount: Decimal) -> dict:
    from receivables_cli.domain.amounts import cents

    amount = cents(total * (1 - discount))
    return {"amount": amount, "discount": total - amount, "of": total}


def down_payment(state: CaseState, total: Decimal, by: date, calendar) -> dict | None:
    """The down payment we ask for: the one agreed, else a fifth of what is owed, with dates we set."""
    if total <= 0:
        return None
    a = state.agreement
    if a is not None and a.down_payment is not None and a.paid_since < a.down_payment.amount:  # agreed, not paid
        amount, by = a.down_payment.amount, max(a.down_payment.by, by)  # a date passed: the letter's
    else:
        tens = (total * DOWN_PAYMENT_SHARE / 10).to_integral_value(rounding=ROUND_CEILING) * 10
        amount = min(total, Decimal(tens).quantize(ZERO))
    rest_by = calendar.next_working_day(by + timedelta(days=REST_AFTER_DAYS))
    return {"amount": amount, "by": by, "rest": total - amount, "rest_by": rest_by}


def agreement(state: CaseState, total: Decimal, day: date) -> dict | None:
    """The agreement with what it leaves aside: `waived` is owed beyond the schedule (interest accrued).

    `arrears` is what fell due under the schedule by `day` and has not arrived; `missed` lists those
    payments (what is left of each), oldest first.
    """
    a = state.agreement
    if a is None:
        return None
    down = {"amount": a.down_payment.amount, "by": a.down_payment.by} if a.down_payment else None
    remaining = max(a.total - a.paid_since, ZERO)
    return {"made": a.made, "down_payment": down, "total": a.total, "paid": a.paid_since, "remaining": remaining,
            "waived": max(total - remaining, ZERO), "payment_due": next_payable(a),
            "arrears": max(a.due_by(day) - a.paid_since, ZERO), "missed": missed(a, day),
            "late_days": max(((day - m["by"]).days for m in missed(a, day)), default=0),
            "installments": [{"amount": p.amount, "by": p.by} for p in sorted(a.installments, key=lambda p: p.by)]}


def next_payable(a) -> dict | None:
    """The down payment if unpaid, else the next instalment (what is left of it)."""
    reached = ZERO
    for p in a.schedule:
        reached += p.amount
        if reached > a.paid_since:
            return {"amount": min(p.amount, reached - a.paid_since), "by": p.by}
    return None


def arrears(state: CaseState, day: date) -> Decimal:
    a = state.agreement
    return max(a.due_by(day) - a.paid_since, ZERO) if a is not None else ZERO


def arrears_deadline(state: CaseState, day: date, usual: date, calendar, delivery_days: int) -> date:
    """The final notice after a missed instalment gives time that clause 5 of the agreement can rest on.

    A consumer gets two weeks from receipt (the written grace period of the consumer rule); a
    business at least until the oldest missed payment is more than 14 days late.
    """
    if state.case.customer.kind == "private":
        return max(usual, calendar.next_working_day(day + timedelta(days=delivery_days + 14)))
    oldest = missed(state.agreement, day)[0]["by"]
    return max(usual, calendar.next_working_day(oldest + timedelta(days=15)))


def missed(a, day: date) -> list[dict]:
    """The payments due by `day` under the schedule and not (fully) paid, oldest first."""
    reached, missed = ZERO, []
    for p in a.schedule:
        reached += p.amount
        if p.by <= day and reached > a.paid_since:
            missed.append({"amount": min(p.amount, reached - a.paid_since), "by": p.by})
    return missed
