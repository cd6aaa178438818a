"""Write a ledger file safely: under the ledger's lock, through an fsynced temp file and a rename,
refused when the file changed meanwhile."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from receivables_cli.domain.errors import DunError, WriteRefused
from receivables_cli.store.plainfile import read_case_file

# test hook: called between the fsynced temp file and the rename (crash-safety tests)
_before_rename: Callable[[Path], None] | None = None


def replace_file(path: Path, before: bytes, after: bytes) -> None:
    """Swap in new contents through a temp file; refuse if the file no longer holds `before`.

    A link is followed: the file it points to gets the new contents, the link stays a link.
    """
    path = Path(os.path.realpath(path))
    tmp = temp_path(path)
    info = path.stat()
    try:
        with open(tmp, "wb") as f:
            _keep_owner(f.fileno(), info)
            f.write(after)
            f.flush()
            os.fsync(f.fileno())
        if _before_rename:
            _before_rename(tmp)
        if read_case_file(path) != before:
            raise WriteRefused(f"{path} changed while dun was writing (an editor?); nothing was written, "
                               "run the command again")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    if read_case_file(path) != after:
        raise WriteRefused(f"{path}: the file does not hold what dun wrote; check it with 'dun check'")


def write_out(path: Path, data: bytes) -> None:
    """A file dun makes for the user (a letter, a statement, a page, a PDF to print): written whole
    to a temp file beside it, then renamed into place, so that nobody reads half of it and an old
    file gives way only to a complete new one. A link stays a link (the file it names gets the
    data); a device or a named pipe (``-o /dev/null``) is written to as it is, never replaced."""
    import stat

    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        regular = True  # a new file
    if not regular:
        with open(path, "wb") as f:
            f.write(data)
        return
    path = Path(os.path.realpath(path))
    tmp = temp_path(path)
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def temp_path(path: Path) -> Path:
    """The temp file a write goes through: hidden, named after the file and this process."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


_TEMP = re.compile(r"\.(.+)\.(\d+)\.tmp")


def stale_temp_files(folder: Path) -> list[Path]:
    """Temp files left by a dun process that was killed mid-write (its PID is gone)."""
    found = []
    for tmp in folder.glob(".*.tmp"):
        m = _TEMP.fullmatch(tmp.name)
        if m and not _alive(int(m.group(2))):
            found.append(tmp)
    return sorted(found)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or no PID at all: leave the file
    return True


def _clean_stale(folder: Path) -> None:
    for tmp in stale_temp_files(folder):
        tmp.unlink(missing_ok=True)


def _keep_owner(fd: int, info: os.stat_result) -> None:
    """The new file gets the old one's mode and group (a private 600 file stays private)."""
    os.fchmod(fd, info.st_mode & 0o7777)
    # not a member of that group: the file keeps the user's group, as any editor's save would
    with suppress(PermissionError):
        os.fchown(fd, -1, info.st_gid)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the cases folder: concurrent writers wait their turn."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as e:
        raise DunError(f"cannot open {folder}: {e.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _clean_stale(folder)
        yield
    finally:
        os.close(fd)


def write_file(path: Path, text: str) -> None:
    """Replace (or create) a small ledger data file atomically under the folder's lock."""
    with locked(path.parent):
        before = path.read_bytes() if path.exists() else None
        after = text.encode("utf-8")
        if before is not None:
            replace_file(path, before, after)
            return
        tmp = temp_path(path)
        try:
            tmp.write_bytes(after)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.link(tmp, path)  # fails if another writer created it meanwhile: nothing is overwritten
        except FileExistsError:
            raise WriteRefused(f"{path} appeared while dun was writing; nothing was written, run the command "
                               "again") from None
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)
