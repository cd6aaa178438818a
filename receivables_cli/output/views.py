"""Plain-value views of a case's state: the JSON users script against, and text lines."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

from receivables_cli.domain.amounts import fmt
from receivables_cli.domain.model import Discount, Event, Payable
from receivables_cli.domain.state import CaseState
from receivables_cli.domain.words import plural


def case_json(state: CaseState, actions: list[dict], extra: dict | None = None) -> dict:
    """`dun show --json`: the contract's fields, in the contract's order."""
    result = {
        "case": state.case.id,
        "customer": state.case.customer.name,
        "status": state.status,
        "currency": state.currency,
        "invoiced": fmt(state.invoiced),
        "paid": fmt(state.paid),
        "credited": fmt(state.credited),
        "charged": fmt(state.charged),
        "open": fmt(state.open),
        "overdue_days": state.overdue_days,
    }
    result.update(extra or {})
    result["next"] = actions
    result["history"] = [event_json(e) for e in state.events]
    return result


def list_row(state: CaseState, actions: list[dict]) -> dict:
    """`dun list --json`: one open case."""
    return {
        "case": state.case.id,
        "customer": state.case.customer.name,
        "open": fmt(state.open),
        "currency": state.currency,
        "overdue_days": state.overdue_days,
        "status": state.status,
        "next": actions[0]["action"] if actions else None,
    }


def event_line(e: Event) -> tuple[str, str, str]:
    """(when, what, details) for a timeline."""
    when = e.at.strftime("%Y-%m-%d %H:%M") if e.timed else e.day.isoformat()
    parts = []
    if e.event == "invoice":
        parts.append(f"{e.number} {fmt(e.amount)}" + (f" due {e.due.isoformat()}" if e.due else ""))
    elif e.amount is not None:
        parts.append(fmt(e.amount))
    for value in (e.outcome, e.template, e.route, e.reference, e.kind, e.from_):
        if value:
            parts.append(value)
    if e.with_:
        parts.append(f"with {e.with_}")
    if e.promise:
        parts.append(f"promise {fmt(e.promise.amount)} by {e.promise.by.isoformat()}")
    if e.installments:
        parts.append(f"{plural(len(e.installments), 'instalment')} from {e.installments[0].by.isoformat()}")
    if e.until:
        parts.append(f"until {e.until.isoformat()}")
    if e.paid_on:
        parts.append(f"paid on {e.paid_on.isoformat()}")
    for text in (e.subject, e.summary, e.reason, e.note, e.text):
        if text:
            parts.append(text)
    return when, e.event, " · ".join(parts)


def event_json(e: Event) -> dict:
    """An event as plain JSON values: dates ISO, money as strings with two decimals."""
    result: dict = {"at": e.at.strftime("%Y-%m-%d %H:%M") if e.timed else e.day.isoformat()}
    for f in fields(Event):
        if f.name in ("at", "timed", "line", "day"):
            continue
        value = getattr(e, f.name)
        if value in (None, (), False):
            continue
        result[f.name.rstrip("_")] = _json_value(value)  # with_, from_: the YAML key
    return result


def _json_value(value):
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Payable):
        return {"amount": fmt(value.amount), "by": value.by.isoformat()}
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Discount):
        return {"percent": str(value.percent), "days": value.days}
    return value
