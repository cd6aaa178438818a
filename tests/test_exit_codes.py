"""One exit-code rule for every command: 0 done, 1 could not do its work, 2 usage error.

The table below has a line for every command; a new command without one fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from receivables_cli.cli import app
from tests.conftest import ACME

# name: (arguments that work, arguments naming something that is not there);
# {tmp} is a fresh folder, {ledger} the ledger, CASE the case that exists
RUNS = {
    "today": (["today"], None),
    "why": (["why", "CASE"], ...),
    "show": (["show", "CASE"], ...),
    "list": (["list"], None),
    "brief": (["brief", "CASE"], ...),
    "call": (["call", "CASE", "reached"], ...),
    "meeting": (["meeting", "CASE", "reached"], ...),
    "letter": (["letter", "CASE", "dunning"], ...),
    "sent": (["sent", "CASE", "dunning"], ...),
    "outbox": (["outbox", "--dir", "{tmp}/out"], None),
    "pay": (["pay", "CASE", "100"], ...),
    "promise": (["promise", "CASE", "100", "--by", "2026-12-01"], ...),
    "agree": (["agree", "CASE", "--installments", "2"], ...),
    "signed": (["signed", "CASE"], ...),
    "credit": (["credit", "CASE", "10", "--reason", "two pages late"], ...),
    "fee": (["fee", "CASE", "2.50", "--reason", "registered letter"], ...),
    "charge-interest": (["charge-interest", "CASE"], ...),
    "dispute": (["dispute", "CASE", "--note", "hours"], ...),
    "resolve": (["resolve", "CASE"], ...),
    "hold": (["hold", "CASE", "--until", "2027-01-10", "--reason", "owner ill"], ...),
    "legal": (["legal", "CASE", "--route", "dunning_court"], ...),
    "write-off": (["write-off", "CASE", "--reason", "dissolved"], ...),
    "note": (["note", "CASE", "new clerk"], ...),
    "answered": (["answered", "CASE"], ...),
    "new": (["new", "beta", "--customer", "Beta", "--invoice", "R-1", "--amount", "100", "--date", "2026-11-01"],
            ["new", "CASE", "--customer", "Beta", "--invoice", "R-1", "--amount", "100"]),  # exists already
    "invoice": (["invoice", "CASE", "--number", "R-9", "--amount", "50", "--date", "2026-11-01"], ...),
    "statement": (["statement", "CASE"], ...),
    "report": (["report"], None),
    "check": (["check"], None),
    "init": (["init", "{tmp}/fresh"], ["init", "{ledger}"]),  # a ledger there already
    "rates": (["rates"], ["rates", "import", "{tmp}/no-such-file.csv"]),
    "import": (["import", "invoice", "{data}/import/xrechnung-ubl.xml"], ["import", "bank", "{tmp}/no-such.sta"]),
    "undo": (["undo", "CASE"], ...),
    "edit": (["edit", "CASE"], ...),
    "work": (["work"], "no terminal"),  # the walk itself runs in a real pty in tests/test_work.py
    "git-setup": (["git-setup"], ["git-setup", "--ledger", "{tmp}"]),  # {tmp} is in no git repository
    "merge-file": (["merge-file", "{tmp}/o.yaml", "{tmp}/a.yaml", "{tmp}/b.yaml"],
                   ["merge-file", "{tmp}/o.yaml", "{tmp}/a.yaml", "{tmp}/no-such.yaml"]),
}


def _prepare(name: str, ledger, tmp_path: Path) -> None:
    """What a command needs beyond a ledger with one case: a git clone, the three sides of a merge."""
    if name == "git-setup":
        subprocess.run(["git", "init", "-q", str(ledger.root)], check=True)
    if name == "answered":  # a reply to answer
        with open(ledger.root / "cases" / "acme.yaml", "a", encoding="utf-8") as f:
            f.write("  - at: 2026-11-20\n    event: reply\n    from: erika@acme.example\n"
                    "    message_id: r1@acme.example\n")
    if name == "undo":
        ledger.run("note", "acme", "called the office")  # something dun appended, to take back
    if name == "merge-file":
        for side in "oab":
            (tmp_path / f"{side}.yaml").write_text(ACME.lstrip(), encoding="utf-8")
DATA = Path(__file__).parent / "data"


def command_names() -> list[str]:
    return sorted(typer.main.get_command(app).commands)


def _args(template: list[str], ledger, tmp_path, case: str = "acme") -> list[str]:
    return [a.replace("{tmp}", str(tmp_path)).replace("{ledger}", str(ledger.root)).replace("{data}", str(DATA))
            if a != "CASE" else case for a in template]


@pytest.mark.parametrize("name", command_names())
def test_every_command_follows_the_rule(name, ledger, tmp_path, monkeypatch):
    assert name in RUNS, f"add '{name}' to RUNS in tests/test_exit_codes.py"
    works, missing = RUNS[name]
    ledger.case("acme", ACME)
    monkeypatch.setenv("EDITOR", "true")  # dun edit: saved unchanged
    monkeypatch.delenv("VISUAL", raising=False)
    _prepare(name, ledger, tmp_path)
    if missing == "no terminal":  # an interactive command without a terminal could not do its work
        assert ledger.run(name, "--no-such-option").exit_code == 2
        result = ledger.run(*works)
        assert result.exit_code == 1 and "terminal" in result.stderr
        return
    assert ledger.run(name, "--no-such-option").exit_code == 2
    result = ledger.run(*_args(works, ledger, tmp_path))
    assert result.exit_code == 0, result.output
    if missing is ...:  # an unknown case
        result = ledger.run(*_args(works, ledger, tmp_path, case="acme-2026-999"))
        assert result.exit_code == 1 and "no case 'acme-2026-999'" in result.stderr
        assert ledger.run(name).exit_code == 2  # CASE left out
    elif missing is None:  # no ledger where it should be
        result = ledger.runner.invoke(app, _args(works, ledger, tmp_path), env={
            "DUN_LEDGER": str(tmp_path / "nowhere"), "DUN_TODAY": "2026-11-22"})
        assert result.exit_code == 1 and "does not exist" in result.stderr
    else:
        assert ledger.run(*_args(missing, ledger, tmp_path)).exit_code == 1


@pytest.mark.parametrize("args", [["letter", "acme", "dunnning"], ["sent", "acme", "dunnning"]])
def test_an_unknown_template_is_1_everywhere(ledger, args):
    ledger.case("acme", ACME)
    result = ledger.run(*args)
    assert result.exit_code == 1
    assert "no letter 'dunnning'; did you mean 'dunning'?" in result.stderr
    assert "event: letter" not in ledger.text("acme")


@pytest.mark.parametrize("args", [
    ["call", "acme", "reachd"],  # a value outside a fixed list
    ["letter", "acme", "dunning", "--to", "boss"],
    ["letter", "acme", "dunning", "--lang", "fr"],
    ["letter", "acme", "dunning", "--format", "docx"],
    ["legal", "acme", "--route", "court"],
    ["pay", "acme", "12.50.3"],  # not an amount (12,50 is read as 12.50)
    ["hold", "acme", "--until", "2027-02-30", "--reason", "x"],  # not a date
    ["today", "--on", "tomorrow"],
    ["today", "--ahead", "-1"],
    ["call", "acme", "promised"],  # options that go together, one missing
    ["fee", "acme"],
])
def test_a_command_line_that_cannot_mean_anything_is_2(ledger, args):
    ledger.case("acme", ACME)
    before = ledger.text("acme")
    assert ledger.run(*args).exit_code == 2
    assert ledger.text("acme") == before


@pytest.mark.parametrize("args", [
    ["fee", "settled", "--flat"],  # nothing claimable on this case
    ["call", "settled", "promised", "--promise-by", "2026-12-01"],  # nothing open to promise
    ["charge-interest", "settled"],
])
def test_what_the_case_does_not_allow_is_1(ledger, args):
    ledger.case("settled", ACME + "  - at: 2026-10-10\n    event: payment\n    amount: 1190\n")
    assert ledger.run(*args).exit_code == 1


def test_the_rule_is_in_the_docs():
    from tests.cli_reference import COMMANDS_PAGE

    text = COMMANDS_PAGE.read_text(encoding="utf-8")
    assert "## Exit codes" in text
    section = text.split("## Exit codes", 1)[1][:1500]
    assert "`0`" in section and "`1`" in section and "`2`" in section and "unknown template" in section


def test_a_run_that_names_one_command_builds_only_it_and_keeps_every_other_for_help_and_typos(tmp_path):
    import subprocess
    import sys

    def dun(*args):
        return subprocess.run([sys.executable, "-m", "receivables_cli", *args], capture_output=True, text=True,
                              cwd=tmp_path)

    assert "today" in dun("--help").stdout and "merge-file" in dun("--help").stdout
    assert "Did you mean 'today'?" in dun("todya").stderr
    assert dun("--no-cache", "today", "--help").stdout.startswith("Usage: dun today")
    assert "Usage: dun import" in dun("import", "--help").stdout
    from receivables_cli.cli import app, main

    before = list(app.registered_commands)
    sys_argv, sys.argv = sys.argv, ["dun", "today", "--help"]
    try:
        main()
    except SystemExit:
        pass
    finally:
        sys.argv = sys_argv
    assert app.registered_commands == before


def test_today_and_list_in_a_process_of_their_own_flush_everything_and_keep_the_exit_code(ledger):
    """They leave without the interpreter's teardown (cli._leave): nothing printed may be lost."""

    ledger.case("acme", ACME)
    (ledger.root / "cases" / "broken.yaml").write_text("customer: [\n")
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": "2026-11-24"}
    env.pop("PYTHONUNBUFFERED", None)  # a pipe is block-buffered then: the flush must be dun's own
    for args in (["today", "--json"], ["list", "--json"], ["today"]):
        done = subprocess.run([sys.executable, "-m", "receivables_cli", *args], capture_output=True, text=True,
                              env=env, timeout=60)
        assert done.returncode == 1, (args, done.stderr)
        assert "broken.yaml:" in done.stderr and "acme" in done.stdout
        if "--json" in args:
            assert [item["case"] for item in json.loads(done.stdout)][:1] == ["acme"]
