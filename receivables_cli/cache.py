"""An optional cache of parsed case files, kept outside the ledger in the user's cache folder.

An entry is used only while the file's size, modification time (ns) and inode are the
ones it was parsed at. For a file modified within two seconds of being cached, the entry
also keeps a hash of its content and is used only while the content still matches, so
an edit inside the file system's timestamp granularity is never served stale (git's
"racily clean" problem). Any change to dun's parsing code or version discards the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from receivables_cli import __version__

RACY_SECONDS = 2.0
_PARSERS = ("model.py", "casefile.py", "yamltext.py", "cache.py")


def cache_dir() -> Path:
    """$DUN_CACHE_DIR, else $XDG_CACHE_HOME/dun, else ~/.cache/dun."""
    if os.environ.get("DUN_CACHE_DIR"):
        return Path(os.environ["DUN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dun"


switched_off = False  # set by --no-cache


def enabled() -> bool:
    return not switched_off and os.environ.get("DUN_NO_CACHE", "") in ("", "0")


def _code_stamp() -> tuple:
    here = Path(__file__).parent
    return (__version__, *((s.st_size, s.st_mtime_ns) for s in (os.stat(here / n) for n in _PARSERS)))


def file_key(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


class ParseCache:
    """Parsed case files of one ledger, one small cache file per case file."""

    def __init__(self, root: Path):
        digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
        self.folder = cache_dir() / f"cases-{digest}"
        self.stamp = _code_stamp()

    def get(self, path: Path, stat: os.stat_result):
        try:
            with open(self.folder / f"{path.name}.pickle", "rb") as f:
                stamp, key, digest, value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None
        if stamp != self.stamp or key != file_key(stat):
            return None
        if digest is not None and digest != _digest(path):
            return None  # cached while the file was fresh: its content decides
        return value

    def put(self, path: Path, stat: os.stat_result, value) -> None:
        # a file modified within the timestamp granularity may change again unseen: keep its hash too
        digest = _digest(path) if time.time() - stat.st_mtime < RACY_SECONDS else None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump((self.stamp, file_key(stat), digest, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / f"{path.name}.pickle")
        except OSError:
            pass  # a cache that cannot be written is only slower, never wrong

    def save(self, keep: set[str] | None = None) -> None:
        """Forget the cache files of case files that no longer exist."""
        if keep is None or not self.folder.is_dir():
            return
        for old in self.folder.glob("*.pickle"):
            if old.name[: -len(".pickle")] not in keep:
                old.unlink(missing_ok=True)


def _package_stamp() -> tuple:
    """Every module of dun, so that any change to the rules discards computed agendas."""
    here = Path(__file__).parent
    files = sorted([*here.glob("*.py"), *here.glob("data/*")])
    return (__version__, *((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files))


class AgendaCache:
    """The actions computed for each case file on one day, for one dun.yaml and one version of dun.

    A second `dun today` on the same day only stats the files; a changed file is parsed again.
    """

    def __init__(self, root: Path, *key):
        import marshal

        digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
        self.path = cache_dir() / f"agenda-{digest}.marshal"
        config = root / "dun.yaml"
        conf = file_key(config.stat()) if config.is_file() else None
        rates = root / "rates.csv"  # the ledger's base rates change interest, and with claim: accrued, open
        conf = (conf, file_key(rates.stat()) if rates.is_file() else None)
        self.stamp = repr((_package_stamp(), conf, *key))
        self.entries: dict = {}
        self.dirty = False
        try:
            stamp, entries = marshal.loads(self.path.read_bytes())
            if stamp == self.stamp:
                self.entries = entries
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def get(self, name: str, stat: os.stat_result):
        found = self.entries.get(name)
        return found[1] if found is not None and found[0] == file_key(stat) else None

    def put(self, name: str, stat: os.stat_result, value) -> None:
        if time.time() - stat.st_mtime >= RACY_SECONDS:
            self.entries[name] = (file_key(stat), value)
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        import marshal

        if set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self.dirty = True
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".agenda-", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps((self.stamp, self.entries)))
            os.replace(tmp, self.path)
        except OSError:
            pass


def holiday_file(country: str, region: str | None, year: int) -> Path | None:
    """Where the holidays of a year are kept, named after the installed holidays package.

    Not a parse cache: --no-cache leaves it on (the package's data only changes with the package).
    """
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    stat = os.stat(spec.origin)
    return cache_dir() / "holidays" / f"{country}-{region or ''}-{year}-en_US-{stat.st_size}-{stat.st_mtime_ns}.json"


def write_json(path: Path, value) -> None:
    import json

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f)
        os.replace(tmp, path)
    except OSError:
        pass
