"""The ledger's record of bank imports (`.dun/bank-imports`), and the 'stale ledger' line it feeds.

Only `dun import bank --record` writes here, one line per statement file: the day of the import,
the file's SHA-256, what came of it, and the file's name. A dry run is not an import and leaves
no trace; a recorded import that matched nothing still is one (the ledger was checked against
the bank that day). The file is plain text, meant to be committed with the cases.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

LOG = Path(".dun") / "bank-imports"
LOG_LIMIT = 4 * 1024 * 1024  # a line per statement file: tens of thousands of imports


def digest(path: Path) -> str:
    """The file's SHA-256, read in chunks (a stray large file in a folder must not fill memory)."""
    import hashlib  # here: `dun today` reads this module and needs no hashing
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a named pipe must not block, /dev/zero not run forever
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file", str(path))
        return hashlib.file_digest(f, "sha256").hexdigest()


def imports(root: Path) -> list[tuple[date, str, str]]:
    """(day, sha256, file name) of every import recorded; lines that do not read are passed over."""
    from receivables_cli.store.plainfile import NotReadable, read_regular

    try:
        lines = read_regular(root / LOG, LOG_LIMIT, "the import log").decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError, NotReadable):
        return []  # a link to /dev/zero or a pipe planted there: read as no imports, never a hang
    found = []
    for line in lines:
        parts = line.split("\t")
        try:
            found.append((date.fromisoformat(parts[0]), parts[1], parts[-1]))
        except (ValueError, IndexError):
            continue
    return found


def note_import(root: Path, day: date, sha: str, name: str, outcome: str) -> None:
    """Add one line for an imported file: temp file, fsync, rename, as for case files."""
    import fcntl

    from receivables_cli.store.undo import private_dir

    path = root / LOG
    private_dir(root)  # which keeps this file out of its ignore list
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # parallel imports queue instead of losing a line
        _append_line(path, "\t".join((day.isoformat(), sha, outcome, Path(name).name.replace("\t", " "))) + "\n")
    finally:
        os.close(fd)


def _append_line(path: Path, line: str) -> None:
    old = _old_log(path)
    if old and not old.endswith(b"\n"):
        old += b"\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(old + line.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _old_log(path: Path) -> bytes:
    """The log so far; a pipe or device planted in its place (or a link to one) is replaced by a real log."""
    import stat

    from receivables_cli.store.plainfile import read_regular

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
    except FileNotFoundError:
        return b""
    return read_regular(path, LOG_LIMIT, "the import log")


def bank_staleness(root: Path, settings, today: date) -> str | None:
    """One line when the last bank import is older than `bank.stale_days`, else None.

    `settings`: dun.yaml's `bank:` (None if it has none). Ledgers that never imported a statement
    and have no `bank:` are not nagged.
    """
    done = imports(root)
    if not done and settings is None:
        return None
    stale_days = settings.stale_days if settings else 3
    if not done:
        return ("No bank statement imported yet: run 'dun import bank FILE --record' before sending letters, "
                "so nobody who has paid is chased.")
    last = max(day for day, _, _ in done)
    age = (today - last).days
    if age <= stale_days:
        return None
    return (f"The last bank import was on {last}, {age} days ago (more than {stale_days}): import a statement "
            "('dun import bank FILE --record') before sending letters.")
