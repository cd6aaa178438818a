"""The statement of account: allocation of payments and default interest by period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.domain.amounts import cents, fmt, shares
from receivables_cli.domain.state import CaseState, Invoice, schedule_of
from receivables_cli.money.items import OpenParts, open_parts
from receivables_cli.money.law import consumer
from receivables_cli.money.lawbook import Law

__all__ = ["Law", "Statement", "build_statement", "with_accrued_interest", "invoice_figures", "buckets_of",
           "flat_fee_invoices", "dunning_fee", "FLAT_FEE_REASON"]

ZERO = Decimal("0.00")
FLAT_FEE_REASON = "flat fee"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a statement of account."""
    date: date
    kind: str  # invoice, payment, credit, fee, interest, waiver (the rest of a kept instalment plan)
    text: str
    amount: Decimal  # positive: owed; negative: paid or credited
    # The parts of the text, so that a letter can say it in its own language:
    invoice: str = ""  # the invoice an interest line runs on (set when a case has several)
    start: date | None = None  # first day of an interest period (`date` is its last)
    rate: Decimal | None = None  # yearly rate of an interest period, in percent
    unconfirmed: bool = False  # the rate rests on an unconfirmed or extrapolated base rate (see notes)


@dataclass
class Bucket:
    """What one invoice still carries: costs, charged interest, principal (§367 BGB order)."""

    invoice: Invoice
    costs: Decimal = ZERO
    interest: Decimal = ZERO
    accrued: Decimal = ZERO  # default interest accrued and not charged
    principal: Decimal = ZERO
    changes: list[tuple[date, Decimal]] = field(default_factory=list)  # principal from that day
    paid: Decimal = ZERO  # payments and credits this invoice received
    settled: dict[str, Decimal] = field(default_factory=dict)  # what payments and credits paid, per part
    touched: date | None = None  # the last day a payment or credit paid anything of it
    paid_through: date | None = None  # interest is paid in full up to this day (claim: accrued)
    charges: list = field(default_factory=list)  # (fee or interest event, amount charged to this invoice)

    @property
    def total(self) -> Decimal:
        return self.costs + self.interest + self.accrued + self.principal


@dataclass(frozen=True)
class Statement:
    """A case's statement of account on a day: its lines and totals."""
    case: str
    on: date
    currency: str
    default_from: date | None
    lines: tuple[Line, ...]
    principal_open: Decimal
    charged_open: Decimal
    interest_accrued: Decimal
    claimable_flat_fee: Decimal
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # base rates the figures rest on that are unconfirmed or extrapolated
    flat_fee_basis: str = ""
    limitation: tuple = ()  # per open invoice: money.limitation.Limitation
    without_rate: tuple[tuple[date, date], ...] = ()  # periods in default that carry no interest (no base rate)
    parts: OpenParts | None = field(default=None, compare=False, repr=False)  # item by item, for letters

    @property
    def total(self) -> Decimal:
        return self.principal_open + self.charged_open + self.interest_accrued

    def as_json(self) -> dict:
        """`dun statement --json`, as in the contract."""
        return {
            "case": self.case, "on": self.on.isoformat(), "currency": self.currency,
            "default_from": self.default_from.isoformat() if self.default_from else None,
            "lines": [{"date": x.date.isoformat(), "kind": x.kind, "text": x.text, "amount": fmt(x.amount)}
                      for x in self.lines],
            "principal_open": fmt(self.principal_open), "charged_open": fmt(self.charged_open),
            "interest_accrued": fmt(self.interest_accrued), "claimable_flat_fee": fmt(self.claimable_flat_fee),
            "total": fmt(self.total), "notes": list(self.notes), "flat_fee_basis": self.flat_fee_basis,
            "limitation": [x.as_json(self.on) for x in self.limitation],
        }


def build_statement(state: CaseState, law: Law) -> Statement:
    """Allocate payments, compute interest by period up to `state.as_of`, list it all."""
    from receivables_cli.money.limitation import limitations

    buckets, lines, accrual = _compute(state, law)
    lines = sorted(lines + accrual.lines, key=lambda x: (x.date, _ORDER[x.kind]))
    return Statement(
        case=state.case.id, on=state.as_of, currency=state.currency,
        default_from=min(accrual.starts, default=None),
        lines=tuple(lines), principal_open=sum((b.principal for b in buckets.values()), ZERO),
        charged_open=sum((b.costs + b.interest for b in buckets.values()), ZERO),
        interest_accrued=sum((b.accrued for b in buckets.values()), ZERO),
        claimable_flat_fee=_flat_fee(state, law, buckets),
        flat_fee_basis=law.profile.flat_fee_basis,
        warnings=tuple(dict.fromkeys(accrual.warnings + accrual.notes)), notes=tuple(dict.fromkeys(accrual.notes)),
        limitation=tuple(limitations(state, law.profile.country, law.profile)),
        without_rate=tuple(sorted(set(accrual.gaps))), parts=open_parts(buckets, accrual.by_invoice))


def with_accrued_interest(state: CaseState, law: Law) -> CaseState:
    """The state with default interest owed as it accrues (`interest: {claim: accrued}`).

    `open` then includes all interest accrued and not charged, and each invoice's `open` is what
    it still carries after payments went to costs, then interest, then principal (§§366, 367 BGB).
    """
    buckets, lines, accrual = _compute(state, law)
    invoices = tuple(i.__replace__(open=buckets[i.number].total) for i in state.invoices)
    waived = -sum((x.amount for x in lines if x.kind == "waiver"), ZERO)  # a kept plan's rest (clause 4)
    return state.__replace__(interest_owed=sum((x.amount for x in accrual.lines), ZERO), invoices=invoices,
                   credited=state.credited + waived)


def buckets_of(state: CaseState, law: Law) -> dict[str, Bucket]:
    """Per invoice what it still carries and what paid it, as the statement allocates."""
    return _compute(state, law)[0]


@dataclass(frozen=True)
class InvoiceFigures:
    """What one invoice stands at on the statement's day: for a court or an agency."""

    invoice: Invoice
    default_from: date | None
    principal: Decimal  # still open
    costs: Decimal      # fees charged and open
    interest: Decimal   # interest charged and open, plus interest accrued and not charged
    paid: Decimal       # payments and credits it received


def invoice_figures(state: CaseState, law: Law) -> list[InvoiceFigures]:
    """Per invoice (§366 BGB): open principal, costs, interest and payments, as the statement allocates them."""
    buckets, _, _ = _compute(state, law)
    return [InvoiceFigures(b.invoice, law.default_start(b.invoice, state), b.principal, b.costs,
                           b.interest + b.accrued, b.paid) for b in buckets.values()]


_ORDER = {"invoice": 0, "fee": 1, "interest": 2, "credit": 3, "payment": 4, "waiver": 5}


class _Accrual:
    """Default interest per invoice, accrued period by period up to a given day."""

    def __init__(self, state: CaseState, law: Law, buckets: dict[str, Bucket], starts: dict[str, date | None]):
        self.state, self.law = state, law
        self.lines: list[Line] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.gaps: list[tuple[date, date]] = []  # days in default without a rate: no interest counted
        self.starts: list[date] = []
        self.next_day: dict[str, date] = {}  # per invoice: the first day not yet accrued
        self.by_invoice: dict[str, list[Line]] = {}  # per invoice: its interest lines, oldest first
        self.labelled = len(buckets) > 1
        self.stop: dict[str, date] = {}  # per invoice: the last day that bears interest (a kept plan's, clause 4)
        charged_through = max((e.day for e in state.events if e.event == "interest"), default=None)
        for number in buckets:
            start = starts[number]
            if start is None or start > state.as_of:
                continue
            self.starts.append(start)
            if charged_through and charged_through >= start:  # a charge fixed everything up to its day
                start = charged_through + timedelta(days=1)
            self.next_day[number] = start

    def up_to(self, buckets: dict[str, Bucket], last: date) -> None:
        """Accrue every invoice's interest through `last` into its bucket (through its `stop`, if it has one)."""
        for number, first in self.next_day.items():
            end = min(last, self.stop[number]) if number in self.stop else last
            if first > end:
                continue
            bucket = buckets[number]
            label = number if self.labelled else ""
            new = _interest_lines(bucket, first, end, self.state, self.law, label, self.warnings, self.notes,
                                  self.gaps)
            bucket.accrued += sum((x.amount for x in new), ZERO)
            self.lines.extend(new)
            self.by_invoice.setdefault(number, []).extend(new)
            self.next_day[number] = end + timedelta(days=1)


def _compute(state: CaseState, law: Law) -> tuple[dict[str, Bucket], list[Line], _Accrual]:
    """Payments and interest together: with `claim: accrued`, interest accrues up to each payment first."""
    buckets: dict[str, Bucket] = {i.number: Bucket(i) for i in state.invoices}
    starts = {n: law.default_start(b.invoice, state) for n, b in buckets.items()}
    accrual = _Accrual(state, law, buckets, starts)
    before = accrual.up_to if law.config.interest_claim == "accrued" else None
    plans = kept_plans(state)
    for plan in plans:  # clause 4: the invoices a kept plan covers bear no interest for its term
        for number in plan.covered:
            accrual.stop[number] = min(accrual.stop.get(number, date.max), plan.made - timedelta(days=1))
    lines, credit = _allocate(state, buckets, before, starts, plans, accrual)
    if before is None:  # charged: payments never touch interest that was not charged
        _use_credit(buckets, credit, ("costs", "interest"), state.as_of)
        accrual.up_to(buckets, state.as_of)
    else:
        accrual.up_to(buckets, state.as_of)
        _use_credit(buckets, credit, ("costs", "interest", "accrued"), state.as_of)
    return buckets, lines, accrual


# Clause 5 of dun's instalment agreement (letters/*/installment-agreement.md): the rest falls due when a
# payment is more than 14 days late; a plan whose payments all came within that is kept.
PLAN_GRACE_DAYS = 14


@dataclass(frozen=True)
class KeptPlan:
    """An instalment agreement kept to the end: made, completed on `day`, over the invoices it `covered`."""
    made: date
    day: date
    covered: frozenset[str]


def kept_plans(state: CaseState) -> list[KeptPlan]:
    """The instalment plans of the history that were paid in full and in time, oldest first.

    The agreement (clause 4) waives, when all its payments come in time, the rest of the claim beyond
    the plan and any interest for its term. In time: each payment of the schedule reached, counting
    the payments and credits since the agreement (up to the next one), by its date plus the 14 days
    after which clause 5 makes the rest due. A plan covers the invoices due on the day it was made
    (clause 1 leaves out those not yet due, and later ones).
    """
    events, found = state.events, []
    made_at = [i for i, e in enumerate(events) if e.event == "agreement"]
    for n, at in enumerate(made_at):
        source = events[at]
        schedule = schedule_of(source.down_payment, source.installments)
        if not schedule:
            continue
        until = made_at[n + 1] if n + 1 < len(made_at) else len(events)
        paid, reached = ZERO, []
        for e in events[at + 1:until]:
            if e.event in ("payment", "credit"):
                paid += e.amount
                reached.append((e.day, paid))
        due, day = ZERO, None
        for p in schedule:
            due += p.amount
            day = next((d for d, total in reached if total >= due), None)
            if day is None or day > p.by + timedelta(days=PLAN_GRACE_DAYS):
                break
        else:
            covered = frozenset(i.number for i in state.invoices if i.due <= source.day and i.date <= source.day)
            found.append(KeptPlan(source.day, day, covered))
    return found


def _waive(buckets: dict[str, Bucket], plan: KeptPlan, accrual: _Accrual) -> Line | None:
    """What the invoices of a kept plan still carry is waived on the day it was completed (clause 4)."""
    accrual.up_to(buckets, plan.day)  # every invoice up to that day, so that the periods stay in order
    waived = ZERO
    for number in plan.covered:
        b = buckets[number]
        waived += b.total
        b.costs = b.interest = b.accrued = b.principal = ZERO
        b.changes.append((plan.day, ZERO))
        accrual.next_day.pop(number, None)
    return Line(plan.day, "waiver", f"waived under the agreement of {plan.made}", -waived) if waived > 0 else None


def _allocate(state: CaseState, buckets: dict[str, Bucket], before=None, starts: dict | None = None,
              plans: list | None = None, accrual: _Accrual | None = None) -> tuple[list[Line], Decimal]:
    """Payments to the named invoice or the oldest due one; within it costs, interest, principal.

    `before(buckets, day)` runs before each payment or credit with the day before it, so that
    interest accrued up to then is owed first. Money paid beyond what is owed is kept as a credit
    and set against what is charged later; what is left of it is returned.
    """
    order = list(buckets)  # by due date, as the fold sorts them
    lines, credit = [], ZERO
    for e in state.events:
        if e.event == "invoice":
            b = buckets[e.number]
            used = min(credit, e.amount)
            b.principal, credit = e.amount - used, credit - used
            b.changes.append((e.day, b.principal))
            lines.append(Line(e.day, "invoice", e.number + (f" {e.subject}" if e.subject else ""), e.amount))
        elif e.event in ("fee", "interest"):
            b = buckets[_target(buckets, order, e.invoice)]
            used = min(credit, e.amount)
            credit -= used
            if e.event == "fee":
                b.costs += e.amount - used
            else:
                b.interest += e.amount - used
            b.charges.append((e, e.amount - used))
            lines.append(Line(e.day, e.event, e.reason or e.note or "interest charged", e.amount))
        elif e.event in ("payment", "credit"):
            if before is not None:
                before(buckets, e.day - timedelta(days=1))
            credit += _settle(buckets, _order_366(buckets, order, e.day, starts), e, before is not None)
            lines.append(Line(e.day, e.event, e.reason or e.note or e.invoice or "", -e.amount))
            for plan in plans or ():
                if plan.day == e.day and e is _last_on(state.events, e.day):
                    waiver = _waive(buckets, plan, accrual)
                    if waiver is not None:
                        lines.append(waiver)
    return lines, credit


def _last_on(events, day: date):
    """The last payment or credit of a day: a plan completed that day is settled after all of them."""
    return next(e for e in reversed(events) if e.day == day and e.event in ("payment", "credit"))


def _use_credit(buckets: dict[str, Bucket], credit: Decimal, parts: tuple[str, ...], on: date) -> None:
    """What is left of a credit settles whatever is still owed; beyond that, a credit balance."""
    for b in buckets.values():
        for part in parts:
            used = min(credit, getattr(b, part))
            setattr(b, part, getattr(b, part) - used)
            credit -= used
    if credit > 0 and buckets:  # overpaid: a credit balance on the last invoice
        last = buckets[list(buckets)[-1]]
        last.principal -= credit
        last.changes.append((on, last.principal))


def _target(buckets: dict[str, Bucket], order: list[str], named: str | None) -> str:
    if named in buckets:
        return named
    return next((n for n in order if buckets[n].total > 0), order[0])


def _order_366(buckets: dict[str, Bucket], order: list[str], day: date, starts: dict | None) -> list[list[str]]:
    """§366(2) BGB (OR 87): an unnamed payment goes to what is due, first to an invoice already in default
    (it bears interest: more burdensome for the debtor), then to the older one; what is not due comes last.
    Invoices alike in all of that (in default alike, issued and due the same day) form one group, which
    shares a payment in proportion ("verhältnismäßig", §366(2); OR 87(2)); §1416 ABGB names no order
    among equal debts, and dun takes the same for AT."""
    if starts is None or len(order) < 2:
        return [[number] for number in order]

    def key(number: str) -> tuple:
        invoice, start = buckets[number].invoice, starts[number]
        return (invoice.due > day, not (start is not None and start <= day), invoice.due, invoice.date)
    groups: dict[tuple, list[str]] = {}
    for number in sorted(order, key=key):
        groups.setdefault(key(number), []).append(number)
    return list(groups.values())


def _settle(buckets: dict[str, Bucket], groups: list[list[str]], e, accrues: bool = False) -> Decimal:
    """Apply a payment or credit to the named invoice, then group by group (`_order_366`); return what
    is left over after everything owed. A group owed more than what is left shares it in proportion to
    what each of its invoices owes, and each share pays costs, interest, principal (§367 BGB)."""
    rest = e.amount
    parts = ("principal",) if e.event == "credit" else ("costs", "interest", "accrued", "principal")
    for group in ([[e.invoice]] if e.invoice in buckets else []) + groups:
        budgets = _budgets(buckets, group, parts, rest) if len(group) > 1 else None
        for number in group:
            b = buckets[number]
            budget = rest if budgets is None else budgets.get(number, ZERO)
            rest -= budget - _pay_parts(b, parts, budget, e)
            if accrues and e.event == "payment" and b.touched == e.day and b.interest + b.accrued <= 0:
                b.paid_through = e.day - timedelta(days=1)
    return rest


def _budgets(buckets: dict[str, Bucket], group: list[str], parts: tuple[str, ...], rest: Decimal) -> dict | None:
    """What each invoice of a group gets of `rest` when that is less than they owe together (in proportion)."""
    owed = [sum((getattr(buckets[n], part) for part in parts), ZERO) for n in group]
    alike = [(n, x) for n, x in zip(group, owed, strict=True) if x > 0]
    if len(alike) > 1 and 0 < rest < sum(owed, ZERO):
        return dict(zip([n for n, _ in alike], shares(rest, [x for _, x in alike]), strict=True))
    return None


def _pay_parts(b: Bucket, parts: tuple[str, ...], budget: Decimal, e) -> Decimal:
    """Pay up to `budget` of one invoice's parts in their order; what is left of the budget."""
    for part in parts:
        take = min(budget, getattr(b, part))
        if take > 0:
            setattr(b, part, getattr(b, part) - take)
            b.paid += take
            key = "credited" if e.event == "credit" else part
            b.settled[key] = b.settled.get(key, ZERO) + take
            b.touched = e.day
            budget -= take
            if part == "principal":
                b.changes.append((e.day, b.principal))
    return budget


def _principal_on(bucket: Bucket, day: date) -> Decimal:
    value = ZERO
    for when, amount in bucket.changes:
        if when <= day:
            value = amount
    return value


def _interest_lines(bucket: Bucket, start: date, end: date, state: CaseState, law: Law, label: str,
                    warnings: list[str], notes: list[str], gaps: list | None = None) -> list[Line]:
    """One line per period of constant principal and rate from `start` through `end`, rounded once per line.

    A base rate changes on 1 January and 1 July (§247 BGB, §456 UGB), so those days start a new period;
    a fixed rate (CH, AT consumers) does not change, so there only payments do.
    """
    cuts = {d for d, _ in bucket.changes if start < d <= end}
    if not law.fixed_rate(state.case.customer.kind):
        cuts |= {date(y, m, 1) for y in range(start.year, end.year + 1) for m in (1, 7)
                 if start < date(y, m, 1) <= end}
    bounds = sorted({start, *cuts})
    lines = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] - timedelta(days=1) if i + 1 < len(bounds) else end
        principal = _principal_on(bucket, first)
        rate, warning, note = law.rate(state.case.customer.kind, first)
        if principal > 0 and rate is None:  # never a silent zero: say which days carry no interest
            notes.append(_no_rate_note(law, label, first, last, warning))
            if gaps is not None:
                gaps.append((first, last))
            continue
        if principal <= 0 or rate is None or rate <= 0:
            continue
        if note:
            notes.append(note)
        days = (last - first).days + 1
        amount = cents(principal * rate / 100 * days / law.profile.day_count)
        text = f"{first}..{last}, {rate:.2f} %"
        lines.append(Line(last, "interest", f"{label} {text}".strip(), amount, label, first, rate, bool(note)))
    return lines


def _no_rate_note(law: Law, label: str, first: date, last: date, warning: str | None) -> str:
    """Which days carry no interest, and why (law.md: a day before the table's first row has no rate)."""
    rows = law.rates
    which = f" on {label}" if label else ""
    if rows and first < rows[0].start:
        why = (f"the {law.profile.country} base-rate table begins on {rows[0].start}"
               + (" (before 2002 the DÜG base rate applied: out of scope)" if law.profile.country == "DE" else ""))
    else:
        why = warning or "no rate is known for these days"
    return (f"no default interest counted for {first}..{last}{which}: {why}; add the rate under base_rates: in "
            "dun.yaml to claim it")


def _flat_fee(state: CaseState, law: Law, buckets: dict[str, Bucket]) -> Decimal:
    """§288(5) BGB, §458 UGB: a flat fee per invoice in default, for non-consumers, unless charged already."""
    return law.profile.flat_fee * len(flat_fee_invoices(state, law, buckets))


def flat_fee_invoices(state: CaseState, law: Law, buckets: dict[str, Bucket] | None = None) -> list[str]:
    """The invoices in default whose flat fee is not charged yet.

    A flat-fee event that names an invoice covers it; one that names none covers as many invoices as its
    amount holds flat fees (80.00 covers two), so what is still claimable counts invoices, not events.
    """
    fee = law.profile.flat_fee
    if fee <= 0 or consumer(state.case.customer.kind):
        return []
    if buckets is None:
        buckets, _, _ = _compute(state, law)
    waived = {n for plan in kept_plans(state) for n in plan.covered}  # clause 4: its costs are waived too
    owed = [n for n, b in buckets.items() if n not in waived and _in_default(b, state, law)]
    unnamed = 0
    for e in state.events:
        if e.event == "fee" and (e.reason or "").lower().startswith(FLAT_FEE_REASON):
            if e.invoice in owed:
                owed.remove(e.invoice)
            else:
                unnamed += max(1, int(e.amount // fee))
    return owed[unnamed:]


def _in_default(bucket: Bucket, state: CaseState, law: Law) -> bool:
    start = law.default_start(bucket.invoice, state)
    return start is not None and start <= state.as_of and _principal_on(bucket, start) > 0


def dunning_fee(state: CaseState, law: Law, template: str, day: date) -> Decimal | None:
    """The material cost to charge for a letter: only `dunning`/`final-notice` sent after default began.

    The letter that puts the debtor in default costs nothing (BGH VIII ZR 95/18 allows material
    costs only); `fees.dunning` in dun.yaml sets the amount, 0 (the default) charges nothing.
    """
    fee = law.config.dunning_fee
    if fee <= 0 or template not in ("dunning", "final-notice") or state.oldest_open is None:
        return None
    start = law.default_start(state.oldest_open, state)
    return fee if start is not None and start <= day else None
