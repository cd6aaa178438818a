"""`dun work`: the morning agenda walked item by item, each answer recorded at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from receivables_cli.cli.common import (
    CommitOpt,
    Exit,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    open_ledger,
    parse_choice,
    today,
)
from receivables_cli.domain.errors import DunError


class _Walk:
    """What the walk needs at every item: the ledger, the day, the options, and the count of answers."""

    def __init__(self, book, on, commit, mail_command, folder):
        self.book, self.on, self.commit = book, on, commit
        self.day = today(on)
        self.mail_command = mail_command or book.config.mail_command
        self.folder = folder or book.root / "print"
        self.answers = 0


@command("work")
def work(mail_command: Annotated[Optional[str], Option(
             "--command", metavar="COMMAND", help="The mail command for letters (default: 'mail: {command: ...}' "
             "in dun.yaml).")] = None,
         folder: Annotated[Optional[Path], Option(
             "--dir", metavar="DIR", help="Where letters to print are saved (default: print/ in the ledger).",
             show_default=False)] = None,
         on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Walk today's agenda item by item and record each answer at once.

    A call asks what happened (as 'dun call' does); a letter is shown and can be sent
    through the mail command, saved to print, or skipped; a decision offers its choices
    (legal route, write-off, hold). Ctrl-C stops; everything answered so far is kept.

    Example:

    \b
      dun work --commit
    """
    if not sys.stdin.isatty():
        raise DunError("dun work asks questions and needs a terminal; in scripts use 'dun today --json' "
                       "and the recording commands ('dun call', 'dun outbox --send', ...)")
    from receivables_cli.cli.outbox import warn_if_bank_stale

    walk = _Walk(open_ledger(ledger), on, commit, mail_command, folder)
    warn_if_bank_stale(walk.book, walk.day)
    try:
        _walk(walk)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        print(f"\nstopped; {_answers(walk.answers)} recorded", flush=True)
        raise Exit(130) from None
    print(f"\ndone: {_answers(walk.answers)} recorded")


def _answers(n: int) -> str:
    return f"{n} answer" if n == 1 else f"{n} answers"


def _walk(walk: _Walk) -> None:
    """The agenda is read again after every answer: a promise just made brings its confirmation letter."""
    from receivables_cli.usecases.agenda import agenda

    seen: set[tuple[str, str]] = set()
    told = False
    while True:
        items, _problems = agenda(walk.book, walk.day)
        items, waiting = _in_window(items, walk.day)
        if waiting and not told:
            _say(_waiting_text(waiting))
            told = True
        pending = [i for i in items if (i["case"], i["action"]) not in seen]
        if not pending:
            if not seen:
                print(f"Nothing due on {walk.day}." if not waiting else f"Nothing else due on {walk.day}.")
            return
        item = pending[0]
        seen.add((item["case"], item["action"]))
        print()
        _say(f"[{len(seen)}/{len(seen) + len(pending) - 1}] {_header(item)}")
        _say(_short_brief(walk, item))
        handler = {"call": _call, "letter": _letter, "decision": _decision, "meeting": _meeting}[item["channel"]]
        try:
            if handler(walk, item):
                walk.answers += 1
        except DunError as e:
            print(f"dun: {e}", file=sys.stderr)


def _say(text: str) -> None:
    """A text for the person at the terminal, wrapped at its width between words."""
    from receivables_cli.output.term import wrap

    print(wrap(text))


def _in_window(items: list[dict], day) -> tuple[list[dict], list[dict]]:
    """(what to offer today, the calls whose window does not include today: a business is not called
    on a Monday when its window is Tue-Thu; 'dun today' still lists them)."""
    from receivables_cli.domain.calendar import parse_window

    offer, waiting = [], []
    for item in items:
        closed = item["channel"] == "call" and item["window"] and not parse_window(item["window"]).covers(day)
        (waiting if closed else offer).append(item)
    return offer, waiting


def _waiting_text(waiting: list[dict]) -> str:
    by_window: dict[str, list[str]] = {}
    for item in waiting:
        by_window.setdefault(item["window"], []).append(item["customer"])
    parts = [f"{', '.join(names)} ({window})" for window, names in by_window.items()]
    count = len(waiting)
    return (f"not offered today: {count} call{'s' if count != 1 else ''} outside the customer's call window: "
            + "; ".join(parts))


def _header(item: dict) -> str:
    what = item["action"].replace("_", " ")
    return (f"{what}: {item['customer']} ({item['case']}), {item['open']} {item['currency']} open, "
            f"{item['overdue_days']} days overdue\n    {item['reason']}")


def _short_brief(walk: _Walk, item: dict) -> str:
    """Who to reach and what happened last: a few lines, not the full brief (that is 'dun brief')."""
    case = walk.book.load(item["case"])
    customer = case.customer
    lines = [f"    contact: {customer.contact or customer.name}"
             + (f", {customer.phone}" if customer.phone else "") + (f", {customer.email}" if customer.email else "")]
    for role in ("assistant", "manager"):
        person = getattr(customer, role)
        if person:
            lines.append(f"    {role}: {person.name}" + (f", {person.phone}" if person.phone else ""))
    for e in case.history[-2:]:
        said = e.note or e.text or e.reason or e.outcome or e.template or e.number or (
            f"{e.amount:.2f}" if e.amount is not None else "")
        lines.append(f"    {e.day} {e.event}: {said}")
    return "\n".join(lines)


def _pick(question: str, choices: dict[str, str], default: str) -> str:
    """One letter from the choices, asked until it is one of them."""
    from receivables_cli.output.term import wrap

    shown = wrap(", ".join(f"({k}) {label}" for k, label in choices.items()))
    while True:
        answer = typer.prompt(f"{shown}", default=default).strip().lower()[:1]
        if answer in choices:
            return answer
        print(f"  {question}: answer one of {', '.join(choices)}")


def _call(walk: _Walk, item: dict) -> bool:
    from receivables_cli.cli.interactive import interactive_call

    if _pick("the call", {"c": "called: record it", "k": "skip", "q": "quit"}, "c") != "c":
        return _skip_or_quit("k")
    interactive_call(item["case"], on=walk.on, commit=walk.commit, ledger=walk.book.root, brief=False,
                     walking=True)
    return True


def _skip_or_quit(answer: str) -> bool:
    if answer == "q":
        raise typer.Abort()
    return False


def _letter(walk: _Walk, item: dict) -> bool:
    from receivables_cli.output.correspondence import compose
    from receivables_cli.usecases.agenda import desk_of, state_of

    state = state_of(walk.book, walk.book.load(item["case"]), walk.day)
    print()
    _say(_reflowed(compose(desk_of(walk.book), state, item["template"], walk.day, "md")))
    choices = {"s": "send by e-mail", "p": "save to print", "k": "skip", "q": "quit"}
    if why_not := _no_mail(walk, state):
        del choices["s"]
        _say(why_not)
    answer = _pick("the letter", choices, "s" if "s" in choices else "p")
    if answer == "s":
        return _send(walk, state, item)
    if answer == "p":
        return _save_to_print(walk, item)
    return _skip_or_quit(answer)


_BLOCK = ("#", "|", "- ", "* ", ">")  # Markdown lines that start a block of their own


def _reflowed(text: str) -> str:
    """The letter's paragraphs as one line each, so that they wrap at the terminal's width and not at
    the template's line ends; hard breaks (two spaces), headings, list items and tables stay."""
    lines: list[str] = []
    for line in text.split("\n"):
        prev = lines[-1] if lines else ""
        joins = (prev.strip() and line.strip() and not prev.endswith("  ") and not line.lstrip().startswith(_BLOCK)
                 and not prev.lstrip().startswith(("#", "|")))
        if joins:
            lines[-1] = f"{prev.rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _no_mail(walk: _Walk, state) -> str:
    """Why the letter cannot go by e-mail from here, and how to change that; '' when it can."""
    case = state.case
    if not case.customer.email:
        return (f"only 'save to print': {case.customer.name} has no e-mail address (add 'email:' under "
                f"'customer:' in cases/{case.id}.yaml with 'dun edit {case.id}')")
    if not walk.mail_command:
        return ("only 'save to print': no mail command is set. Set one in dun.yaml, e.g. "
                "'mail: {command: \"msmtp -t\"}', or pass 'dun work --command \"msmtp -t\"'")
    return ""


def _send(walk: _Walk, state, item: dict) -> bool:
    from receivables_cli.cli.outbox import send_one
    from receivables_cli.usecases.outbox import mail_argv, outgoing_letter

    outgoing = outgoing_letter(walk.book, state, item["template"], walk.day)
    if outgoing.error:
        raise DunError(outgoing.error)
    result = send_one(walk.book, outgoing, walk.day, mail_argv(walk.mail_command), walk.on, walk.commit)
    if result["status"] != "sent":
        print(("not sent: " if result["status"] == "failed" else "") + result["error"])
        return False
    print(f"sent and recorded: {item['template']} to {state.case.customer.email}")
    return True


def _save_to_print(walk: _Walk, item: dict) -> bool:
    from receivables_cli.usecases.outbox import write_for_print

    walk.folder.mkdir(parents=True, exist_ok=True)
    if walk.folder == walk.book.root / "print":
        from receivables_cli.cli.outbox import keep_print_out_of_git

        keep_print_out_of_git(walk.book)
    path = write_for_print(walk.book, item["case"], item["template"], walk.day, walk.folder)
    print(f"saved {path}; once it is posted: dun sent {item['case']} {item['template']}")
    return False  # nothing recorded yet: the letter is not out


def _decision(walk: _Walk, item: dict) -> bool:
    if item["action"] == "answer_reply":
        from receivables_cli.cli.replies import work_on_reply

        return work_on_reply(walk, item, _pick, _skip_or_quit)
    choices = {"l": "legal route", "w": "write off", "h": "hold until a date", "k": "skip", "q": "quit"}
    if item["action"] == "resolve_dispute":
        choices = {"r": "resolved", **choices}
    answer = _pick("the decision", choices, {"legal": "l", "write_off": "w"}.get(item.get("recommendation"), "k"))
    if answer in ("k", "q"):
        return _skip_or_quit(answer)
    return _decide(walk, item, answer)


def _decide(walk: _Walk, item: dict, answer: str) -> bool:
    from receivables_cli.cli import events
    from receivables_cli.cli.legal import legal

    shared = {"on": walk.on, "commit": walk.commit, "ledger": walk.book.root}
    case = item["case"]
    if answer == "l":
        route = typer.prompt("Route (dunning_court, lawyer, collection_agency, debt_enforcement)",
                             default=item.get("route") or "dunning_court").strip()
        parse_choice(route, "ROUTES", "route")
        legal(case, route=route, reference=_optional("Reference (Enter for none)"), **shared)
    elif answer == "w":
        events.write_off(case, typer.prompt("Reason"), **shared)
    elif answer == "h":
        events.hold(case, typer.prompt("Until (YYYY-MM-DD)"), typer.prompt("Reason"), **shared)
    else:
        events.resolve(case, note=_optional("Note (Enter for none)"), **shared)
    return True


def _optional(label: str) -> str | None:
    return typer.prompt(label, default="", show_default=False).strip() or None


def _meeting(walk: _Walk, item: dict) -> bool:
    from receivables_cli.cli import events
    from receivables_cli.domain.model import MEETING_OUTCOMES

    answer = _pick("the meeting", {"m": "met: record the outcome", "k": "skip", "q": "quit"}, "k")
    if answer != "m":
        return _skip_or_quit(answer)
    outcome = typer.prompt(f"Outcome ({', '.join(o for o in MEETING_OUTCOMES if o != 'promised')})",
                           default="reached")
    events.meeting(item["case"], outcome, note=_optional("Note (Enter for none)"), on=walk.on, commit=walk.commit,
                   ledger=walk.book.root)
    return True
