"""When default begins, per country: small named rules, each with its legal source (law.md).

The first day of default is the earliest day any rule gives; interest runs from that day, which
counts in full. `dun why` prints every rule that applies, so the user can check the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from receivables_cli.domain.calendar import Calendar, deadline
from receivables_cli.domain.state import CaseState, Invoice

DUNNING_LETTERS = ("reminder", "dunning", "final-notice")
BUSINESS = ("business", "corporate", "public")
ONE = timedelta(days=1)


@dataclass(frozen=True)
class DefaultReason:
    """Why and since when a debtor is in default, with the rule's source."""
    start: date   # the first day of default by this rule
    rule: str     # what happened, in words
    source: str   # the legal basis


@dataclass(frozen=True)
class Setting:
    """What the rules need of the ledger: country, calendar and a few settings."""

    country: str
    calendar: Calendar
    delivery_days: int
    letter_deadline_days: int
    consumer_30_day_notice: bool
    fixed_due: bool | None  # dun.yaml law: {fixed_due: true|false}: every due date is agreed (None: by country)


def reasons(invoice: Invoice, state: CaseState, s: Setting) -> list[DefaultReason]:
    """Every rule that puts this invoice's debtor in default, earliest first."""
    found = [rule(invoice, state, s) for rule in RULES.get(s.country, RULES["DE"])]
    return sorted((r for r in found if r is not None), key=lambda r: r.start)


def _agreed(invoice: Invoice, state: CaseState, s: Setting) -> bool:
    if invoice.fixed_due:
        return True
    if s.fixed_due is not None:
        return s.fixed_due
    return s.country == "AT" and state.case.customer.kind in BUSINESS  # AT: terms between businesses are agreed


def _first_letter(invoice: Invoice, state: CaseState):
    return next((e for e in state.events if e.event == "letter" and e.template in DUNNING_LETTERS
                 and e.day > invoice.due), None)


def de_fixed_due(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """§286(2) no. 1 BGB; a due date on a weekend or holiday moves to the next working day (§193 BGB)."""
    if not _agreed(invoice, state, s):
        return None
    last = s.calendar.next_working_day(invoice.due)
    moved = f" (moved from {invoice.due} by §193 BGB)" if last != invoice.due else ""
    return DefaultReason(last + ONE, f"the agreed due date {last}{moved} passed",
                         "§286(2) no. 1 BGB, §193 BGB (BGH III ZR 159/06)")


def letter_deadline(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """A reminder after the due date that grants a deadline: default the day after the deadline."""
    letter = _first_letter(invoice, state)
    if letter is None:
        return None
    end = deadline(s.calendar, letter.day, s.letter_deadline_days)
    source = {"DE": "§286(1) BGB (a deadline the creditor grants is waited for)",
              "AT": "§1334 ABGB (a reminder fixing a date) ⚠ cautious reading",
              "CH": "OR 102(1) ⚠ cautious reading: a dunning letter granting a deadline puts the debtor in default "
                    "after it"}[s.country if s.country in ("AT", "CH") else "DE"]
    return DefaultReason(end + ONE, f"the {letter.template} letter of {letter.day} set the deadline {end}", source)


def de_thirty_days(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """§286(3) BGB: 30 days after due date and receipt; for consumers only when the invoice says so."""
    if state.case.customer.kind == "private" and not s.consumer_30_day_notice:
        return None
    received = invoice.date + timedelta(days=s.delivery_days)
    last = s.calendar.next_working_day(max(invoice.due, received) + timedelta(days=30))
    return DefaultReason(last + ONE, f"30 days after due date and receipt ({received}) ended on {last}",
                         "§286(3) BGB, §193 BGB")


def at_agreed_date(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """§1334 ABGB since 2013: an agreed payment date puts the debtor in default without a reminder."""
    if not _agreed(invoice, state, s):
        return None
    return DefaultReason(invoice.due + ONE, f"the agreed payment date {invoice.due} passed",
                         "§1334 ABGB (no reminder needed)")


def at_thirty_days(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """§1334 ABGB: without an agreed date, 30 days after receipt of the invoice."""
    if _agreed(invoice, state, s):
        return None
    received = invoice.date + timedelta(days=s.delivery_days)
    last = received + timedelta(days=30)
    return DefaultReason(last + ONE, f"30 days after receipt of the invoice ({received}) ended on {last}",
                         "§1334 ABGB")


def ch_fixed_due(invoice: Invoice, state: CaseState, s: Setting) -> DefaultReason | None:
    """OR 102(2): an agreed day for payment puts the debtor in default when it passes."""
    if not _agreed(invoice, state, s):
        return None
    return DefaultReason(invoice.due + ONE, f"the agreed day for payment {invoice.due} passed", "OR 102(2)")


RULES = {
    "DE": (de_fixed_due, letter_deadline, de_thirty_days),
    "AT": (at_agreed_date, at_thirty_days, letter_deadline),
    "CH": (ch_fixed_due, letter_deadline),
}
