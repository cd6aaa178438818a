"""dun.1: the man page, written as roff from the --help texts and two pages of the docs.

One page for every command (as git's `git help -a` is not, but as `man rsync` is): `man ./dun.1`
then finds any command with `/`. Written here in some 80 lines rather than by click-man, which makes
one page per sub-command from an installed entry point and knows nothing of the docs' exit codes.
"""

from __future__ import annotations

import re

ENVIRONMENT = (
    ("DUN_LEDGER", "the ledger folder, when --ledger is not given"),
    ("DUN_TODAY", "the day to act as today (YYYY-MM-DD), as --on does"),
    ("DUN_PAGER", "the pager for brief, show and why (empty: none); else PAGER, else less -FRX"),
    ("DUN_NO_CACHE", "1 parses every case file afresh, as --no-cache does"),
    ("NO_COLOR", "set to anything: no colour; so does TERM=dumb"),
)


def escape(line: str) -> str:
    """A line of text as roff reads it literally."""
    line = line.replace("\\", "\\e").replace("-", "\\-")
    line = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in line)
    return "\\&" + line if line.startswith((".", "'")) else line


def plain(markdown: str) -> str:
    """Markdown prose as plain text: no backticks, links as their words, emphasis dropped."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*]", "", text)


def description(index_page: str) -> str:
    """The first paragraph after the title of docs/index.md."""
    paragraphs = [p for p in index_page.split("\n\n") if p.strip() and not p.startswith(("#", "!"))]
    return " ".join(plain(paragraphs[1]).split())


def exit_codes(commands_page: str) -> list[tuple[str, str]]:
    section = commands_page.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\d)` \| ([^|]+) \| ([^|]+) \|$", section, re.M)
    return [(code, f"{plain(meaning).strip()}: {plain(example).strip()}") for code, meaning, example in rows]


def verbatim(text: str) -> list[str]:
    return [".nf", *(escape(line) for line in text.rstrip("\n").splitlines()), ".fi"]


def roff(main_help: str, helps: list[tuple[str, str]], index_page: str, commands_page: str) -> str:
    lines = [
        '.\\" Made by python -m tests.cli_reference from dun --help and docs/; do not edit.',
        '.TH DUN 1 "" "dun" "User Commands"',
        ".SH NAME", "dun \\- " + escape(main_help.split("\n\n")[1].strip()),
        ".SH SYNOPSIS", ".B dun", "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION", escape(description(index_page)),
        ".PP", "Documentation: the docs/ folder of the source, or its site (mkdocs serve).",
        ".SH OPTIONS", *verbatim(main_help.split("Options:", 1)[1].split("Commands:", 1)[0].strip("\n")),
        ".SH COMMANDS",
    ]
    for name, text in helps:
        lines += [f".SS dun {escape(name)}", *verbatim(text)]
    lines.append(".SH EXIT STATUS")
    for code, meaning in exit_codes(commands_page):
        lines += [".TP", f".B {code}", escape(meaning)]
    lines.append(".SH ENVIRONMENT")
    for name, meaning in ENVIRONMENT:
        lines += [".TP", f".B {name}", escape(meaning)]
    lines += [".SH SEE ALSO", "git(1), less(1), msmtp(1)"]
    return "\n".join(lines) + "\n"
