"""What a PDF letter's process imports: no search through installed packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "cases", folder / "cases")
    shutil.copy(ROOT / "dun.yaml", folder / "dun.yaml")
    return folder


def pdf(demo: Path, cache: Path | None, out: Path) -> tuple[bytes, set[str]]:
    """A dunning letter as PDF in a process of its own: its bytes and the modules it imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env |= {"DUN_TODAY": "2026-12-05"} | ({"DUN_CACHE_DIR": str(cache)} if cache else {"DUN_NO_CACHE": "1"})
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "receivables_cli", "letter", "acme-2026-017",
                           "dunning", "--format", "pdf", "-o", str(out), "--ledger", str(demo)],
                          capture_output=True, text=True, env=env, cwd=demo)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return out.read_bytes(), modules


def test_a_letter_page_does_not_look_through_installed_packages_for_markdowns_tables(demo, tmp_path):
    """By its name, Python-Markdown looks an extension up among every installed package's entry
    points (importlib.metadata) before importing it: a third of a Markdown letter's time."""
    pdf(demo, tmp_path / "cache", tmp_path / "letter.pdf")  # the first run also imports `holidays` (kept after)
    _, modules = pdf(demo, tmp_path / "cache", tmp_path / "letter.pdf")
    assert "markdown.extensions.tables" in modules
    assert "importlib.metadata" not in modules
