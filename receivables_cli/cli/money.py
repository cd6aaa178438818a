"""The money side of a claim: payments, promises, agreements, credits, fees, interest, the statement."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import (
    Argument,
    AtOpt,
    CommitOpt,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    check_ahead,
    command,
    deliver,
    json_text,
    moment,
    open_ledger,
    parse_day,
    parse_money,
    table,
    warn,
)
from receivables_cli.cli.common import today as today_of
from receivables_cli.cli.write import AmountArg, CaseArg, ForceOpt, InvoiceOpt, NoteOpt, ReasonOpt, TermsOpt, record
from receivables_cli.domain.errors import UsageError


def statement_of(book, case_id: str, day):
    from receivables_cli.money.statement import build_statement
    from receivables_cli.usecases.agenda import law_of, state_of

    state = state_of(book, book.load(case_id), day)
    return build_statement(state, law_of(book))


@command("statement")
def statement(case: Annotated[str, Argument(metavar="CASE", help="The case id.")], json: JsonOpt = False,
              format: Annotated[str, Option("--format", help="text, json or html (one self-contained page "
                                                  "with a chart of what is owed).")] = "text",
              output: Annotated[Optional[Path], Option("--output", "-o", metavar="FILE", show_default=False,
                                                             help="Write to FILE instead of stdout.")] = None,
              on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """The statement of account: invoices, payments, credits, fees, default interest by period, total.

    Interest runs from the day default began (the earliest of: a fixed due date, a reminder
    after the due date, the 30-day rule), at the legal rate, split at every 1 January,
    1 July and payment; each period line is rounded to the cent.

    Example:

    \b
      dun statement acme-2026-017 --on 2026-11-22 --json
      dun statement acme-2026-017 --format html -o statement.html
    """
    if format not in ("text", "json", "html"):
        raise UsageError("--format must be one of text, json, html")
    if json and format not in ("text", "json"):
        raise UsageError(f"--json and --format {format}: choose one")
    book = open_ledger(ledger)
    st = statement_of(book, case, today_of(on))
    for warning in st.warnings:
        warn(f"warning: {warning}")
    if format == "html":
        from receivables_cli.output.report_html import statement_html

        customer = book.load(case).customer.name
        deliver(statement_html(st, customer, book.config.creditor.name or ""), output, said=output is not None)
        return
    deliver(json_text(st.as_json()) + "\n" if json or format == "json" else statement_text(st) + "\n", output)


def statement_text(st) -> str:
    """The statement as a table a customer can follow."""
    from receivables_cli.domain.amounts import fmt

    rows = [(str(x.date), x.kind, x.text + (" *" if x.unconfirmed else ""), fmt(x.amount)) for x in st.lines]
    body = table(rows, ("date", "what", "details", st.currency), right=(3,))
    since = f"in default since {st.default_from}" if st.default_from else "not in default"
    totals = [("principal open", fmt(st.principal_open)), ("fees and interest charged", fmt(st.charged_open)),
              ("default interest accrued", fmt(st.interest_accrued)), ("total", fmt(st.total))]
    text = f"Statement of account {st.case} on {st.on} ({since})\n\n{body}\n\n"
    text += table(totals, ("", st.currency), right=(1,))
    if st.claimable_flat_fee > 0:
        text += (f"\n\nAlso claimable: flat fee {fmt(st.claimable_flat_fee)} {st.currency} ({st.flat_fee_basis}); "
                 f"charge it with: dun fee {st.case} --flat")
    for x in st.limitation:  # each invoice is its own claim with its own limitation
        state = "time-barred since" if x.barred(st.on) else "time-barred after"
        day = x.ends + timedelta(days=1) if x.barred(st.on) else x.ends
        text += f"\nLimitation: invoice {x.invoice} {state} {day}"
    if st.notes:  # the footnote to the lines marked *
        text += "\n\n" + "\n".join(f"* {note}" for note in st.notes)
    return text


@command("charge-interest")
def charge_interest(case: Annotated[str, Argument(metavar="CASE", help="The case id.")], on: OnOpt = None,
                    commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Fix the default interest accrued up to today as an `interest` event on the claim.

    Only with `interest: {claim: charged}` in dun.yaml; with `accrued` (the default, as §367 BGB
    and OR 85 have it) the interest is part of the claim as it accrues.

    Example:

    \b
      dun charge-interest acme-2026-017 --on 2026-12-31
    """
    from receivables_cli.cli.write import record
    from receivables_cli.domain.errors import DunError
    from receivables_cli.money.statement import build_statement
    from receivables_cli.usecases.agenda import law_of
    from receivables_cli.usecases.record import entry

    book = open_ledger(ledger)
    day = today_of(on)
    law = law_of(book)
    if book.config.interest_claim == "accrued":
        raise DunError("interest is claimed as it accrues (interest: {claim: accrued}, the default): it is "
                       "already part of the open amount; there is nothing to charge. Write interest: {claim: "
                       "charged} in dun.yaml to fix interest by this command instead")

    def build(state):
        st = build_statement(state, law)
        if st.interest_accrued <= 0:
            raise DunError(f"no default interest has accrued on {case} by {day}")
        return entry("interest", day, amount=st.interest_accrued, note=f"default interest up to {day}")

    record(ledger, case, on, commit, build)


@command("pay")
def pay(case: CaseArg, amount: AmountArg, invoice: InvoiceOpt = None, note: NoteOpt = None,
        force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
        ledger: LedgerOpt = None) -> None:
    """Record a payment received.

    More than is open is refused as a likely typo; an overpayment is recorded with --force.

    Example:

    \b
      dun pay acme-2026-017 500 --at 2026-11-20 --invoice RE-2026-017
    """
    from receivables_cli.domain.guards import check_not_more_than_open
    from receivables_cli.usecases.record import entry, require_invoice

    value = parse_money(amount, "AMOUNT")
    when = moment(at, on)

    def build(state):
        require_invoice(state, invoice)
        check_not_more_than_open(value, state.open, "the payment of", force)
        if value > state.open:
            warn(f"note: {value} is more than the {state.open:.2f} open; the case will show a credit balance")
        return entry("payment", when, amount=value, invoice=invoice, note=note)

    record(ledger, case, on, commit, build)


@command("promise")
def promise(case: CaseArg, amount: AmountArg,
            by: Annotated[str, Option("--by", metavar="YYYY-MM-DD", help="The promised day.",
                                            show_default=False)],
            note: NoteOpt = None, force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None,
            commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a written promise to pay (an e-mail, a letter).

    A promised day in the past is refused as a likely typo (--force records it anyway).

    Example:

    \b
      dun promise acme-2026-017 1190 --by 2026-12-01 --note "e-mail from Ms Muster"
    """
    from receivables_cli.domain.guards import check_promise
    from receivables_cli.usecases.record import entry

    value, day = parse_money(amount, "AMOUNT"), parse_day(by, "--by", on)
    check_ahead(day, "--by", on, force)
    when = moment(at, on)

    def build(state):
        check_promise(value, day, state.open, when.date() if hasattr(when, "date") else when)
        return entry("promise", when, amount=value, by=day, note=note)

    record(ledger, case, on, commit, build)


@command("agree")
def agree(case: CaseArg,
          installments: Annotated[int, Option("--installments", help="How many instalments.",
                                                    show_default=False)],
          down_payment: Annotated[Optional[str], Option("--down-payment", help="Paid first, before the "
                                                              "instalments.")] = None,
          down_payment_by: Annotated[Optional[str], Option(
              "--down-payment-by", metavar="YYYY-MM-DD", help="Default: a week after the agreement (the next "
              "working day, if that is not one).")] = None,
          first: Annotated[Optional[str], Option(
              "--first", metavar="YYYY-MM-DD", help="First instalment (default: one interval after today, or the "
              "next working day).")] = None,
          every: Annotated[str, Option("--every", help="Interval: 1m, 2w, 14d, 1y.")] = "1m",
          note: NoteOpt = None, force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None,
          commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record an instalment agreement: the open amount less the down payment, split to the cent.

    A first instalment or down payment dated in the past is refused as a likely typo (--force).

    Example:

    \b
      dun agree acme-2026-017 --installments 3 --down-payment 190 --first 2026-12-15 --every 1m
    """
    from receivables_cli.domain.model import Payable
    from receivables_cli.usecases.record import entry, installment_plan, interval

    when = moment(at, on)
    day = when.date() if hasattr(when, "date") else when
    down = parse_money(down_payment, "--down-payment") if down_payment else None
    down_by = parse_day(down_payment_by, "--down-payment-by", on)
    begin = parse_day(first, "--first", on)
    if down_by is None or begin is None:  # dates dun picks fall on a working day (not a Saturday)
        from receivables_cli.usecases.agenda import calendar_of

        calendar = calendar_of(open_ledger(ledger))
        down_by = down_by or calendar.next_working_day(day + timedelta(days=7))
        begin = begin or calendar.next_working_day(day + interval(every)(1))
    check_ahead(down_by, "--down-payment-by", on, force)
    check_ahead(begin, "--first", on, force)

    def build(state):
        plan = installment_plan(state.open - (down or 0), installments, begin, every)
        return entry("agreement", when, installments=plan,
                     down_payment=Payable(down, down_by) if down else None, note=note)

    record(ledger, case, on, commit, build)


@command("credit")
def credit(case: CaseArg, amount: AmountArg, reason: ReasonOpt, invoice: InvoiceOpt = None,
           terms: TermsOpt = None, force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None,
           commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a price reduction or goodwill after a justified complaint.

    More than is open is refused as a likely typo (--force writes it anyway).

    Example:

    \b
      dun credit acme-2026-017 100 --reason "two pages delivered late" --terms "Nachlass für zwei verspätete Seiten"
    """
    from receivables_cli.domain.guards import check_not_more_than_open
    from receivables_cli.usecases.record import entry, require_invoice

    value, when = parse_money(amount, "AMOUNT"), moment(at, on)

    def build(state):
        require_invoice(state, invoice)
        check_not_more_than_open(value, state.open, "the credit of", force)
        return entry("credit", when, amount=value, reason=reason, invoice=invoice, terms=terms)

    record(ledger, case, on, commit, build)


@command("fee")
def fee(case: CaseArg,
        amount: Annotated[Optional[str], Argument(metavar="[AMOUNT]", help="The cost; leave out with --flat.",
                                                        show_default=False)] = None,
        reason: Annotated[Optional[str], Option("--reason", help="Why, in a few words.")] = None,
        flat: Annotated[bool, Option("--flat", help="Charge the flat fee for late payment the law allows: "
                                           "40 EUR for each invoice in default between businesses in DE and AT, "
                                           "a fee event per invoice.")] = False,
        invoice: InvoiceOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
        ledger: LedgerOpt = None) -> None:
    """Charge a cost to the customer: a dunning fee, the flat fee for late payment.

    Examples:

    \b
      dun fee acme-2026-017 --flat
      dun fee acme-2026-017 2.50 --reason "registered letter"
    """
    from receivables_cli.cli.common import open_ledger
    from receivables_cli.money.statement import FLAT_FEE_REASON, flat_fee_invoices
    from receivables_cli.usecases.agenda import law_of
    from receivables_cli.usecases.record import entry, require_invoice

    if flat == (amount is not None):
        raise UsageError("give either AMOUNT --reason R, or --flat")
    if not flat and not reason:
        raise UsageError("a fee needs --reason")
    value, when = (parse_money(amount, "AMOUNT") if amount else None), moment(at, on)
    law = law_of(open_ledger(ledger))

    def build(state):
        require_invoice(state, invoice)
        if not flat:
            return entry("fee", when, amount=value, reason=reason, invoice=invoice)
        owed = [n for n in flat_fee_invoices(state, law) if invoice is None or n == invoice]
        if not owed:
            from receivables_cli.domain.errors import DunError

            raise DunError("no flat fee is claimable: the customer is a consumer, not in default, or it was "
                           "charged already for every invoice in default")
        why = f"{FLAT_FEE_REASON} for late payment ({law.profile.flat_fee_basis})"
        return [entry("fee", when, amount=law.profile.flat_fee, reason=why, invoice=number) for number in owed]

    record(ledger, case, on, commit, build)
