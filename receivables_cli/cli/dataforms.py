"""The data forms of what `dun why`, `dun brief` and `dun list` print: `--json` and `--csv`.

Users script against these, so their keys are pinned by tests (tests/test_daily_data.py) and
listed in docs/daily-use.md. Amounts are strings with two decimals, dates ISO 8601, as in
every other JSON dun writes.
"""

from __future__ import annotations

import csv
import sys

LIST_FIELDS = ("case", "customer", "open", "currency", "overdue_days", "status", "next")


def why_json(book, day, state, f, found) -> dict:
    """`dun why --json`: the case's standing and every rule's verdict, fired or not."""
    from receivables_cli.domain.amounts import fmt
    from receivables_cli.usecases.agenda import actions_of

    return {
        "case": state.case.id, "customer": state.case.customer.name, "on": day.isoformat(),
        "status": state.status, "open": fmt(state.open), "currency": state.currency,
        "overdue_days": state.overdue_days, "window": str(f.window),
        "rules": [{"rule": v.step.rule, "channel": v.step.channel, "fired": v.fired, "done": v.step.done,
                   "due": _iso(v.step.due), "scheduled": _iso(v.scheduled), "template": v.step.template,
                   "why": v.note} for v in found],
        "actions": actions_of(book, state, day),
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def brief_json(book, case_id: str, day) -> dict:
    """`dun brief --json`: the figures, goals with their commands, contacts and notes of the brief."""
    from decimal import Decimal

    from receivables_cli.domain.amounts import fmt
    from receivables_cli.money.statement import build_statement
    from receivables_cli.output.brief import OPENING, _goals
    from receivables_cli.output.letter_context import letter_language
    from receivables_cli.usecases.agenda import actions_of, law_of, state_of

    state = state_of(book, book.load(case_id), day)
    st = build_statement(state, law_of(book))
    cases, _ = book.load_all()
    total = sum((s.open for s in (state_of(book, c, day) for c in cases)
                 if s.currency == state.currency and s.open > 0), Decimal(0))
    c = state.case.customer
    goals = _goals(state, case_id, book.config.policy, day)
    number = state.oldest_open.number if state.oldest_open else None
    return {
        "case": case_id, "on": day.isoformat(), "status": state.status, "currency": state.currency,
        "open": fmt(state.open), "paid": fmt(state.paid), "interest_accrued": fmt(st.interest_accrued),
        "flat_fee_claimable": fmt(st.claimable_flat_fee),
        "share": fmt(state.open / total) if total > 0 and state.open > 0 else "0.00",
        "customer": {"name": c.name, "kind": c.kind, "relationship": c.relationship, "contact": c.contact,
                     "phone": c.phone, "email": c.email, "call_window": c.call_window,
                     **{role: _person(getattr(c, role)) for role in ("assistant", "manager")}},
        "invoices": [{"number": i.number, "date": i.date.isoformat(), "due": i.due.isoformat(), "open": fmt(i.open),
                      "overdue_days": max(0, (day - i.due).days), "subject": i.subject}
                     for i in state.open_invoices],
        "goals": [{"goal": text.strip()[3:], "command": cmd.strip()}
                  for text, cmd in zip(goals[::2], goals[1::2], strict=True)],
        "opening_line": OPENING[letter_language(state, None, book.config.language)].format(me=book.config.creditor.name,
                                                                           number=number) if number else None,
        "notes": [{"date": e.day.isoformat(), "event": e.event, "outcome": e.outcome,
                   "text": e.note or e.text or e.reason} for e in state.events if e.note or e.text or e.reason][-3:],
        "actions": actions_of(book, state, day),
    }


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"name": person.name, "role": getattr(person, "role", None), "phone": person.phone}


def list_csv(rows: list[dict]) -> None:
    """`dun list --csv`: the JSON rows as CSV, one case a row, the header first."""
    writer = csv.DictWriter(sys.stdout, fieldnames=LIST_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
