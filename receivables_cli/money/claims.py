"""What each invoice may still be claimed for at court, never more (law.md: the Mahnantrag).

Running interest runs on the principal still open from the day after the last payment (or interest
charge) that touched the invoice; the interest still unpaid up to that day is claimed as calculated
interest with its true period. Without such a day, interest runs from the first day of default and
nothing is calculated. An invoice paid in full has no running interest and no default date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.domain.state import CaseState, Invoice, fold
from receivables_cli.money.statement import Law, buckets_of

ZERO = Decimal("0.00")
ONE = timedelta(days=1)


@dataclass(frozen=True)
class Claim:
    """One invoice as a claim at law: principal, costs and interest, each with what is open."""
    invoice: Invoice
    principal: Decimal              # still open
    costs: Decimal                  # fees charged on it and still open
    default_from: date | None       # None when nothing is open or it is not in default
    running_from: date | None       # running interest from this day on `principal`
    calculated: Decimal             # interest unpaid up to `calculated_to`
    calculated_from: date | None
    calculated_to: date | None
    claim_type: str | None = None   # the catalogue entry named in the case (invoice, case), else None


def claims(state: CaseState, law: Law) -> list[Claim]:
    """Every invoice that still owes anything, with what may be claimed for it."""
    found = []
    for number, b in buckets_of(state, law).items():
        claim = _claim(state, law, number, b)
        if claim.principal > 0 or claim.calculated > 0 or claim.costs > 0:
            found.append(claim)
    return found


def _claim(state: CaseState, law: Law, number: str, b) -> Claim:
    start = law.default_start(b.invoice, state)
    if start is not None and start > state.as_of:
        start = None
    cut = _cut(state, b, start)
    calculated, since, to = b.interest, start, None
    if cut is not None:
        then = buckets_of(fold(state.case, cut, state.currency, law.config.payment_terms_days), law)[number]
        calculated, to = then.interest + then.accrued, cut
        since = then.paid_through + ONE if then.paid_through else start
    open_ = b.principal > 0
    running = (cut + ONE if cut else start) if open_ and start else None
    return Claim(b.invoice, max(b.principal, ZERO), b.costs, start if open_ else None, running, calculated,
                 since if calculated > 0 else None, to if calculated > 0 else None, _named_type(state, number))


def _cut(state: CaseState, b, start: date | None) -> date | None:
    """The last day after default began that a payment, a credit or an interest charge fixed the interest."""
    if start is None:
        return None
    days = [e.day for e in state.events if e.event == "interest" and e.day >= start]
    if b.touched is not None and b.touched >= start:
        days.append(b.touched)
    return max(days, default=None)


def _named_type(state: CaseState, number: str) -> str | None:
    event = next((e for e in state.events if e.event == "invoice" and e.number == number), None)
    return (event.claim_type if event else None) or state.case.claim_type


@dataclass(frozen=True)
class CatalogueEntry:
    """A Mahnantrag catalogue number with its label and source."""
    number: str | None
    label: str
    confirmed: bool
    source: str


def catalogue() -> list[CatalogueEntry]:
    """The claim catalogue of the German Mahnantrag (data/claim-types-DE.csv)."""
    from receivables_cli.money.rates import DATA

    with (DATA / "claim-types-DE.csv").open(encoding="utf-8") as f:
        return [CatalogueEntry(row["number"] or None, row["label"], row["confirmed"] == "yes", row["source"])
                for row in csv.DictReader(f)]


def catalogue_entry(text: str) -> CatalogueEntry:
    """The entry a claim_type names, by number or label; an unknown one is passed on, marked unconfirmed."""
    wanted = text.strip().casefold()
    for entry in catalogue():
        if wanted in ((entry.number or "").casefold(), entry.label.casefold()) or \
                entry.label.casefold().startswith(wanted):
            return entry
    return CatalogueEntry(None, text.strip(), False, "not in dun's catalogue: check the form's published catalogue")
