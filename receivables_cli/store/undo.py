"""Undo the last append: a journal of what dun last appended to each case, and its removal.

After each append, `.dun/undo/<case>.json` keeps the file's size before the append and
the SHA-256 of the whole file after it. Undo removes the appended bytes only while the
file is byte for byte what dun wrote (so the entry is still the last one and unchanged),
and, in a git ledger, only while the commit that added it has not reached the upstream.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from receivables_cli.domain.errors import DunError

JOURNAL = Path(".dun") / "undo"


# everything in .dun/ is private bookkeeping, except the record of bank imports, which is committed
PRIVATE_IGNORE = "*\n!bank-imports\n"


def private_dir(root: Path) -> Path:
    """The ledger's `.dun/` folder for dun's own bookkeeping; it ignores itself in git, all but
    `bank-imports` (a folder from before 0.4 that ignored everything is mended)."""
    folder = root / ".dun"
    ignore = folder / ".gitignore"
    if not ignore.is_file() or ignore.read_text(encoding="utf-8", errors="replace") == "*\n":
        folder.mkdir(exist_ok=True)
        ignore.write_text(PRIVATE_IGNORE)
    return folder


def _journal_path(root: Path, case_id: str) -> Path:
    return root / JOURNAL / f"{case_id}.json"


def remember_append(root: Path, path: Path, added: str) -> None:
    """Journal the append just made, if the file still ends with it (no other writer came between)."""
    from receivables_cli.store.plainfile import read_case_file
    from receivables_cli.store.safewrite import locked

    with locked(path.parent):
        data = read_case_file(path)
        newline = b"\r\n" if data.endswith(b"\r\n") else b"\n"
        tail = added.encode("utf-8") + newline  # the entry's own line breaks are the file's already
        journal = _journal_path(root, path.stem)
        if not data.endswith(tail):
            journal.unlink(missing_ok=True)
            return
        private_dir(root)
        journal.parent.mkdir(exist_ok=True)
        journal.write_text(json.dumps({"size": len(data) - len(tail), "sha256": hashlib.sha256(data).hexdigest()}))


def undo_last(root: Path, path: Path, git=None) -> str:
    """Remove the last entry dun appended to the case file; return the removed text.

    With `git` (a GitStep), the file is committed before the lock is let go, when it differs from HEAD.
    """
    from receivables_cli.store.safewrite import locked, replace_file

    journal = _journal_path(root, path.stem)
    from receivables_cli.store.plainfile import NotReadable, read_case_file, read_regular

    try:
        noted = json.loads(read_regular(journal, 4096, "an undo record").decode("utf-8"))
        size, digest = int(noted["size"]), str(noted["sha256"])
    except (OSError, ValueError, KeyError, TypeError, NotReadable):
        raise DunError(f"nothing to undo in {path.stem}: dun has no record of a last append there "
                       "(only the last append of a dun command can be undone, once)") from None
    with locked(path.parent):
        data = read_case_file(path)
        if hashlib.sha256(data).hexdigest() != digest or size > len(data):
            raise DunError(f"{path.name} changed since dun's last append (edited by hand, or appended to "
                           "by other means); undo would not remove what you expect. Edit it with 'dun edit "
                           f"{path.stem}'")
        _refuse_if_pushed(root, path)
        replace_file(path, data, data[:size])
        journal.unlink(missing_ok=True)
        removed = data[size:].decode("utf-8").strip("\r\n")
        if git is not None and _git(root, "status", "--porcelain", "--", str(path)).stdout.strip():
            git.commit(removed)
    return removed


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def _refuse_if_pushed(root: Path, path: Path) -> None:
    """In a git ledger: the entry must be uncommitted, or committed but not yet on the upstream branch."""
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        return
    if _git(root, "diff", "--quiet", "HEAD", "--", str(path)).returncode != 0:
        return  # the entry is not committed yet
    added_in = _git(root, "log", "-1", "--format=%H", "--", str(path)).stdout.strip()
    if not added_in:
        return
    # the upstream branch, or any remote branch: a push without -u sets no upstream but leaves origin/main
    remote = _git(root, "branch", "-r", "--contains", added_in, "--format=%(refname:short)").stdout.split()
    upstream = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    if upstream.returncode == 0 and _git(root, "merge-base", "--is-ancestor", added_in, "@{u}").returncode == 0:
        remote.insert(0, upstream.stdout.strip())
    if remote:
        raise DunError(f"the last entry of {path.name} was pushed already (commit {added_in[:8]} is on "
                       f"{remote[0]}); others may have it, so record a correction instead, e.g. 'dun note'")
