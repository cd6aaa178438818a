"""The layers are layers: imports go only downward (import-linter), and the package parts form no cycle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["cli", "usecases", "output", "imports", "playbook", "money", "store", "domain"]


def top_level_graph(package: str = "receivables_cli") -> dict[str, set[str]]:
    """Each part of the package (cli, usecases, ...) and the parts it imports, modules collapsed."""
    graph = grimp.build_graph(package, cache_dir=None)
    parts: dict[str, set[str]] = {}
    for module in graph.modules:
        names = module.split(".")
        if len(names) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[1] != names[1]:
                parts.setdefault(names[1], set()).add(other[1])
    return parts


def cycle(parts: dict[str, set[str]]) -> list[str] | None:
    """A cycle among the parts, as a path, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(parts.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(parts):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_parts_of_the_package_form_no_cycle():
    parts = top_level_graph()
    assert cycle(parts) is None, " -> ".join(cycle(parts))
    assert set(LAYERS) <= set(parts) | {"domain"}


def test_cycle_finds_a_circle_when_there_is_one():
    circle = {"store": {"domain"}, "domain": {"money"}, "money": {"store"}}
    assert cycle(circle) == ["domain", "money", "store", "domain"]
    assert cycle({"cli": {"store"}, "store": {"domain"}}) is None


def test_every_part_imports_only_the_layers_below_it():
    order = {"cli": 0, "usecases": 1, "output": 2, "imports": 2, "playbook": 3, "money": 4, "store": 5, "domain": 6}
    upward = [(a, b) for a, found in top_level_graph().items() for b in found
              if a in order and b in order and order[b] <= order[a]]
    assert upward == []


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    env = {"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    return subprocess.run([tool, "--no-cache", "--config", str(cwd / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_lint_imports_keeps_the_contracts():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("domain/errors.py", "from receivables_cli.store import cache  # noqa", "Layers"),
    ("output/tables.py", "from receivables_cli.store import ledger  # noqa", "prepared view"),
    ("imports/names.py", "from receivables_cli.output import term  # noqa", "Layers"),
])
def test_an_import_against_the_layers_breaks_the_contract(tmp_path, module, line, contract):
    shutil.copytree(ROOT / "receivables_cli", tmp_path / "receivables_cli",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "receivables_cli" / module
    target.write_text(target.read_text() + "\n" + line + "\n")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout
    broken = [block for block in done.stdout.split("\n\n") if "BROKEN" in block]
    assert broken and contract in " ".join(broken[0].split()), done.stdout


@pytest.mark.parametrize("command", [
    "letter acme-2026-017 dunning", "letter acme-2026-017 dunning --format pdf",
    "letter kiosk-2026-012 final-notice --format eml",
    "show acme-2026-017", "brief acme-2026-017", "report", "statement acme-2026-017", "today", "outbox --dir OUT",
])
def test_a_command_walks_the_layers_downward(tmp_path, command):
    """Every call goes to a lower layer (but for the holiday port), and a letter's law is built once."""
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in command.split()]
    env = {**os.environ, "DUN_LEDGER": str(ROOT), "DUN_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "tests.layer_walk", *argv, "--on", "2026-12-05"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "climbs: 0" in done.stdout, done.stdout + done.stderr
    assert "receivables_cli.money.lawbook.__init__: 1\n" in done.stdout  # the Law, once
    if command.startswith(("letter", "outbox")):
        assert "receivables_cli.output.desk.__init__: 1\n" in done.stdout  # the letter's view, once
        assert "output -> usecases" not in done.stdout and "output -> store" not in done.stdout


def test_the_walk_names_a_call_that_climbs():
    from tests.layer_walk import ORDER, layer

    assert layer("receivables_cli.domain.calendar") == "domain" and layer("receivables_cli") is None
    assert ORDER["domain"] > ORDER["store"] > ORDER["money"] > ORDER["playbook"] > ORDER["output"] > ORDER["cli"]
