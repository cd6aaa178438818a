"""Shell completion for bash, zsh and fish: commands, options, and the case ids of the ledger.

Typer's completion classes are registered only when its own --install-completion option is
on, which would put shell detection (shellingham) into every start; dun registers them
itself, when a shell asks (`_DUN_COMPLETE` set) or the user asks for the script.
"""

from __future__ import annotations

import os

SHELLS = ("bash", "zsh", "fish")
PROG = "dun"
COMPLETE_VAR = "_DUN_COMPLETE"


def asked() -> bool:
    """A shell is asking for completions (or for the script)."""
    return bool(os.environ.get(COMPLETE_VAR))


def register() -> None:
    """Teach click's completion machinery typer's bash, zsh and fish protocols."""
    from typer.completion import completion_init

    completion_init()


def script(shell: str) -> str:
    """The completion script for a shell, to source from its start-up file."""
    from typer.completion import get_completion_script

    register()
    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def install(shell: str) -> str:
    """Write the script where the shell finds it (typer's places); say where."""
    from typer.completion import install as typer_install

    register()
    _shell, path = typer_install(shell=shell, prog_name=PROG, complete_var=COMPLETE_VAR)
    return str(path)


def case_ids(ctx, param, incomplete: str) -> list:
    """The case ids of the ledger (--ledger, $DUN_LEDGER or the folders up) that start so."""
    from receivables_cli.errors import DunError
    from receivables_cli.store.ledger import find_ledger

    try:
        ledger = find_ledger(str(ctx.params["ledger"]) if ctx.params.get("ledger") else None)
        return [c for c in ledger.case_ids() if c.startswith(incomplete)]
    except (DunError, OSError):
        return []  # no ledger here: nothing to offer, and never an error in the shell


def offer_case_ids(command) -> None:
    """Complete every CASE argument of the command with case ids."""
    for param in getattr(command, "params", ()):
        if param.name == "case" and param.param_type_name == "argument":
            param._custom_shell_complete = case_ids  # click's hook; typer's own `autocompletion` sets it too
