"""The interactive `dun call`: show the brief, ask what happened, record it, say what comes next."""

from __future__ import annotations

from datetime import timedelta

import typer

from receivables_cli.cli.common import Exit, open_ledger, parse_day, parse_money, today
from receivables_cli.domain.errors import DunError, UsageError

OUTCOMES = ("reached", "promised", "hardship", "disputed", "refused", "no_answer", "voicemail", "denied")


def interactive_call(case: str, *, on, commit, ledger, at=None, note=None, with_=None, brief=True,
                     walking=False) -> None:
    """Ask, then append; Ctrl-C or the end of input writes nothing.

    --at, --note and --with given on the command line are used as they are, not asked.
    `walking` (dun work): Ctrl-C is passed on as typer.Abort to stop the whole walk.
    """
    from receivables_cli.cli.common import moment
    from receivables_cli.cli.portfolio import brief_text
    from receivables_cli.output.term import page

    book = open_ledger(ledger)
    day = today(on)
    when = moment(at, on, with_time=True)
    customer = book.load(case).customer
    if brief:
        page(brief_text(book, case, day))
        print()
    try:
        answers = _ask(book, case, customer, day, note, with_)
    except (typer.Abort, EOFError, KeyboardInterrupt):
        print("\nnothing was written for this call", flush=True)
        if walking:
            raise typer.Abort() from None
        raise Exit(1) from None
    _record(answers, case, on, commit, ledger, when)
    _next_steps(book, case, day, on, hints=not walking)


def _people(customer) -> list[tuple[str, str]]:
    people = [("contact", f"{customer.contact or customer.name} (contact)")]
    return people + [(role, f"{getattr(customer, role).name} ({role})") for role in ("assistant", "manager")
                     if getattr(customer, role)]


def _default_person(book, case: str, day, people) -> int:
    """The person the due call names: call_assistant -> the assistant, call_manager -> the manager."""
    from receivables_cli.usecases.agenda import actions_of, state_of

    state = state_of(book, book.load(case), day)
    roles = [role for role, _ in people]
    for action in actions_of(book, state, day):
        role = {"call_assistant": "assistant", "call_manager": "manager"}.get(action["action"])
        if role in roles:
            return roles.index(role) + 1
    return 1


def _choose(title: str, options: list[str], default: int = 1) -> int:
    for i, option in enumerate(options, 1):
        print(f"  [{i}] {option}")
    while True:
        answer = typer.prompt(title, type=int, default=default)
        if 1 <= answer <= len(options):
            return answer
        print(f"  choose a number from 1 to {len(options)}")


def _ask(book, case: str, customer, day, note=None, with_=None) -> dict:
    people = _people(customer)
    if with_:
        who = with_
    elif len(people) == 1:
        who = "contact"
    else:
        default = _default_person(book, case, day, people)
        who = people[_choose("Whom did you call", [label for _, label in people], default) - 1][0]
    outcome = OUTCOMES[_choose("What happened", list(OUTCOMES)) - 1]
    if note is None:
        note = typer.prompt("Note (Enter for none)", default="", show_default=False)
    answers = {"who": who, "outcome": outcome, "note": note}
    state_open = _open(book, case, day)
    if outcome == "promised":
        answers["amount"] = _money(typer.prompt("Amount promised", default=f"{state_open:.2f}"))
        answers["by"] = _day(typer.prompt("Paid by (YYYY-MM-DD)", default=str(day + timedelta(days=7))), day)
    elif outcome == "hardship":
        choice = _choose("What did you agree", ["nothing yet: ask for a down payment in writing",
                                                "a down payment (recorded as a promise)", "instalments"])
        if choice == 2:
            answers["down_amount"] = _money(typer.prompt("Down payment"))
            answers["down_by"] = _day(typer.prompt("By (YYYY-MM-DD)", default=str(day + timedelta(days=7))), day)
        elif choice == 3:
            answers["installments"] = typer.prompt("How many instalments", type=int, default=3)
            answers["down_payment"] = typer.prompt("Down payment (Enter for none)", default="", show_default=False)
    return answers


def _open(book, case: str, day):
    from receivables_cli.usecases.agenda import state_of

    return state_of(book, book.load(case), day).open


def _money(text: str):
    """Ask again until the text is an amount."""
    return _retry(text, lambda t: parse_money(t.strip(), "amount"), "Amount")


def _day(text: str, not_before=None):
    """Ask again until the text is a date (as people type it), and not before `not_before`."""
    def parsed(t: str):
        found = parse_day(t.strip(), "date")
        if not_before and found < not_before:
            raise UsageError(f"{found} is in the past (today is {not_before}); give the day it will be paid")
        return found

    return _retry(text, parsed, "Date (YYYY-MM-DD)")


def _retry(text: str, parse, label: str):
    while True:
        try:
            return parse(text)
        except UsageError as e:
            print(f"  {e}")
            text = typer.prompt(label)


def _record(answers: dict, case: str, on, commit, ledger, when) -> None:
    from receivables_cli.cli.write import record
    from receivables_cli.domain.amounts import cents
    from receivables_cli.domain.model import Payable
    from receivables_cli.usecases.agenda import calendar_of
    from receivables_cli.usecases.record import entry, installment_plan

    day = when.date() if hasattr(when, "date") else when
    with_ = None if answers["who"] == "contact" else answers["who"]

    def build(state):
        promise = Payable(answers["amount"], answers["by"]) if answers["outcome"] == "promised" else None
        made = [entry("call", when, outcome=answers["outcome"], **{"with": with_}, promise=promise,
                      note=answers["note"] or None)]
        if "down_amount" in answers:
            made.append(entry("promise", when, amount=answers["down_amount"], by=answers["down_by"],
                              note="down payment"))
        if "installments" in answers:
            down = _money(answers["down_payment"]) if answers["down_payment"].strip() else None
            rest = cents(state.open - (down or 0))
            calendar = calendar_of(open_ledger(ledger))  # the dates picked here fall on a working day
            plan = installment_plan(rest, answers["installments"],
                                    calendar.next_working_day(day + timedelta(days=30)), "1m")
            down_by = calendar.next_working_day(day + timedelta(days=7))
            made.append(entry("agreement", when, installments=plan,
                              down_payment=Payable(down, down_by) if down else None))
        return made

    try:
        record(ledger, case, on, commit, build)
    except DunError:
        raise
    except ValueError as e:
        raise UsageError(str(e)) from None


def _next_steps(book, case: str, day, on, hints: bool = True) -> None:
    from receivables_cli.usecases.agenda import actions_of, state_of

    state = state_of(book, book.load(case), day)
    upcoming = actions_of(book, state, day, ahead=90)
    print()
    if upcoming:
        first = upcoming[0]
        print(f"next: {first['action']} on {first['scheduled']}: {first['reason']}")
    else:
        print("next: nothing planned; the case is " + state.status)
    mailer = book.config.mail_command or "msmtp -t"
    for item in upcoming if hints else ():  # dun work offers the letter itself
        if item["channel"] == "letter" and item["scheduled"] <= str(day):
            t, pinned = item["template"], f" --on {on}" if on else ""
            print(f"send it: dun letter {case} {t}{pinned} --format eml | {mailer} && dun sent {case} {t}{pinned}"
                  f"  (or: dun outbox --send{pinned})")
            if not book.config.mail_command:
                print("  (msmtp -t is an example: set your mail command in dun.yaml as 'mail: {command: ...}')")
