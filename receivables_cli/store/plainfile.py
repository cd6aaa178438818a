"""Only regular files: bounded reads of files dun is handed or finds, and writes that replace nothing.

A file dun reads (a statement, the rates CSV, the import log, an edited case) may be a link to
/dev/zero or a named pipe that a partner planted: it is opened without blocking, checked as the
open file, and read up to a limit, so nothing hangs and nothing fills the memory.

Files dun writes outside the ledger on request (`--csv FILE`) are new regular files. A device,
a named pipe or a folder at the path is never replaced (as root, `--csv /dev/full` replaced
the device node); an existing file only with --force, and then through its link, so a link
stays a link. The file is written to a temp file beside it and linked or renamed into
place, so a failed write leaves what was there.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from receivables_cli.domain.errors import DunError


class NotReadable(DunError):
    """A path that is not a regular file, or one larger than the limit for what it should hold."""


def read_regular(path: Path, limit: int, what: str = "the file") -> bytes:
    """The bytes of the regular file at `path` (links followed), at most `limit` of them, else NotReadable."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a named pipe must not block the open
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"{path}: {_kind(info)}, not a file; {what} must be a regular file")
        if info.st_size > limit:
            raise NotReadable(f"{path}: {info.st_size:,} bytes, more than {what} can be ({limit:,})")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew since the stat
                raise NotReadable(f"{path}: more than {limit:,} bytes, more than {what} can be")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_case_file(path: Path) -> bytes:
    """A case file's bytes, refused unread when it is no regular file or larger than a case file can be."""
    from receivables_cli.domain.yamltext import MAX_BYTES

    return read_regular(path, MAX_BYTES, "a case file")


def check_case_size(path: Path, size: int) -> None:
    """A write must leave a case file that every command still reads."""
    from receivables_cli.domain.errors import WriteRefused
    from receivables_cli.domain.yamltext import MAX_BYTES

    if size > MAX_BYTES:
        raise WriteRefused(f"{path}: the file would grow to {size:,} bytes, more than a case file can be "
                           f"({MAX_BYTES:,}); nothing was written")


def write_output(target: Path, data: bytes, force: bool, option: str = "--csv") -> None:
    """Write `data` to `target`: created new, or replacing a regular file with `force`."""
    real = Path(os.path.realpath(target))
    existing = _existing(real)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise DunError(f"{option} {target}: {_kind(existing)}, not a file; nothing was written (name a file)")
    if existing is not None and not force:
        raise DunError(f"{option} {target}: the file exists; nothing was written (add --force to replace it)")
    tmp = None
    try:
        import tempfile  # here: `dun today` reads through this module and writes nothing

        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _put(Path(tmp), real, replace=existing is not None)
    except FileExistsError:
        raise DunError(f"{option} {target}: a file appeared there meanwhile; nothing was written") from None
    except OSError as e:
        raise DunError(f"{target}: {e.strerror or 'cannot be written'}") from None
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def _put(tmp: Path, real: Path, replace: bool) -> None:
    if replace:
        if not stat.S_ISREG(os.lstat(real).st_mode):  # swapped for something else since the check
            raise FileExistsError(real)
        os.replace(tmp, real)
    else:
        os.link(tmp, real)  # fails if anything appeared at the path: nothing is overwritten


def _existing(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _kind(info: os.stat_result) -> str:
    if stat.S_ISDIR(info.st_mode):
        return "a folder"
    if stat.S_ISFIFO(info.st_mode):
        return "a named pipe"
    return "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket"
