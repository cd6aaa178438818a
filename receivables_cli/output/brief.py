"""The call or meeting preparation sheet (contract section 7; seeds 000, 001, 002)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.domain.amounts import cents, fmt, split
from receivables_cli.domain.state import CaseState
from receivables_cli.domain.words import plural
from receivables_cli.money.statement import Statement

OPENING = {
    "de": "Guten Tag, hier ist {me}. Ich rufe wegen der offenen Rechnung {number} an.",
    "en": "Hello, this is {me}. I am calling about the open invoice {number}.",
}
EXCUSES = (
    ("The invoice never arrived.",
     "Send it again while you are on the phone, then ask for a date it will be paid by and record the promise."),
    ("The work was not right.",
     "Ask what exactly; fix what is justified (rework, a credit) and confirm it in writing; stay firm on the rest."),
    ("We are short of cash right now.",
     "Ask for a down payment today as a sign of good will and a date for the rest; be sceptical of "
     "'a temporary bottleneck': what does it mean, until when?"),
    ("The person is not available.",
     "Ask the assistant when to reach them, or for a phone appointment; note the name of whoever you spoke to."),
)
OUTCOMES_HELP = (
    ("reached", "talked, nothing agreed"),
    ("promised", "a date and an amount (confirm it in writing the same day)"),
    ("hardship", "cannot pay now: ask for a down payment"),
    ("disputed", "contests the work or the amount"),
    ("refused", "will not pay: decide on the legal route"),
    ("no_answer", "nobody picked up"),
    ("voicemail", "left a message"),
    ("denied", "had themselves denied"),
)


def brief_lines(state: CaseState, st: Statement, *, me: str, lang: str, country: str, share: Decimal,
                policy: dict, day: date) -> list[str]:
    """The brief as text lines, with the exact dun commands to record each outcome."""
    c, cid = state.case.customer, state.case.id
    out = [f"Brief for {cid}: {c.name} ({c.kind}, relationship {c.relationship}) on {day}", ""]
    out += ["STATEMENT IN SHORT"]
    for i in state.open_invoices:
        days = max(0, (day - i.due).days)
        out.append(f"  {i.number} of {i.date}, due {i.due}: {fmt(i.open)} open, {plural(days, 'day')} overdue"
                   + (f" ({i.subject})" if i.subject else ""))
    out.append(f"  open {fmt(state.open)} {state.currency}; paid so far {fmt(state.paid)}; default interest "
               f"accrued {fmt(st.interest_accrued)}; flat fee claimable {fmt(st.claimable_flat_fee)}")
    out += ["", "GOAL AND FALLBACKS"] + _goals(state, cid, policy, day)
    out += ["", "CHECK THEIR FINANCES"] + _finances(state, country, policy)
    out += ["", "THE RELATIONSHIP"] + _relationship(state, share)
    number = state.oldest_open.number if state.oldest_open else "?"
    out += ["", "OPENING LINE (then stop talking and let them answer)",
            "  " + OPENING[lang].format(me=me, number=number)]
    out += ["", "IF THEY SAY ..."] + [f"  {said}\n      {answer}" for said, answer in EXCUSES]
    out += ["", "WHO IS WHO"] + _contacts(c)
    out += ["", "LAST NOTES"] + _notes(state)
    out += ["", "RECORD THE OUTCOME"] + _record_lines(state, day)
    return out


def _goals(state: CaseState, cid: str, policy: dict, day: date) -> list[str]:
    open_ = state.open
    soon, later = day + timedelta(days=7), day + timedelta(days=30)
    down = cents(open_ * Decimal("0.2"))
    parts = split(open_ - down, 3) if open_ - down > 0 else [Decimal(0)]
    discount = policy["settlement_discount"]
    reduced = cents(open_ * (1 - discount))
    return [
        f"  1. Full payment: {fmt(open_)} by {soon}",
        f"       dun call {cid} promised --promise-amount {fmt(open_)} --promise-by {soon}",
        f"  2. Deferral: all of it by {later}",
        f"       dun call {cid} promised --promise-by {later}",
        f"  3. Instalments: {fmt(down)} down payment now, then 3 x about {fmt(parts[0])} a month",
        f"       dun agree {cid} --installments 3 --down-payment {fmt(down)} --every 1m",
        f"  4. A reduction for immediate payment: {fmt(reduced)} ({discount * 100:.0f} % off) paid at once",
        f"       dun credit {cid} {fmt(open_ - reduced)} --reason \"settlement for immediate payment\""
        f" && dun pay {cid} {fmt(reduced)}",
    ]


def _finances(state: CaseState, country: str, policy: dict) -> list[str]:
    lines = []
    if country == "CH":
        lines.append("  Order an extract of the debt-enforcement register (Betreibungsregisterauszug) at the "
                     "debtor's domicile: last 5 years, CHF 17.")
    else:
        lines.append("  Look the customer up in the debtor register (Schuldnerverzeichnis, "
                     "vollstreckungsportal.de) and ask a credit agency for a report.")
    lines.append("  Ask other suppliers and partners of theirs how the customer pays.")
    if state.open >= policy["meeting_threshold"]:
        lines.append(f"  {fmt(state.open)} is a lot: consider a visit on their premises to see how the business runs.")
    return lines


def _relationship(state: CaseState, share: Decimal) -> list[str]:
    c = state.case.customer
    worth = {"key": "a key customer: keep the tone warm and look for a solution that lets you keep working together",
             "regular": "a regular customer: friendly, and firm on the date",
             "new": "a new customer: friendly, but make clear that dates are dates"}[c.relationship]
    line = [f"  {c.name} is {worth}.",
            f"  This claim is {share * 100:.0f} % of everything your customers owe you."]
    if share >= Decimal("0.4"):
        line.append("  That is a lot to depend on: agree on something concrete today rather than wait.")
    return line


def _contacts(c) -> list[str]:
    rows = [f"  contact:   {c.contact or c.name}" + (f", {c.phone}" if c.phone else "")]
    for role in ("assistant", "manager"):
        person = getattr(c, role)
        if person:
            title = f" ({person.role})" if person.role else ""
            rows.append(f"  {role + ':':<10} {person.name}{title}" + (f", {person.phone}" if person.phone else ""))
    if c.call_window:
        rows.append(f"  best time: {c.call_window}")
    return rows


def _notes(state: CaseState) -> list[str]:
    notes = [e for e in state.events if e.note or e.text or e.reason][-3:]
    if not notes:
        return ["  none yet"]
    return [f"  {e.day} {e.event}{' ' + e.outcome if e.outcome else ''}: {e.note or e.text or e.reason}"
            for e in notes]


def _record_lines(state: CaseState, day: date) -> list[str]:
    cid = state.case.id
    by = day + timedelta(days=7)
    lines = []
    for outcome, meaning in OUTCOMES_HELP:
        extra = f" --promise-amount {fmt(state.open)} --promise-by {by}" if outcome == "promised" else ""
        lines.append(f"  dun call {cid} {outcome}{extra} --note \"...\"    # {meaning}")
    return lines
