"""Real temp ledgers and a CLI runner with the date pinned."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from receivables_cli.cli import app

DUN_YAML = """\
creditor:
  name: Anna Beispiel Webdesign
  address: |
    Lindenweg 3
    10115 Berlin
  email: anna@example.org
  iban: DE02120300000000202051
  bic: BYLADEM1001
country: DE
region: BE
"""
# The figures of the older tests were derived with interest fixed by `dun charge-interest`, the default before
# §367 BGB became it; they keep that setting. Tests of the lawful default write their own dun.yaml or use
# `ledger.config("interest: ...")`, which replaces this line.
CHARGED = "interest: {claim: charged}\n"


class Ledger:
    """A ledger folder in tmp_path with helpers to write cases and run dun on it."""

    def __init__(self, root: Path):
        self.root = root
        (root / "cases").mkdir(parents=True, exist_ok=True)
        (root / "dun.yaml").write_text(DUN_YAML + CHARGED, encoding="utf-8")
        self.runner = CliRunner()

    def case(self, case_id: str, text: str) -> Path:
        path = self.root / "cases" / f"{case_id}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def config(self, text: str) -> None:
        text = textwrap.dedent(text)
        base = DUN_YAML if "interest:" in text else DUN_YAML + CHARGED
        (self.root / "dun.yaml").write_text(base + text, encoding="utf-8")

    def run(self, *args: str, on: str = "2026-11-22", input: str | None = None):
        env = {"DUN_LEDGER": str(self.root), "DUN_TODAY": on}
        return self.runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    def text(self, case_id: str) -> str:
        return (self.root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*")) if p.is_file()}


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    return Ledger(tmp_path / "ledger")


ACME = """
customer:
  name: ACME GmbH
  kind: business
  contact: Erika Muster
  email: erika@acme.example
  phone: "+49 30 5551234"
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own parse cache folder, never the user's."""
    monkeypatch.setenv("DUN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    """A copy of this repository's demo ledger (cases/ and dun.yaml), shared by a module's tests
    that only read it."""
    folder = tmp_path_factory.mktemp("demo")
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "cases", folder / "cases")
    shutil.copy(root / "dun.yaml", folder / "dun.yaml")
    return folder
