"""The options every command shares, the commands' registry, and the one error handler.

No typer here: a command declares its options with `Option` and `Argument` below, which keep
typer's arguments until cli/commands.py builds the typer app from them. So the modules of the read
commands import without typer, and the fast lane (cli/lane.py) runs them as they are.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.domain.errors import DunError, InvalidData, UsageError


class Option:
    """`typer.Option(*decls, **kw)`, kept as data until cli/commands.py builds the typer app."""

    kind = "option"

    def __init__(self, *decls: str, **kw) -> None:
        self.decls, self.kw = decls, kw


class Argument(Option):
    """`typer.Argument(**kw)`, kept as data until cli/commands.py builds the typer app."""

    kind = "argument"


class Exit(Exception):
    """Leave the command with this exit code (what it had to say is said)."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


LedgerOpt = Annotated[Optional[Path], Option(
    "--ledger", metavar="DIR", show_default=False,
    help="The ledger folder. Default: $DUN_LEDGER, else the nearest folder up with dun.yaml or cases/.")]
OnOpt = Annotated[Optional[str], Option(
    "--on", metavar="YYYY-MM-DD", show_default=False,
    help="Act as if today were this day (default: $DUN_TODAY, else today).")]
JsonOpt = Annotated[bool, Option("--json", help="Machine-readable JSON on stdout.")]
CommitOpt = Annotated[bool, Option(
    "--commit", help="git commit the changed case file (also: 'git: {commit: true}' in dun.yaml).")]
AtOpt = Annotated[Optional[str], Option(
    "--at", metavar="WHEN", show_default=False,
    help="When it happened: YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: today).")]

_global = {"commit": False, "language": None}  # language: the ledger's, once known (how amounts are typed)


def wants_commit(commit: bool, book) -> bool:
    """Whether to git commit: --commit on the command or on `dun`, or 'git: {commit: true}' in dun.yaml."""
    return bool(commit or _global["commit"] or book.config.commit)


# every command: (name, group or None for the top level, the function); cli/commands.py registers them with typer
COMMANDS: list[tuple[str, str | None, object]] = []


def command(name: str, *, group: str | None = None):
    """A command of `dun` (or of `dun <group>`); `call` runs it, its DunErrors a message and an exit code."""

    def decorate(fn):
        COMMANDS.append((name, group, fn))
        return fn

    return decorate


def call(name: str, fn, kw: dict) -> int:
    """Run a command's function with its options; the exit code (a DunError's message on stderr)."""
    try:
        if name != "new":  # a new case's id is a new name, never a reference
            _resolve_case_arguments(kw)
        fn(**kw)
    except Exit as e:
        return e.code
    except InvalidData as e:
        for problem in e.problems:
            warn(str(problem))
        return 1
    except DunError as e:
        warn(f"dun: {e}")
        return e.exit_code
    except BrokenPipeError:
        _quiet_stdout()  # `dun today | head`: the reader has all it wanted
        return 141
    except OSError as e:
        warn(f"dun: {e.filename or 'error'}: {e.strerror}")
        return 1
    return 0


def _resolve_case_arguments(kw: dict) -> None:
    """A CASE argument given as a prefix of a case id or a word of the customer's name becomes the id."""
    given = kw.get("case")
    if not isinstance(given, str) or not given:
        return
    from receivables_cli.cli.names import resolve_case

    book = open_ledger(kw.get("ledger"), strict=False)
    kw["case"] = resolve_case(book, given)


def _quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def warn(message: str) -> None:
    """A message on stderr; on a terminal its `warning:` or `dun:` (an error) in colour."""
    from receivables_cli.output import term

    head, sep, rest = message.partition(":")
    style = {"warning": "warning", "dun": "error"}.get(head)
    if sep and style and term.colour_on(sys.stderr):
        message = term.paint(head + sep, style, True) + rest
    print(message, file=sys.stderr)


def today(on: str | None) -> date:
    """--on, else $DUN_TODAY, else the real date."""
    given = on or os.environ.get("DUN_TODAY")
    if not given:
        return date.today()
    from receivables_cli.domain.reader import parse_date

    try:
        return parse_date(given)
    except ValueError as e:
        raise UsageError(f"--on: {e}") from None


def moment(at: str | None, on: str | None, *, with_time: bool = False) -> date | datetime:
    """--at as given; else today (with the time of day for calls recorded live)."""
    from receivables_cli.cli.typed import date_text
    from receivables_cli.domain.reader import parse_moment

    if at:
        first, _, rest = at.strip().partition(" ")
        at = " ".join(x for x in (date_text(first, "--at", today(on)), rest.strip()) if x)
        try:
            value, timed = parse_moment(at)
        except ValueError as e:
            raise UsageError(f"--at: {e}") from None
        return value if timed else value.date()
    if with_time and not (on or os.environ.get("DUN_TODAY")):
        return datetime.now().replace(second=0, microsecond=0)
    return today(on)


def parse_day(text: str | None, option: str, on: str | None = None) -> date | None:
    """A date as typed: YYYY-MM-DD, 23.10.2026, 23.10. (the nearest), 23/10/2026 (see cli.typed)."""
    if text is None:
        return None
    from receivables_cli.cli.typed import date_text
    from receivables_cli.domain.reader import parse_date

    try:
        return parse_date(date_text(text, option, today(on)))
    except ValueError as e:
        raise UsageError(f"{option}: {e}") from None


def parse_money(text: str, option: str):
    """An amount as typed: 1190.50, 1190,50, 1.190,00 or 1,190.00 (see cli.typed)."""
    from receivables_cli.cli.typed import amount_text
    from receivables_cli.domain.amounts import AmountError, parse_amount

    if _global.get("language") is None:
        from receivables_cli.cli.typed import ledger_language

        _global["language"] = ledger_language() or ""
    try:
        return parse_amount(amount_text(text, option, _global["language"]))
    except AmountError as e:
        raise UsageError(f"{option}: {e}") from None


def check_ahead(day: date | None, option: str, on: str | None, force: bool) -> None:
    """A promised day or a first instalment lies ahead; a past one is most likely a typo."""
    if day is not None and day < today(on) and not force:
        raise DunError(f"{option} {day} is in the past (today is {today(on)}); nothing was written "
                         "(add --force if that is really so)")


def parse_choice(value: str, allowed: str, what: str) -> str:
    """`value` if it is one of the names in model.<allowed>, else a usage error with a hint."""
    from receivables_cli.domain import model
    from receivables_cli.domain.errors import did_you_mean

    names = getattr(model, allowed)
    if value not in names:
        raise UsageError(f"{what} '{value}' is not valid{did_you_mean(value, names)}")
    return value


def open_ledger(ledger: Path | None, *, strict: bool = True):
    """The ledger; with `strict`, a broken dun.yaml stops the command."""
    from receivables_cli.store.ledger import find_ledger

    found = find_ledger(str(ledger) if ledger else None)
    _global["language"] = found.config.language
    if strict and found.config_problems:
        raise InvalidData(found.config_problems)
    return found


def deliver(result: str | bytes, output: Path | None, said: bool = False) -> None:
    """What a command made to stdout, or to the file -o names (whole or not at all, see
    store.safewrite.write_out); `said`: tell on stderr where it went."""
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from receivables_cli.store.safewrite import write_out

    try:
        write_out(output, data)
    except OSError as e:
        raise DunError(f"{output}: {e.strerror or e}") from None
    if said:
        print(f"wrote {output}", file=sys.stderr)


def emit_json(value) -> None:
    """The value as JSON indented by two, written in one go."""
    sys.stdout.write(json_text(value) + "\n")


def json_text(value) -> str:
    """Exactly `json.dumps(value, indent=2, ensure_ascii=False)`, lists of records through the C encoder."""
    from receivables_cli.domain.jsontext import text

    return text(value)


def table(rows, headers, right: tuple[int, ...] = ()) -> str:
    """A plain text table; the columns in `right` (amounts) are right-aligned."""
    from receivables_cli.output.tables import simple

    plain = simple(headers, rows, right, padding=2)
    if plain is not None:
        return plain
    from tabulate import tabulate

    align = ["right" if i in right else "left" for i in range(len(headers))]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align)
