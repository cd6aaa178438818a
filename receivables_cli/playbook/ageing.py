"""How overdue a claim is: ageing buckets and the overdue part; `dun report` and `dun today` count alike."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: a warm `dun today` folds no case
    from receivables_cli.domain.state import CaseState


ZERO = Decimal("0.00")
BUCKETS = ("not_due", "1-30", "31-60", "61-90", "90+")


def bucket_of(days: int) -> str:
    if days <= 0:
        return "not_due"
    return "1-30" if days <= 30 else "31-60" if days <= 60 else "61-90" if days <= 90 else "90+"


def ageing(state: CaseState) -> dict[str, Decimal]:
    """The open amount by days overdue of each invoice; fees and interest go with the oldest one."""
    result = dict.fromkeys(BUCKETS, ZERO)
    invoices = state.open_invoices
    for i in invoices:
        result[bucket_of((state.as_of - i.due).days)] += i.open
    rest = state.open - sum((i.open for i in invoices), ZERO)
    if rest and state.oldest_open:
        result[bucket_of(state.overdue_days)] += rest
    return result


def overdue_part(ages: dict[str, Decimal]) -> Decimal:
    """The overdue part of an ageing: everything but what is not due yet."""
    return sum((v for k, v in ages.items() if k != "not_due"), ZERO)


def is_open(state: CaseState) -> bool:
    """Counted in the portfolio: neither settled nor written off (a claim at court is still owed)."""
    return state.status not in ("settled", "written_off")


def overdue_of(state: CaseState) -> Decimal:
    """What the report counts as overdue on one claim; `dun today`'s summary adds up the same."""
    return overdue_part(ageing(state)) if is_open(state) else ZERO
