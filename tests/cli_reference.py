"""The command reference in docs/commands.md and the man page dun.1, both made from `dun COMMAND --help`.

Run `python -m tests.cli_reference` to rewrite them; tests/test_readme.py fails when either is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from receivables_cli.cli import app
from receivables_cli.cli.commands import ORDER

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS_PAGE = DOCS / "commands.md"
MAN_PAGE = ROOT / "dun.1"
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


def updated(page: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{reference()}{END}", page)


def man_page() -> str:
    from tests.man_page import roff

    return roff(help_text(), [(name, help_text(*name.split())) for name in commands()],
                (DOCS / "index.md").read_text(encoding="utf-8"), COMMANDS_PAGE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    COMMANDS_PAGE.write_text(updated(COMMANDS_PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    MAN_PAGE.write_text(man_page(), encoding="utf-8")
    print(f"rewrote the command reference in {COMMANDS_PAGE} and the man page {MAN_PAGE}")
