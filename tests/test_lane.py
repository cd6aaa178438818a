"""The fast lane reads a read command's command line exactly as typer does, or leaves it to typer."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables_cli.cli import app, commands, lane

ROOT = Path(__file__).resolve().parent.parent
GROUP = typer.main.get_command(app)

# what a user types, well and badly: options of every lane command, values, and what typer must judge
WORDS = ["--json", "--csv", "--ics", "--all", "--html", "--fix", "--ahead", "--on", "--ledger", "--format", "--output",
         "-o", "--to", "--lang", "--reply-to", "--no-cache", "--no-pager", "--commit", "-h", "--help", "--",
         "-", "--json=1", "--ahead=3", "--on=2026-11-24", "--ahead=-1", "--aheadx", "-ojunk.md", "--version",
         "acme-2026-017", "acme", "dunning", "reminder", "2026-11-24", "24.11.2026", "3", "0", "-2", "+4", "x7",
         "pdf", "md", "out.md", "", " ", "ümlaut", "manager", "de"]


def typer_reading(argv: list[str]):
    """(command name, what typer passes to its function, dun's own options), the function not run."""
    ctx = GROUP.make_context("dun", list(argv), resilient_parsing=False)
    name, *rest = ctx._protected_args + ctx.args
    command = GROUP.get_command(ctx, name)
    passed = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(commands, "call", lambda name, fn, kw: passed.update(kw) or 0)
        command.invoke(command.make_context(name, rest, parent=ctx))
    return name, passed, {k: ctx.params[k] for k in lane.GLOBAL_FLAGS.values()}


def lane_reading(argv: list[str]):
    found = lane.parse(argv)
    if found is None:
        return None
    name, _fn, kw, flags = found
    return name, kw, flags


@pytest.mark.parametrize("name", sorted(lane.LANE))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_lane_reads_what_typer_reads_or_leaves_it(name, data):
    head = data.draw(st.lists(st.sampled_from(["--no-cache", "--no-pager", "--commit"]), max_size=2))
    own = [*lane._spec(lane.declared(name))[0], "acme-2026-017", "2026-11-24", "3", "out.md"]  # mostly valid
    tail = data.draw(st.lists(st.one_of(st.sampled_from(own), st.sampled_from(WORDS)), max_size=6))
    argv = [*head, name, *tail]
    read = lane_reading(argv)
    if read is None:
        return  # left to typer: its own messages
    assert read == typer_reading(argv), argv


VALUES = {"int": ["0", "7", "30"], "str": ["2026-11-24", "en", "manager", "pdf", "ümlaut x"],
          "path": ["out.md", "dir/x.pdf", "ledger two"]}


@pytest.mark.parametrize("name", sorted(lane.LANE))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_well_formed_command_line_takes_the_lane_and_means_what_it_means_to_typer(name, data):
    options, arguments, _ = lane._spec(lane.declared(name))
    words = [[a] for a in data.draw(st.lists(st.sampled_from(["acme-2026-017", "acme", "dunning"]),
                                             min_size=sum(a.required for a in arguments), max_size=len(arguments)))]
    for option in data.draw(st.lists(st.sampled_from(sorted(options)), unique_by=lambda o: options[o][0].name)):
        param = options[option][0]
        if param.kind == "flag":
            words.append([option])
        else:
            value = data.draw(st.sampled_from(VALUES[param.kind]))
            glued = option.startswith("--") and data.draw(st.booleans())
            words.append([f"{option}={value}"] if glued else [option, value])
    order = data.draw(st.permutations(range(len(words))))  # options may come between the arguments
    positions = iter(i for i, w in enumerate(words) if not w[0].startswith("-"))  # the arguments keep their order
    order = [next(positions) if not words[i][0].startswith("-") else i for i in order]
    argv = [name, *[w for i in order for w in words[i]]]
    read = lane_reading(argv)
    assert read is not None, argv
    assert read == typer_reading(argv), argv


@pytest.mark.parametrize("line", [
    "today", "today --json", "--no-cache today --on 2026-11-24 --ahead 7", "today --ics --ledger demo",
    "list --all --csv", "show acme-2026-017 --json", "why acme --on=2026-11-03", "report --html -o r.html",
    "statement acme-2026-017 --json", "brief acme", "check", "check --fix --json", "letter acme dunning -o out.md",
    "letter acme-2026-017 --format pdf --output a.pdf --lang en", "--no-pager --no-cache show acme",
])
def test_the_lines_typed_every_morning_take_the_lane(line):
    argv = line.split()
    read = lane_reading(argv)
    assert read is not None, line
    assert read == typer_reading(argv)


@pytest.mark.parametrize("line", [
    "today --help", "today -h", "show", "show a b", "today --ahead -1", "today --ahead x", "today --json --json",
    "today --json=yes", "letter acme -ojunk.md", "today -- --json", "today --no-cache", "pay acme 10",
    "--version", "--bogus today", "today --on", "show ''", "check --fix=1",
    "today --ahead " + "0" * 5000, "today --ahead 3651",
])
def test_what_the_lane_leaves_to_typer(line):
    assert lane.parse([w.strip("'") for w in line.split()]) is None, line


def test_each_lane_command_is_the_one_typer_runs():
    for name, module in lane.LANE.items():
        fn = lane.declared(name)
        assert fn is not None and fn.__module__ == f"receivables_cli.cli.{module}"
        assert inspect.unwrap(GROUP.commands[name].callback) is fn


def _imports(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"DUN_TODAY": "2026-12-05"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "receivables_cli", *args,
                           "--ledger", str(ROOT)], capture_output=True, text=True, env=env, cwd=ROOT)
    return done.stderr


def test_a_read_command_runs_without_importing_typer():
    assert " typer" not in _imports("today")
    assert " typer" not in _imports("show", "acme-2026-017", "--json")
    assert " typer" in _imports("today", "--help")  # the lane left it: typer's help


def test_an_error_in_the_lane_is_the_same_message_and_code_as_in_typer(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"DUN_TODAY": "2026-12-05"}
    fast = subprocess.run([sys.executable, "-m", "receivables_cli", "show", "nosuch", "--ledger", str(ROOT)],
                          capture_output=True, text=True, env=env)
    slow = subprocess.run([sys.executable, "-c", "import sys; from receivables_cli.cli import main; "
                           "sys.argv = ['dun', *sys.argv[1:]]; main()", "show", "nosuch", "--ledger", str(ROOT)],
                          capture_output=True, text=True, env=env)
    assert fast.returncode == slow.returncode != 0
    assert fast.stderr == slow.stderr and "nosuch" in fast.stderr


def test_started_with_a_stream_closed_a_command_still_runs_and_exits_as_it_would():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"DUN_TODAY": "2026-12-05"}
    for command, code in ((["today"], 0), (["list", "--json"], 0), (["show", "acme-2026-017"], 0),
                          (["today", "--bogus"], 2), (["show", "nosuch"], 1), (["pay", "--help"], 0)):
        for closed in (1, 2):
            done = subprocess.run([sys.executable, "-m", "receivables_cli", *command, "--ledger", str(ROOT)],
                                  capture_output=True, env=env, preexec_fn=lambda fd=closed: os.close(fd))
            assert done.returncode == code, (command, closed, done.stderr, done.stdout)
    done = subprocess.run([sys.executable, "-m", "receivables_cli", "show", "nosuch", "--ledger", str(ROOT)],
                          capture_output=True, text=True, env=env, preexec_fn=lambda: os.close(2))
    assert done.stdout == ""  # the message is dropped with the closed stream, never printed on stdout instead


def test_a_look_ahead_beyond_any_date_is_a_usage_error_not_a_traceback():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"DUN_TODAY": "2026-12-05"}
    for ahead in ("99999999", "3651", "9" * 30):
        done = subprocess.run([sys.executable, "-m", "receivables_cli", "today", "--ahead", ahead, "--ledger",
                               str(ROOT)], capture_output=True, text=True, env=env)
        assert done.returncode == 2 and "Traceback" not in done.stderr, ahead
    assert "0<=x<=3650" in done.stderr
