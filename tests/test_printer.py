"""weasyprint set up ahead in a forked process (output/pdf.py, start_printer): the same PDFs, the
same errors, nothing on stdout but the letter, and a letter even when that process is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the printer forks: Linux only")


@pytest.fixture
def demo(demo_copy) -> Path:
    return demo_copy


def dun(demo: Path, cache: Path, ahead: str, *args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    if env is None:
        env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE", "DUN_PRINT_AHEAD")}
        env |= {"DUN_TODAY": "2026-12-05", "DUN_CACHE_DIR": str(cache), "DUN_PRINT_AHEAD": ahead}
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args, "--ledger", str(demo)],
                          capture_output=True, env=env, cwd=demo, **kw)


def test_a_letter_laid_out_ahead_is_the_letter_laid_out_here(demo, tmp_path):
    here = dun(demo, tmp_path / "c0", "0", "letter", "acme-2026-017", "dunning", "--format", "pdf")
    ahead = dun(demo, tmp_path / "c1", "1", "letter", "acme-2026-017", "dunning", "--format", "pdf")
    again = dun(demo, tmp_path / "c1", "1", "letter", "acme-2026-017", "dunning", "--format", "pdf",
                "-o", str(tmp_path / "letter.pdf"))
    assert here.returncode == ahead.returncode == again.returncode == 0, ahead.stderr
    assert here.stdout.startswith(b"%PDF")
    assert ahead.stdout == here.stdout  # stdout holds the PDF and nothing of the printer's
    assert (tmp_path / "letter.pdf").read_bytes() == here.stdout
    assert ahead.stderr == here.stderr  # the same warnings, once


def test_the_tables_the_printer_compiled_are_kept_for_the_next_letter(demo, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env |= {"DUN_TODAY": "2026-12-05", "DUN_CACHE_DIR": str(tmp_path / "cache"), "DUN_PRINT_AHEAD": "1"}
    argv = [sys.executable, "-X", "importtime", "-m", "receivables_cli", "letter", "acme-2026-017", "dunning",
            "--format", "pdf", "-o", str(tmp_path / "l.pdf"), "--ledger", str(demo)]
    first = subprocess.run(argv, capture_output=True, text=True, env=env)
    second = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert first.returncode == second.returncode == 0
    assert "pycparser" in first.stderr  # compiled in the printer (its import times go to the same stderr)
    assert list((tmp_path / "cache").glob("weasyprint-ffi-*.marshal"))
    assert "pycparser" not in second.stderr and "weasyprint" in second.stderr




def test_a_folder_of_letters_laid_out_ahead_holds_the_same_files(demo, tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import post_case

    post = tmp_path / "post"
    (post / "cases").mkdir(parents=True)
    shutil.copy(demo / "dun.yaml", post / "dun.yaml")
    for n, amount in enumerate(("5950.00", "812.40", "23800.00")):
        (post / "cases" / f"stadtwerke-{n}.yaml").write_text(post_case(n, amount))
    for ahead in ("0", "1"):
        done = dun(post, tmp_path / f"c{ahead}", ahead, "outbox", "--dir", str(tmp_path / f"out{ahead}"))
        assert done.returncode == 0, done.stderr
    here = sorted(p.name for p in (tmp_path / "out0").iterdir())
    assert len(here) == 3 and all(name.endswith(".pdf") for name in here)
    assert here == sorted(p.name for p in (tmp_path / "out1").iterdir())
    for name in here:
        assert (tmp_path / "out0" / name).read_bytes() == (tmp_path / "out1" / name).read_bytes(), name


def test_a_refused_letter_is_refused_as_before_and_leaves_no_process_behind(demo, tmp_path):
    argv = ("letter", "studio-nord-2026-041", "settlement-offer", "--format", "pdf", "--on", "2026-11-24")
    here = dun(demo, tmp_path / "c0", "0", *argv)
    ahead = dun(demo, tmp_path / "c1", "1", *argv)
    assert here.returncode == ahead.returncode == 1
    assert ahead.stderr == here.stderr and b"is due" in ahead.stderr
    assert ahead.stdout == here.stdout == b""
    # the printer ends when it finds its pipe closed (after its import): none is left with our cache
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _processes_with(str(tmp_path / "c1")):
        time.sleep(0.1)
    assert not _processes_with(str(tmp_path / "c1"))


def _processes_with(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


GONE = """
import os, signal, sys
from receivables_cli.output import pdf
assert pdf.start_printer(None)
os.kill(pdf._printer["pid"], signal.SIGKILL)
page = "<html><body><p>Sehr geehrte Frau Muster,</p></body></html>"
data = pdf.html_to_pdf(page)
assert data.startswith(b"%PDF") and not pdf._printer, "laid out here after the printer died"
assert "weasyprint" in sys.modules
assert pdf.html_to_pdf(page) == data
print("ok")
"""


def test_a_printer_that_died_leaves_the_page_to_this_process():
    done = subprocess.run([sys.executable, "-c", GONE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


BIG = """---
subject: "Zahlungserinnerung {{ invoice.number }}"
---
{{ salutation }},

bitte überweisen Sie **{{ open|money }}** bis zum **{{ deadline|date }}**.

{{ creditor.name }}, IBAN {{ creditor.iban|iban }},
Verwendungszweck: {{ invoice.number }}

<table>
""" + "<tr><td>Zeile</td><td>Leistung nach Vereinbarung</td></tr>\n" * 2500 + "</table>\n"


def test_the_printer_ends_with_dun_however_dun_ends(demo, tmp_path):
    """A letter whose layout takes seconds; dun is ended by SIGTERM (no exit handler runs) while
    the printer works on it, or refuses the letter before it sends a page: no printer is left."""
    ledger = tmp_path / "big"
    shutil.copytree(demo, ledger)
    (ledger / "letters" / "de").mkdir(parents=True)
    (ledger / "letters" / "de" / "reminder.md").write_text(BIG)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE",)}
    env |= {"DUN_TODAY": "2026-12-05", "DUN_CACHE_DIR": str(cache), "DUN_PRINT_AHEAD": "1"}
    argv = [sys.executable, "-m", "receivables_cli", "letter", "acme-2026-017", "reminder", "--format", "pdf",
            "-o", str(tmp_path / "big.pdf"), "--ledger", str(ledger)]
    dun_process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(_processes_with(str(cache))) < 2 and time.monotonic() < deadline:  # dun and its printer
        time.sleep(0.02)
    time.sleep(0.5)
    dun_process.terminate()
    dun_process.wait(timeout=30)
    _assert_gone(str(cache), seconds=3)

    refused = dun(demo, cache, "1", "letter", "acme-2026-017", "no-such-letter", "--format", "pdf")
    assert refused.returncode != 0
    _assert_gone(str(cache), seconds=1)


def _assert_gone(text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _processes_with(text) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_with(text)


def test_what_the_printer_says_is_said_once_and_only_with_its_page(demo, tmp_path):
    """fontconfig complains on stderr when weasyprint is set up; with no page laid out (no such
    case) nothing of it may show, and with a page, just what laying it out here would show."""
    env = {"FONTCONFIG_FILE": str(tmp_path / "missing.conf")}
    for argv in (("letter", "nosuch", "dunning", "--format", "pdf"),
                 ("letter", "acme-2026-017", "dunning", "--format", "pdf")):
        here = dun(demo, tmp_path / "c0", "0", *argv, env=_env_with(env, demo, tmp_path / "c0", "0"))
        ahead = dun(demo, tmp_path / "c1", "1", *argv, env=_env_with(env, demo, tmp_path / "c1", "1"))
        assert (ahead.returncode, ahead.stdout, ahead.stderr) == (here.returncode, here.stdout, here.stderr)


def _env_with(extra: dict, demo: Path, cache: Path, ahead: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE", "DUN_PRINT_AHEAD")}
    return env | {"DUN_TODAY": "2026-12-05", "DUN_CACHE_DIR": str(cache), "DUN_PRINT_AHEAD": ahead} | extra


BROKEN = """import sys
print("weasyprint's advice on its libraries")
raise OSError("cannot load library 'libpango-1.0-0'")
"""


@pytest.mark.parametrize("ahead", ["0", "1"])
def test_a_weasyprint_that_cannot_be_loaded_is_a_message_and_nothing_on_stdout(demo, tmp_path, ahead):
    shadow = tmp_path / "shadow" / "weasyprint"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(BROKEN)
    env = _env_with({"PYTHONPATH": str(tmp_path / "shadow")}, demo, tmp_path / "cache", ahead)
    done = dun(demo, tmp_path / "cache", ahead, "letter", "acme-2026-017", "dunning", "--format", "pdf", env=env)
    assert done.returncode == 1 and done.stdout == b""
    assert b"a PDF needs weasyprint and the Pango libraries" in done.stderr
    assert b"libpango-1.0-0" in done.stderr and b"Traceback" not in done.stderr


THREADED = """
import threading
from receivables_cli.output import pdf
stop = threading.Event()
worker = threading.Thread(target=stop.wait)
worker.start()
started = pdf.start_printer(None)
stop.set()
worker.join()
print(started, pdf.start_printer(None))
pdf.stop_printer()
"""


def test_a_process_with_other_threads_lays_its_pages_out_itself():
    """A fork copies the locks other threads hold; in such a process no printer is started."""
    done = subprocess.run([sys.executable, "-c", THREADED], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout == "False True\n", done.stderr
