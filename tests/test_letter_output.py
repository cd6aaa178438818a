"""`dun letter -o FILE`: a file is written whole and renamed into place; anything that is not a
file (a device such as /dev/null, a named pipe) is written to as it is and never replaced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(demo_copy) -> Path:
    return demo_copy


def letter(demo: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "receivables_cli", "letter", "acme-2026-017", "dunning", "-o",
                           str(output), "--on", "2026-12-05", "--ledger", str(demo)],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_named_by_o_stays_the_device(demo, tmp_path):
    """As root, `-o /dev/null` renamed a file over /dev/null: every later `> /dev/null` filled a file."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = letter(demo, null)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temp file left beside it


def test_a_named_pipe_gets_the_letter_and_stays_a_pipe(demo, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    done = letter(demo, pipe)
    reader.join(timeout=20)
    assert done.returncode == 0, done.stderr
    assert got and got[0].startswith("# ") and "RE-2026-017" in got[0]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_link_stays_a_link_and_the_file_it_names_gets_the_letter(demo, tmp_path):
    target = tmp_path / "letters" / "dunning.md"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    done = letter(demo, link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and "RE-2026-017" in target.read_text(encoding="utf-8")


def test_a_folder_that_is_not_there_is_said_before_the_letter_is_made(demo, tmp_path):
    done = letter(demo, tmp_path / "missing" / "dunning.md")
    assert done.returncode == 1
    assert done.stderr.strip() == f"dun: --output {tmp_path / 'missing' / 'dunning.md'}: there is no folder " \
                                  f"{tmp_path / 'missing'}"
    assert not (tmp_path / "missing").exists()
