"""Find the ledger, read dun.yaml and case files, and append to a case file safely."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from receivables_cli.domain.config import Config
from receivables_cli.domain.errors import DunError, InvalidData, Problem
from receivables_cli.domain.yamltext import read_text
from receivables_cli.store.settings import load_config

if TYPE_CHECKING:  # the readers of case files are imported where a case is parsed: a warm `dun today` parses none
    from receivables_cli.domain.model import Case

BIG_FILE = 64 * 1024  # a case file this big is read from the parse cache even alone (show, an append)
SMALL_CACHE = 256 * 1024  # a parse cache this small (some 100 cases) is used to read even one small case
BATCH = 64  # files taken through each stage together: a fifth faster than one file through all stages


@dataclass
class Ledger:
    """The ledger folder: dun.yaml and the case files in cases/."""
    root: Path
    config: Config = field(default_factory=Config)
    config_problems: list[Problem] = field(default_factory=list)

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def config_path(self) -> Path:
        return self.root / "dun.yaml"

    def case_path(self, case_id: str) -> Path:
        from receivables_cli.store.casefile import case_id_problem

        problem = case_id_problem(case_id)
        if problem:
            raise DunError(problem)
        return self.cases_dir / f"{case_id}.yaml"

    def case_ids(self) -> list[str]:
        return self.listing()[0]

    def listing(self) -> tuple[list[str], list[Problem]]:
        """The ids of the case files, and a problem for each `*.yaml` that is not a regular file."""
        ids, skipped, _stats = self.listing_stats()
        return ids, skipped

    def listing_stats(self, with_stats: bool = True) -> tuple[list[str], list[Problem], dict[str, os.stat_result]]:
        """The listing, and each case file's stat (one `stat` per file, taken before it is read).

        A FIFO would hang the reader, /dev/zero would fill the memory: they are skipped on
        their `stat`, never opened. A link to a regular file is followed (a case kept elsewhere).
        Without `with_stats` (no cache to key), a file the folder lists as regular is not stat'ed
        here: the reader checks the open file anyway.
        """
        import stat as stat_mod

        try:
            entries = sorted((e.name, e) for e in os.scandir(self.cases_dir) if e.name.endswith(".yaml"))
        except (FileNotFoundError, NotADirectoryError):
            return [], [], {}
        ids, skipped, stats = [], [], {}
        for name, entry in entries:
            if name.startswith("."):
                continue
            if not with_stats and entry.is_file(follow_symlinks=False):
                ids.append(name[:-5])
                continue
            try:
                st = entry.stat()
            except OSError as e:
                skipped.append(Problem(self.cases_dir / name, 1, f"not a regular file ({_missing(entry, e)}), skipped"))
                continue
            if stat_mod.S_ISREG(st.st_mode):
                ids.append(name[:-5])
                stats[name] = st
            else:
                skipped.append(Problem(self.cases_dir / name, 1, f"not a regular file ({_kind(st)}), skipped"))
        return ids, skipped, stats

    def load(self, case_id: str) -> Case:
        """One case, or a DunError saying what is wrong with it."""
        path = self.case_path(case_id)
        if not path.is_file():
            raise DunError(f"no case '{case_id}' in {self.cases_dir}{_suggest(case_id, self.case_ids())}")
        from receivables_cli.store import cache

        store = None
        # one small file parses faster than a big ledger's cache loads; a small cache loads faster
        # than rapidyaml does
        if cache.enabled() and (path.stat().st_size > BIG_FILE or cache.small_parse_cache(self.root, SMALL_CACHE)):
            store = cache.ParseCache(self.root)
        case, problems = read_case(path, store)
        if store is not None:
            store.save()
        if problems:
            raise InvalidData(problems)
        return case

    def load_all(self, tick=None) -> tuple[list[Case], list[Problem]]:
        """Every case that loads, and the problems of those that do not; `tick(n)` after each batch of n."""
        from receivables_cli.store import cache
        from receivables_cli.store.fastyaml import silenced

        store = cache.ParseCache(self.root) if cache.enabled() and self.cases_dir.is_dir() else None
        cases = []
        ids, problems, stats = self.listing_stats()
        paths = [self.cases_dir / f"{case_id}.yaml" for case_id in ids]
        with no_gc(), silenced():
            for at in range(0, len(paths), BATCH):
                for case, found in read_cases(paths[at:at + BATCH], store, stats):
                    problems.extend(found)
                    if case is not None:
                        cases.append(case)
                if tick is not None:
                    tick(len(paths[at:at + BATCH]))
        if store is not None:
            store.save(keep={f"{i}.yaml" for i in ids})
        return cases, problems


@contextmanager
def no_gc():
    """The cyclic garbage collector off while records are built: they hold no cycles, and it
    would walk every one of the millions of objects a big ledger makes, many times over."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _missing(entry: os.DirEntry, error: OSError) -> str:
    return "a broken link" if entry.is_symlink() else error.strerror


def _kind(st: os.stat_result) -> str:
    """What a stat'ed path that is not a regular file is."""
    import stat

    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    return "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device or socket"


def read_case(path: Path, store=None, stat: os.stat_result | None = None) -> tuple[Case | None, list[Problem]]:
    """Parse one case file, or take it from the cache while the file is unchanged.

    The file is stat'ed before it is read (or `stat` is one taken before), and the cache keeps
    the parse under that stat and the digest of the bytes parsed: a change after the stat
    shows in the next stat.
    """
    if store is not None:
        if stat is None:
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
        cached = store.get(path, stat) if stat else None
        if cached is not None:
            return cached
    text, problems = read_text(path)
    result = (None, problems) if problems else parse_case(path, text)
    if store is not None and stat is not None and text is not None:
        store.put(path, stat, result, text.encode())
    return result


def read_cases(paths: list[Path], store=None, stats: dict | None = None) -> list[tuple[Case | None, list[Problem]]]:
    """`read_case` of several files; without a cache, each stage (read, parse, build) for all of
    them in turn (see agenda._compute_batch). `stats`: each file's stat by name, taken before."""
    if store is not None:
        return [read_case(path, store, (stats or {}).get(path.name)) for path in paths]
    from receivables_cli.store.casefile import load_case
    from receivables_cli.store.fastcase import load_cases_fast

    read = [read_text(path) for path in paths]
    fast = load_cases_fast(paths, [text for text, _ in read])
    return [(case, []) if case is not None else (None, problems) if problems else load_case(path, text)
            for path, (text, problems), case in zip(paths, read, fast, strict=True)]


def parse_case(path: Path, text: str) -> tuple[Case | None, list[Problem]]:
    """The fast path where it accepts the file without a problem, else PyYAML with every problem's line."""
    from receivables_cli.store.casefile import load_case
    from receivables_cli.store.fastcase import load_case_fast

    case = load_case_fast(path, text)
    return (case, []) if case is not None else load_case(path, text)


def find_ledger(explicit: str | None = None, start: Path | None = None) -> Ledger:
    """--ledger, else $DUN_LEDGER, else the nearest folder up with dun.yaml or cases/."""
    given = explicit or os.environ.get("DUN_LEDGER")
    if given:
        root = Path(given).expanduser()
        if not root.is_dir():
            raise DunError(f"ledger folder {root} does not exist; create one with: dun init {root}")
        return open_ledger(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "dun.yaml").is_file() or (folder / "cases").is_dir():
            return open_ledger(folder)
    raise DunError("no ledger here: no dun.yaml or cases/ in this folder or above it; "
                   "create one with 'dun init', or pass --ledger DIR or set DUN_LEDGER")


def open_ledger(root: Path) -> Ledger:
    path = root / "dun.yaml"
    if not path.is_file():
        return Ledger(root)
    text, problems = read_text(path)
    if problems:
        return Ledger(root, Config(), problems)
    config, problems = load_config(path, text)
    return Ledger(root, config, problems)


def _suggest(word: str, choices: list[str]) -> str:
    import difflib  # only when a word is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""
