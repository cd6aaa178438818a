"""The `dun` command line: options in, one library call, output out."""

from __future__ import annotations

import sys
from typing import Annotated

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
    setup,
    work,
    write,
)
from receivables_cli.cli.common import _global, app


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
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Get unpaid invoices paid without burning the customer relationship."""
    _global["commit"] = commit
    from receivables_cli import cache

    cache.switched_off = no_cache


def main() -> None:
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, not at interpreter exit, so a closed pipe is handled below
    except BrokenPipeError:
        from receivables_cli.cli.common import _quiet_stdout

        _quiet_stdout()  # `dun today | head`: the reader has all it wanted
        sys.exit(141)
    except KeyboardInterrupt:
        print("dun: interrupted; nothing more was written", file=sys.stderr)
        sys.exit(130)
