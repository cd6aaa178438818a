"""The customer's side of the conversation: an unanswered reply is answered first, and stops the letters.

A `reply` (other than an out-of-office) is open until a later call, meeting, letter, promise,
dispute, payment, note or `answered` in fold order. While it is open the agenda shows
`answer_reply` and sends no letter; an out-of-office with `until` moves calls and letters to
the next working day after it.
"""

from __future__ import annotations

from datetime import date, timedelta

from receivables_cli.domain.amounts import fmt
from receivables_cli.domain.model import Event
from receivables_cli.playbook.playbook import Facts, Step

ANSWERS = ("call", "meeting", "letter", "promise", "dispute", "payment", "note", "answered")
SUGGESTIONS = {
    "paid": "they say it is paid: check the bank ('dun import bank FILE --record'), then answer",
    "instalments": "they ask to pay in parts: agree a plan ('dun agree CASE --installments N') or answer why not",
    "invoice_request": "they need the invoice: send it again with its enclosure to the address they name",
    "dispute": "they contest the claim: record it ('dun dispute CASE --note ...') and settle it",
    "address_change": "they name a new address: update the case file ('dun edit CASE'), then answer",
    "other": "read it and answer; 'dun answered CASE' when nothing more is needed",
}


def open_reply(state) -> Event | None:
    """The last reply that still waits for an answer (out-of-office replies wait for none)."""
    waiting = None
    for e in state.events:
        if e.event == "reply" and e.kind != "out_of_office":
            waiting = e
        elif e.event in ANSWERS:
            waiting = None
    return waiting


def suggestion(state, reply: Event) -> str:
    """What to do about a reply of its kind, with the exact command where dun can name it."""
    case = state.case.id
    if reply.kind == "promise":
        amount = reply.promise.amount if reply.promise else state.open
        by = reply.promise.by if reply.promise else None
        by_text = by.isoformat() if by else "YYYY-MM-DD"
        return f"they promise to pay: record it with 'dun promise {case} {fmt(amount)} --by {by_text}'"
    text = SUGGESTIONS.get(reply.kind or "other", SUGGESTIONS["other"]).replace("CASE", case)
    if reply.kind == "paid" and reply.paid_on:
        text = text.replace("they say it is paid", f"they say it was paid on {reply.paid_on.isoformat()}")
    return text


def answer_reply(f: Facts) -> Step:
    """The rule: an unanswered reply is a decision due the day it came."""
    reply = open_reply(f.state)
    if reply is None:
        return Step("answer_reply", "decision", why="no unanswered reply")
    said = f': "{reply.summary}"' if reply.summary else ""
    why = (f"{(reply.kind or 'other').replace('_', ' ')} reply of {reply.day} from {reply.from_}{said}. "
           f"{suggestion(f.state, reply)[0].upper()}{suggestion(f.state, reply)[1:]}.")
    return Step("answer_reply", "decision", reply.day, why=why)


def letter_pause(f: Facts) -> str | None:
    """Why no letter goes out today: a reply waits for an answer."""
    reply = open_reply(f.state)
    if reply is None:
        return None
    return f"the reply of {reply.day} from {reply.from_} waits for an answer (answer_reply)"


def away_reply(f: Facts) -> Event | None:
    """The latest out-of-office reply that names its last day."""
    return next((e for e in reversed(f.state.events) if e.event == "reply" and e.kind == "out_of_office"
                 and e.until is not None), None)


def back_from_absence(f: Facts) -> date | None:
    """The first working day after the out-of-office's `until`; worked out once per case and day."""
    known = f.__dict__.get("_back_from_absence", False)
    if known is False:
        away = away_reply(f)
        known = f.calendar.next_working_day(away.until + timedelta(days=1)) if away else None
        f.__dict__["_back_from_absence"] = known
    return known


def reply_item(state) -> dict:
    """The open reply's fields for an `answer_reply` agenda item (`dun today --json`, `dun work`)."""
    reply = open_reply(state)
    if reply is None:
        return {}
    promise = {"amount": fmt(reply.promise.amount), "by": reply.promise.by.isoformat()} if reply.promise else None
    return {"reply": {"from": reply.from_, "message_id": reply.message_id, "subject": reply.subject,
                      "kind": reply.kind, "summary": reply.summary,
                      "paid_on": reply.paid_on.isoformat() if reply.paid_on else None, "promise": promise},
            "suggestion": suggestion(state, reply)}
