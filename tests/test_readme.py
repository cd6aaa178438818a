"""The README is a short first page; the docs document every command; the reference and dun.1 are what --help says."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.cli_reference import COMMANDS_PAGE, DOCS, MAN_PAGE, README, START, commands, man_page, updated


def test_every_command_has_an_example_in_its_help():
    from tests.cli_reference import help_text

    for name in commands():
        text = help_text(*name.split())
        assert "Example" in text and f"dun {name}" in text.split("Example", 1)[1], name


def test_the_command_reference_is_current():
    text = COMMANDS_PAGE.read_text(encoding="utf-8")
    assert text == updated(text), "run: python -m tests.cli_reference"


def test_the_man_page_is_current():
    assert MAN_PAGE.read_text(encoding="utf-8") == man_page(), "run: python -m tests.cli_reference"


def test_readme_starts_with_the_two_set_up_commands():
    lines = README.read_text(encoding="utf-8").split("```sh\n", 1)[1].splitlines()
    assert "pip install -e ." in lines[0] and "dun today" in lines[0]
    assert "pip install -e '.[test]'" in lines[1] and "python -m pytest" in lines[1]


def test_readme_is_short_and_says_how_to_install_the_man_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 300
    assert "man ./dun.1" in text and "man1/dun.1" in text
    assert "## Your own ledger in five steps" in text


def test_every_link_of_the_readme_into_the_docs_is_a_page():
    links = re.findall(r"\]\((docs/[^)#]+)", README.read_text(encoding="utf-8"))
    assert len(links) > 10
    missing = [link for link in links if not (README.parent / link).is_file()]
    assert not missing, missing


def test_every_command_is_documented_in_the_docs():
    prose = "".join(page.read_text(encoding="utf-8").split(START)[0] for page in sorted(DOCS.glob("*.md")))
    missing = [name for name in commands() if f"dun {name}" not in prose]
    assert not missing, f"no page of docs/ mentions {missing} outside the reference"


def man_text() -> str:
    if shutil.which("man"):
        run = subprocess.run(["man", "-l", str(MAN_PAGE)], capture_output=True, text=True,
                             env={"MANWIDTH": "100", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        assert run.returncode == 0, run.stderr
        return run.stdout
    if shutil.which("groff"):
        run = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou", str(MAN_PAGE)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout
    pytest.skip("neither man nor groff is installed: the roff text is checked by test_the_man_page_lists_every_command")


def test_man_shows_every_command():
    text = man_text()
    for name in commands():
        assert re.search(rf"^\s+dun {name}$", text, re.M), f"man ./dun.1 has no section for dun {name}"
    assert "EXIT STATUS" in text and "DUN_LEDGER" in text


def test_the_man_page_lists_every_command():
    roff = MAN_PAGE.read_text(encoding="utf-8")
    for name in commands():
        assert f".SS dun {name.replace('-', chr(92) + '-')}\n" in roff, name
    if shutil.which("groff"):
        run = subprocess.run(["groff", "-man", "-ww", "-z", str(MAN_PAGE)], capture_output=True, text=True)
        assert run.returncode == 0 and run.stderr == "", run.stderr
