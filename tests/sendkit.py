"""Real mail commands and real `dun` processes for the tests of sending exactly once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

ON = "2026-10-19"  # a public customer's reminder is due (T + 3, a working day)
NAMES = ("amt", "bau", "forst", "hafen", "zoll")


def public(name: str) -> str:
    return f"""
customer:
  name: {name.title()}amt
  kind: public
  contact: Erika Muster
  email: post@{name}.example
history:
  - at: 2026-10-01
    event: invoice
    number: RE-{name.upper()}
    amount: 1190.00
    due: 2026-10-15
"""


def five_letters(ledger):
    for name in NAMES:
        ledger.case(name, public(name))
    return ledger


# What the mail command does with the message: each behaviour first delivers (or not), then returns.
BEHAVIOURS = {
    "deliver": "deliver()",
    "slow": "time.sleep(0.3); deliver()",
    "hang": "deliver(); note_pid(os.getpid()); "
            "note_pid(subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']).pid); time.sleep(600)",
    "fork": "deliver(); child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
            "note_pid(child.pid)",
    "fail": "sys.exit('451 try again later')",
    "die": "os.kill(os.getpid(), signal.SIGKILL)",
    "deliver-die": "deliver(); os.kill(os.getpid(), signal.SIGKILL)",
}


class Mailer:
    """A mail command script whose behaviour is read from a file at each call, so it can change."""

    def __init__(self, folder: Path):
        self.box, self.pids, self.mode = folder / "mailbox", folder / "pids", folder / "mode"
        self.log = folder / "behaviours"
        self.script = folder / "mailer.py"
        self.set("deliver")
        self.script.write_text(textwrap.dedent(f"""
            import os, random, signal, subprocess, sys, time
            message = sys.stdin.read()
            def deliver():
                fd = os.open({str(self.box)!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                os.write(fd, (message + "\\n=====\\n").encode())
                os.close(fd)
            def note_pid(pid):
                with open({str(self.pids)!r}, "a") as f:
                    f.write(f"{{pid}}\\n")
            behaviours = {BEHAVIOURS!r}
            chosen = random.choice(open({str(self.mode)!r}).read().split())
            with open({str(self.log)!r}, "a") as f:
                f.write(chosen + "\\n")
            exec(behaviours[chosen])
        """))
        self.command = f"{sys.executable} {self.script}"

    def set(self, *behaviours: str) -> None:
        """What the next calls do: one of these, chosen at random each time."""
        self.mode.write_text(" ".join(behaviours))

    def ids(self) -> list[str]:
        """The Message-IDs delivered, in order, one per delivery."""
        text = self.box.read_text() if self.box.exists() else ""
        return re.findall(r"^Message-ID: <([^>]+)>", text, re.M | re.I)

    def left_running(self) -> list[int]:
        """The processes the mail command started (or was) that are still alive."""
        pids = [int(p) for p in self.pids.read_text().split()] if self.pids.exists() else []
        return [p for p in pids if alive(p)]

    def stop_children(self) -> None:
        for pid in self.left_running():
            os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by its parent) is not running
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def env_for(ledger, **extra) -> dict:
    return {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": ON, "NO_COLOR": "1", **extra}


def dun(ledger, *args: str, timeout: float = 60, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env_for(ledger, **extra),
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def start_dun(ledger, *args: str, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "receivables_cli", *args], env=env_for(ledger, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def spawn_work(ledger, **extra):
    import pexpect

    # as from a login shell: a test runner started in the background may have inherited an ignored SIGINT
    return pexpect.spawn(sys.executable, ["-m", "receivables_cli", "work"], env=env_for(ledger, COLUMNS="100", **extra),
                         encoding="utf-8", timeout=60, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def letters(ledger, case: str) -> int:
    return ledger.text(case).count("event: letter")


def markers(ledger) -> list[str]:
    folder = ledger.root / ".dun" / "sending"
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []
