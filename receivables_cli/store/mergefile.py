"""The git merge driver for case files: two appended histories become one, never fused.

A case file is a header the user edits and a history dun appends to. When both sides of a
merge appended, the result is the base's entries as they were, then both sides' new
entries in `at` order (ours before theirs on the same `at`), each entry byte for byte as
its side wrote it. The header is merged like any text: edited on both sides differently,
it is a normal git conflict. Anything that is not a plain append (an earlier entry edited
or removed) is left to git's own three-way merge of the whole file.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")
_AT = re.compile(r"^\s*-\s+at:\s*['\"]?([0-9][0-9: T-]*[0-9])")


@dataclass(frozen=True)
class Split:
    """A case file's text as its header (up to and including `history:`) and its entries' texts."""

    header: str
    entries: tuple[str, ...]


def split(text: str) -> Split | None:
    """The header and the history entries, or None when the layout is not the one dun appends to."""
    lines = text.splitlines(keepends=True)
    tops = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not tops or not lines[tops[-1]].startswith("history"):
        return None
    start = tops[-1] + 1
    items = [i for i in range(start, len(lines)) if re.match(r"( *)- ", lines[i])]
    if not items:
        return Split("".join(lines), ())
    indent = len(lines[items[0]]) - len(lines[items[0]].lstrip(" "))
    starts = [i for i in items if len(lines[i]) - len(lines[i].lstrip(" ")) == indent]
    ends = [*starts[1:], len(lines)]
    entries = tuple(_terminated("".join(lines[a:b])) for a, b in zip(starts, ends, strict=True))
    return Split("".join(lines[: starts[0]]), entries)


def _terminated(entry: str) -> str:
    return entry if entry.endswith("\n") else entry + "\n"


def merge(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """The merged text, and whether it merged cleanly (False: it holds conflict markers).

    Sides checked out with CRLF and with LF merge as one; the result takes ours' line ending.
    """
    if not any("\r\n" in t for t in (base, ours, theirs)):
        return _merge_lf(base, ours, theirs)
    merged, clean = _merge_lf(*(t.replace("\r\n", "\n") for t in (base, ours, theirs)))
    return (merged.replace("\n", "\r\n") if "\r\n" in ours else merged), clean


def _merge_lf(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    parts = [split(t) for t in (base, ours, theirs)]
    if not base.strip() and parts[1] and parts[2] and parts[1].header == parts[2].header:
        parts[0] = _common(parts[1], parts[2])  # add/add: both created the case; what they share is the base
    if any(p is None for p in parts) or not all(_appended(parts[0], p) for p in parts[1:]):
        return text_merge(base, ours, theirs)
    b, o, t = parts
    header, clean = _merge_header(b.header, o.header, t.header)
    return header + "".join(b.entries + _new_entries(b, o, t)), clean


def _common(ours: Split, theirs: Split) -> Split:
    shared = 0
    while shared < min(len(ours.entries), len(theirs.entries)) and ours.entries[shared] == theirs.entries[shared]:
        shared += 1
    return Split(ours.header, ours.entries[:shared])


def _appended(base: Split, side: Split) -> bool:
    return side.entries[: len(base.entries)] == base.entries


def _new_entries(base: Split, ours: Split, theirs: Split) -> tuple[str, ...]:
    """Both sides' new entries in `at` order, ours first on a tie; an entry both sides hold, once."""
    mine, yours = list(ours.entries[len(base.entries):]), list(theirs.entries[len(base.entries):])
    shared = 0
    while shared < min(len(mine), len(yours)) and mine[shared] == yours[shared]:
        shared += 1  # the same entries on both sides (a cherry-pick): keep them once
    new = mine + yours[shared:]
    keys = [_at(entry) for entry in new]
    if None in keys:
        return tuple(new)  # an `at` dun cannot read: keep the sides' order, `dun check` names it
    return tuple(entry for _, entry in sorted(zip(keys, new, strict=True), key=lambda pair: pair[0]))


def _at(entry: str) -> str | None:
    """The entry's `at` as sortable text (`2026-10-20` sorts before `2026-10-20 09:00`)."""
    m = _AT.match(entry)
    return m.group(1).replace("T", " ") if m else None


def _merge_header(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    if ours == theirs or theirs == base:
        return ours, True
    if ours == base:
        return theirs, True
    return text_merge(base, ours, theirs)


def text_merge(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """git's own three-way merge of the texts, with conflict markers where both sides changed a line."""
    merged, clean = _git_merge_file(*(t.encode("utf-8") for t in (base, ours, theirs)))
    return merged.decode("utf-8"), clean


def _git_merge_file(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
    with tempfile.TemporaryDirectory(prefix="dun-merge-") as folder:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(str(path))
        done = subprocess.run(["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", *paths],
                              capture_output=True)
    if done.returncode < 0 or done.returncode > 127:
        raise OSError(f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout, done.returncode == 0


def merge_files(base: Path, ours: Path, theirs: Path) -> bool:
    """The driver: merge into `ours` as git asks (%O %A %B); True when clean."""
    data = [p.read_bytes() for p in (base, ours, theirs)]
    try:
        texts = [d.decode("utf-8") for d in data]
    except UnicodeDecodeError:  # not a case file dun can read: git's own merge, byte for byte
        try:
            merged, clean = _git_merge_file(*data)
        except OSError:
            from receivables_cli.domain.errors import DunError

            raise DunError(f"{ours}: cannot merge, a side is binary (not a case file); ours is left as it was "
                           "and git reports a conflict") from None
    else:
        text, clean = merge(*texts)
        merged = text.encode("utf-8")
    ours.write_bytes(merged)
    return clean
