"""Progress bars on a terminal only: a folder of statements, `outbox --dir` with many letters, `check` on a big
ledger; nothing on a pipe (issue 22, item 10)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.test_daily_work import PUBLIC


def on_terminal(root, *args: str) -> tuple[int, str, str]:
    """Run dun with stderr on a pseudo-terminal: (exit code, what the terminal showed, stdout)."""
    env = {**os.environ, "DUN_LEDGER": str(root), "DUN_TODAY": "2026-11-09", "COLUMNS": "100"}
    main, secondary = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env, stdout=subprocess.PIPE,
                          stderr=secondary, stdin=subprocess.DEVNULL, timeout=120)
    os.close(secondary)
    shown = b""
    try:
        while chunk := os.read(main, 65536):
            shown += chunk
    except OSError:
        pass  # the terminal closed: all was read
    os.close(main)
    return done.returncode, shown.decode("utf-8", "replace"), done.stdout.decode()


def piped(root, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DUN_LEDGER": str(root), "DUN_TODAY": "2026-11-09"}
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_outbox_dir_with_many_letters_shows_a_bar_on_a_terminal_only(ledger, tmp_path):
    for n in range(6):
        ledger.case(f"amt-{n}", PUBLIC)
    code, shown, out = on_terminal(ledger.root, "outbox", "--dir", str(tmp_path / "out"))
    assert code == 0 and "writing letters" in shown and "6/6" not in out
    result = piped(ledger.root, "outbox", "--dir", str(tmp_path / "out2"))
    assert result.returncode == 0 and "writing letters" not in result.stderr + result.stdout
    assert len(list((tmp_path / "out2").glob("*.eml"))) == 6


def test_check_on_a_big_ledger_shows_a_bar_on_a_terminal_only(ledger):
    for n in range(520):
        ledger.case(f"amt-{n:03d}", PUBLIC)
    code, shown, out = on_terminal(ledger.root, "check")
    assert code == 0 and "checking case files" in shown and out == ""
    result = piped(ledger.root, "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_small_ledger_is_checked_without_a_bar(ledger):
    ledger.case("amt", PUBLIC)
    code, shown, _ = on_terminal(ledger.root, "check")
    assert code == 0 and "checking" not in shown
