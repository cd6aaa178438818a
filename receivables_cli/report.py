"""The portfolio: totals, ageing, concentration, promises, and what needs a decision."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.money import fmt
from receivables_cli.state import CaseState

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


def promise_counts(states: list[CaseState], grace: int) -> dict[str, int]:
    """Every promise made (by phone, in a meeting or in writing): kept, broken or pending."""
    counts = Counter(made=0, kept=0, broken=0, pending=0)
    for s in states:
        for e in s.events:
            promise = (e.amount, e.by) if e.event == "promise" else (
                (e.promise.amount, e.promise.by) if e.event in ("call", "meeting") and e.promise else None)
            if promise is None:
                continue
            amount, by = promise
            limit = by + timedelta(days=grace)
            paid = sum((x.amount for x in s.events if x.event == "payment" and e.at <= x.at and x.day <= limit), ZERO)
            counts["made"] += 1
            counts["kept" if paid >= amount else "broken" if s.as_of > limit else "pending"] += 1
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
    open_states = [s for s in states if s.status not in ("settled", "written_off")]
    currencies: dict[str, dict] = {}
    for s in open_states:
        cur = currencies.setdefault(s.currency, {"open": ZERO, "overdue": ZERO, "cases": 0,
                                                 "ageing": dict.fromkeys(BUCKETS, ZERO)})
        cur["open"] += s.open
        cur["cases"] += 1
        for key, value in ageing(s).items():
            cur["ageing"][key] += value
            if key != "not_due":
                cur["overdue"] += value
    concentration, warnings = _concentration(open_states, currency, policy["concentration_warning"])
    return {
        "on": on.isoformat(),
        "currencies": {c: _currency_json(v) for c, v in sorted(currencies.items())},
        "concentration": concentration,
        "promises": promise_counts(states, policy["promise_grace_days"]),
        "warnings": warnings,
        "statuses": dict(sorted(Counter(s.status for s in states).items())),
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
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(value / maximum * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def report_text(data: dict, currency: str) -> str:
    """The report for people: totals, bars for ageing and concentration, the rest as lists."""
    lines = [f"Receivables on {data['on']}", ""]
    for cur, v in data["currencies"].items():
        lines.append(f"{cur}: {v['open']} open in {v['cases']} cases, {v['overdue']} of it overdue")
        values = {k: float(x) for k, x in v["ageing"].items()}
        top = max(values.values(), default=0)
        for key in BUCKETS:
            label = "not due" if key == "not_due" else f"{key} days"
            lines.append(f"  {label:<11} {v['ageing'][key]:>12}  {bar(values[key], top)}")
        lines.append("")
    if data["concentration"]:
        lines.append(f"Concentration ({currency})")
        for row in data["concentration"][:8]:
            lines.append(f"  {row['customer'][:28]:<28} {row['open']:>12} {row['share'] * 100:4.0f} %  "
                         f"{bar(row['share'], 1.0)}")
        lines.append("")
    p = data["promises"]
    lines.append(f"Promises: {p['made']} made, {p['kept']} kept, {p['broken']} broken, {p['pending']} pending")
    lines.append("Status: " + ", ".join(f"{n} {k}" for k, n in data["statuses"].items()))
    if data["average_days_to_pay"] is not None:
        lines.append(f"Settled claims were paid {data['average_days_to_pay']} days after the invoice on average")
    for title, key in (("Decide on the legal route", "legal_candidates"), ("Close to limitation", "near_limitation")):
        if data[key]:
            lines.append(f"{title}: {', '.join(data[key])}")
    lines += [f"Warning: {w}" for w in data["warnings"]]
    return "\n".join(lines)
