"""The recording commands for calls, letters, money and the course of a case."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Optional

import typer

from receivables_cli.cli.common import AtOpt, CommitOpt, LedgerOpt, OnOpt, command, moment, parse_day, parse_money
from receivables_cli.cli.write import AmountArg, CaseArg, NoteOpt, record
from receivables_cli.errors import UsageError

InvoiceOpt = Annotated[Optional[str], typer.Option("--invoice", help="The invoice number it is for.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why, in a few words.", show_default=False)]


def _choice(value: str, allowed: str, what: str) -> str:
    from receivables_cli import model
    from receivables_cli.errors import did_you_mean

    allowed = getattr(model, allowed)
    if value not in allowed:
        raise UsageError(f"{what} '{value}' is not valid{did_you_mean(value, allowed)}")
    return value


@command("call")
def call(case: CaseArg,
         outcome: Annotated[Optional[str], typer.Argument(
             metavar="OUTCOME",
             help="reached, no_answer, voicemail, denied, promised, disputed, hardship or refused. "
                  "Leave it out to be asked.", show_default=False)] = None,
         note: NoteOpt = None,
         with_: Annotated[Optional[str], typer.Option(
             "--with", help="contact (default), assistant, manager, or a name.")] = None,
         promise_amount: Annotated[Optional[str], typer.Option(
             "--promise-amount", help="With 'promised': the amount (default: all that is open).")] = None,
         promise_by: Annotated[Optional[str], typer.Option(
             "--promise-by", metavar="YYYY-MM-DD", help="With 'promised': the day it will be paid.")] = None,
         at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a phone call or an attempt.

    Examples:

    \b
      dun call acme-2026-017 no_answer
      dun call acme-2026-017 promised --promise-amount 500 --promise-by 2026-12-01 --note "pays half now"
      dun call acme-2026-017 reached --with assistant --note "he is back on Monday"
    """
    from receivables_cli.model import Payable
    from receivables_cli.record import entry

    if outcome is None:
        from receivables_cli.cli.interactive import interactive_call

        interactive_call(case, on=on, commit=commit, ledger=ledger)
        return
    _choice(outcome, "OUTCOMES", "outcome")
    by, amount = _promise_options(outcome, promise_amount, promise_by)
    when = moment(at, on, with_time=True)

    def build(state):
        promise = Payable(amount or state.open, by) if by else None
        if promise and promise.amount <= 0:
            raise UsageError("nothing is open on this case; a promise needs --promise-amount")
        return entry("call", when, outcome=outcome, **{"with": with_}, promise=promise, note=note)

    record(ledger, case, on, commit, build)


@command("meeting")
def meeting(case: CaseArg,
            outcome: Annotated[str, typer.Argument(
                metavar="OUTCOME", help="reached, promised, disputed, hardship or refused.", show_default=False)],
            note: NoteOpt = None,
            promise_amount: Annotated[Optional[str], typer.Option(
                "--promise-amount", help="With 'promised': the amount (default: all that is open).")] = None,
            promise_by: Annotated[Optional[str], typer.Option(
                "--promise-by", metavar="YYYY-MM-DD", help="With 'promised': the day it will be paid.")] = None,
            at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a personal meeting with the customer (the playbook asks for one on large claims).

    Example:

    \b
      dun meeting acme-2026-017 promised --promise-amount 3000 --promise-by 2026-12-15 --note "visited them"
    """
    from receivables_cli.model import Payable
    from receivables_cli.record import entry

    _choice(outcome, "MEETING_OUTCOMES", "outcome")
    by, amount = _promise_options(outcome, promise_amount, promise_by)
    when = moment(at, on, with_time=True)

    def build(state):
        promise = Payable(amount or state.open, by) if by else None
        return entry("meeting", when, outcome=outcome, promise=promise, note=note)

    record(ledger, case, on, commit, build)


def _promise_options(outcome: str, amount: str | None, by: str | None):
    """(by, amount) of a promise given on the command line, checked against the outcome."""
    if outcome == "promised" and not by:
        raise UsageError("a promise needs a date: add --promise-by YYYY-MM-DD (and --promise-amount)")
    if outcome != "promised" and (by or amount):
        raise UsageError("--promise-amount and --promise-by go only with the outcome 'promised'")
    return parse_day(by, "--promise-by"), parse_money(amount, "--promise-amount") if amount else None


@command("signed")
def signed(case: CaseArg, note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
           ledger: LedgerOpt = None) -> None:
    """Record that the countersigned instalment agreement came back.

    Example:

    \b
      dun signed kiosk-2026-012 --note "came back by post"
    """
    from receivables_cli.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("signed", when, note=note))


@command("sent")
def sent(case: CaseArg,
         template: Annotated[str, typer.Argument(metavar="TEMPLATE", help="The letter's name, e.g. dunning.",
                                                 show_default=False)],
         to: Annotated[Optional[str], typer.Option("--to", help="contact, assistant or manager.")] = None,
         note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
         ledger: LedgerOpt = None) -> None:
    """Record that a letter went out (after the mail command succeeded).

    Example:

    \b
      dun letter acme-2026-017 dunning --format eml | msmtp -t && dun sent acme-2026-017 dunning
    """
    from receivables_cli.agenda import law_of
    from receivables_cli.cli.common import open_ledger
    from receivables_cli.record import entry
    from receivables_cli.statement import dunning_fee

    _choice(template, "TEMPLATES", "template")
    when = moment(at, on)
    law = law_of(open_ledger(ledger))

    def build(state):
        letter = entry("letter", when, template=template, to=to, note=note)
        fee = dunning_fee(state, law, template, letter["at"] if not hasattr(when, "date") else when.date())
        return [letter, entry("fee", when, amount=fee, reason=f"{template} letter, postage and material")] \
            if fee else letter

    record(ledger, case, on, commit, build)


@command("pay")
def pay(case: CaseArg, amount: AmountArg, invoice: InvoiceOpt = None, note: NoteOpt = None,
        at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a payment received.

    Example:

    \b
      dun pay acme-2026-017 500 --at 2026-11-20 --invoice RE-2026-017
    """
    from receivables_cli.record import entry, require_invoice

    value = parse_money(amount, "AMOUNT")
    when = moment(at, on)

    def build(state):
        require_invoice(state, invoice)
        if value > state.open:
            from receivables_cli.cli.common import warn

            warn(f"note: {value} is more than the {state.open:.2f} open; the case will show a credit balance")
        return entry("payment", when, amount=value, invoice=invoice, note=note)

    record(ledger, case, on, commit, build)


@command("promise")
def promise(case: CaseArg, amount: AmountArg,
            by: Annotated[str, typer.Option("--by", metavar="YYYY-MM-DD", help="The promised day.",
                                            show_default=False)],
            note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
            ledger: LedgerOpt = None) -> None:
    """Record a written promise to pay (an e-mail, a letter).

    Example:

    \b
      dun promise acme-2026-017 1190 --by 2026-12-01 --note "e-mail from Ms Muster"
    """
    from receivables_cli.record import entry

    value, day = parse_money(amount, "AMOUNT"), parse_day(by, "--by")
    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("promise", when, amount=value, by=day, note=note))


@command("agree")
def agree(case: CaseArg,
          installments: Annotated[int, typer.Option("--installments", help="How many instalments.",
                                                    show_default=False)],
          down_payment: Annotated[Optional[str], typer.Option("--down-payment", help="Paid first, before the "
                                                              "instalments.")] = None,
          down_payment_by: Annotated[Optional[str], typer.Option(
              "--down-payment-by", metavar="YYYY-MM-DD", help="Default: a week after the agreement.")] = None,
          first: Annotated[Optional[str], typer.Option(
              "--first", metavar="YYYY-MM-DD", help="First instalment (default: one interval after today).")] = None,
          every: Annotated[str, typer.Option("--every", help="Interval: 1m, 2w, 14d, 1y.")] = "1m",
          note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
          ledger: LedgerOpt = None) -> None:
    """Record an instalment agreement: the open amount less the down payment, split to the cent.

    Example:

    \b
      dun agree acme-2026-017 --installments 3 --down-payment 190 --first 2026-12-15 --every 1m
    """
    from receivables_cli.model import Payable
    from receivables_cli.record import entry, installment_plan, interval

    when = moment(at, on)
    day = when.date() if hasattr(when, "date") else when
    down = parse_money(down_payment, "--down-payment") if down_payment else None
    down_by = parse_day(down_payment_by, "--down-payment-by") or day + timedelta(days=7)
    begin = parse_day(first, "--first") or day + interval(every)(1)

    def build(state):
        plan = installment_plan(state.open - (down or 0), installments, begin, every)
        return entry("agreement", when, installments=plan,
                     down_payment=Payable(down, down_by) if down else None, note=note)

    record(ledger, case, on, commit, build)


@command("credit")
def credit(case: CaseArg, amount: AmountArg, reason: ReasonOpt, invoice: InvoiceOpt = None,
           at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record a price reduction or goodwill after a justified complaint.

    Example:

    \b
      dun credit acme-2026-017 100 --reason "two pages delivered late"
    """
    from receivables_cli.record import entry, require_invoice

    value, when = parse_money(amount, "AMOUNT"), moment(at, on)

    def build(state):
        require_invoice(state, invoice)
        return entry("credit", when, amount=value, reason=reason, invoice=invoice)

    record(ledger, case, on, commit, build)


@command("fee")
def fee(case: CaseArg,
        amount: Annotated[Optional[str], typer.Argument(metavar="[AMOUNT]", help="The cost; leave out with --flat.",
                                                        show_default=False)] = None,
        reason: Annotated[Optional[str], typer.Option("--reason", help="Why, in a few words.")] = None,
        flat: Annotated[bool, typer.Option("--flat", help="Charge the flat fee for late payment the law allows "
                                           "(40 EUR per invoice between businesses in DE and AT).")] = False,
        invoice: InvoiceOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
        ledger: LedgerOpt = None) -> None:
    """Charge a cost to the customer: a dunning fee, the flat fee for late payment.

    Examples:

    \b
      dun fee acme-2026-017 --flat
      dun fee acme-2026-017 2.50 --reason "registered letter"
    """
    from receivables_cli.agenda import law_of
    from receivables_cli.cli.common import open_ledger
    from receivables_cli.record import entry, require_invoice
    from receivables_cli.statement import FLAT_FEE_REASON, build_statement

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
        claimable = build_statement(state, law).claimable_flat_fee
        if claimable <= 0:
            raise UsageError("no flat fee is claimable: the customer is a consumer, not in default, or it was "
                             "charged already")
        return entry("fee", when, amount=claimable, reason=f"{FLAT_FEE_REASON} for late payment (§288(5) BGB)",
                     invoice=invoice)

    record(ledger, case, on, commit, build)


@command("dispute")
def dispute(case: CaseArg,
            note: Annotated[str, typer.Option("--note", help="What the customer contests.", show_default=False)],
            at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record that the customer contests the claim; the ladder pauses until 'dun resolve'.

    Example:

    \b
      dun dispute acme-2026-017 --note "says the contact form never worked"
    """
    from receivables_cli.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("dispute", when, note=note))


@command("resolve")
def resolve(case: CaseArg, note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None,
            commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record that a dispute is settled; the ladder resumes.

    Example:

    \b
      dun resolve acme-2026-017 --note "form fixed, customer satisfied"
    """
    from receivables_cli.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("resolved", when, note=note))


@command("hold")
def hold(case: CaseArg,
         until: Annotated[str, typer.Option("--until", metavar="YYYY-MM-DD", help="Pause until this day.",
                                            show_default=False)],
         reason: ReasonOpt, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
         ledger: LedgerOpt = None) -> None:
    """Pause all dunning of a case until a day.

    Example:

    \b
      dun hold acme-2026-017 --until 2027-01-10 --reason "owner in hospital, call after"
    """
    from receivables_cli.record import entry

    day, when = parse_day(until, "--until"), moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("hold", when, until=day, reason=reason))


@command("legal")
def legal(case: CaseArg,
          route: Annotated[str, typer.Option(
              "--route", help="dunning_court, lawyer, collection_agency or debt_enforcement.", show_default=False)],
          reference: Annotated[Optional[str], typer.Option("--reference", help="File number at court or "
                                                           "agency.")] = None,
          note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
          ledger: LedgerOpt = None) -> None:
    """Record that the claim went to the legal route; dun stops proposing actions for it.

    Example:

    \b
      dun legal acme-2026-017 --route dunning_court --reference "26-1234567-0-1"
    """
    from receivables_cli.record import entry

    _choice(route, "ROUTES", "--route")
    when = moment(at, on)
    record(ledger, case, on, commit,
           lambda state: entry("legal", when, route=route, reference=reference, note=note))


@command("write-off")
def write_off(case: CaseArg, reason: ReasonOpt, at: AtOpt = None, on: OnOpt = None,
              commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Give up the claim.

    Example:

    \b
      dun write-off acme-2026-017 --reason "company dissolved, no assets"
    """
    from receivables_cli.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("written_off", when, reason=reason))


@command("note")
def note_(case: CaseArg, text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.", show_default=False)],
          at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Keep anything else worth knowing in the history.

    Example:

    \b
      dun note acme-2026-017 "new accounts clerk: Mr Weber, ext. 23"
    """
    from receivables_cli.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, lambda state: entry("note", when, text=text))
