"""Match the credits of a statement to open invoices, most certain first; record nothing uncertain.

1. an invoice number in the remittance text (or the structured reference);
2. the structured creditor reference (RF...) of an invoice number;
3. the amount of exactly one open invoice (or case) of a customer whose name resembles the payer's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from receivables_cli.imports.names import number_pattern, resembles
from receivables_cli.imports.records import BankEntry
from receivables_cli.imports.reference import creditor_reference, valid_creditor_reference
from receivables_cli.playbook.state import CaseState

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
    how: str | None = None       # invoice_number | creditor_reference | amount_and_payer
    overpaid: Decimal | None = None


def known_identities(states: Iterable[CaseState]) -> dict[tuple, str]:
    """The identities of the payments the ledger holds already, with their case.

    A payment typed in by hand (no bank reference) also stands for any entry of its day and
    amount, so a payment recorded with `dun pay` is not recorded a second time.
    """
    found: dict[tuple, str] = {}
    for s in states:
        for e in s.case.events:
            if e.event != "payment":
                continue
            if e.reference:
                found[("ref", e.reference)] = s.case.id
            else:
                found[("day", e.day, e.amount)] = s.case.id
            found[("text", e.day, e.amount, " ".join((e.note or "").split()))] = s.case.id
    return found


def judge(entries: Iterable[BankEntry], states: list[CaseState], known: dict[tuple, str]) -> list[Verdict]:
    """A verdict for every entry, in file order; overpayments marked on the matches."""
    verdicts, seen = [], dict(known)
    for entry in entries:
        verdicts.append(_judge_one(entry, states, seen))
        if verdicts[-1].status == "matched":
            seen.setdefault(entry.identity, "this import")
    return _overpayments(verdicts, {s.case.id: s.open for s in states})


def _judge_one(entry: BankEntry, states: list[CaseState], seen: dict[tuple, str]) -> Verdict:
    reason = entry.ignored_because
    if reason:
        return Verdict(entry, "ignored", reason)
    earlier = seen.get(entry.identity) or seen.get(("day", entry.booked, entry.amount))
    if earlier:
        if earlier == "this import":
            return Verdict(entry, "recorded_before", "the same entry came earlier in this import")
        return Verdict(entry, "recorded_before", f"recorded before in {earlier}", case=earlier)
    return (_by_number(entry, states) or _by_creditor_reference(entry, states)
            or _by_amount_and_payer(entry, states))


def _by_number(entry: BankEntry, states: list[CaseState]) -> Verdict | None:
    haystack = f"{entry.text} {entry.creditor_ref or ''}"
    hits = [(s, i.number) for s in states for i in s.invoices
            if (p := number_pattern(i.number)) is not None and p.search(haystack)]
    if not hits:
        return None
    cases = {s.case.id: s for s, _ in hits}
    numbers = [n for _, n in hits]
    if len(cases) > 1:
        return Verdict(entry, "unmatched", f"names invoices of several cases: {', '.join(numbers)}")
    state = next(iter(cases.values()))
    why = f"the text names invoice {' and '.join(numbers)}"
    return _matched(entry, state, numbers[0] if len(numbers) == 1 else None, "invoice_number", why)


def _by_creditor_reference(entry: BankEntry, states: list[CaseState]) -> Verdict | None:
    ref = "".join((entry.creditor_ref or "").split()).upper()
    if not valid_creditor_reference(ref):
        return None
    hits = [(s, i.number) for s in states for i in s.invoices if creditor_reference(i.number) == ref]
    if len(hits) != 1:
        return None
    state, number = hits[0]
    return _matched(entry, state, number, "creditor_reference", f"creditor reference {ref} is invoice {number}")


def _by_amount_and_payer(entry: BankEntry, states: list[CaseState]) -> Verdict:
    fits = [(s, n) for s in states if s.status not in _CLOSED and s.open > 0 for n in _fitting(s, entry.amount)]
    if not fits:
        return Verdict(entry, "unmatched", "no invoice number in the text and no open invoice of this amount")
    alike = [(s, n) for s, n in fits if entry.payer and resembles(entry.payer, s.case.customer.name)]
    if len(alike) == 1:
        state, number = alike[0]
        what = f"is what is open on {number}" if number else "is what is open on the case"
        return _matched(entry, state, number, "amount_and_payer",
                        f"the amount {what}; the payer resembles {state.case.customer.name}")
    if not alike:
        names = ", ".join(sorted({s.case.customer.name for s, _ in fits}))
        return Verdict(entry, "unmatched", f"the amount fits {names}, but the payer "
                                           f"'{entry.payer or 'unknown'}' does not resemble the customer")
    return Verdict(entry, "unmatched", f"the amount fits {len(alike)} open invoices of customers like the payer")


def _fitting(state: CaseState, amount: Decimal) -> list[str | None]:
    """The open invoices of exactly this amount; else the whole open amount (no invoice named)."""
    numbers = [i.number for i in state.open_invoices if i.open == amount]
    if numbers:
        return numbers
    return [None] if state.open == amount else []


def _matched(entry: BankEntry, state: CaseState, number: str | None, how: str, why: str) -> Verdict:
    if not entry.currency:
        return Verdict(entry, "unmatched", f"{why}, but the entry names no currency")
    if entry.currency != state.currency:
        return Verdict(entry, "unmatched", f"{why}, but the payment is in {entry.currency} and the case in "
                                           f"{state.currency}")
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
