"""The portfolio: totals, ageing, concentration, promises, and what needs a decision."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from receivables_cli.domain.amounts import fmt
from receivables_cli.playbook.ageing import BUCKETS, ageing, is_open, overdue_part

if TYPE_CHECKING:  # annotations only: a warm `dun today` folds no case
    from receivables_cli.domain.state import CaseState

ZERO = Decimal("0.00")


def overdue_summary(figures) -> str:
    """``25080.00 EUR overdue in 9 cases`` from (currency, overdue) pairs, one a case."""
    from receivables_cli.domain.words import plural

    totals: dict[str, list] = {}
    for currency, amount in figures:
        if Decimal(amount) > 0:
            total = totals.setdefault(currency, [ZERO, 0])
            total[0] += Decimal(amount)
            total[1] += 1
    if not totals:
        return "nothing overdue"
    return ", ".join(f"{fmt(v)} {c} overdue in {plural(n, 'case')}" for c, (v, n) in sorted(totals.items()))


def promise_outcomes(states: list[CaseState], grace: int) -> list[tuple[date, str]]:
    """Every promise made (by phone, in a meeting or in writing): its date, and kept, broken or pending."""
    found = []
    for s in states:
        for e in s.events:
            promise = (e.amount, e.by) if e.event == "promise" else (
                (e.promise.amount, e.promise.by) if e.event in ("call", "meeting") and e.promise else None)
            if promise is None:
                continue
            amount, by = promise
            limit = by + timedelta(days=grace)
            paid = sum((x.amount for x in s.events if x.event == "payment" and e.at <= x.at and x.day <= limit), ZERO)
            found.append((by, "kept" if paid >= amount else "broken" if s.as_of > limit else "pending"))
    return found


def promise_counts(states: list[CaseState], grace: int) -> dict[str, int]:
    """How many promises were made, kept, broken and are pending."""
    counts = Counter(made=0, kept=0, broken=0, pending=0)
    for _, outcome in promise_outcomes(states, grace):
        counts["made"] += 1
        counts[outcome] += 1
    return dict(counts)


def days_to_pay(states: list[CaseState]) -> float | None:
    """Average days from the first invoice to the last payment, over settled claims."""
    spans = []
    for s in states:
        if s.status != "settled":
            continue
        first = min((e.day for e in s.events if e.event == "invoice"), default=None)
        last = max((e.day for e in s.events if e.event == "payment"), default=None)
        if first and last:
            spans.append((last - first).days)
    return round(sum(spans) / len(spans), 1) if spans else None


def build_report(states: list[CaseState], actions: list[dict], on: date, currency: str, policy: dict) -> dict:
    """`dun report --json`: the contract's fields, then what the contract leaves to us."""
    open_states = [s for s in states if is_open(s)]
    currencies: dict[str, dict] = {}
    for s in open_states:
        cur = currencies.setdefault(s.currency, {"open": ZERO, "overdue": ZERO, "cases": 0, "overdue_cases": 0,
                                                 "ageing": dict.fromkeys(BUCKETS, ZERO)})
        cur["open"] += s.open
        cur["cases"] += 1
        ages = ageing(s)
        for key, value in ages.items():
            cur["ageing"][key] += value
        overdue = overdue_part(ages)
        cur["overdue"] += overdue
        cur["overdue_cases"] += overdue > 0
    concentration, warnings = _concentration(open_states, currency, policy["concentration_warning"])
    return {
        "on": on.isoformat(),
        "currencies": {c: _currency_json(v) for c, v in sorted(currencies.items())},
        "concentration": concentration,
        "promises": promise_counts(states, policy["promise_grace_days"]),
        "warnings": warnings,
        "statuses": dict(sorted(Counter(s.status for s in states).items())),
        "overdue_cases": {c: v["overdue_cases"] for c, v in sorted(currencies.items())},
        "average_days_to_pay": days_to_pay(states),
        "legal_candidates": sorted({a["case"] for a in actions if a["action"] == "decide_legal"}),
        "near_limitation": sorted({a["case"] for a in actions if a["action"] == "limitation_warning"}),
    }


def _currency_json(v: dict) -> dict:
    return {"open": fmt(v["open"]), "overdue": fmt(v["overdue"]), "cases": v["cases"],
            "ageing": {k: fmt(x) for k, x in v["ageing"].items()}}


def _concentration(states: list[CaseState], currency: str, limit: Decimal) -> tuple[list[dict], list[str]]:
    by_customer: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for s in states:
        if s.currency == currency and s.open > 0:
            by_customer[s.case.customer.name] += s.open
    total = sum(by_customer.values(), ZERO)
    rows, warnings = [], []
    for name, amount in sorted(by_customer.items(), key=lambda x: (-x[1], x[0])):
        share = float(round(amount / total, 2)) if total else 0.0
        rows.append({"customer": name, "open": fmt(amount), "share": share})
        if total and amount / total > limit:
            warnings.append(f"{name} holds {amount / total * 100:.0f} % of the open receivables.")
    return rows, warnings


def bar(value: float, maximum: float, width: int = 30) -> str:
    """A horizontal bar of Unicode blocks, with eighths for the last cell."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = round(value / maximum * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def report_text(data: dict, currency: str, width: int | None = None, colour: bool = False) -> str:
    """The report for people: totals, bars for ageing and concentration, the rest as lists.

    With a `width` (a terminal), names are cut at a word boundary and bars shortened to fit.
    """
    from receivables_cli.domain.words import plural
    from receivables_cli.output.tables import wrap_lines
    from receivables_cli.output.term import paint

    lines = [f"Receivables on {data['on']}", ""]
    for cur, v in data["currencies"].items():
        late = paint(f"{v['overdue']} of it overdue", "overdue", colour and Decimal(v["overdue"]) > 0)
        lines.append(f"{cur}: {v['open']} open in {plural(v['cases'], 'case')}, {late} in "
                     f"{plural(data['overdue_cases'].get(cur, 0), 'case')}")
        values = {k: float(x) for k, x in v["ageing"].items()}
        top, room = max(values.values(), default=0), _bar_room(width, 28)
        for key in BUCKETS:
            label = "not due" if key == "not_due" else f"{key} days"
            lines.append(f"  {label:<11} {v['ageing'][key]:>12}  {bar(values[key], top, room)}".rstrip())
        lines.append("")
    if data["concentration"]:
        lines += [f"Concentration ({currency})", *_concentration_lines(data["concentration"][:8], width), ""]
    p = data["promises"]
    lines.append(f"Promises: {p['made']} made, {p['kept']} kept, {p['broken']} broken, {p['pending']} pending")
    lines.append("Status: " + ", ".join(f"{n} {k}" for k, n in data["statuses"].items()))
    if data["average_days_to_pay"] is not None:
        lines.append(f"Settled claims were paid {data['average_days_to_pay']} days after the invoice on average")
    for title, key in (("Decide on the legal route", "legal_candidates"), ("Close to limitation", "near_limitation")):
        if data[key]:
            lines.append(f"{title}: {', '.join(data[key])}")
    text = wrap_lines(lines, width)
    warnings = wrap_lines([f"Warning: {w}" for w in data["warnings"]], width)
    return text + ("\n" + paint(warnings, "warning", colour) if warnings else "")


def _bar_room(width: int | None, used: int) -> int:
    """Bars are 30 cells long, shorter when the terminal has less room."""
    return 30 if width is None else max(0, min(30, width - used))


def _concentration_lines(rows: list[dict], width: int | None) -> list[str]:
    """Name, amount, share and a bar; on a terminal the name gives way at a word boundary."""
    from receivables_cli.output.tables import display_width, shorten

    longest = max(display_width(r["customer"]) for r in rows)
    name_room = longest if width is None else max(12, min(longest, 28, width - 24 - 10))
    out = []
    for row in rows:
        name = row["customer"] if width is None else shorten(row["customer"], name_room)
        pad = " " * (name_room - display_width(name))
        out.append(f"  {name}{pad} {row['open']:>12} {row['share'] * 100:4.0f} %  "
                   f"{bar(row['share'], 1.0, _bar_room(width, name_room + 24))}".rstrip())
    return out
