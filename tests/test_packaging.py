"""The wheel carries the letters and the base-rate table, and finds them once installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_renders_a_builtin_letter(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "receivables_cli/letters/de/final-notice.md" in names
    assert "receivables_cli/data/base-rates-DE.csv" in names
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    book = tmp_path / "book"
    (book / "cases").mkdir(parents=True)
    (book / "dun.yaml").write_text("creditor: {name: Anna, iban: DE02120300000000202051}\n")
    (book / "cases" / "c.yaml").write_text("customer: {name: X}\nhistory:\n  - at: 2026-10-01\n"
                                           "    event: invoice\n    number: R1\n    amount: 10\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "DUN_LEDGER": str(book)}
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "letter", "c", "final-notice", "--on",
                          "2026-11-24"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert str(tmp_path / "site") in subprocess.run(
        [sys.executable, "-c", "import receivables_cli.output.letters as m; print(m.builtin_dir())"], cwd=tmp_path,
        env=env, capture_output=True, text=True).stdout
    assert "Letzte Mahnung" in run.stdout
