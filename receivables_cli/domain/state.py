"""Fold a case's history into its state as of a day: pure and deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.domain.amounts import shares
from receivables_cli.domain.model import Case, Event, Payable, fast_init

ZERO = Decimal("0.00")


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Invoice:
    """An invoice of a case with what is still open of it on the day."""
    number: str
    date: date
    due: date
    amount: Decimal
    open: Decimal
    subject: str | None = None
    fixed_due: bool = False


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class PromiseState:
    """The promise in force: what was promised, by when, and what was paid since."""
    amount: Decimal
    by: date
    made: date
    paid_since: Decimal
    via: str  # call, meeting or promise

    @property
    def kept(self) -> bool:
        return self.paid_since >= self.amount


def schedule_of(down_payment: Payable | None, installments) -> tuple[Payable, ...]:
    """An agreement's payments: the down payment first, then the instalments, in date order."""
    first = (down_payment,) if down_payment else ()
    return first + tuple(sorted(installments or (), key=lambda p: p.by))


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class AgreementState:
    """The payment agreement in force: its instalments and what was paid since."""
    made: date
    installments: tuple[Payable, ...]
    down_payment: Payable | None
    signed: bool
    paid_since: Decimal

    @property
    def schedule(self) -> tuple[Payable, ...]:
        """Down payment first, then the instalments, in date order."""
        return schedule_of(self.down_payment, self.installments)

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.schedule), ZERO)

    def due_by(self, day: date) -> Decimal:
        return sum((p.amount for p in self.schedule if p.by <= day), ZERO)


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class CaseState:
    """A case folded on a day: what is owed, since when, and what happened."""
    case: Case
    as_of: date
    events: tuple[Event, ...]
    currency: str
    invoiced: Decimal
    paid: Decimal
    credited: Decimal
    charged: Decimal
    invoices: tuple[Invoice, ...]
    promise: PromiseState | None
    agreement: AgreementState | None
    dispute_since: date | None
    hold: Event | None
    closed_by: Event | None  # the legal or written_off event
    interest_owed: Decimal = ZERO  # default interest accrued, not charged, when it is claimed as it accrues

    @property
    def open(self) -> Decimal:
        return self.invoiced + self.charged + self.interest_owed - self.paid - self.credited

    @property
    def status(self) -> str:
        return status_of(self)

    @property
    def open_invoices(self) -> tuple[Invoice, ...]:
        return tuple(i for i in self.invoices if i.open > 0)

    @property
    def oldest_open(self) -> Invoice | None:
        found = self.open_invoices
        return min(found, key=lambda i: (i.due, i.date)) if found else None

    @property
    def overdue_days(self) -> int:
        oldest = self.oldest_open
        return max(0, (self.as_of - oldest.due).days) if oldest else 0

    def since(self, day: date) -> tuple[Event, ...]:
        """Events on or after a day."""
        return tuple(e for e in self.events if e.day >= day)

    def last(self, *kinds: str) -> Event | None:
        found = [e for e in self.events if e.event in kinds]
        return found[-1] if found else None


def fold(case: Case, as_of: date, default_currency: str = "EUR", terms_days: int = 14) -> CaseState:
    """The state of a case on `as_of`, from its events up to and including that day."""
    events = tuple(e for e in case.events if e.day <= as_of)
    totals = _totals(events)
    invoices = _invoices(events, terms_days)
    currency = next((e.currency for e in events if e.event == "invoice" and e.currency), default_currency)
    promise = _promise(events)
    agreement = _agreement(events)
    dispute_since = _open_dispute(events)
    hold = _active_hold(events, as_of)
    closed_by = next((e for e in reversed(events) if e.event in ("legal", "written_off")), None)
    return CaseState(case, as_of, events, currency, *totals, invoices, promise, agreement, dispute_since, hold,
                     closed_by)


def _totals(events) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    sums = {"invoice": ZERO, "payment": ZERO, "credit": ZERO, "fee": ZERO, "interest": ZERO}
    for e in events:
        if e.event in sums:
            sums[e.event] += e.amount
    return sums["invoice"], sums["payment"], sums["credit"], sums["fee"] + sums["interest"]


def _invoices(events, terms_days: int) -> tuple[Invoice, ...]:
    """Invoices with their open principal: payments and credits go to the named invoice,
    else to the oldest one due (§366 BGB), invoices of the same day and due date in proportion
    to what each has open; what is left after principal settles costs."""
    items: dict[str, list] = {}
    for e in events:
        if e.event == "invoice":
            due = e.due or e.day + timedelta(days=terms_days)
            items[e.number] = [e, due, e.amount]
    order = sorted(items, key=lambda n: (items[n][1], items[n][0].at))
    groups: dict[tuple, list[str]] = {}  # invoices alike in age: same due date, same day
    for number in order:
        groups.setdefault((items[number][1], items[number][0].day), []).append(number)
    for e in events:
        if e.event not in ("payment", "credit"):
            continue
        rest = e.amount
        for group in ([[e.invoice]] if e.invoice in items else []) + list(groups.values()):
            rest -= _pay_alike(rest, [items[number] for number in group])
    return tuple(Invoice(n, ev.day, due, ev.amount, left, ev.subject, ev.fixed_due)
                 for n, (ev, due, left) in ((n, items[n]) for n in order))


def _pay_alike(amount: Decimal, alike: list[list]) -> Decimal:
    """Pay up to `amount` of the open principal (item[2]) of invoices alike; what was paid.

    Less than they owe together is shared in proportion to what each owes (§366(2) BGB: "verhältnismäßig")."""
    owed = [item[2] for item in alike if item[2] > 0]
    if amount <= 0 or not owed:
        return ZERO
    if len(owed) > 1 and amount < sum(owed, ZERO):
        takes = iter(shares(amount, owed))
        paid = ZERO
        for item in alike:
            if item[2] > 0:
                take = min(next(takes), item[2])
                item[2] -= take
                paid += take
        return paid
    paid = ZERO
    for item in alike:
        take = min(amount - paid, item[2])
        item[2] -= take
        paid += take
    return paid


def _promise(events) -> PromiseState | None:
    latest = None
    for e in events:
        if e.event == "promise":
            latest = (Payable(e.amount, e.by), e)
        elif e.event in ("call", "meeting") and e.promise:
            latest = (Payable(e.promise.amount, e.promise.by), e)
        elif e.event == "agreement":
            latest = None  # an agreement supersedes an earlier promise
    if latest is None:
        return None
    payable, source = latest
    paid = _paid_after(events, source)
    return PromiseState(payable.amount, payable.by, source.day, paid, source.event)


def _agreement(events) -> AgreementState | None:
    source = next((e for e in reversed(events) if e.event == "agreement"), None)
    if source is None:
        return None
    signed = any(e.event == "signed" and e.at >= source.at for e in events)
    return AgreementState(source.day, source.installments, source.down_payment, signed,
                          _paid_after(events, source))


def _paid_after(events, source: Event) -> Decimal:
    start = events.index(source)
    return sum((e.amount for e in events[start + 1:] if e.event == "payment"), ZERO)


def _open_dispute(events) -> date | None:
    since = None
    for e in events:
        if e.event == "dispute" or (e.event in ("call", "meeting") and e.outcome == "disputed"):
            since = since or e.day
        elif e.event in ("resolved", "credit"):
            since = None
    return since


def _active_hold(events, as_of: date) -> Event | None:
    hold = next((e for e in reversed(events) if e.event == "hold"), None)
    return hold if hold and hold.until > as_of else None


def status_of(s: CaseState) -> str:
    """The one status word: what governs the case today."""
    if s.closed_by is not None and s.closed_by.event == "written_off":
        return "written_off"
    if s.invoiced and s.open <= 0:
        return "settled"
    if s.closed_by is not None:
        return "legal"
    if s.hold is not None:
        return "on_hold"
    if s.dispute_since is not None:
        return "disputed"
    if s.agreement is not None and s.agreement.paid_since < s.agreement.total:
        return "agreement"
    if s.promise is not None and not s.promise.kept and s.as_of <= s.promise.by:
        return "promised"
    return "open"
