"""The amounts a case expects to receive, and the truthful reason when a credit fits none of them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from receivables_cli.domain.state import CaseState
from receivables_cli.imports.records import BankEntry, shown_amount

AHEAD = timedelta(days=31)  # an instalment paid up to a month early is still that instalment


def expected_amounts(state: CaseState, amount: Decimal, day: date) -> list[tuple[str | None, str]]:
    """(invoice number or None, what the amount is) for every expectation of the case it equals."""
    found = [(i.number, f"is what is open on {i.number}") for i in state.open_invoices if i.open == amount]
    if not found and state.open == amount:
        found.append((None, "is what is open on the case"))
    promise = state.promise
    if (not found and promise is not None and not promise.kept
            and amount in (promise.amount, promise.amount - promise.paid_since)):
        found.append((None, f"is the amount promised by {promise.by}"))
    if not found and state.agreement is not None:
        what = _agreed(state, amount, day)
        if what:
            found.append((None, what))
    return found


def _agreed(state: CaseState, amount: Decimal, day: date) -> str | None:
    """The agreed payment this amount is: the next one not yet covered, or one due by the booking day."""
    agreement, covered = state.agreement, Decimal(0)
    schedule = agreement.schedule
    for n, payable in enumerate(schedule):
        left = payable.amount - max(Decimal(0), agreement.paid_since - covered)
        covered += payable.amount
        if left <= 0:
            continue
        if amount in (left, payable.amount) and payable.by <= day + AHEAD:
            return _name(agreement, payable, n) + f" due {payable.by}"
        break
    return None


def _name(agreement, payable, n: int) -> str:
    if agreement.down_payment is not None and payable is agreement.down_payment:
        return "is the agreed down payment"
    k = n if agreement.down_payment is not None else n + 1
    return f"is instalment {k} of {len(agreement.installments)}"


def closest(entry: BankEntry, fits: list, alike_cases) -> str:
    """Why nothing matched, naming the nearest case truthfully; `alike_cases(payer)` are the live
    cases whose customer resembles the payer, in the ledger's order."""
    payer = entry.payer or "unknown"
    if fits:
        s = fits[0][0]
        more = f" and {len({f[0].case.id for f in fits}) - 1} more" if len({f[0].case.id for f in fits}) > 1 else ""
        return (f"the amount fits {s.case.id} ({s.case.customer.name}){more}, but the payer '{payer}' does not "
                "resemble the customer")
    alike = alike_cases(entry.payer)
    if alike:
        s = min(alike, key=lambda s: abs(s.open - entry.amount))
        return (f"no invoice number in the text; closest: {s.case.id} ({s.case.customer.name}), whose name "
                f"resembles the payer, but {shown_amount(entry.amount)} is not what is open ({shown_amount(s.open)}), "
                "promised or due by agreement")
    return (f"no invoice number in the text, no open amount, promise or instalment of {shown_amount(entry.amount)}, "
            f"and no customer like the payer '{payer}'")
