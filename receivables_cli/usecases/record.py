"""Build the history entries that the recording commands append, and describe them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from receivables_cli.domain.amounts import fmt, split
from receivables_cli.domain.errors import DunError, did_you_mean
from receivables_cli.domain.model import Payable
from receivables_cli.domain.state import CaseState
from receivables_cli.domain.words import plural

_EVERY = re.compile(r"(\d+)\s*([dwmy])")


def entry(event: str, at: date | datetime, **values) -> dict:
    """An ordered entry: `at`, `event`, then the given fields that are set."""
    result = {"at": at, "event": event}
    result.update((k, v) for k, v in values.items() if v not in (None, "", (), []))
    return result


def require_invoice(state: CaseState, number: str | None) -> None:
    """Refuse a payment or credit for an invoice the case does not have."""
    numbers = [i.number for i in state.invoices]
    if number is not None and number not in numbers:
        raise DunError(f"{state.case.id} has no invoice '{number}'{did_you_mean(number, numbers)}")


def interval(every: str):
    """``1m``, ``2w``, ``14d`` or ``1y`` as a dateutil relativedelta."""
    from dateutil.relativedelta import relativedelta

    m = _EVERY.fullmatch(every.strip().lower())
    if not m or int(m.group(1)) == 0:
        raise DunError(f"--every '{every}' is not an interval; write e.g. 1m (a month), 2w, 14d or 1y")
    unit = {"d": "days", "w": "weeks", "m": "months", "y": "years"}[m.group(2)]
    return lambda k: relativedelta(**{unit: int(m.group(1)) * k})


def installment_plan(total: Decimal, count: int, first: date, every: str) -> list[Payable]:
    """`count` instalments from `first`, `every` apart, split to the cent, rest on the last."""
    if count < 1:
        raise DunError("--installments must be at least 1")
    if total <= 0:
        raise DunError("nothing is left to split into instalments")
    step = interval(every)
    # each date counts from the first one, so 31 Jan, 28 Feb, 31 Mar do not drift
    return [Payable(amount, first + step(k)) for k, amount in enumerate(split(total, count))]


def describe(case_id: str, values: dict) -> str:
    """One line for a commit message: ``acme-2026-017: call reached, promised 500.00 by 2026-12-01``."""
    kind = values["event"]
    words = [kind.replace("_", " ")]
    for key in ("outcome", "template", "number", "route", "kind"):
        if key in values:
            words.append(str(values[key]))
    if "amount" in values:
        words.append(fmt(values["amount"]))
    if isinstance(values.get("promise"), Payable):
        p = values["promise"]
        words.append(f"{fmt(p.amount)} by {p.by.isoformat()}")
    if "installments" in values:
        words.append(plural(len(values["installments"]), "instalment"))
    if "until" in values:
        words.append(f"until {values['until'].isoformat()}")
    return f"{case_id}: " + " ".join(words)
