"""The README's command reference, made from `dun COMMAND --help`.

Run `python -m tests.cli_reference` to rewrite it; tests/test_readme.py fails when it is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from receivables_cli.cli import app
from receivables_cli.cli.common import ORDER

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100", "TERMINAL_WIDTH": "100"})
    return result.stdout.rstrip() + "\n"


def commands() -> list[str]:
    """Every command in --help order; a sub-command as 'group command' (e.g. 'import bank')."""
    registered = {c.name for c in app.registered_commands}
    groups = {g.name: g.typer_instance for g in app.registered_groups}
    names = []
    for name in ORDER:
        if name in registered:
            names.append(name)
        elif name in groups:
            names.extend(f"{name} {c.name}" for c in groups[name].registered_commands)
    return names


def reference() -> str:
    parts = ["```text\n$ dun --help\n" + help_text() + "```\n"]
    for name in commands():
        parts.append(f"### dun {name}\n\n```text\n" + help_text(*name.split()) + "```\n")
    return "\n".join(parts)


def updated(readme: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{reference()}{END}", readme)


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the command reference in {README}")
