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


def run(demo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args, "--on", "2026-12-05", "--ledger", str(demo)],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args", [["statement", "acme-2026-017"], ["statement", "acme-2026-017", "--json"],
                                  ["statement", "acme-2026-017", "--format", "html"], ["report", "--html"]])
def test_statement_and_report_replace_a_file_whole_and_keep_devices_and_links(demo, tmp_path, args):
    """They wrote into the old file in place: a reader (a browser, a sync client) holding it saw it half
    rewritten, and a failed write left half a file. Now a new file is renamed over the old one."""
    out = tmp_path / "out"
    out.write_text("old\n")
    held = out.open()  # a reader of the old file
    before = out.stat().st_ino
    done = run(demo, *args, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_ino != before and held.read() == "old\n"
    assert "RE-2026-017" in out.read_text(encoding="utf-8") or "ACME" in out.read_text(encoding="utf-8")
    held.close()
    link = tmp_path / "link"
    link.symlink_to(out)
    assert run(demo, *args, "-o", str(link)).returncode == 0
    assert link.is_symlink()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    done = run(demo, *args, "-o", str(pipe))
    reader.join(timeout=20)
    assert done.returncode == 0, done.stderr
    assert got and got[0] == out.read_text(encoding="utf-8") and stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "out", "pipe"]  # no temp file left


def test_statement_to_a_folder_that_is_not_there_is_one_line(demo, tmp_path):
    done = run(demo, "statement", "acme-2026-017", "-o", str(tmp_path / "missing" / "x.txt"))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"dun: {tmp_path / 'missing' / 'x.txt'}: No such file or directory"
