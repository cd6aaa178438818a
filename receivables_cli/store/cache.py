"""Caches kept outside the ledger in the user's cache folder: parsed case files and computed agendas.

An entry is used only while the file's size, modification time, change time (ns) and inode
are the ones it was read at, and it always keeps a digest of the bytes it was parsed from:
a file modified within the last few seconds is hashed again and used only while its
content still matches (git's "racily clean" problem). Since `touch -d` or any write moves
the change time, an edit that keeps the size and resets the modification time is caught
too. Any change to dun's parsing code or version discards the cache.

The cache holds data, never code: marshal of plain values (str, int, tuples, dicts), turned
back into records by `model`. Its folder is created private (0700); a folder or file that
another user owns or others may write to is not read, not written, and named once.
"""

from __future__ import annotations

import marshal
import os
import stat as stat_mod
import sys
import time
from pathlib import Path

from receivables_cli import __version__

RACY_SECONDS = 3.0
_PARSERS = ("domain/model.py", "domain/reader.py", "store/casefile.py", "store/fastcase.py", "domain/yamltext.py",
            "store/fastyaml.py", "store/cache.py")


def cache_dir() -> Path:
    """$DUN_CACHE_DIR, else $XDG_CACHE_HOME/dun, else ~/.cache/dun."""
    if os.environ.get("DUN_CACHE_DIR"):
        return Path(os.environ["DUN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dun"


switched_off = False  # set by --no-cache
_refused: set[str] = set()  # folders already named as unsafe in this process


def start(no_cache: bool) -> None:
    """A command begins: --no-cache, and an unsafe folder is named again."""
    global switched_off
    switched_off = no_cache
    _refused.clear()


def enabled() -> bool:
    return not switched_off and os.environ.get("DUN_NO_CACHE", "") in ("", "0")


def _unsafe(st: os.stat_result) -> bool:
    return st.st_uid != os.geteuid() or bool(st.st_mode & 0o022)


def private_folder(create: bool = True, say: bool = True) -> Path | None:
    """The cache folder (created 0700), or None when it is not safe to use: one line says why (with `say`)."""
    folder = cache_dir()
    try:
        if create and not folder.exists():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return None
    if stat_mod.S_ISDIR(st.st_mode) and not _unsafe(st):
        return folder
    if say and str(folder) not in _refused:
        _refused.add(str(folder))
        mode = f"{st.st_mode & 0o777:o}"
        if not stat_mod.S_ISDIR(st.st_mode):
            print(f"dun: not using the cache in {folder}: it is not a folder; running without it (remove it, or "
                  "point DUN_CACHE_DIR at a folder)", file=sys.stderr)
            return None
        why = "is owned by another user" if st.st_uid != os.geteuid() else f"is writable by others (mode {mode})"
        print(f"dun: not using the cache in {folder}: it {why}; running without it (chmod 700 {folder} to use it)",
              file=sys.stderr)
    return None


def read_private(path: Path) -> bytes | None:
    """A cache file's bytes, if it is a regular file of this user that no one else may write."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO planted there: no hang
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode) or _unsafe(st):  # a folder there, too, is no cache file
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Replace a cache file atomically (a temp file of mode 0600 renamed into place)."""
    try:
        import tempfile  # here: most runs write nothing

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only slower, never wrong


def load_plain(data: bytes | None):
    """marshal data holding only plain values, or None (a code object is refused, never run)."""
    if not data:
        return None
    try:
        value = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return value if _plain(value, len(data)) else None


_ATOMS = frozenset({str, int, float, bytes, bool, type(None)})


def _plain(value, budget: int) -> bool:
    """Only plain values, walked without recursion. Each container costs at least a byte of
    marshal (a shared one a reference of five): more containers than bytes is a crafted cycle."""
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind in _ATOMS:
            continue
        budget -= 1
        if budget < 0:
            return False
        if kind is tuple or kind is list:
            push(item)
        elif kind is dict:
            push(item)
            push(item.values())
        else:
            return False
    return True


def _stamp_of(names: tuple[str, ...]) -> tuple:
    here = Path(__file__).parents[1]
    return tuple((s.st_size, s.st_mtime_ns) for s in (os.stat(here / n) for n in names))


def _code_stamp() -> tuple:
    here = Path(__file__).parents[1]
    return (__version__, *((s.st_size, s.st_mtime_ns) for s in (os.stat(here / n) for n in _PARSERS)))


def file_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def young(stat: os.stat_result) -> bool:
    """Modified (or its inode changed) so recently that a second change may not move the times."""
    return time.time() - max(stat.st_mtime, stat.st_ctime) < RACY_SECONDS


def digest(data: bytes) -> bytes:
    """The content's digest (a UTF-8 byte order mark aside, as the text read has none)."""
    import hashlib  # here: a cold run (--no-cache) needs no hashing

    return hashlib.blake2b(data[3:] if data[:3] == b"\xef\xbb\xbf" else data, digest_size=16).digest()


def _file_digest(path: Path) -> bytes | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def _cache_file(kind: str, root: Path, create: bool = True) -> Path | None:
    """Where the cache of this kind for the ledger at `root` lives (None: no safe cache folder).

    The name is two checksums of the ledger's path (zlib's, loaded with the interpreter's shutil;
    hashlib would load OpenSSL for it): two ledgers that shared a name would only take turns, as
    every entry is checked against its file's size, times and inode.
    """
    import zlib

    path = str(root.resolve()).encode("utf-8", "surrogateescape")
    name = f"{zlib.crc32(path):08x}{zlib.adler32(path):08x}"
    folder = private_folder(create)
    return folder / f"{kind}-{name}.marshal" if folder else None


def small_parse_cache(root: Path, limit: int) -> bool:
    """Whether the ledger's parse cache is at most `limit` bytes (or not yet written): then it
    loads faster than rapidyaml does, and one case is read from it too (`dun show`, a letter)."""
    if not enabled():
        return False
    path = _cache_file("cases", root, create=False)
    try:
        return path is not None and os.stat(path).st_size <= limit
    except FileNotFoundError:
        return True
    except OSError:
        return False


class _StampedFile:
    """Entries by case file name in a private marshal file, kept only while its stamp holds."""

    def _open(self, kind: str, root: Path, stamp: str) -> None:
        self.path = _cache_file(kind, root)
        self.stamp = stamp
        self.entries: dict = {}
        self.dirty = False
        found = load_plain(read_private(self.path)) if self.path else None
        if isinstance(found, tuple) and len(found) == 2 and found[0] == stamp and isinstance(found[1], dict):
            self.entries = found[1]

    def save(self, keep: set[str] | None = None) -> None:
        """Write the cache file, forgetting the entries of case files that no longer exist."""
        if keep is not None and set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self.dirty = True
        if self.dirty and self.path is not None:
            write_private(self.path, marshal.dumps((self.stamp, self.entries)))
            self.dirty = False


class ParseCache(_StampedFile):
    """Parsed case files of one ledger, in one cache file: {name: (key, digest, record)}.

    A record is what `model.case_record` makes of a case (or None) and the problems as (line, message).
    """

    def __init__(self, root: Path):
        self._open("cases", root, repr(_code_stamp()))

    def get(self, path: Path, stat: os.stat_result):
        """(case, problems) as parsed from the bytes the file holds now, or None."""
        entry = self.entries.get(path.name)
        if entry is None or tuple(entry[0]) != file_key(stat):
            return None
        if young(stat) and _file_digest(path) != entry[1]:
            return None  # changed within the time stamps' granularity: its content decides
        return _result(path, entry[2])

    def get_content(self, path: Path, data: bytes):
        """(case, problems) if these exact bytes were parsed before, else None."""
        found = self.get_content_and_record(path, data)
        return found[0] if found is not None else None

    def get_content_and_record(self, path: Path, data: bytes):
        """((case, problems), the case's plain record) if these exact bytes were parsed before, else None."""
        entry = self.entries.get(path.name)
        if entry is None or entry[1] != digest(data):
            return None
        result = _result(path, entry[2])
        return (result, entry[2][0]) if result is not None else None

    def get_record(self, path: Path, data: bytes):
        """The plain record (model.case_record) of a case parsed from these exact bytes without a
        problem, else None; for a caller that may not need the case rebuilt at all (an append)."""
        entry = self.entries.get(path.name)
        if entry is None or entry[1] != digest(data):
            return None
        from receivables_cli.domain.model import RECORD_LENGTH, record_history

        try:
            plain, problems = entry[2]
            history = record_history(plain)
            if problems or len(plain) != RECORD_LENGTH or not isinstance(history, (tuple, list)) or \
                    not all(type(r) is dict for r in history[-1:]):
                return None
        except (TypeError, ValueError, IndexError):
            return None
        return plain

    def put(self, path: Path, stat: os.stat_result, result, data: bytes, plain=None) -> None:
        """Remember the parse of `data`, the bytes read from the file after `stat` was taken
        (`plain`: the case's record, when the caller has it already)."""
        from receivables_cli.domain.model import case_record

        case, problems = result
        if plain is None and case is not None:
            plain = case_record(case)
        record = (plain, [(p.line, p.message) for p in problems])
        self.entries[path.name] = (file_key(stat), digest(data), record)
        self.dirty = True

def _result(path: Path, record):
    from receivables_cli.domain.errors import Problem
    from receivables_cli.domain.model import case_from_record

    try:
        case = case_from_record(path, record[0]) if record[0] is not None else None
        return case, [Problem(path, line, message) for line, message in record[1]]
    except (TypeError, ValueError, IndexError, KeyError, ArithmeticError):
        return None  # an entry of another shape: parse the file again


def _package_stamp() -> tuple:
    """Every module and data file of dun (name, size, time), so that any change to the rules
    discards computed agendas. One scandir walk: a stat per file, no Path objects."""
    found: list[tuple[str, int, int]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        walk(entry.path, prefix + entry.name + "/")
                elif entry.name.endswith(".py") or prefix.startswith("data/"):
                    st = entry.stat()
                    found.append((prefix + entry.name, st.st_size, st.st_mtime_ns))

    walk(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")
    return (__version__, *sorted(found))


class AgendaCache(_StampedFile):
    """The actions computed for each case file on one day, for one dun.yaml and one version of dun.

    A second `dun today` on the same day only stats the files; a changed file is parsed again.
    """

    def __init__(self, root: Path, *key):
        self._open("agenda", root, _agenda_stamp(root, key))

    def get(self, name: str, stat: os.stat_result):
        found = self.entries.get(name)
        return found[1] if found is not None and tuple(found[0]) == file_key(stat) else None

    def put(self, name: str, stat: os.stat_result, value) -> None:
        if not young(stat):  # a young file may change again unseen: compute it again next time
            self.put_key(name, file_key(stat), value)

    def put_key(self, name: str, key, value) -> None:
        """Keep `value` under a key taken (by a worker) from a file that was not young."""
        self.entries[name] = (tuple(key), value)
        self.dirty = True


def _agenda_stamp(root: Path, key: tuple) -> str:
    """What computed agendas depend on besides the case files: dun itself, dun.yaml, rates.csv, the day."""
    config = root / "dun.yaml"
    conf = file_key(config.stat()) if config.is_file() else None
    rates = root / "rates.csv"  # the ledger's base rates change interest, and with claim: accrued, open
    conf = (conf, file_key(rates.stat()) if rates.is_file() else None)
    return repr((_package_stamp(), conf, *key))


class TemplateCache(_StampedFile):
    """The ledger's letter templates `dun check` found sound, by the digest of their text.

    Kept for one version of dun and one dun.yaml (by its digest): a template is rendered again
    only when its text changed; one with a problem is never kept, so it is reported every run.
    """

    def __init__(self, root: Path):
        config = _file_digest(root / "dun.yaml")
        self._open("templates", root, repr((_package_stamp(), config.hex() if config else None)))

    def sound(self, name: str, data: bytes) -> bool:
        return enabled() and self.entries.get(name) == digest(data)

    def keep(self, name: str, data: bytes) -> None:
        if enabled():
            self.entries[name] = digest(data)
            self.dirty = True


class KnownGood(_StampedFile):
    """Values a slow check found sound (the creditor's IBAN, by schwifty), for one version of dun:
    a letter asks it again only for a value it has not seen pass."""

    def __init__(self, kind: str):
        self._open(kind, Path("/"), repr((__version__,)))

    def sound(self, value: str) -> bool:
        return enabled() and value in self.entries

    def keep(self, value: str) -> None:
        if enabled():
            self.entries[value] = True
            self.dirty = True
            self.save()


class Remembered(_StampedFile):
    """Values worked out from a text, by the text, for one version of dun's parsers: rapidyaml's
    JSON of a ledger's dun.yaml, a letter template's front matter (its subject and needs). The
    text itself is the key, so a changed text is worked out afresh whatever its time stamps say.

    `entries` is a plain dict the caller reads and adds to; `save_if_grown` writes what was added
    or replaced (an entry found unusable), the newest `limit` texts (old versions of an edited file
    are dropped).
    """

    def __init__(self, kind: str, root: Path = Path("/"), code: tuple[str, ...] = (), limit: int = 256):
        """`root`: the ledger, for values of its own; `code`: further modules (below the package)
        whose change makes the values stale."""
        self.path, self.entries, self.dirty, self.limit = None, {}, False, limit
        if enabled():  # with --no-cache the file is not even opened
            self._open(kind, root, repr((_code_stamp(), _stamp_of(code))))
        self._loaded = dict(self.entries)

    def save_if_grown(self) -> None:
        if not enabled() or not self._changed():
            return
        if len(self.entries) > self.limit:
            self.entries = dict(list(self.entries.items())[-self.limit:])
        self.dirty = True
        self.save()
        self._loaded = dict(self.entries)

    def _changed(self) -> bool:
        loaded = self._loaded
        return len(self.entries) != len(loaded) or any(loaded.get(k, loaded) is not v for k, v in self.entries.items())


class WholeAgenda(_StampedFile):
    """The last `dun today --json` of a ledger for one day, with the stat of every case file it read.

    When no file has changed since (the same names, and each with the same stat key), the text
    is the answer: a warm run reads one file instead of an entry per case. It is kept only when
    no case file was young, as the agenda cache's entries are.
    """

    def __init__(self, root: Path, *key):
        self._open("today", root, _agenda_stamp(root, key))

    @staticmethod
    def signature(stats: dict[str, os.stat_result]) -> bytes:
        listing = [(name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) for name, st in stats.items()]
        import hashlib

        return hashlib.blake2b(marshal.dumps(listing), digest_size=16).digest()

    def get(self, stats: dict[str, os.stat_result]):
        """(JSON text, [(file name, line, message)]) when every case file is as it was, else None."""
        found = self.entries.get("agenda")
        if not (isinstance(found, tuple) and len(found) == 3 and found[0] == self.signature(stats)):
            return None
        return found[1], found[2]

    def put(self, stats: dict[str, os.stat_result], text: str, trouble: list) -> None:
        newest = max((max(st.st_mtime, st.st_ctime) for st in stats.values()), default=0)
        if time.time() - newest >= RACY_SECONDS:
            self.entries = {"agenda": (self.signature(stats), text, trouble)}
            self.dirty = True
        elif self.entries:
            self.entries, self.dirty = {}, True


def holiday_file(country: str, region: str | None, year: int) -> Path | None:
    """Where the holidays of a year are kept, named after the installed holidays package.

    Not a parse cache: --no-cache leaves it on (the package's data only changes with the package).
    """
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    folder = private_folder()
    if spec is None or spec.origin is None or folder is None:
        return None
    stat = os.stat(spec.origin)
    return folder / "holidays" / f"{country}-{region or ''}-{year}-en_US-{stat.st_size}-{stat.st_mtime_ns}.json"


def write_json(path: Path, value) -> None:
    import json

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    write_private(path, json.dumps(value).encode())
