"""The typer app: every command of cli/common.COMMANDS with its options, help and messages."""

from __future__ import annotations

import functools
import os
import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from receivables_cli.cli import (  # noqa: F401  (they declare their commands)
    events,
    fix,
    git,
    imports,
    legal,
    letters,
    money,
    morning,
    outbox,
    portfolio,
    rates,
    read,
    replies,
    setup,
    work,
    write,
)
from receivables_cli.cli.common import COMMANDS, Option, call
from receivables_cli.cli.lane import GLOBAL_FLAGS, start

# --help lists the commands in the order of a working day, not alphabetically
ORDER = ("today", "work", "why", "show", "list", "brief", "call", "meeting", "letter", "sent", "outbox", "pay",
         "promise", "agree", "signed", "credit", "fee", "charge-interest", "dispute", "resolve", "hold", "legal",
         "write-off", "note", "answered", "undo", "edit", "new", "invoice", "import", "statement", "rates", "report",
         "check", "init", "git-setup", "merge-file")


class _Group(TyperGroup):
    def list_commands(self, ctx) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))

    def get_command(self, ctx, name: str):
        found = super().get_command(ctx, name)
        if os.environ.get("_DUN_COMPLETE"):
            from receivables_cli.cli.completion import offer_case_ids

            offer_case_ids(found)  # CASE arguments complete to the ledger's case ids
        return found


_SETTINGS = dict(rich_markup_mode=None, pretty_exceptions_enable=False, no_args_is_help=True, add_completion=False,
                 context_settings={"help_option_names": ["-h", "--help"]})
app = typer.Typer(
    name="dun",
    cls=_Group,
    help="Get unpaid invoices paid without burning the customer relationship.\n\n"
    "Every morning: 'dun today' says what is due; 'dun call', 'dun pay', 'dun sent' ... record "
    "what happened by appending to the case file in cases/.",
    **_SETTINGS,
)
GROUPS = {"import": typer.Typer(
    name="import", help="Read bank statements, e-invoices and customers' e-mail replies into the ledger (dry run "
    "unless --record).", **_SETTINGS)}
app.add_typer(GROUPS["import"], name="import")


class _Command:
    """A command's function as typer sees it: its options typer's, its DunErrors a message and an exit code.

    Its signature is made when typer asks for it, which it does only for the command the command
    line names (see `_only_the_command_asked_for`).
    """

    def __init__(self, name: str, fn) -> None:
        functools.update_wrapper(self, fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
        self.command, self.fn = name, fn

    def __call__(self, **kw) -> None:
        code = call(self.command, self.fn, kw)
        if code:
            raise typer.Exit(code)

    @functools.cached_property
    def __signature__(self):
        import inspect

        signature = inspect.signature(self.fn, eval_str=True)
        return signature.replace(parameters=[p.replace(annotation=_typer_annotation(p.annotation))
                                             for p in signature.parameters.values()])

    @property
    def __annotations__(self) -> dict:
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}


def _typer_annotation(annotation):
    """`Annotated[T, Option(...)]` as `Annotated[T, typer.Option(...)]` (and so for Argument)."""
    from typing import get_args, get_origin

    if get_origin(annotation) is not Annotated:
        return annotation
    kind, *extras = get_args(annotation)
    made = [(typer.Argument if x.kind == "argument" else typer.Option)(*x.decls, **x.kw) if isinstance(x, Option)
            else x for x in extras]
    return Annotated[(kind, *made)]


for _name, _group, _fn in COMMANDS:
    (GROUPS[_group] if _group else app).command(_name)(_Command(_name, _fn))


def _show_completion(value: str | None) -> None:
    if value:
        from receivables_cli.cli.completion import script

        print(script(_shell(value)))
        raise typer.Exit()


def _install_completion(value: str | None) -> None:
    if value:
        from receivables_cli.cli.completion import install

        path = install(_shell(value))
        print(f"{value} completion installed in {path}; it works in shells started from now on")
        raise typer.Exit()


def _shell(value: str) -> str:
    from receivables_cli.cli.completion import SHELLS

    if value not in SHELLS:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(SHELLS)}")
    return value


def _version(value: bool) -> None:
    if value:
        from receivables_cli import __version__

        print(f"dun {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    commit: Annotated[bool, typer.Option("--commit", help="git commit every case file a command changes.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse every case file afresh (the parse cache lives in ~/.cache/dun, never in the "
        "ledger; also DUN_NO_CACHE=1).")] = False,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Print long texts (brief, show, why) straight to the terminal, without $PAGER "
        "(also DUN_PAGER=).")] = False,
    show_completion: Annotated[Optional[str], typer.Option(
        "--show-completion", metavar="SHELL", callback=_show_completion, is_eager=True, expose_value=False,
        help="Print the completion script for bash, zsh or fish.")] = None,
    install_completion: Annotated[Optional[str], typer.Option(
        "--install-completion", metavar="SHELL", callback=_install_completion, is_eager=True, expose_value=False,
        help="Install completion for bash, zsh or fish in your home folder.")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Get unpaid invoices paid without burning the customer relationship."""
    start(commit, no_cache, no_pager)


def main(teardown: bool = True) -> None:
    """Run the command line in sys.argv (and raise SystemExit, as click does)."""
    from receivables_cli.cli import completion
    from receivables_cli.cli.lane import NO_TEARDOWN, leave

    _refuse_undecodable(sys.argv[1:])
    kept = app.registered_commands, app.registered_groups
    asked = None
    if completion.asked():
        completion.register()  # a shell asks for completions: teach click the shells' protocols
    else:
        asked = _only_the_command_asked_for(sys.argv[1:])
    try:
        try:
            app(prog_name=completion.PROG)
        finally:
            app.registered_commands, app.registered_groups = kept
            sys.stdout.flush()  # here, not at interpreter exit, so a closed pipe is handled below
    except SystemExit as done:
        if not teardown and asked in NO_TEARDOWN and (done.code is None or isinstance(done.code, int)):
            leave(done.code or 0)
        raise
    except BrokenPipeError:
        from receivables_cli.cli.common import _quiet_stdout

        _quiet_stdout()  # `dun today | head`: the reader has all it wanted
        sys.exit(141)
    except KeyboardInterrupt:
        print("dun: interrupted; nothing more was written", file=sys.stderr)
        sys.exit(130)


def _refuse_undecodable(args: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no file can hold: a usage error."""
    import os

    for n, arg in enumerate(args, 1):
        raw = os.fsencode(arg)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            print(f"dun: argument {n} ({raw.decode('utf-8', 'backslashreplace')}) is not valid UTF-8 text (byte "
                  f"0x{raw[e.start]:02x} at position {e.start + 1}); nothing was done", file=sys.stderr)
            sys.exit(2)




def _only_the_command_asked_for(args: list[str]) -> str | None:
    """Typer turns every registered command into a click command on each run, reading each
    function's signature (~40 ms for all of them): when the command line names one, only it is
    built. Anything else (--help, no command, a typo to suggest for) keeps them all. Returns the
    command's name."""
    words = [a for a in args if a not in GLOBAL_FLAGS]  # the global options take no value
    name = words[0] if words and not words[0].startswith("-") else None
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands, app.registered_groups = commands, groups
    else:
        app.registered_commands = [_outline(c) for c in app.registered_commands]
    return name if commands else None


def _outline(info):
    """A command as the overview shows it (`dun --help`, no command, a typo): its name and help.

    The overview lists no command's options, so they are not built: reading every command's
    signature and annotations is most of the time `dun --help` takes.
    """
    import copy

    def outline() -> None:
        pass  # never runs: a command line that names the command gets the real one

    outline.__name__, outline.__doc__ = info.callback.__name__, info.callback.__doc__
    outline.__module__ = info.callback.__module__
    stub = copy.copy(info)
    stub.callback = outline
    return stub
