"""The README documents every command, and its reference is what --help says today."""

from __future__ import annotations

from tests.cli_reference import README, commands, updated


def test_every_command_has_an_example_in_its_help():
    from tests.cli_reference import help_text

    for name in commands():
        text = help_text(*name.split())
        assert "Example" in text and f"dun {name}" in text.split("Example", 1)[1], name


def test_readme_reference_is_current():
    text = README.read_text(encoding="utf-8")
    assert text == updated(text), "run: python -m tests.cli_reference"


def test_readme_starts_with_the_two_set_up_commands():
    lines = README.read_text(encoding="utf-8").split("```sh\n", 1)[1].splitlines()
    assert "pip install -e ." in lines[0] and "dun today" in lines[0]
    assert "pip install -e '.[test]'" in lines[1] and "python -m pytest" in lines[1]


def test_every_command_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8").split("<!-- cli-reference:start -->")[0]
    for name in commands():
        assert f"dun {name}" in text, f"the README's prose never mentions dun {name}"
