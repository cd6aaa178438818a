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
    from receivables_cli.domain.errors import DunError
    from receivables_cli.store.ledger import find_ledger

    try:
        ledger = find_ledger(str(ctx.params["ledger"]) if ctx.params.get("ledger") else None)
        return [c for c in ledger.case_ids() if c.startswith(incomplete)]
    except (DunError, OSError):
        return []  # no ledger here: nothing to offer, and never an error in the shell


def template_names(ctx, param, incomplete: str) -> list:
    """The built-in letters and the ledger's own (letters/<lang>/<name>.md) that start so."""
    from receivables_cli.domain.model import TEMPLATES
    from receivables_cli.store.ledger import find_ledger

    names = set(TEMPLATES)
    try:
        ledger = find_ledger(str(ctx.params["ledger"]) if ctx.params.get("ledger") else None)
        names.update(p.stem for p in (ledger.root / "letters").glob("*/*.md"))
    except Exception:  # noqa: BLE001 - never an error in the shell
        pass
    return sorted(n for n in names if n.startswith(incomplete))


def _fixed(values):
    def complete(ctx, param, incomplete: str) -> list:
        return [v for v in values if v.startswith(incomplete)]
    return complete


def _choices(command_name: str, param) -> object | None:
    """The completion of a named argument or option whose values are a fixed list."""
    from receivables_cli.domain import model
    from receivables_cli.output.correspondence import FORMATS

    name = param.name
    if name == "case" and param.param_type_name == "argument":
        return case_ids
    if name == "template":
        return template_names
    if name == "outcome":
        return _fixed(model.MEETING_OUTCOMES if command_name == "meeting" else model.OUTCOMES)
    if name == "format" and command_name in ("letter", "sent"):
        return _fixed(FORMATS)
    if name == "route":
        return _fixed(model.ROUTES)
    if name in ("lang", "language"):
        return _fixed(model.LANGUAGES)
    if name == "kind":
        return _fixed(model.KINDS)
    return None


def offer_case_ids(command) -> None:
    """Complete CASE arguments with case ids, TEMPLATE with the letters, and outcomes, --format,
    --route, --lang and --kind with their values."""
    for param in getattr(command, "params", ()):
        found = _choices(getattr(command, "name", "") or "", param)
        if found is not None:
            param._custom_shell_complete = found  # click's hook; typer's own `autocompletion` sets it too
