"""Sending each letter exactly once, whoever sends it (`dun outbox --send`, `dun work`).

One lock for everything that sends: `.dun/sending/lock`. Under it, one letter at a time:
the case is read again (recorded meanwhile? still due?), a marker for the letter is written
(`.dun/sending/<case>--<template>--<yyyymmdd>.json`), the mail command runs, the letter is
recorded, and only then the marker goes. A marker found under the lock was left by a run
that did not finish (killed, or its mail command did not answer): the letter may have gone
out, so nothing is sent until the user has looked (`dun sent`, or removing the marker).

The mail command reads the message from a file and writes to a file, never a pipe: a child
it leaves behind cannot hold dun up. It runs in a process group of its own; after the
timeout the whole group is killed and the outcome is "unconfirmed", never "failed".
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables_cli.domain.errors import DunError
from receivables_cli.store.safewrite import fsync_dir

FOLDER = Path(".dun") / "sending"
LEGACY = Path(".dun") / "outbox-pending"  # the single marker of dun 0.3, still honoured
TIMEOUT = 120  # seconds: a mail command that hangs must not hang the morning (DUN_SEND_TIMEOUT)
SAID_LIMIT = 64 * 1024  # bytes of the mail command's output kept for the message


@dataclass(frozen=True)
class Outcome:
    """What came of handing one message to the mail command: sent, failed (not sent) or unconfirmed."""

    status: str
    error: str = ""


def send_timeout() -> float:
    """Seconds the mail command may take: $DUN_SEND_TIMEOUT, else 120."""
    given = os.environ.get("DUN_SEND_TIMEOUT", "")
    try:
        value = float(given) if given else TIMEOUT
    except ValueError:
        raise DunError(f"DUN_SEND_TIMEOUT={given!r} is not a number of seconds") from None
    return value if value > 0 else TIMEOUT


def _folder(root: Path) -> Path:
    from receivables_cli.store.undo import private_dir

    folder = private_dir(root) / "sending"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def send_lock(root: Path, waiting=lambda: None) -> Iterator[None]:
    """The one lock for sending; `waiting()` is called once when another dun holds it."""
    fd = os.open(_folder(root) / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        _acquire(fd, waiting, time.monotonic() + send_timeout() + 60)
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, waiting, deadline: float) -> None:
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise DunError("another dun has been sending letters for too long; nothing was sent, "
                               "try again later") from None
            if not told:
                waiting()
                told = True
            time.sleep(0.05)


def marker_path(root: Path, case: str, template: str, day: date) -> Path:
    return root / FOLDER / f"{case}--{template}--{day:%Y%m%d}.json"


def mark(root: Path, case: str, template: str, day: date) -> Path:
    """Name the letter in flight, durably, before it is handed to the mail command."""
    _folder(root)
    path = marker_path(root, case, template, day)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {"case": case, "template": template, "day": day.isoformat(), "pid": os.getpid()}
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return path


def unmark(path: Path) -> None:
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)


def left_behind(book) -> list[dict]:
    """The letters earlier runs left in doubt, each with the marker's `path`; a marker whose letter
    has been recorded since is removed. Call it under the lock (a marker outside it is in flight)."""
    found = []
    for path in _markers(book.root):
        pending = _read_marker(path)
        if pending["day"] is not None and _recorded(book, pending):
            path.unlink(missing_ok=True)
            continue
        found.append({**pending, "day": pending["day"] or "?", "path": path})
    return found


def _markers(root: Path) -> list[Path]:
    folder = root / FOLDER
    named = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return named + ([root / LEGACY] if (root / LEGACY).is_file() else [])


def _read_marker(path: Path) -> dict:
    from receivables_cli.store.plainfile import NotReadable, read_regular

    try:
        data = json.loads(read_regular(path, 4096, "a marker").decode("utf-8"))
        return {"case": str(data["case"]), "template": str(data["template"]),
                "day": date.fromisoformat(data["day"])}
    except (OSError, ValueError, KeyError, TypeError, NotReadable):
        return {"case": "?", "template": "?", "day": None}


def _recorded(book, pending: dict) -> bool:
    case, template, day = pending["case"], pending["template"], pending["day"]
    if not book.case_path(case).is_file():
        return False
    return any(e.event == "letter" and e.template == template and e.day >= day for e in book.load(case).history)


def doubt(pending: dict, root: Path) -> str:
    """What to tell the user about a letter left in doubt, and the two ways on."""
    c, t, day, path = pending["case"], pending["template"], pending["day"], pending["path"]
    return (f"an earlier send of {c} {t} ({day}) did not finish: the mail command may have sent it. Look in "
            f"your sent mail: if it went out, run 'dun sent {c} {t} --at {day}'; if not, remove "
            f"{_shown(path, root)} and send again")


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def why_not_now(book, case_id: str, template: str, day: date) -> str:
    """Why the letter is not to be sent after all ('' to send it): recorded meanwhile, or no longer due."""
    from receivables_cli.usecases.agenda import actions_of, state_of

    case = book.load(case_id)
    if any(e.event == "letter" and e.template == template and e.day == day for e in case.history):
        return f"recorded as sent on {day} already (by another dun?); not sent again"
    actions = actions_of(book, state_of(book, case, day), day)
    if not any(a["channel"] == "letter" and a.get("template") == template for a in actions):
        return "no longer due (the case changed meanwhile); not sent"
    return ""


def deliver(argv: list[str], message: str) -> Outcome:
    """Hand the message to the mail command: exit 0 is sent, another exit is failed, no exit in time
    (or death by a signal) is unconfirmed: it may have gone out."""
    import subprocess
    import tempfile

    limit = send_timeout()
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as said:
        given.write(message.encode("utf-8"))
        given.flush()
        given.seek(0)
        try:
            proc = subprocess.Popen(argv, stdin=given, stdout=said, stderr=said, start_new_session=True)
        except FileNotFoundError:
            return Outcome("failed", f"mail command not found: {argv[0]}")
        except OSError as e:
            return Outcome("failed", f"mail command {argv[0]}: {e.strerror}")
        code = _wait(proc, limit)
        if code is None:
            return Outcome("unconfirmed", f"the mail command did not finish within {limit:g} s and was stopped; "
                                          "it may have sent the letter")
        if code < 0:
            return Outcome("unconfirmed", f"the mail command was killed (signal {-code}); it may have sent the "
                                          "letter")
        return Outcome("sent") if code == 0 else Outcome("failed", _failure(code, said))


def _wait(proc, limit: float) -> int | None:
    """The mail command's exit code, or None when it did not exit in time (its group is killed then)."""
    import subprocess

    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        return None
    except BaseException:  # Ctrl-C while it runs: it must not go on sending behind the user's back
        kill_group(proc)
        raise


def kill_group(proc) -> None:
    """Kill the mail command and every process it started (they share its process group)."""
    import signal

    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _failure(code: int, said) -> str:
    said.seek(0, os.SEEK_END)
    said.seek(max(0, said.tell() - SAID_LIMIT))  # the last lines say what went wrong
    lines = said.read(SAID_LIMIT).decode("utf-8", "replace").strip().splitlines()
    return f"mail command exited {code}" + (f": {lines[-1]}" if lines else "")
