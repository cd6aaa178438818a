"""`--commit`: commit exactly the one case file a command wrote, inside the write lock.

The append and its commit run under the same lock on the cases folder, so parallel
`dun --commit` writers queue for git's shared index too, and each commit holds only its
own entry (`git commit --only -- PATH`). Before anything is written, dun makes sure the
commit can happen: a git repository, no `index.lock` left behind, and no uncommitted
change in that file other than entries appended after its last commit (a `dun work` or
`dun pay` run without --commit): those are committed with the new one, and named in the
message. Anything else (an edit in the middle) is refused.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from receivables_cli.domain.errors import DunError


class CommitFailed(DunError):
    """The entry was written, the commit was not."""


class GitStep:
    """Commit one case file with a message built from what was appended."""

    def __init__(self, root: Path, path: Path, message: Callable[[], str], *, new: bool = False):
        self.root, self.path, self.message, self.new = root, path, message, new
        self.earlier = 0  # entries appended after the file's last commit, committed with this one

    def git(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True)

    def ready(self) -> None:
        """Refuse before writing when the commit could not follow; nothing is written then."""
        lock = self._index_lock()
        if lock is None:
            raise DunError(f"{self.root} is not a git repository (run 'git init' there, or leave out --commit); "
                           "nothing was written")
        if lock.exists():
            raise DunError(f"git's {lock} exists: another git command is running, or one was killed. If no git is "
                           f"running, remove it: rm {shlex.quote(str(lock))} -- then run the command again; "
                           "nothing was written")
        status = self.git("status", "--porcelain", "--", str(self.path)).stdout.rstrip()
        failed = _failed_before(self.root, self.path, forget=not status)
        if status and not failed and self._only_appended(status):
            return
        if status:
            raise DunError(f"{self.path} has changes that are not committed yet ({status.split()[0]}): commit them "
                           f"first ({self.by_hand('...')}) so that this commit holds only its own entry; "
                           "nothing was written")

    def _only_appended(self, status: str) -> bool:
        """Whether the uncommitted change is entries added at the end (the committed file is a prefix);
        counts them in `earlier`. An untracked case file is one whole uncommitted append."""
        current = self.path.read_bytes()
        if status.startswith("??"):
            self.new, tail = True, current.decode("utf-8", "replace")
        elif status.startswith(" M"):
            top = Path(self.git("rev-parse", "--show-toplevel").stdout.strip())
            relative = self.path.resolve().relative_to(top.resolve())
            committed = subprocess.run(["git", "-C", str(self.root), "show", f"HEAD:{relative.as_posix()}"],
                                       capture_output=True)
            if committed.returncode != 0 or not current.startswith(committed.stdout):
                return False
            tail = current[len(committed.stdout):].decode("utf-8", "replace")
        else:
            return False
        self.earlier = max(1, sum(1 for line in tail.splitlines() if line.lstrip().startswith("- ")))
        return True

    def commit(self, written: str) -> str:
        """Commit the file; on failure say that `written` stays written and how to commit it."""
        message = self.message()
        if self.earlier:
            message += (f" (with {self.earlier} earlier entr{'y' if self.earlier == 1 else 'ies'} "
                        "not committed before)")
        steps = [("commit", "-q", "--only", "-m", message, "--", str(self.path))]
        if self.new:  # an untracked file must be added first; a tracked one is committed as it is
            steps.insert(0, ("add", "--", str(self.path)))
        for args in steps:
            done = self.git(*args)
            if done.returncode != 0:
                _note_failed(self.root, self.path)  # a retry must not take this entry as an earlier one
                why = (done.stderr or done.stdout).strip().splitlines()
                raise CommitFailed(f"appended to {self.path}:\n{written}\nbut git {args[0]} failed "
                                   f"({why[-1] if why else done.returncode}); do not run the command again: "
                                   f"commit it by hand: {self.by_hand(message)}")
        return message

    def by_hand(self, message: str) -> str:
        path = shlex.quote(str(self.path))
        return f"git -C {shlex.quote(str(self.root))} add -- {path} && git -C {shlex.quote(str(self.root))} " \
               f"commit -m {shlex.quote(message)} -- {path}"

    def _index_lock(self) -> Path | None:
        """Where git's index lock would be, or None outside a git repository."""
        found = self.git("rev-parse", "--git-path", "index.lock")
        if found.returncode != 0:
            return None
        lock = Path(found.stdout.strip())
        return lock if lock.is_absolute() else self.root / lock


FAILED = Path(".dun") / "commit-failed"  # case files whose commit failed after the append, a line each


def _failed_before(root: Path, path: Path, forget: bool) -> bool:
    """Whether the last commit of `path` failed after its append; `forget` it once the file is committed."""
    marker = root / FAILED
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    if str(path) not in lines:
        return False
    if forget:
        rest = [line for line in lines if line != str(path)]
        marker.write_text("".join(f"{x}\n" for x in rest), encoding="utf-8")
    return not forget


def _note_failed(root: Path, path: Path) -> None:
    from receivables_cli.store.undo import private_dir

    with open(private_dir(root) / FAILED.name, "a", encoding="utf-8") as f:
        f.write(f"{path}\n")


DRIVER_NAME = "dun: the union of both sides' case-file entries, in 'at' order"


def driver_command() -> str:
    """How git calls the merge driver: `dun` on the PATH, else this very interpreter."""
    import shutil
    import sys

    if shutil.which("dun"):
        return "dun merge-file %O %A %B"
    return f"{shlex.quote(sys.executable)} -m receivables_cli merge-file %O %A %B"


def register_driver(root: Path) -> list[str]:
    """Register the case-file merge driver in the git clone holding `root`; what was done, a line each.

    The driver goes into the clone's own config and `info/attributes` (neither is cloned);
    the committed `.gitattributes` keeps `merge=union` for clones that never ran this.
    """
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)

    found = git("rev-parse", "--show-prefix", "--git-path", "info/attributes")
    if found.returncode != 0:
        raise DunError(f"{root} is not in a git repository; run 'git init' there first, then 'dun git-setup'")
    prefix, attributes = found.stdout.splitlines()
    command = driver_command()
    for key, value in (("merge.dun.name", DRIVER_NAME), ("merge.dun.driver", command)):
        if git("config", key, value).returncode != 0:
            raise DunError(f"git config {key} failed in {root}")
    path = Path(attributes) if Path(attributes).is_absolute() else root / attributes
    line = f"{prefix}cases/*.yaml merge=dun"
    have = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if line not in have:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{x}\n" for x in [*have, line]), encoding="utf-8")
    return [f"git config merge.dun.driver '{command}'", f"{path}: {line}"]


def keep_out(root: Path, name: str) -> None:
    """Keep the ledger's folder `name` (letters to print: files made again each time) out of git's
    status, in the clone's own `info/exclude`; nothing outside a git repository."""
    found = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix", "--git-path", "info/exclude"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        return
    prefix, exclude = found.stdout.splitlines()
    path = Path(exclude) if Path(exclude).is_absolute() else root / exclude
    line = f"/{prefix}{name}/"
    have = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if line not in have:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{x}\n" for x in [*have, line]), encoding="utf-8")
