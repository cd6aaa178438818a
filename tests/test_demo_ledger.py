"""The demo ledger at the repository root stays valid and shows each situation of the playbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Ledger

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo(tmp_path) -> Ledger:
    target = tmp_path / "demo"
    target.mkdir()
    shutil.copy(ROOT / "dun.yaml", target / "dun.yaml")
    shutil.copytree(ROOT / "cases", target / "cases")
    book = Ledger.__new__(Ledger)
    book.root = target
    from typer.testing import CliRunner

    book.runner = CliRunner()
    return book


def test_demo_ledger_checks_clean(demo):
    result = demo.run("check")
    assert (result.exit_code, result.stdout) == (0, "")


def test_demo_morning_shows_each_kind_of_action(demo):
    items = json.loads(demo.run("today", "--json", "--on", "2026-11-24").stdout)
    actions = {(i["case"], i["action"]) for i in items}
    assert ("kiosk-2026-012", "installment_missed") in actions
    assert ("acme-2026-017", "collection_call") in actions
    assert ("stadtwerke-2026-022", "dunning_letter") in actions
    assert ("hotel-2026-025", "resolve_dispute") in actions
    assert ("altkunde-2023-088", "limitation_warning") in actions
    assert not any(case == "verlag-2026-019" for case, _ in actions)  # on hold
    assert not any(case == "versicherung-2026-038" for case, _ in actions)  # reminder sent, deadline open
    later = json.loads(demo.run("today", "--json", "--on", "2026-12-01").stdout)
    assert ("versicherung-2026-038", "dunning_letter") in {(i["case"], i["action"]) for i in later}


def test_why_explains_every_action_of_the_demo_morning(demo):
    items = json.loads(demo.run("today", "--json", "--on", "2026-11-24").stdout)
    for case in {i["case"] for i in items}:
        out = demo.run("why", case, "--on", "2026-11-24").stdout
        fired = {line[3:].split(":")[0] for line in out.splitlines() if line.startswith("-> ")}
        assert fired == {i["action"] for i in items if i["case"] == case}


def test_demo_bank_statement_pays_the_bakery_and_a_second_import_records_nothing(demo):
    statement = str(ROOT / "bank" / "camt053-2026-11-23.xml")
    dry = demo.run("import", "bank", statement, on="2026-11-24")
    assert dry.exit_code == 0, dry.stderr
    assert "baeckerei-2026-029 RE-2026-029" in dry.stdout and "Dry run, nothing written" in dry.stdout
    assert "event: payment" not in demo.text("baeckerei-2026-029")
    assert demo.run("import", "bank", statement, "--record", on="2026-11-24").exit_code == 0
    assert "amount: 1785.00" in demo.text("baeckerei-2026-029").split("event: payment", 1)[1]
    again = demo.run("import", "bank", statement, "--record", on="2026-11-24")
    assert demo.text("baeckerei-2026-029").count("event: payment") == 1, again.stdout


@pytest.mark.parametrize("case_id", sorted(p.stem for p in (ROOT / "cases").glob("*.yaml")))
def test_every_demo_case_can_be_printed_for_a_window_envelope(demo, case_id):
    result = demo.run("letter", case_id, "statement", on="2026-12-05")  # the warning a PDF would stop on
    assert result.exit_code == 0, result.stderr
    assert "address" not in result.stderr
