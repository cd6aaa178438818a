"""The recording commands for calls, meetings, letters and the course of a case."""

from __future__ import annotations

from typing import Annotated, Optional

from receivables_cli.cli.common import (
    Argument,
    AtOpt,
    CommitOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    moment,
    parse_choice,
    parse_day,
    parse_money,
)
from receivables_cli.cli.write import CaseArg, ForceOpt, NoteOpt, ReasonOpt, TermsOpt, record
from receivables_cli.domain.errors import UsageError


@command("call")
def call(case: CaseArg,
         outcome: Annotated[Optional[str], Argument(
             metavar="OUTCOME",
             help="reached, no_answer, voicemail, denied, promised, disputed, hardship or refused. "
                  "Leave it out to be asked.", show_default=False)] = None,
         note: NoteOpt = None,
         with_: Annotated[Optional[str], Option(
             "--with", help="contact (default), assistant, manager, or a name.")] = None,
         promise_amount: Annotated[Optional[str], Option(
             "--promise-amount", help="With 'promised': the amount (default: all that is open).")] = None,
         promise_by: Annotated[Optional[str], Option(
             "--promise-by", metavar="YYYY-MM-DD", help="With 'promised': the day it will be paid.")] = None,
         force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
         ledger: LedgerOpt = None) -> None:
    """Record a phone call or an attempt.

    Examples:

    \b
      dun call acme-2026-017 no_answer
      dun call acme-2026-017 promised --promise-amount 500 --promise-by 2026-12-01 --note "pays half now"
      dun call acme-2026-017 reached --with assistant --note "he is back on Monday"
    """
    from receivables_cli.domain.guards import check_promise
    from receivables_cli.domain.model import Payable
    from receivables_cli.usecases.record import entry

    if outcome is None:
        from receivables_cli.cli.interactive import interactive_call

        interactive_call(case, on=on, commit=commit, ledger=ledger, at=at, note=note, with_=with_)
        return
    parse_choice(outcome, "OUTCOMES", "outcome")
    by, amount = _promise_options(outcome, promise_amount, promise_by, on, force)
    when = moment(at, on, with_time=True)

    def build(state):
        promise = Payable(amount or state.open, by) if by else None
        if promise and promise.amount <= 0:
            from receivables_cli.domain.errors import DunError

            raise DunError("nothing is open on this case; a promise needs --promise-amount")
        if promise:
            check_promise(promise.amount, promise.by, state.open, when.date() if hasattr(when, "date") else when)
        return entry("call", when, outcome=outcome, **{"with": with_}, promise=promise, note=note)

    record(ledger, case, on, commit, build)


@command("meeting")
def meeting(case: CaseArg,
            outcome: Annotated[str, Argument(
                metavar="OUTCOME", help="reached, promised, disputed, hardship or refused.", show_default=False)],
            note: NoteOpt = None,
            promise_amount: Annotated[Optional[str], Option(
                "--promise-amount", help="With 'promised': the amount (default: all that is open).")] = None,
            promise_by: Annotated[Optional[str], Option(
                "--promise-by", metavar="YYYY-MM-DD", help="With 'promised': the day it will be paid.")] = None,
            force: ForceOpt = False, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
            ledger: LedgerOpt = None) -> None:
    """Record a personal meeting with the customer (the playbook asks for one on large claims).

    Example:

    \b
      dun meeting acme-2026-017 promised --promise-amount 3000 --promise-by 2026-12-15 --note "visited them"
    """
    from receivables_cli.domain.guards import check_promise
    from receivables_cli.domain.model import Payable
    from receivables_cli.usecases.record import entry

    parse_choice(outcome, "MEETING_OUTCOMES", "outcome")
    by, amount = _promise_options(outcome, promise_amount, promise_by, on, force)
    when = moment(at, on, with_time=True)

    def build(state):
        promise = Payable(amount or state.open, by) if by else None
        if promise:
            check_promise(promise.amount, promise.by, state.open, when.date() if hasattr(when, "date") else when)
        return entry("meeting", when, outcome=outcome, promise=promise, note=note)

    record(ledger, case, on, commit, build)


def _promise_options(outcome: str, amount: str | None, by: str | None, on: str | None, force: bool):
    """(by, amount) of a promise given on the command line, checked against the outcome and today."""
    from receivables_cli.cli.common import check_ahead

    if outcome == "promised" and not by:
        raise UsageError("a promise needs a date: add --promise-by YYYY-MM-DD (and --promise-amount)")
    if outcome != "promised" and (by or amount):
        raise UsageError("--promise-amount and --promise-by go only with the outcome 'promised'")
    day = parse_day(by, "--promise-by", on)
    check_ahead(day, "--promise-by", on, force)
    return day, parse_money(amount, "--promise-amount") if amount else None


@command("signed")
def signed(case: CaseArg, note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
           ledger: LedgerOpt = None) -> None:
    """Record that the countersigned instalment agreement came back.

    Example:

    \b
      dun signed kiosk-2026-012 --note "came back by post"
    """
    from receivables_cli.usecases.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, entry("signed", when, note=note))


@command("sent")
def sent(case: CaseArg,
         template: Annotated[str, Argument(metavar="TEMPLATE", help="The letter's name, e.g. dunning.",
                                                 show_default=False)],
         to: Annotated[Optional[str], Option("--to", help="contact, assistant or manager.")] = None,
         note: NoteOpt = None, force: Annotated[bool, Option(
             "--force", help="Record it although the same letter is recorded on that day already.")] = False,
         at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record that a letter went out (after the mail command succeeded).

    The same letter twice on one day is refused (it was recorded already, by 'dun outbox
    --send' or 'dun work'), unless --force.

    Example:

    \b
      dun letter acme-2026-017 dunning --format eml | msmtp -t && dun sent acme-2026-017 dunning
    """
    from receivables_cli.cli.common import open_ledger
    from receivables_cli.money.statement import dunning_fee
    from receivables_cli.usecases.agenda import law_of
    from receivables_cli.usecases.record import entry

    _known_letter(template)
    when = moment(at, on)
    law = law_of(open_ledger(ledger))

    def build(state):
        letter = entry("letter", when, template=template, to=to, note=note)
        day = when.date() if hasattr(when, "date") else when
        if not force:
            _refuse_second_letter(state.case, template, day)
        fee = dunning_fee(state, law, template, day)
        return [letter, entry("fee", when, amount=fee, reason=f"{template} letter, postage and material")] \
            if fee else letter

    record(ledger, case, on, commit, build)


def _refuse_second_letter(case, template: str, day) -> None:
    """A letter recorded twice on one day is almost always one letter recorded twice."""
    from receivables_cli.domain.errors import DunError

    if any(e.event == "letter" and e.template == template and e.day == day for e in case.history):
        raise DunError(f"{case.id}: a {template} letter is recorded on {day} already; nothing was written "
                       "(add --force to record a second one)")


def _known_letter(name: str) -> None:
    """An unknown letter is 1, as in `dun letter`: the name is looked up, not a fixed choice of syntax."""
    from receivables_cli.domain.errors import DunError, did_you_mean
    from receivables_cli.domain.model import TEMPLATES

    if name not in TEMPLATES:
        raise DunError(f"no letter '{name}'{did_you_mean(name, TEMPLATES)}")


@command("dispute")
def dispute(case: CaseArg,
            note: Annotated[str, Option("--note", help="What the customer contests.", show_default=False)],
            at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record that the customer contests the claim; the ladder pauses until 'dun resolve'.

    Example:

    \b
      dun dispute acme-2026-017 --note "says the contact form never worked"
    """
    from receivables_cli.usecases.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, entry("dispute", when, note=note))


@command("resolve")
def resolve(case: CaseArg, note: NoteOpt = None, terms: TermsOpt = None, at: AtOpt = None,
            on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Record that a dispute is settled; the ladder resumes.

    Example:

    \b
      dun resolve acme-2026-017 --note "form fixed" --terms "Das Kontaktformular ist repariert."
    """
    from receivables_cli.usecases.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, entry("resolved", when, note=note, terms=terms))
    if not terms:
        print(f"no letter confirms it yet: to have the dispute-resolution letter on the agenda, record what was "
              f"agreed in words the customer may read: dun resolve {case} --terms \"...\" (or dun credit ... "
              "--terms)")


@command("hold")
def hold(case: CaseArg,
         until: Annotated[str, Option("--until", metavar="YYYY-MM-DD", help="Pause until this day.",
                                            show_default=False)],
         reason: ReasonOpt, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
         ledger: LedgerOpt = None) -> None:
    """Pause all dunning of a case until a day.

    Example:

    \b
      dun hold acme-2026-017 --until 2027-01-10 --reason "owner in hospital, call after"
    """
    from receivables_cli.cli.common import today
    from receivables_cli.domain.guards import check_hold_ends_ahead
    from receivables_cli.usecases.record import entry

    day, when = parse_day(until, "--until"), moment(at, on)
    check_hold_ends_ahead(day, today(on))
    record(ledger, case, on, commit, entry("hold", when, until=day, reason=reason))


@command("write-off")
def write_off(case: CaseArg, reason: ReasonOpt, at: AtOpt = None, on: OnOpt = None,
              commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Give up the claim.

    Example:

    \b
      dun write-off acme-2026-017 --reason "company dissolved, no assets"
    """
    from receivables_cli.usecases.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, entry("written_off", when, reason=reason))


@command("note")
def note_(case: CaseArg, text: Annotated[str, Argument(metavar="TEXT", help="The note.", show_default=False)],
          at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Keep anything else worth knowing in the history.

    Example:

    \b
      dun note acme-2026-017 "new accounts clerk: Mr Weber, ext. 23"
    """
    from receivables_cli.usecases.record import entry

    when = moment(at, on)
    record(ledger, case, on, commit, entry("note", when, text=text))
