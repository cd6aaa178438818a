"""The `dun` command line: options in, one library call, output out.

The commands are declared in the modules beside this one (cli/common.py says how); cli/commands.py
builds the typer app from them, and cli/lane.py runs a read command's plain command line without it.
"""

from __future__ import annotations


def run() -> None:
    """The `dun` program: the fast lane if it can read the command line, else the typer app."""
    import sys

    from receivables_cli.cli.lane import attempt
    from receivables_cli.store import classcode

    _open_closed_streams(sys)

    classcode.keep("--no-cache" in sys.argv[1:])  # before any record class is defined
    attempt(sys.argv[1:])  # returns only when it leaves the command line to typer
    from receivables_cli.cli.commands import main

    main(teardown=False)


def _open_closed_streams(sys) -> None:
    """A standard stream the program was started without (`2>&-`) is opened on /dev/null, as git
    does: no file dun opens later takes its number (rapidyaml writes to descriptor 2), and what
    would be printed there is dropped instead of failing the command."""
    import os

    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one, as the lower are open
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
        setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115 (kept open)


def __getattr__(name: str):
    """`app` and `main` of cli/commands.py, imported when asked for (the fast lane never asks)."""
    if name in ("app", "main"):
        from receivables_cli.cli import commands

        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
