"""Append one event to a case file: never re-serialise, never lose a byte.

The new entry is YAML text added after the last byte of the file. Under a lock on the
cases folder (parallel `dun` processes queue), the file is read, the entry rendered, and
the result checked to read back as the old events plus the new ones; then it is written
to a temp file beside it, fsynced, and renamed into place only if the file has not
changed since it was read.

The check parses the old last entry together with the new text, not the whole file: the
old bytes stay an exact prefix, so only the seam can change meaning (a block scalar that
swallows the new lines, a wrong indent). That keeps an append as cheap for a case of
5,000 events as for one of ten.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.amounts import fmt
from receivables_cli.domain.errors import DunError, InvalidData, WriteRefused
from receivables_cli.domain.guards import check_lengths
from receivables_cli.domain.model import KEYWORD_FIELDS, Case, Payable
from receivables_cli.store.gitstep import GitStep
from receivables_cli.store.plainfile import check_case_size, read_case_file
from receivables_cli.store.safewrite import fsync_dir, locked, replace_file, temp_path

Entry = dict  # ordered field -> value (str, date, datetime, Decimal, Payable, list[Payable])
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def append_event(path: Path, make_entry: Callable[[Case], Entry | list[Entry]] | Entry | list[Entry],
                 git: GitStep | None = None) -> str:
    """Append the entry (or entries) that `make_entry` builds from the current case; return the text.

    `make_entry` may also be the entry itself, when it does not depend on the case: then a big
    case that the parse cache holds is not rebuilt at all (only its last event is, for the check).
    With `git`, the file is committed before the lock is let go (see gitstep).
    """
    with locked(path.parent):
        if git is not None:
            git.ready()
        before = read_case_file(path)
        text = before.decode("utf-8-sig")
        store = _store(path, len(before))
        current = _Current(path, text, store)
        made = make_entry(current.case()) if callable(make_entry) else make_entry
        entries = made if isinstance(made, list) else [made]
        check_lengths(entries, str(path))
        newline = "\r\n" if "\r\n" in text else "\n"
        layout = _layout(path, text)
        stamp = _stamp(path.parent)
        addition = _separator(text, newline) + "".join(render_entry(e, layout.indent, newline, stamp)
                                                       for e in entries)
        seam_line = text.count("\n", 0, layout.last_item) + 1
        new_events = _verify(path, current.last(), text[layout.last_item:] + addition, entries, seam_line)
        after = before + addition.encode()
        check_case_size(path, len(after))
        replace_file(path, before, after)
        _remember(store, path, current, new_events, after)
        if git is not None:
            git.commit(addition.strip("\r\n"))
    return addition.strip("\r\n")


def _store(path: Path, size: int):
    """The parse cache, for a file big enough that parsing it costs more than loading the cache."""
    from receivables_cli.store import cache
    from receivables_cli.store.ledger import BIG_FILE

    return cache.ParseCache(path.parent.parent) if cache.enabled() and size > BIG_FILE else None


class _Current:
    """The case as `text` (the bytes just read under the lock) holds it: the cache's plain record
    of those bytes where it has one, the parse otherwise; the records are built only when asked for."""

    def __init__(self, path: Path, text: str, store):
        self.path, self.text, self._case = path, text, None
        self.record = store.get_record(path, text.encode()) if store is not None else None
        if self.record is None:
            self._parse()

    def _parse(self) -> None:
        from receivables_cli.store.ledger import parse_case

        case, problems = parse_case(self.path, self.text)
        if problems:
            raise InvalidData(problems)
        self._case, self.record = case, None

    def case(self) -> Case:
        if self._case is None:
            from receivables_cli.domain.model import case_from_record

            try:
                self._case = case_from_record(self.path, self.record)
            except (TypeError, ValueError, KeyError, IndexError, ArithmeticError):
                self._parse()  # a record of another shape: the text says what the case is
        return self._case

    def last(self) -> tuple:
        """The last event (or none), which the check reads back with the new text."""
        if self._case is None:
            from receivables_cli.domain.model import event_from_record, record_history

            try:
                return tuple(event_from_record(r) for r in record_history(self.record)[-1:])
            except (TypeError, ValueError, KeyError, IndexError, ArithmeticError):
                self._parse()
        return self._case.history[-1:]


def _remember(store, path: Path, current: _Current, new_events, written: bytes) -> None:
    """Put the case as now written into the parse cache, so the next command need not parse it.

    It is filed under the digest of the bytes this append wrote: were the file changed since,
    the digest or the file's times tell, and the entry is not used.
    """
    if store is None:
        return
    grown = _grown(current.record, new_events)
    case = None if grown is not None else replace(current.case(), history=current.case().history + new_events)
    store.put(path, path.stat(), (case, []), written, grown)
    store.save()


def _grown(record: tuple | None, events) -> tuple | None:
    """The cache's record of a case with `events` appended: only the new events are made plain."""
    from receivables_cli.domain.model import grown_record

    return grown_record(record, events) if record is not None else None


def _stamp(folder: Path) -> str:
    """In a git clone, a comment that makes the first line of each appended entry unique.

    Where dun's merge driver is not set up, git merges case files with `merge=union`, which
    takes lines both sides added alike (`- at: 2026-10-20`, `event: note`) as one and fuses
    two entries into one; a first line that differs keeps them apart.
    """
    if not any((d / ".git").exists() for d in (folder, *folder.parents)):
        return ""
    return datetime.now().strftime("  # recorded %Y-%m-%d %H:%M:%S.%f")


def render_entry(entry: Entry, indent: int, newline: str = "\n", stamp: str = "") -> str:
    """The YAML text of one history item at the given indent (`stamp`: a comment on its first line)."""
    pad = " " * indent
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lead = pad + ("- " if i == 0 else "  ")
        if isinstance(value, Payable):
            lines.append(f"{lead}{key}: {_payable(value)}")
        elif isinstance(value, dict):  # a small flow mapping: discount {percent, days}
            lines.append(f"{lead}{key}: {{{', '.join(f'{k}: {scalar(v)}' for k, v in value.items())}}}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{lead}{key}:")
            lines.extend(f"{pad}    - {_payable(p)}" for p in value)
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    lines[0] += stamp
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


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$", re.M)


class _Layout:
    """Where new entries go: the indent of the history items, and where the last one starts."""

    def __init__(self, indent: int, last_item: int):
        self.indent, self.last_item = indent, last_item


def _layout(path: Path, text: str) -> _Layout:
    """Read the layout from the text of a file that parsed: top-level keys start at column 0."""
    keys = [k for k in (_TOP_KEY.match(text, at) for at in _top_starts(text)) if k]
    if not keys or "history" not in [k.group(1) for k in keys]:
        raise WriteRefused(f"{path}: the file has no 'history:' key; add 'history:' as its last line")
    last = keys[-1]
    if last.group(1) != "history":
        raise WriteRefused(f"{path}: 'history:' must be the last key of the file (it is followed by "
                           f"'{last.group(1)}:'); move '{last.group(1)}:' above 'history:' so dun can append")
    rest = last.group(2).split("#")[0].strip()
    if rest and rest not in ("~", "null"):
        line = text.count("\n", 0, last.start()) + 1
        raise WriteRefused(f"{path}:{line}: history is written inline ({rest[:20]}); write it as a block list, "
                           "one '- at:' item per entry")
    first = _ITEM.search(text, last.end())
    if first is None:
        return _Layout(2, len(text))
    indent = len(first.group(1))
    # the last line with the first item's indent and a dash (a block scalar's lines are indented deeper)
    at = text.rfind("\n" + " " * indent + "- ", first.start())
    return _Layout(indent, max(at + 1, first.start()))


_ITEM = re.compile(r"^( *)- ", re.M)
_LINE_WITH_KEY = re.compile(r"\n(?=[A-Za-z_])")


def _top_starts(text: str):
    """Where the lines that may hold a top-level key start (a letter or _ in the first column)."""
    yield 0
    for m in _LINE_WITH_KEY.finditer(text):
        yield m.end()


def _verify(path: Path, last: tuple, seam: str, entries: list[Entry], seam_line: int) -> tuple:
    """The old last entry (`last`: it, or nothing) and the new text must read back as that entry
    plus the new ones. Returns the new events, with the line numbers they have in the file.
    """
    from receivables_cli.store.ledger import parse_case

    probe = "customer: {name: x}\nhistory:\n" + seam
    after, problems = parse_case(path, probe)  # the fast path where it reads the probe, as it reads the file
    if problems or after is None:
        raise WriteRefused(f"{path}: the new entry would not read back ({problems[0].message if problems else ''}); "
                           "nothing was written")
    old = list(after.history[: len(after.history) - len(entries)])
    if len(after.history) != len(entries) + len(last) or \
            [replace(e, line=0) for e in old] != [replace(e, line=0) for e in last]:
        raise WriteRefused(f"{path}: appending would change earlier entries; nothing was written")
    for new, entry in zip(after.history[len(old):], entries, strict=True):
        for key, value in entry.items():
            got = getattr(new, KEYWORD_FIELDS.get(key, key))
            if key == "at":
                got = new.at if new.timed else new.at.date()
            if isinstance(value, list):
                value = tuple(value)
            if got != value:
                raise WriteRefused(f"{path}: the new entry's {key} would read back as {got!r}; nothing was written")
    shift = seam_line - 3  # the probe puts the seam on its third line
    return tuple(replace(e, line=e.line + shift) for e in after.history[len(old):])


def create_case(path: Path, text: str, git: GitStep | None = None) -> None:
    """Write a new case file atomically; refuse if one exists, never overwrite; maybe commit it."""
    _check_new_case(path, text)
    tmp = temp_path(path)
    with locked(path.parent):
        if git is not None:
            git.ready()
        try:
            tmp.write_text(text, encoding="utf-8", newline="")
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.link(tmp, path)  # fails if the path exists: no overwrite, no race
        except FileExistsError:
            raise DunError(f"{path} exists already; add to it with 'dun invoice {path.stem} ...'") from None
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)
        if git is not None:
            git.commit(text.rstrip("\n"))


def _check_new_case(path: Path, text: str) -> None:
    """A new case within the limits: its size, and each of its fields (a case that parses; one that
    does not is refused by its writer with the parse's problems)."""
    from receivables_cli.store.casefile import load_case

    check_case_size(path, len(text.encode("utf-8")))
    case, _problems = load_case(path, text)
    if case is not None:
        check_lengths(case, str(path))


