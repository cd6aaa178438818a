"""Match the credits of a statement to open invoices, most certain first; record nothing uncertain.

1. a reference dun printed: an RF creditor reference (ISO 11649) of an invoice number or case id,
   in the structured reference, the end-to-end reference or the text; or an end-to-end reference
   that is an invoice number or case id;
2. an invoice number in the remittance text (or the structured reference);
3. an amount the case expects (what is open on one invoice or the case, the promised amount, the
   agreed down payment or an instalment due) from a payer whose name resembles the customer's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from receivables_cli.domain.state import CaseState
from receivables_cli.imports.identity import Booking, Known, booking
from receivables_cli.imports.names import resembles
from receivables_cli.imports.records import BankEntry
from receivables_cli.imports.reference import rf_references

_CLOSED = ("written_off", "legal")


@dataclass(frozen=True, slots=True)
class Verdict:
    """What became of one bank entry."""

    entry: BankEntry
    status: str                  # matched | unmatched | ignored | recorded_before
    why: str
    case: str | None = None
    customer: str | None = None
    invoice: str | None = None
    how: str | None = None       # creditor_reference | end_to_end | invoice_number | amount_and_payer
    overpaid: Decimal | None = None


def known_bookings(states: Iterable[CaseState]) -> Known:
    """The payments the ledger holds already, as bookings an entry may repeat."""
    known = Known()
    for s in states:
        known.add_events(s.case.id, s.case.events)
    return known


def booking_of(entry: BankEntry, where: str = "this import"):
    return booking(entry.booked, entry.amount, entry.reference, entry.payer, entry.text, where)


def judge(entries: Iterable[BankEntry], states: list[CaseState], known: Known) -> list[Verdict]:
    """A verdict for every entry, in file order; overpayments marked on the matches. Matches are
    added to `known`, so the same booking later in this import (or another file) is seen."""
    index = _Index(states)
    verdicts = []
    for entry in entries:
        reason = entry.ignored_because
        if reason:
            verdicts.append(Verdict(entry, "ignored", reason))
            continue
        booked = booking_of(entry)  # asked for, then added when matched: made once
        verdicts.append(_judge_one(entry, booked, index, known))
        if verdicts[-1].status == "matched":
            known.add(booked)
    return _overpayments(verdicts, {s.case.id: s.open for s in states})


class _Index:
    """The ledger's invoices, references, amounts and names, indexed once for all entries of a file."""

    def __init__(self, states: list[CaseState]) -> None:
        from receivables_cli.imports import matchindex

        live = [s for s in states if s.status not in _CLOSED and s.open > 0]
        self.numbers, self.references = matchindex.Numbers(states), matchindex.References(states)
        self.amounts, self.names = matchindex.Amounts(live), matchindex.Names(live)


def _judge_one(entry: BankEntry, booked: Booking, index: _Index, known: Known) -> Verdict:
    earlier = known.take(booked, entry.source)
    if earlier:
        if earlier.where == "this import":
            return Verdict(entry, "recorded_before", "the same entry came earlier in this import")
        return Verdict(entry, "recorded_before", f"recorded before in {earlier.where}", case=earlier.where)
    verdict = (_by_reference(entry, index) or _by_number(entry, index) or _by_amount_and_payer(entry, index))
    if entry.note:
        verdict = replace(verdict, why=f"{verdict.why} ({entry.note})")
    return verdict


def _by_reference(entry: BankEntry, index: _Index) -> Verdict | None:
    """An RF reference dun would print for an invoice or case, or an end-to-end id that is one."""
    refs = rf_references(entry.creditor_ref, entry.end_to_end, entry.text)
    for ref in refs:
        hits = index.references.by_rf(ref)
        if len({s.case.id for s, _ in hits}) == 1:
            state, number = hits[0]
            named = f"invoice {number}" if number else f"case {state.case.id}"
            return _matched(entry, state, number, "creditor_reference", f"creditor reference {ref} is {named}")
    e2e = _plain(entry.end_to_end)
    if e2e:
        hits = index.references.by_plain(e2e)
        if len({s.case.id for s, _ in hits}) == 1:
            state, number = hits[0]
            return _matched(entry, state, number, "end_to_end",
                            f"the end-to-end reference {entry.end_to_end} is {number or state.case.id}")
    return None


def _plain(text: str | None) -> str:
    return "".join(c for c in (text or "").upper() if c.isalnum())


def _by_number(entry: BankEntry, index: _Index) -> Verdict | None:
    haystack = f"{entry.text} {entry.creditor_ref or ''} {entry.end_to_end or ''}"
    hits = index.numbers.hits(haystack)
    if not hits:
        return None
    cases = {s.case.id: s for s, _ in hits}
    numbers = [n for _, n in hits]
    if len(cases) > 1:
        return Verdict(entry, "unmatched", f"names invoices of several cases: {', '.join(numbers)}")
    state = next(iter(cases.values()))
    why = f"the text names invoice {' and '.join(numbers)}"
    return _matched(entry, state, numbers[0] if len(numbers) == 1 else None, "invoice_number", why)


def _by_amount_and_payer(entry: BankEntry, index: _Index) -> Verdict:
    from receivables_cli.imports.expected import expected_amounts

    fits = [(s, n, what) for s in index.amounts.expecting(entry.amount)
            for n, what in expected_amounts(s, entry.amount, entry.booked)]
    alike = [(s, n, what) for s, n, what in fits if entry.payer and resembles(entry.payer, s.case.customer.name)]
    if len({s.case.id for s, _, _ in alike}) == 1:
        state, number, what = alike[0]
        if len(alike) > 1:  # several invoices of the case of this amount: the case, no invoice named
            number, what = None, f"is what is open on each of {len(alike)} invoices"
        return _matched(entry, state, number, "amount_and_payer",
                        f"the amount {what}; the payer resembles {state.case.customer.name}")
    if alike:
        names = ", ".join(sorted({f"{s.case.id} ({s.case.customer.name})" for s, _, _ in alike}))
        return Verdict(entry, "unmatched", f"the amount fits several cases of customers like the payer: {names}")
    from receivables_cli.imports.expected import closest

    return Verdict(entry, "unmatched", closest(entry, fits, index.names.alike))


def _matched(entry: BankEntry, state: CaseState, number: str | None, how: str, why: str) -> Verdict:
    if not entry.currency:
        return Verdict(entry, "unmatched", f"{why}, but the entry names no currency")
    if entry.currency != state.currency:
        return Verdict(entry, "unmatched", f"{why}, but the payment is in {entry.currency} and the case in "
                                           f"{state.currency}")
    if entry.amount != entry.amount.quantize(Decimal("0.01")):
        return Verdict(entry, "unmatched", f"{why}, but {entry.amount} has more than two decimals: "
                                           "record it by hand with 'dun pay'")
    if state.status in _CLOSED:
        why += f" (the case is {state.status.replace('_', ' ')})"
    return Verdict(entry, "matched", why, state.case.id, state.case.customer.name, number, how)


def _overpayments(verdicts: list[Verdict], open_by_case: dict[str, Decimal]) -> list[Verdict]:
    left = dict(open_by_case)
    result = []
    for v in verdicts:
        if v.status == "matched":
            before = max(left[v.case], Decimal(0))
            left[v.case] -= v.entry.amount
            if v.entry.amount > before:
                v = replace(v, overpaid=v.entry.amount - before)
        result.append(v)
    return result
