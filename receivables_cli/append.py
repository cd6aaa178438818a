"""Append one event to a case file: never re-serialise, never lose a byte.

The new entry is YAML text added after the last byte of the file. Under a lock on the
cases folder (parallel `dun` processes queue), the file is read, the entry rendered,
the result parsed and checked to be the old events plus the new one, written to a temp
file beside it, fsynced, and renamed into place only if the file has not changed since
it was read.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from receivables_cli.casefile import load_case
from receivables_cli.errors import DunError, InvalidData, WriteRefused
from receivables_cli.model import Case, Payable
from receivables_cli.money import fmt
from receivables_cli.yamltext import _Loader

Entry = dict  # ordered field -> value (str, date, datetime, Decimal, Payable, list[Payable])
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
# test hook: called between the fsynced temp file and the rename (crash-safety tests)
_before_rename: Callable[[Path], None] | None = None


def append_event(path: Path, make_entry: Callable[[Case], Entry | list[Entry]]) -> str:
    """Append the entry (or entries) that `make_entry` builds from the current case; return the text."""
    with _locked(path.parent):
        before = path.read_bytes()
        text = before.decode("utf-8-sig")
        case, problems = load_case(path, text)
        if problems:
            raise InvalidData(problems)
        made = make_entry(case)
        entries = made if isinstance(made, list) else [made]
        newline = "\r\n" if "\r\n" in text else "\n"
        indent = _item_indent(path, text)
        addition = _separator(text, newline) + "".join(render_entry(e, indent, newline) for e in entries)
        after = before + addition.encode()
        _verify(path, case, after.decode("utf-8-sig"), entries)
        _replace(path, before, after)
    return addition.strip("\r\n")


def render_entry(entry: Entry, indent: int, newline: str = "\n") -> str:
    """The YAML text of one history item at the given indent."""
    pad = " " * indent
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lead = pad + ("- " if i == 0 else "  ")
        if isinstance(value, Payable):
            lines.append(f"{lead}{key}: {_payable(value)}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{lead}{key}:")
            lines.extend(f"{pad}    - {_payable(p)}" for p in value)
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return newline.join(lines) + newline


def scalar(value) -> str:
    """A value as YAML text that dun reads back as exactly this value."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if _plain_ok(text) else json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str) -> bool:
    """Whether YAML reads this text back unchanged without quotes (dun verifies it anyway)."""
    return (bool(text) and text == text.strip() and text.isprintable() and text[0] not in _INDICATORS
            and ": " not in text and " #" not in text and not text.endswith(":")
            and text.lower() not in _RESERVED)


def _payable(p: Payable) -> str:
    return f"{{amount: {fmt(p.amount)}, by: {p.by.isoformat()}}}"


def _separator(text: str, newline: str) -> str:
    return "" if not text or text.endswith(("\n", "\r")) else newline


def _item_indent(path: Path, text: str) -> int:
    """Where the dash of a new history item goes, read from the file's own layout."""
    root = yaml.compose(text, Loader=_Loader)
    keys = [k.value for k, _ in root.value]
    if "history" not in keys:
        raise WriteRefused(f"{path}: the file has no 'history:' key; add 'history:' as its last line")
    if keys[-1] != "history":
        raise WriteRefused(f"{path}: 'history:' must be the last key of the file (it is followed by "
                           f"'{keys[-1]}:'); move '{keys[-1]}:' above 'history:' so dun can append")
    node = dict((k.value, v) for k, v in root.value)["history"]
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        raise WriteRefused(f"{path}:{node.start_mark.line + 1}: history is written inline ([...]); "
                           "write it as a block list, one '- at:' item per entry")
    if isinstance(node, yaml.SequenceNode) and node.value:
        line = text.splitlines()[node.value[0].start_mark.line]
        stripped = line.lstrip(" ")
        if stripped.startswith("-"):
            return len(line) - len(stripped)
    return 2


def _verify(path: Path, case: Case, text: str, entries: list[Entry]) -> None:
    after, problems = load_case(path, text)
    if problems or after is None:
        raise WriteRefused(f"{path}: the new entry would not read back ({problems[0] if problems else 'empty'}); "
                           "nothing was written")
    n = len(entries)
    if len(after.history) != len(case.history) + n or after.history[:-n] != case.history:
        raise WriteRefused(f"{path}: appending would change earlier entries; nothing was written")
    for new, entry in zip(after.history[-n:], entries, strict=True):
        for key, value in entry.items():
            got = getattr(new, "with_" if key == "with" else key)
            if key == "at":
                got = new.at if new.timed else new.at.date()
            if isinstance(value, list):
                value = tuple(value)
            if got != value:
                raise WriteRefused(f"{path}: the new entry's {key} would read back as {got!r}; nothing was written")


def _replace(path: Path, before: bytes, after: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(after)
            f.flush()
            os.fsync(f.fileno())
        if _before_rename:
            _before_rename(tmp)
        if path.read_bytes() != before:
            raise WriteRefused(f"{path} changed while dun was writing (an editor?); nothing was written, "
                               "run the command again")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    if path.read_bytes() != after:
        raise WriteRefused(f"{path}: the file does not hold what dun wrote; check it with 'dun check'")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the cases folder: concurrent writers wait their turn."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as e:
        raise DunError(f"cannot open {folder}: {e.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def create_case(path: Path, text: str) -> None:
    """Write a new case file atomically; refuse if one exists, never overwrite."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with _locked(path.parent):
        try:
            tmp.write_text(text, encoding="utf-8", newline="")
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.link(tmp, path)  # fails if the path exists: no overwrite, no race
        except FileExistsError:
            raise DunError(f"{path} exists already; add to it with 'dun invoice {path.stem} ...'") from None
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)
