"""The rules that answer what happened (a promise, an agreement, a dispute, a hold, a payment), beside the ladder."""

from __future__ import annotations

from datetime import date, timedelta

from receivables_cli.domain.model import UNANSWERED, Event
from receivables_cli.playbook.playbook import Facts, Step
from receivables_cli.playbook.replies import answer_reply
from receivables_cli.playbook.rules import letter_step


def confirm_promise(f: Facts) -> Step:
    p = f.state.promise
    if p is None or p.kept or f.state.as_of > p.by:
        return Step("confirm_promise", "letter", why="no open promise", template="promise-confirmation")
    return letter_step(f, "confirm_promise", "promise-confirmation", p.made, p.made,
                        f"Promise of {p.made} to pay {p.amount:.2f} by {p.by}: confirm it in writing.")


def promise_broken(f: Facts) -> Step:
    p = f.state.promise
    if p is None or p.kept:
        return Step("promise_broken", "call", why="no open promise" if p is None else "the promise was kept")
    due = p.by + timedelta(days=f.p("promise_grace_days") + 1)
    if f.broken_promise_call:
        return Step("promise_broken", "call", due, True, f"done: called on {f.broken_promise_call.day}")
    short = p.amount - p.paid_since
    return Step("promise_broken", "call", due, why=f"Promised {p.amount:.2f} by {p.by}; {short:.2f} of it has not "
                "come. Call and ask what happened.", attempt=1)


def ask_down_payment(f: Facts) -> Step:
    hard = next((e for e in reversed(f.state.events) if e.event in ("call", "meeting") and e.outcome == "hardship"),
                None)
    if hard is None:
        return Step("ask_down_payment", "letter", why="no hardship reported", template="down-payment-request")
    answered = next((e for e in f.state.events if e.at >= hard.at and (
        e.event in ("agreement", "payment") or (e.event == "letter" and e.template == "down-payment-request"))), None)
    if answered:
        return Step("ask_down_payment", "letter", hard.day, True, f"done: {answered.event} on {answered.day}",
                    "down-payment-request")
    return Step("ask_down_payment", "letter", hard.day, why=f"Cash shortage reported on {hard.day}: ask for a "
                "down payment as a sign of good will and a date for the rest.", template="down-payment-request")


def confirm_agreement(f: Facts) -> Step:
    a = f.state.agreement
    if a is None:
        return Step("confirm_agreement", "letter", why="no agreement", template="installment-agreement")
    if a.signed and not f.letter("installment-agreement", since=a.made):  # signed at once: nothing to send
        return Step("confirm_agreement", "letter", a.made, True, "done: signed", "installment-agreement")
    return letter_step(f, "confirm_agreement", "installment-agreement", a.made, a.made,
                        f"Agreement of {a.made}: send it with the schedule, for signature.")


SIGNED_WORDS = ("sign", "unterschr", "unterzeichn", "post")  # what a note says when the agreement is on its way


def _signature_news(f: Facts, since: date) -> Event | None:
    """The last word on the signature since the letter: a call or meeting that reached someone, or a
    note that says it is signed or in the post ("reached: signed, in the post")."""
    found = None
    for e in f.state.events:
        if e.day >= since and (_reached(e) or _says_signed(e)):
            found = e
    return found


def _reached(e: Event) -> bool:
    return e.event in ("call", "meeting") and e.outcome not in UNANSWERED


def _says_signed(e: Event) -> bool:
    return e.event == "note" and any(w in (e.text or "").lower() for w in SIGNED_WORDS)


def chase_signature(f: Facts) -> Step:
    a = f.state.agreement
    sent = f.letter("installment-agreement", since=a.made) if a else None
    if a is None or sent is None:
        return Step("chase_signature", "call", why="no agreement letter sent")
    wait = timedelta(days=f.p("signature_wait_days"))
    due = sent.day + wait
    if a.signed:
        return Step("chase_signature", "call", due, True, "done: signed")
    news = _signature_news(f, sent.day)
    why = f"The agreement sent on {sent.day} has not come back signed."
    if news is not None:
        said = news.note or news.text or news.outcome
        due, why = news.day + wait, (f"On {news.day} you heard: {said}. The agreement has still not come back "
                                     f"signed: ask again.")
    tries = [e for e in f.state.events if e.event == "call" and e.day >= due and e.outcome in UNANSWERED]
    if tries:
        due = f.calendar.add_working_days(tries[-1].day, f.p("call_spacing_days"))
    return Step("chase_signature", "call", due, why=why, attempt=len(tries) + 1)


def installment_missed(f: Facts) -> Step:
    if f.missed is None and f.made_good:
        a = f.state.agreement
        return Step("installment_missed", "call", why=f"caught up: {a.paid_since:.2f} paid since the agreement "
                    f"covers the instalments due; back on the agreement, no final notice")
    if f.missed is None:
        return Step("installment_missed", "call", why="no instalment missed")
    due, call = f.missed
    if call:
        return Step("installment_missed", "call", due, True, f"done: called on {call.day}")
    a = f.state.agreement
    return Step("installment_missed", "call", due, why=f"Instalments fall short: {a.paid_since:.2f} paid since "
                f"the agreement of {a.made}. Call and ask what happened; {_clause5(f)}", attempt=1)


def _clause5(f: Facts) -> str:
    """What clause 5 of dun's own agreement says about the rest, in the agenda's words."""
    if f.state.case.customer.kind != "private":
        return "the whole rest falls due once a payment is more than 14 days late (clause 5)."
    if f.country == "AT":
        return ("the whole rest falls due only when an instalment is six weeks overdue and a written two-week "
                "grace period has passed (clause 5).")
    return ("the whole rest falls due only after two missed instalments and a written two-week grace period "
            "(clause 5).")


def resolve_dispute(f: Facts) -> Step:
    since = f.state.dispute_since
    if since is None:
        return Step("resolve_dispute", "decision", why="no open dispute")
    return Step("resolve_dispute", "decision", since, why=f"Disputed since {since}: rework, reduce the price, "
                "or insist; record it with 'dun resolve' or 'dun credit'.")


def _resolution(f: Facts):
    """The event that settled the last dispute, and whether it left anything for a letter to confirm."""
    events = f.state.events
    disputes = [i for i, e in enumerate(events) if e.event == "dispute"
                or (e.event in ("call", "meeting") and e.outcome == "disputed")]
    if not disputes:
        return None, False
    after = events[disputes[-1] + 1:]
    settled = next((e for e in after if e.event in ("resolved", "credit")), None)
    agreed = any((e.event in ("resolved", "credit") and e.terms) or e.event == "credit" for e in after)
    return settled, agreed


def confirm_resolution(f: Facts) -> Step:
    settled, agreed = _resolution(f)
    if settled is None:
        return Step("confirm_resolution", "letter", why="no dispute settled", template="dispute-resolution")
    if not agreed:
        return Step("confirm_resolution", "letter", why=f"the dispute settled on {settled.day} names no terms "
                    "to confirm (dun resolve CASE --terms \"...\")", template="dispute-resolution")
    return letter_step(f, "confirm_resolution", "dispute-resolution", settled.day, settled.day,
                        f"Dispute settled on {settled.day}: confirm in writing what was agreed and what is "
                        "still open.")


def hold_ended(f: Facts) -> Step:
    hold = next((e for e in reversed(f.state.events) if e.event == "hold"), None)
    if hold is None:
        return Step("hold_ended", "decision", why="no hold")
    later = next((e for e in f.state.events if e.day >= hold.until and e is not hold), None)
    if later:
        return Step("hold_ended", "decision", hold.until, True, f"done: {later.event} on {later.day}")
    return Step("hold_ended", "decision", hold.until, why=f"The hold ({hold.reason}) ended on {hold.until}: "
                "pick the case up again.")


def limitation_warning(f: Facts) -> Step:
    """Per invoice: warn in time with the remedy; once time-barred, never point to court (law.md)."""
    from receivables_cli.money import limitation as lim

    found = lim.limitations(f.state, f.country, f.profile)
    if not found:
        return Step("limitation_warning", "decision", why="no open invoice")
    pending = [x for x in found if not x.barred(f.today)]
    barred = [x for x in found if x.barred(f.today)]
    if pending:
        first = pending[0]
        due = lim.warning_day(first.ends, f.p("limitation_warning_days"))
        if due <= f.horizon or not barred:
            return Step("limitation_warning", "decision", due, why=_limitation_why(f, pending, barred))
    return Step("limitation_warning", "decision", barred[0].ends + timedelta(days=1),
                why=lim.barred_text(f.country, [x.invoice for x in barred], barred[0].ends))


def _limitation_why(f: Facts, pending: list, barred: list) -> str:
    from receivables_cli.money import limitation as lim

    end = pending[0].ends
    numbers = ", ".join(x.invoice for x in pending if x.ends == end)
    text = (f"Invoice {numbers} becomes time-barred after {end}: {lim.remedy(f.country, end)}. "
            f"{lim.NOT_STOPPING}.")
    if barred:
        text += " " + lim.barred_text(f.country, [x.invoice for x in barred], barred[0].ends)
    return text


CHASING_LETTERS = ("reminder", "dunning", "final-notice")


THANKS_WITHIN_DAYS = 30  # a thank-you weeks after the money came would read oddly: the offer lapses


def thank_customer(f: Facts) -> Step:
    """After a case that received a reminder or dunning letter is settled: a short thank-you letter."""
    no = Step("thank_customer", "letter", why="", template="payment-thanks")
    if not f.thank_on_payment:
        return Step(no.rule, no.channel, why="thank_on_payment is off in dun.yaml", template=no.template)
    chased = next((e for e in reversed(f.state.events) if e.event == "letter" and e.template in CHASING_LETTERS), None)
    if chased is None:
        return Step(no.rule, no.channel, why="no reminder or dunning letter was sent", template=no.template)
    settled = next((e.day for e in reversed(f.state.events) if e.event in ("payment", "credit")), None)
    if settled is None or settled < chased.day:
        return Step(no.rule, no.channel, why="settled before any reminder", template=no.template)
    if f.today > settled + timedelta(days=THANKS_WITHIN_DAYS):
        return Step(no.rule, no.channel, why=f"settled on {settled}, more than {THANKS_WITHIN_DAYS} days ago",
                    template=no.template)
    return letter_step(f, "thank_customer", "payment-thanks", settled, settled,
                        f"Settled on {settled} after the {chased.template} of {chased.day}: thank the customer.")


SETTLED_RULES = (thank_customer,)


EVENT_RULES = (confirm_promise, promise_broken, ask_down_payment, confirm_agreement, chase_signature,
               installment_missed, resolve_dispute, confirm_resolution, hold_ended, limitation_warning,
               answer_reply)
