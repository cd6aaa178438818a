"""The dunning playbook: which action is due, as small named rules in one registry.

Each rule looks at the folded state and returns a `Step`: whether it applies, when it is
due, whether it is done, and why, in words. `due_actions` turns the steps that are due
into actions; `dun why` prints every step, fired or not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from receivables_cli.domain.calendar import DEFAULT_WINDOWS, Calendar, CallWindow, parse_window
from receivables_cli.domain.model import UNANSWERED, Event, fast_init
from receivables_cli.domain.state import CaseState

CLOSED = ("settled", "written_off", "legal")


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Step:
    """One rule's verdict for one case."""

    rule: str
    channel: str
    due: date | None = None  # None: the rule does not apply
    done: bool = False
    why: str = ""
    template: str | None = None
    attempt: int | None = None


class _once:  # noqa: N801  (a decorator, named like functools.cached_property)
    """A computed attribute kept after its first use: cached_property without its per-call lock
    (Python 3.11 takes one on every first access; the rules ask a dozen per case)."""

    def __init__(self, compute):
        self.compute, self.name = compute, compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, facts, owner=None):
        if facts is None:
            return self
        value = facts.__dict__[self.name] = self.compute(facts)
        return value


@dataclass
class Facts:
    """What the rules ask about a case, computed once and shared."""

    state: CaseState
    policy: dict
    calendar: Calendar
    window: CallWindow
    today: date
    horizon: date
    country: str = "DE"
    profile: object = None  # the country's law.Profile (limitation), shared by all cases
    thank_on_payment: bool = True  # dun.yaml letters: {thank_on_payment}

    def p(self, key: str):
        return self.policy[key]

    @_once
    def invoice(self):
        return self.state.oldest_open

    def deadline(self, sent: date) -> date:
        """A letter's payment deadline: its date + letter_deadline_days, on a working day."""
        return self.calendar.next_working_day(sent + timedelta(days=self.p("letter_deadline_days")))

    def letter(self, template: str, since: date | None = None) -> Event | None:
        """The first such letter on or after `since`."""
        return next((e for e in self.state.events if e.event == "letter" and e.template == template
                     and (since is None or e.day >= since)), None)

    def calls(self, since: date, who: str | None = None) -> list[Event]:
        """Calls on or after a day, to the contact (who=None) or to assistant/manager."""
        found = []
        for e in self.state.events:
            if e.event != "call" or e.day < since:
                continue
            target = e.with_ if e.with_ in ("assistant", "manager") else None
            if target == who:
                found.append(e)
        return found

    @_once
    def collection_due(self) -> date | None:
        if self.invoice is None:
            return None
        return max(self.invoice.date + timedelta(days=self.p("collection_call_day")),
                   self.invoice.due + timedelta(days=1))

    @_once
    def attempts(self) -> list[Event]:
        """Collection calls to the contact so far, up to the first that reached someone."""
        result = []
        for e in self.calls(self.collection_due) if self.collection_due else []:
            result.append(e)
            if e.outcome not in UNANSWERED:
                break
        return result

    @_once
    def reached(self) -> Event | None:
        return next((e for e in self.attempts if e.outcome not in UNANSWERED), None)

    @_once
    def broken_promise_call(self) -> Event | None:
        """The first call after a broken promise's grace days."""
        promise = self.state.promise
        if promise is None or promise.kept:
            return None
        limit = promise.by + timedelta(days=self.p("promise_grace_days"))
        return next((e for e in self.state.events if e.event == "call" and e.day > limit), None)

    @_once
    def missed(self) -> tuple[date, Event | None] | None:
        """The first missed instalment's call day, and the call that answered it (if any).

        A miss the customer made good (by the next instalment's call day, or by today, the
        payments since the agreement cover what was due) no longer counts: back on the agreement.
        """
        return self._misses[0]

    @_once
    def made_good(self) -> date | None:
        """The call day of the last missed instalment the customer has since made good, if any."""
        return self._misses[1]

    @_once
    def _misses(self) -> tuple[tuple[date, Event | None] | None, date | None]:
        """(the first miss not made good, the last miss made good before it)."""
        agreement = self.state.agreement
        if agreement is None:
            return None, None
        calls = list(self._instalment_calls())
        cured = None
        for i, (due, owed) in enumerate(calls):
            if _paid_between(self.state, agreement.made, due - timedelta(days=1)) >= owed:
                continue
            checkpoint = min(calls[i + 1][0] - timedelta(days=1) if i + 1 < len(calls) else self.today, self.today)
            if checkpoint >= due and _paid_between(self.state, agreement.made, checkpoint) >= owed:
                cured = due
                continue
            call = next((e for e in self.state.events if e.event == "call" and e.day >= due), None)
            return (due, call), cured
        return None, cured

    @_once
    def accelerated(self) -> date | None:
        """For a private customer: the day clause 5 of the agreement (the consumer rule) lets the final
        notice set the two-week grace period: the second consecutive missed instalment's call day (DE,
        CH), an instalment six weeks overdue (AT). None while the customer is not that far behind."""
        agreement = self.state.agreement
        if agreement is None or self.missed is None:
            return None
        first = self.missed[0]
        if self.country == "AT":
            day = first - timedelta(days=self.p("installment_grace_days") + 1) + timedelta(weeks=6)
            return day if day <= self.horizon else None
        calls = list(self._instalment_calls())
        at = next(i for i, (due, _) in enumerate(calls) if due == first)
        if at + 1 >= len(calls):
            return None
        second, _ = calls[at + 1]
        return second if _paid_between(self.state, agreement.made, second - timedelta(days=1)) < calls[at][1] \
            else None

    def _instalment_calls(self):
        """(the day a missed instalment is called about, what was due by its date) up to the horizon."""
        agreement, grace = self.state.agreement, timedelta(days=self.p("installment_grace_days"))
        for item in agreement.schedule:
            due = item.by + grace + timedelta(days=1)
            if due <= self.horizon:
                yield due, agreement.due_by(item.by)

    def pause(self) -> str | None:
        """Why the ladder waits today, or None."""
        s = self.state
        if s.hold is not None:
            return f"on hold until {s.hold.until} ({s.hold.reason})"
        if s.dispute_since is not None:
            return f"disputed since {s.dispute_since}; settle it first"
        if s.agreement is not None and s.agreement.paid_since < s.agreement.total:
            if self.missed is None and self.made_good:
                return (f"instalment agreement of {s.agreement.made} back on track: the instalment missed "
                        f"(called about from {self.made_good}) has been made good")
            if self.missed is None:
                return f"instalment agreement of {s.agreement.made} on track"
            if self.missed[1] is None:
                return "an instalment was missed: call first"
            if s.case.customer.kind == "private" and (self.accelerated is None or self.accelerated > self.today):
                return (f"an instalment was missed (called on {self.missed[1].day}); under clause 5 of the "
                        "agreement the final notice waits for a second missed instalment")
        if s.promise is not None and not s.promise.kept and self.broken_promise_call is None:
            return f"promise to pay {s.promise.amount:.2f} by {s.promise.by} is open"
        return None


def _paid_between(state: CaseState, start: date, end: date):
    from decimal import Decimal

    return sum((e.amount for e in state.events if e.event == "payment" and start <= e.day <= end), Decimal(0))


Rule = Callable[[Facts], Step]


def window_for(state: CaseState, windows: dict) -> CallWindow:
    """The customer's own call window, else the ledger's for the kind, else the default."""
    customer = state.case.customer
    spec = customer.call_window or windows.get(customer.kind) or DEFAULT_WINDOWS[customer.kind]
    return parse_window(spec)
