"""`dun statement` and `dun charge-interest`: the money side of a claim."""

from __future__ import annotations

from typing import Annotated

import typer

from receivables_cli.cli.common import (
    CommitOpt,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    command,
    emit_json,
    open_ledger,
    table,
    warn,
)
from receivables_cli.cli.common import today as today_of


def statement_of(book, case_id: str, day):
    from receivables_cli.agenda import law_of, state_of
    from receivables_cli.statement import build_statement

    state = state_of(book, book.load(case_id), day)
    return build_statement(state, law_of(book))


@command("statement")
def statement(case: Annotated[str, typer.Argument(metavar="CASE", help="The case id.")], json: JsonOpt = False,
              on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """The statement of account: invoices, payments, credits, fees, default interest by period, total.

    Interest runs from the day default began (the earliest of: a fixed due date, a reminder
    after the due date, the 30-day rule), at the legal rate, split at every 1 January,
    1 July and payment; each period line is rounded to the cent.

    Example:

    \b
      dun statement acme-2026-017 --on 2026-11-22 --json
    """
    book = open_ledger(ledger)
    st = statement_of(book, case, today_of(on))
    for warning in st.warnings:
        warn(f"warning: {warning}")
    if json:
        emit_json(st.as_json())
        return
    print(statement_text(st))


def statement_text(st) -> str:
    """The statement as a table a customer can follow."""
    from receivables_cli.money import fmt

    rows = [(x.date, x.kind, x.text, fmt(x.amount)) for x in st.lines]
    body = table(rows, ("date", "what", "details", st.currency), right=(3,))
    since = f"in default since {st.default_from}" if st.default_from else "not in default"
    totals = [("principal open", fmt(st.principal_open)), ("fees and interest charged", fmt(st.charged_open)),
              ("default interest accrued", fmt(st.interest_accrued)), ("total", fmt(st.total))]
    text = f"Statement of account {st.case} on {st.on} ({since})\n\n{body}\n\n"
    text += table(totals, ("", st.currency), right=(1,))
    if st.claimable_flat_fee > 0:
        text += (f"\n\nAlso claimable: flat fee {fmt(st.claimable_flat_fee)} {st.currency} (§288(5) BGB); "
                 f"charge it with: dun fee {st.case} --flat")
    return text


@command("charge-interest")
def charge_interest(case: Annotated[str, typer.Argument(metavar="CASE", help="The case id.")], on: OnOpt = None,
                    commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Fix the default interest accrued up to today as an `interest` event on the claim.

    Example:

    \b
      dun charge-interest acme-2026-017 --on 2026-12-31
    """
    from receivables_cli.agenda import law_of
    from receivables_cli.cli.write import record
    from receivables_cli.errors import DunError
    from receivables_cli.record import entry
    from receivables_cli.statement import build_statement

    book = open_ledger(ledger)
    day = today_of(on)
    law = law_of(book)

    def build(state):
        st = build_statement(state, law)
        if st.interest_accrued <= 0:
            raise DunError(f"no default interest has accrued on {case} by {day}")
        return entry("interest", day, amount=st.interest_accrued, note=f"default interest up to {day}")

    record(ledger, case, on, commit, build)
