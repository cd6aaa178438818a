"""The messages of a mail source, one at a time: a Maildir, an mbox, `.eml` files, or an IMAP folder.

Reading is the standard library's `mailbox` (and imapclient for IMAP); each message is read up
to `MAX_BYTES`, so a huge attachment is never read whole and a 10,000-message mbox passes
through in bounded memory (mailbox keeps only the messages' offsets).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables_cli.domain.errors import DunError

MAX_BYTES = 256 * 1024  # the text of a reply comes first; attachments beyond this are not read
IMAP_BATCH = 100


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A message's first MAX_BYTES and where it came from (`path`, `path#n`, `imap:FOLDER/UID`)."""

    source: str
    data: bytes


class SourceProblem(DunError):
    """A source that could not be read at all (a missing file, a refused IMAP login)."""


def count_hint(source: str) -> int | None:
    """How many messages a local source holds, for the progress bar (None: not known cheaply)."""
    path = Path(source)
    if source == "imap" or not path.exists():
        return None
    if _is_maildir(path):
        return sum(1 for sub in ("new", "cur") for p in (path / sub).iterdir() if p.is_file())
    if path.is_dir():
        return sum(1 for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    return _mbox_count(path)


def _mbox_count(path: Path) -> int | None:
    """The messages of an mbox: its 'From ' lines, counted in chunks (one quick pass, bounded memory)."""
    try:
        with open(path, "rb") as f:
            if f.read(5) != b"From ":
                return 1
            count, tail = 1, b""
            while chunk := f.read(1 << 20):
                count += (tail + chunk).count(b"\nFrom ")
                tail = chunk[-5:]
            return count
    except OSError:
        return None


def read_source(source: str, imap=None, since: date | None = None) -> Iterator[RawMessage]:
    """Every message of one source named on the command line; `imap`: dun.yaml's IMAP settings, if any."""
    if source == "imap":
        yield from _imap(imap, since)
        return
    path = Path(source)
    if not path.exists():
        raise SourceProblem(f"{source}: no such file or folder (name a Maildir, an mbox, .eml files, or 'imap')")
    if _is_maildir(path):
        yield from _maildir(path)
    elif path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
            yield from _file(child)
    elif path.is_file():
        yield from _file(path)
    else:
        raise SourceProblem(f"{source}: not a regular file or folder; nothing was read")


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _file(path: Path) -> Iterator[RawMessage]:
    """An mbox (it starts with a 'From ' line) or a single message."""
    try:
        with open(path, "rb") as f:
            head = f.read(5)
            if head == b"From ":
                yield from _mbox(path)
                return
            f.seek(0)
            yield RawMessage(str(path), f.read(MAX_BYTES))
    except OSError as e:
        raise SourceProblem(f"{path}: {e.strerror or 'cannot be read'}") from None


def _mbox(path: Path) -> Iterator[RawMessage]:
    import mailbox

    box = mailbox.mbox(str(path), factory=None, create=False)
    try:
        for n, key in enumerate(box.iterkeys(), 1):
            yield RawMessage(f"{path}#{n}", _first_bytes(box, key))
    finally:
        box.close()


def _maildir(path: Path) -> Iterator[RawMessage]:
    import mailbox

    box = mailbox.Maildir(str(path), factory=None, create=False)
    for key in sorted(box.iterkeys()):
        try:
            data = _first_bytes(box, key)
        except (KeyError, OSError):  # moved by a mail program meanwhile
            continue
        yield RawMessage(f"{path}/{key}", data)


def _first_bytes(box, key) -> bytes:
    f = box.get_file(key)
    try:
        return f.read(MAX_BYTES)
    finally:
        f.close()


def _imap(settings, since: date | None) -> Iterator[RawMessage]:
    """The messages of the configured IMAP folder, read-only (nothing is marked as seen)."""
    if settings is None:
        raise SourceProblem("imap: dun.yaml has no 'mail: {imap: {host, user, password_command}}'; "
                            "see docs/replies.md")
    client = _imap_login(settings)
    try:
        client.select_folder(settings.folder, readonly=True)
        uids = client.search(["SINCE", since] if since else ["ALL"])
        part = f"BODY.PEEK[]<0.{MAX_BYTES}>"
        for at in range(0, len(uids), IMAP_BATCH):
            fetched = client.fetch(uids[at:at + IMAP_BATCH], [part])
            for uid in uids[at:at + IMAP_BATCH]:
                data = next((v for k, v in fetched.get(uid, {}).items() if k.startswith(b"BODY[")), b"")
                yield RawMessage(f"imap:{settings.folder}/{uid}", data or b"")
    except _imap_errors() as e:
        raise SourceProblem(f"imap {settings.host}: {e}") from None
    finally:
        _quietly_logout(client)


def _imap_errors():
    import imaplib
    import socket
    import ssl

    from imapclient.exceptions import IMAPClientError

    return (IMAPClientError, imaplib.IMAP4.error, OSError, socket.timeout, ssl.SSLError)


def _imap_login(settings):
    import ssl

    from imapclient import IMAPClient

    password = imap_password(settings.password_command)
    port = settings.port or (993 if settings.tls == "tls" else 143)
    try:
        client = IMAPClient(settings.host, port=port, ssl=settings.tls == "tls", timeout=30,
                            ssl_context=ssl.create_default_context())
        if settings.tls == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(settings.user, password)
    except _imap_errors() as e:
        raise SourceProblem(f"imap {settings.host}:{port}: {_said(e)}") from None
    return client


def _said(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text.replace("b'", "").replace("'", "") if text.startswith("b'") else text


def _quietly_logout(client) -> None:
    import contextlib

    with contextlib.suppress(Exception):  # the connection may be gone already; the import is done either way
        client.logout()


def imap_password(command: str) -> str:
    """The first line the password command prints (`pass show mail`): run without a shell, never stored."""
    import shlex
    import subprocess

    try:
        argv = shlex.split(command)
        done = subprocess.run(argv, capture_output=True, timeout=60, check=False)
    except (ValueError, OSError, subprocess.TimeoutExpired) as e:
        raise SourceProblem(f"imap password_command {command!r}: {e}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceProblem(f"imap password_command exited {done.returncode}" + (f": {said[-1]}" if said else ""))
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise SourceProblem("imap password_command printed no password")
    return lines[0]
