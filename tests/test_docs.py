"""The docs site builds with no warning, and every `dun ...` example in the docs does what the docs say."""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from receivables_cli.cli import app
from tests.cli_reference import DOCS, END, README, ROOT, START, commands, help_text

help_of = functools.cache(help_text)

PAGES = [*sorted(DOCS.glob("*.md")), README]
DAY = "2026-11-24"
DEMO = ("dun.yaml", "cases", "bank", "letters", "tests/data")
# Pages written at the same time as this test: in the nav already; the build does not fail while one is absent.
PAGES_IN_PROGRESS = {"layers.md"}
# An example that needs the example before it on its page: what to record first.
NEEDS_BEFORE = {
    f"dun letter acme-2026-017 --on {DAY}":
        ["call", "acme-2026-017", "promised", "--promise-amount", "600", "--promise-by", "2026-12-04"],
}
READ_ONLY = {"today", "why", "show", "list", "brief", "statement", "report", "check", "letter", "rates",
             "import bank", "import invoice", "outbox"}
WRITES_ANYWAY = {"--record", "--send", "--dir", "--fix", "import"}  # options (and `rates import`) that write
DEMO_LACKS = {"--reply-to"}  # the demo ledger holds no customer's reply to answer


def prose(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split(START)[0] + text.partition(END)[2]


def shell_examples() -> list[tuple[str, str]]:
    """(page, example) for each `dun ...` in a shell block, or after `$ ` in a text block; pipes and && split."""
    found = []
    for page in PAGES:
        for lang, body in re.findall(r"^ *```(\w*)\n(.*?)^ *```", prose(page), re.S | re.M):
            for line in body.splitlines():
                line = line.strip()
                if lang == "text" and line.startswith("$ "):
                    line = line[2:]
                elif lang not in ("sh", "bash", "shell"):
                    continue
                line = line.split(" #")[0]
                for part in re.split(r"&&|\|\||;|\|", line):
                    if part.strip().startswith("dun "):
                        found.append((page.name, part.split(" >")[0].strip()))
    return found


def inline_examples() -> list[tuple[str, str]]:
    """(page, `dun ...`) for each code span in the prose that is a command line."""
    found = []
    for page in PAGES:
        text = re.sub(r"^ *```.*?^ *```", "", prose(page), flags=re.S | re.M).replace("\n", " ")
        found += [(page.name, span) for span in re.findall(r"`(dun [^`]+)`", text) if "..." not in span]
    return found


def command_of(args: list[str]) -> str | None:
    """The command an argument list names ('import bank' for a sub-command), after global options."""
    words = [a for a in args if not a.startswith("-")]
    for name in sorted(commands(), key=len, reverse=True):
        if words[: len(name.split())] == name.split():
            return name
    return None


def runs_read_only(args: list[str]) -> bool:
    """Read-only on the demo ledger, and every file it names is there: then the example runs for real."""
    name = command_of(args)
    inputs = [a for a, before in zip(args, ["", *args[:-1]], strict=True)
              if before not in ("-o", "--output") and not a.startswith("-")]
    files = [a for a in inputs if "/" in a or re.search(r"\.\w{2,4}$", a)]
    return name in READ_ONLY and not (WRITES_ANYWAY | DEMO_LACKS) & set(args[1:]) \
        and not any(a.startswith("~") for a in args) and not any(re.fullmatch(r"[A-Z_]+(\.\.\.)?", a) for a in args) \
        and all((ROOT / f).exists() for f in files)


def demo_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    for name in DEMO:
        source, target = ROOT / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return copy


def dun(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUN_")}
    env.update(HOME=str(cwd.parent), DUN_TODAY=DAY, DUN_PAGER="", DUN_NO_CACHE="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_the_site_builds_with_no_warning(tmp_path):
    pytest.importorskip("mkdocs", reason="pip install -e '.[test]' brings mkdocs")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr, run.stderr
    assert (tmp_path / "site" / "commands" / "index.html").is_file()
    assert (tmp_path / "site" / "img" / "report.png").is_file()


def nav_pages(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node
    return [page for value in values for page in nav_pages(value)]


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    nav = nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages <= set(nav), pages - set(nav)
    assert set(nav) - pages <= PAGES_IN_PROGRESS, set(nav) - pages - PAGES_IN_PROGRESS


def test_the_docs_have_examples_to_check():
    examples = shell_examples()
    assert len(examples) > 25 and sum(runs_read_only(shlex.split(e)[1:]) for _, e in examples) > 12


@pytest.mark.parametrize(("page", "example"), shell_examples())
def test_every_shell_example_runs_or_parses(page, example, tmp_path):
    args = shlex.split(example)[1:]
    assert command_of(args) or args[0] in ("--install-completion", "--show-completion"), f"{page}: {example}"
    if not runs_read_only(args):
        result = CliRunner().invoke(app, [*args, "--help"])
        assert result.exit_code == 0, f"{page}: {example}: {result.output}"
        return
    copy = demo_copy(tmp_path)
    if example in NEEDS_BEFORE:
        assert dun(NEEDS_BEFORE[example], copy).returncode == 0
    run = dun(args, copy)
    assert run.returncode == 0, f"{page}: {example}\n{run.stderr}"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("page", "example"), inline_examples())
def test_every_option_in_the_prose_is_the_commands_own(page, example):
    args = shlex.split(example.replace("[", " ").replace("]", " ").replace("|", " "))[1:]
    name = command_of(args)
    if name is None:
        assert args and args[0].startswith("--"), f"{page}: `{example}` names no command"
        name_help = help_of()
    else:
        name_help = help_of(*name.split())
    for option in (a.split("=")[0] for a in args if a.startswith("--")):
        assert re.search(rf"(^|[\s,]){re.escape(option)}\b", name_help, re.M), f"{page}: `{example}`: {option}?"


def shown_outputs() -> list[tuple[str, str, str, bool]]:
    """(page, command, output, whole) for each text block that shows a read-only command with its output;
    a line of "..." shortens an output, and then the lines above it are its head."""
    found = []
    for page in PAGES:
        for body in re.findall(r"^```text\n(\$ dun .*?)^```", prose(page), re.S | re.M):
            first, _, output = body.partition("\n")
            cut = re.search(r"^\s*\.\.\.\s*$", output, re.M)
            head = output[: cut.start()] if cut else output
            if head.strip() and "\n$ " not in output and runs_read_only(shlex.split(first[2:])[1:]):
                found.append((page.name, first[2:], head, cut is None))
    return found


def test_the_docs_show_outputs():
    shown = {(page, command, whole) for page, command, _, whole in shown_outputs()}
    assert ("README.md", f"dun today --on {DAY}", True) in shown and ("morning.md", f"dun report --on {DAY}",
                                                                       False) in shown


def printed(command: str, tmp_path: Path, lines: int | None) -> str:
    """What a command prints on a copy of the demo ledger (after what it needs before it); its head if asked."""
    copy = demo_copy(tmp_path)
    if command in NEEDS_BEFORE:
        assert dun(NEEDS_BEFORE[command], copy).returncode == 0
    now = dun(shlex.split(command)[1:], copy).stdout
    return now if lines is None else "".join(now.splitlines(keepends=True)[:lines])


@pytest.mark.parametrize(("page", "command", "output", "whole"), shown_outputs())
def test_an_output_shown_is_what_dun_prints_on_the_demo(page, command, output, whole, tmp_path):
    now = printed(command, tmp_path, None if whole else len(output.splitlines()))
    assert now == output, f"{page}: `{command}` prints something else now: python -m tests.test_docs pastes it in"


def update_outputs() -> None:
    """Paste what dun prints now into every block that shows an output (`python -m tests.test_docs`)."""
    import tempfile

    for page_name, command, output, whole in shown_outputs():
        page = next(p for p in PAGES if p.name == page_name)
        with tempfile.TemporaryDirectory() as tmp:
            now = printed(command, Path(tmp), None if whole else len(output.splitlines()))
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f"$ {command}\n{output}", f"$ {command}\n{now}"), encoding="utf-8")


if __name__ == "__main__":
    update_outputs()
