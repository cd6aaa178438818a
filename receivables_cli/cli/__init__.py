"""The `dun` command line: options in, one library call, output out."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from receivables_cli.cli import (  # noqa: F401  (they register their commands)
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
from receivables_cli.cli.common import _global, app


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
    _global["commit"], _global["language"] = commit, None
    from receivables_cli.output import term
    from receivables_cli.store import cache

    cache.start(no_cache)
    term.switched_off_pager = no_pager


def run() -> None:
    """The `dun` command, in a process of its own: a read-only command over the whole ledger
    leaves without the interpreter's teardown (see `_leave`)."""
    main(teardown=False)


def main(teardown: bool = True) -> None:
    """Run the command line in sys.argv (and raise SystemExit, as click does)."""
    from receivables_cli.cli import completion

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
        if not teardown and asked in _NO_TEARDOWN and (done.code is None or isinstance(done.code, int)):
            _leave(done.code or 0)
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


_FLAGS = {"--commit", "--no-cache", "--no-pager"}  # the global options that take no value
# read-only commands over the whole ledger: what they leave in memory is not torn down object by object
_NO_TEARDOWN = {"today", "list"}


def _leave(code: int) -> None:
    """Exit now, without the interpreter's teardown (freeing every record of a big ledger one
    by one takes a tenth of a warm `dun today`): the output is flushed and the exit handlers
    run first, and these commands hold no open file."""
    import atexit
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def _only_the_command_asked_for(args: list[str]) -> str | None:
    """Typer turns every registered command into a click command on each run, reading each
    function's signature (~40 ms for all of them): when the command line names one, only it is
    built. Anything else (--help, no command, a typo to suggest for) keeps them all. Returns the
    command's name."""
    words = [a for a in args if a not in _FLAGS]
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
