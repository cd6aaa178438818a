"""The figures behind the HTML report's charts: ageing by customer, cash expected week by week, promises by month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.output.svg import Row, Series
from receivables_cli.playbook.ageing import BUCKETS, ageing, is_open

ZERO = Decimal("0.00")
WEEKS = 8
MONTHS = 6
AGE_SERIES = (Series("not due", "#9bbcd8"), Series("1-30 days", "#f2c14e"), Series("31-60 days", "#f08a4b"),
              Series("61-90 days", "#d9534f"), Series("90+ days", "#8e2c48"))
CASH_SERIES = (Series("promises", "#2e7d32"), Series("instalments", "#1565c0"),
               Series("usual days to pay", "#90a4ae"), Series("overdue, no date to expect", "#e0c9c9"))
PROMISE_SERIES = (Series("kept", "#2e7d32"), Series("broken", "#c62828"), Series("pending", "#b0bec5"))
NO_CASH_EXPECTED = ("disputed", "on_hold", "legal")  # no date to expect money from


@dataclass(frozen=True, slots=True)
class Expected:
    """Money expected on a day, and what makes it expected."""
    day: date | None  # None: overdue with no date to expect it by
    amount: Decimal
    source: str  # a CASH_SERIES name


def ageing_rows(states: list, currency: str, limit: int = 10) -> list[Row]:
    """Each customer's open amount split by age, the largest first; the rest summed in one row."""
    by_customer: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(BUCKETS))
    for s in states:
        if is_open(s) and s.currency == currency and s.open > 0:
            ages = ageing(s)
            row = by_customer[s.case.customer.name]
            for i, key in enumerate(BUCKETS):
                row[i] += ages[key]
    rows = sorted((Row(name, tuple(v)) for name, v in by_customer.items()), key=lambda r: (-r.total, r.label))
    if len(rows) > limit:
        rest = rows[limit - 1:]
        summed = tuple(sum((r.values[i] for r in rest), ZERO) for i in range(len(BUCKETS)))
        rows = rows[: limit - 1] + [Row(f"{len(rest)} others", summed)]
    return rows


def debtor_rows(concentration: list[dict], limit: int = 8) -> list[Row]:
    return [Row(r["customer"], (Decimal(r["open"]),), f"{r['share'] * 100:.0f} %") for r in concentration[:limit]]


def usual_days(states: list) -> tuple[dict[str, int], int | None]:
    """Days from invoice to payment on each customer's settled claims, and over the whole ledger."""
    spans: dict[str, list[int]] = defaultdict(list)
    for s in states:
        if s.status != "settled":
            continue
        first = min((e.day for e in s.events if e.event == "invoice"), default=None)
        last = max((e.day for e in s.events if e.event == "payment"), default=None)
        if first and last:
            spans[s.case.customer.name].append((last - first).days)
    every = [d for days in spans.values() for d in days]
    overall = round(sum(every) / len(every)) if every else None
    return {name: round(sum(d) / len(d)) for name, d in spans.items()}, overall


def expected_of(state, usual: int | None) -> list[Expected]:
    """When the money of one open claim can be expected: an agreement's instalments, else an open promise,
    else each open invoice after the customer's usual days to pay (its due date when nothing is known)."""
    if state.status in NO_CASH_EXPECTED or state.open <= 0:
        return []
    if state.status == "agreement":
        found, paid = [], state.agreement.paid_since
        for item in state.agreement.schedule:
            part = min(item.amount, paid)
            paid -= part
            if item.amount > part:
                found.append(Expected(item.by, item.amount - part, "instalments"))
        return found
    if state.status == "promised":
        p = state.promise
        promised = min(p.amount - p.paid_since, state.open)
        rest = [Expected(None, state.open - promised, "")] if state.open > promised else []
        return [Expected(p.by, promised, "promises"), *rest]
    return [Expected(i.date + timedelta(days=usual) if usual is not None else i.due, i.open, "usual days to pay")
            for i in state.open_invoices]


def cash_weeks(states: list, on: date, currency: str) -> list[Row]:
    """First what is overdue past every date one could expect it by (a broken promise, a missed instalment, a
    customer later than usual), then the next WEEKS weeks from this Monday, each split by where the money
    is expected from."""
    per_customer, overall = usual_days(states)
    monday = on - timedelta(days=on.weekday())
    weeks = [[ZERO] * len(CASH_SERIES) for _ in range(WEEKS)]
    names = [s.name for s in CASH_SERIES]
    beyond = ZERO
    for s in states:
        if not is_open(s) or s.currency != currency:
            continue
        for x in expected_of(s, per_customer.get(s.case.customer.name, overall)):
            if x.day is None or x.day < on:
                beyond += x.amount
            elif (week := (x.day - monday).days // 7) < WEEKS:
                weeks[week][names.index(x.source)] += x.amount
    rows = [Row(f"{monday + timedelta(weeks=i):%d %b}", tuple(v)) for i, v in enumerate(weeks)]
    return [Row("no date", (ZERO, ZERO, ZERO, beyond), "overdue"), *rows]


def promise_months(outcomes: list[tuple[date, str]], on: date) -> list[Row]:
    """Promises by the month they were due in, the last MONTHS months up to this one: kept, broken, pending."""
    months = []
    year, month = on.year, on.month
    for _ in range(MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    counts = {m: [0, 0, 0] for m in months}
    names = [s.name for s in PROMISE_SERIES]
    for by, outcome in outcomes:
        if (by.year, by.month) in counts:
            counts[(by.year, by.month)][names.index(outcome)] += 1
    return [Row(date(y, m, 1).strftime("%b %Y"), tuple(Decimal(n) for n in counts[(y, m)])) for y, m in months]
