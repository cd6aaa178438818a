"""The rules of the ladder (contract section 4), one small function each."""

from __future__ import annotations

from datetime import date, timedelta

from receivables_cli.domain.words import plural
from receivables_cli.playbook.playbook import Facts, Step

ANCHOR_OUTCOMES = ("reached", "hardship", "promised")


def letter_step(f: Facts, rule: str, template: str, due: date, since: date, why: str) -> Step:
    """A letter due on `due`, done by that letter sent on or after `since`."""
    sent = f.letter(template, since=since)
    if sent:
        return Step(rule, "letter", due, True, f"done: sent on {sent.day}", template)
    return Step(rule, "letter", due, why=why, template=template)


def info_call(f: Facts) -> Step:
    inv = f.invoice
    if inv is None:
        return Step("info_call", "call", why="no open invoice")
    due = inv.date + timedelta(days=f.p("info_call_day"))
    contact = next((e for e in f.state.events if e.event in ("call", "meeting") and e.day >= inv.date), None)
    if contact:
        return Step("info_call", "call", due, True, f"done: {contact.event} on {contact.day}")
    return Step("info_call", "call", due, why=f"Day {f.p('info_call_day')} after invoice {inv.number}: "
                "ask whether it arrived and whether all is well.", attempt=1)


def collection_call(f: Facts) -> Step:
    inv, due = f.invoice, f.collection_due
    if inv is None:
        return Step("collection_call", "call", why="no open invoice")
    if f.reached:
        return Step("collection_call", "call", due, True, f"done: reached on {f.reached.day} ({f.reached.outcome})")
    tries = f.attempts
    if len(tries) >= f.p("call_attempts"):
        return Step("collection_call", "call", due, True, f"{plural(len(tries), 'attempt')} unanswered: time to write")
    why = f"Day {f.p('collection_call_day')} after invoice {inv.number} and still unpaid."
    if tries:
        due = f.calendar.add_working_days(tries[-1].day, f.p("call_spacing_days"))
        why = (f"Attempt {len(tries) + 1} of {f.p('call_attempts')}: the last try on {tries[-1].day} "
               f"went unanswered ({tries[-1].outcome}).")
    return Step("collection_call", "call", due, why=why, attempt=len(tries) + 1)


def _callback_letter_sent(f: Facts):
    tries = f.attempts
    return f.letter("callback-request", since=tries[0].day) if tries else None


def callback_letter(f: Facts) -> Step:
    tries, needed = f.attempts, f.p("call_attempts")
    if f.reached or len(tries) < needed:
        return Step("callback_letter", "letter", why=f"only after {plural(needed, 'unanswered collection call')} "
                    f"(so far {0 if f.reached else len(tries)})", template="callback-request")
    return letter_step(f, "callback_letter", "callback-request", tries[needed - 1].day + timedelta(days=1),
                        tries[0].day, f"{plural(needed, 'call')} went unanswered: ask in writing for a call back.")


def _escalation(f: Facts, who: str, base: date | None, waits_for: str, why: str) -> Step:
    """Call the assistant or the manager `escalation_wait_days` after `base`, while nobody was reached."""
    rule, person = f"call_{who}", getattr(f.state.case.customer, who)
    if person is None or base is None or f.reached:
        reason = f"no {who} known" if person is None else "someone was reached" if f.reached else waits_for
        return Step(rule, "call", why=reason)
    due = base + timedelta(days=f.p("escalation_wait_days"))
    done = f.calls(base, who)
    if done:
        return Step(rule, "call", due, True, f"done: called on {done[0].day}")
    return Step(rule, "call", due, why=why, attempt=1)


def call_assistant(f: Facts) -> Step:
    sent = _callback_letter_sent(f)
    assistant = f.state.case.customer.assistant
    return _escalation(f, "assistant", sent.day if sent else None, "only after the callback letter",
                       f"No call back since the letter of {sent.day if sent else ''}: ask "
                       f"{assistant.name if assistant else ''}, who knows the diary, when to reach the contact.")


def _manager_base(f: Facts):
    """The day the manager step counts from: the assistant call, else the callback letter."""
    sent = _callback_letter_sent(f)
    if sent is None:
        return None
    if f.state.case.customer.assistant is None:
        return sent.day
    done = f.calls(sent.day, "assistant")
    return done[0].day if done else None


def call_manager(f: Facts) -> Step:
    manager = f.state.case.customer.manager
    role = f" ({manager.role})" if manager and manager.role else ""
    return _escalation(f, "manager", _manager_base(f), "only after the callback letter and the assistant",
                       f"Nobody answers: go one level up to {manager.name if manager else ''}{role}.")


def _dunning_anchor(f: Facts) -> tuple[date, str] | None:
    """The day the dunning letter counts from, and what happened that day."""
    start = f.collection_due
    found = [(e.day, f"{e.event} ({e.outcome})") for e in f.state.events
             if start and e.day >= start and e.event in ("call", "meeting") and e.outcome in ANCHOR_OUTCOMES]
    found += [(e.day, "dispute settled") for e in f.state.events
              if start and e.day >= start and e.event == "resolved"]
    if f.broken_promise_call:
        found.append((f.broken_promise_call.day, "call after the broken promise"))
    kept = _promise_kept_on(f)
    if kept and start and kept >= start:
        found.append((kept, "the part payment promised for that day came"))
    if found:
        return max(found)
    sent = _callback_letter_sent(f)
    if sent is None:
        return None
    customer = f.state.case.customer
    for who in ("manager", "assistant"):
        if getattr(customer, who) is not None:
            done = f.calls(sent.day, who)
            return (done[0].day, f"the call to the {who}") if done else None
    return sent.day, "the callback letter"


def _promise_kept_on(f: Facts) -> date | None:
    """The promised day of a kept promise (or the day it was kept, if later): the customer did what
    was promised, so a formal letter about the rest waits `after_call_days` from then."""
    p = f.state.promise
    if p is None or not p.kept:
        return None
    paid = 0
    for e in f.state.events:
        if e.event == "payment" and e.day >= p.made:
            paid += e.amount
            if paid >= p.amount:
                return max(e.day, p.by)
    return p.by


def dunning_letter(f: Facts) -> Step:
    anchor = _dunning_anchor(f)
    if anchor is None:
        return Step("dunning_letter", "letter", why="waits for a call that reaches someone, or for the "
                    "escalation steps", template="dunning")
    return letter_step(f, "dunning_letter", "dunning", anchor[0] + timedelta(days=f.p("after_call_days")),
                        anchor[0], f"{plural(f.p('after_call_days'), 'day')} after {anchor[1]} on {anchor[0]} "
                        "and still unpaid: set a deadline in writing.")


def _final_notice_base(f: Facts) -> tuple[date, str, date] | None:
    """(due, what it follows, since when a final notice counts as the answer)."""
    if f.missed and f.missed[1] is not None:
        call = f.missed[1]
        if f.state.case.customer.kind == "private":
            return max(call.day, f.accelerated), f"two missed instalments (called on {call.day})", call.day
        return call.day, f"the missed instalment (called on {call.day})", call.day
    sent = next((e for e in reversed(f.state.events) if e.event == "letter" and e.template == "dunning"), None)
    if sent is None:
        return None
    deadline = f.deadline(sent.day)
    return deadline + timedelta(days=1), f"the dunning letter's deadline {deadline}", sent.day


def final_notice(f: Facts) -> Step:
    if f.missed and f.missed[1] and f.state.case.customer.kind == "private" and f.accelerated is None:
        return Step("final_notice", "letter", why="one instalment missed: under clause 5 of the agreement the "
                    "final notice waits for a second", template="final-notice")
    base = _final_notice_base(f)
    if base is None:
        return Step("final_notice", "letter", why="only after a dunning letter", template="final-notice")
    due, what, since = base
    why = f"Unpaid after {what}: last notice with the concrete consequences."
    if what.startswith("two missed"):
        why = (f"Unpaid after {what}: set the two-week grace period of clause 5 in writing; unpaid after it, "
               "the whole rest falls due.")
    return letter_step(f, "final_notice", "final-notice", due, since, why)


def _final_deadline(f: Facts):
    sent = next((e for e in reversed(f.state.events) if e.event == "letter" and e.template == "final-notice"), None)
    return (sent, f.deadline(sent.day)) if sent else (None, None)


def meeting(f: Facts) -> Step:
    sent, deadline = _final_deadline(f)
    threshold = f.p("meeting_threshold")
    if sent is None or f.state.open < threshold:
        why = "only after the final notice" if sent is None else f"open amount below {threshold}"
        return Step("meeting", "meeting", why=why)
    due = deadline + timedelta(days=1)
    held = next((e for e in f.state.events if e.event == "meeting" and e.day >= sent.day), None)
    if held:
        return Step("meeting", "meeting", due, True, f"done: met on {held.day}")
    return Step("meeting", "meeting", due, why=f"{f.state.open:.2f} open after the final notice's deadline "
                f"{deadline}: visit the customer before going to court.")


def decide_legal(f: Facts, with_meeting: bool = True) -> Step:
    refused = next((e for e in f.state.events if e.event in ("call", "meeting") and e.outcome == "refused"), None)
    sent, deadline = _final_deadline(f)
    if refused:
        due, why = refused.day, f"The customer refused to pay on {refused.day}."
    elif sent is None:
        return Step("decide_legal", "decision", why="only after the final notice, or when the customer refuses")
    else:
        due, why = deadline + timedelta(days=1), f"The final notice's deadline {deadline} passed unpaid."
        if with_meeting and f.state.open >= f.p("meeting_threshold"):
            held = next((e for e in f.state.events if e.event == "meeting" and e.day >= sent.day), None)
            if held is None:
                return Step("decide_legal", "decision", why="after the meeting")
            due = max(due, held.day)
    decided = next((e for e in f.state.events if e.event in ("legal", "written_off", "hold") and e.day >= due), None)
    if decided:
        return Step("decide_legal", "decision", due, True, f"done: {decided.event} on {decided.day}")
    return Step("decide_legal", "decision", due, why=why + " Decide: the legal route or a write-off.")


def decide_legal_corporate(f: Facts) -> Step:
    return decide_legal(f, with_meeting=False)


def reminder_letter(f: Facts) -> Step:
    inv = f.invoice
    if inv is None:
        return Step("reminder_letter", "letter", why="no open invoice", template="reminder")
    return letter_step(f, "reminder_letter", "reminder", inv.due + timedelta(days=f.p("first_letter_days")),
                        inv.date, f"Invoice {inv.number} was due on {inv.due}; their accounts department logs "
                        "letters, so write a friendly reminder.")


def dunning_letter_corporate(f: Facts) -> Step:
    sent = f.letter("reminder", since=f.invoice.date) if f.invoice else None
    if sent is None:
        return Step("dunning_letter", "letter", why="only after the reminder", template="dunning")
    deadline = f.deadline(sent.day)
    return letter_step(f, "dunning_letter", "dunning", deadline + timedelta(days=1), sent.day,
                        f"The reminder's deadline {deadline} passed unpaid.")


LADDER_PRIVATE_BUSINESS = (info_call, collection_call, callback_letter, call_assistant, call_manager,
                           dunning_letter, final_notice, meeting, decide_legal)
LADDER_CORPORATE_PUBLIC = (reminder_letter, dunning_letter_corporate, final_notice, decide_legal_corporate)


