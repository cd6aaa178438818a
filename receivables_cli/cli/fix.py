"""`dun undo` and `dun edit`: take back the last append, or change a case file by hand, safely."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from receivables_cli.cli.common import CommitOpt, Exit, LedgerOpt, command, open_ledger, wants_commit
from receivables_cli.cli.write import CaseArg
from receivables_cli.domain.errors import DunError


@command("undo")
def undo(case: CaseArg, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Remove the last entry dun appended to a case, while it is still the last and unchanged.

    Refused when the file changed since (edited by hand), when the entry was not appended
    by dun, or, in a git ledger, when the commit that added it has been pushed.

    Example:

    \b
      dun pay acme-2026-017 5000 --force   # meant 500
      dun undo acme-2026-017
    """
    from receivables_cli.store.undo import undo_last

    book = open_ledger(ledger)
    path = book.case_path(case)
    if not path.is_file():
        book.load(case)  # the error names the closest case id
    step = _git_step(book, path, f"{case}: undo the last entry", commit)
    removed = undo_last(book.root, path, step)
    print(f"removed from {path.name}:\n{removed}")
    if step:
        print(f"committed: {case}: undo the last entry")


def _git_step(book, path: Path, message: str, commit: bool):
    """The commit that follows the rewrite inside its lock, when asked for."""
    from receivables_cli.store.gitstep import GitStep

    wanted = wants_commit(commit, book)
    return GitStep(book.root, path, lambda: message) if wanted else None


@command("edit")
def edit(case: CaseArg, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Edit a case file in $VISUAL or $EDITOR (default vi); it is saved only when it is valid.

    You edit a copy. On save it is checked as 'dun check' does; when broken, the problems
    are shown and you choose: (e)dit again or (k)eep the old file. The file is replaced
    atomically, and not at all if it changed while you were editing.

    Example:

    \b
      EDITOR=nano dun edit acme-2026-017
    """
    import tempfile

    book = open_ledger(ledger)
    path = book.case_path(case)
    if not path.is_file():
        book.load(case)
    from receivables_cli.store.plainfile import read_case_file

    original = read_case_file(path)
    with tempfile.TemporaryDirectory(prefix="dun-edit-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(original)
        edited = _edit_until_valid(path, copy, book.load(case))
        if edited is None or edited == original:
            print("no change" if edited == original else "kept the old file")
            if edited is None:
                raise Exit(1)
            return
        step = _git_step(book, path, f"{case}: edited by hand", commit)
        _save(path, original, edited, step)
    print(f"saved {path.name}")
    if step:
        print(f"committed: {case}: edited by hand")


def _edit_until_valid(path: Path, copy: Path, before) -> bytes | None:
    """The edited bytes once they are valid (or unchanged); None when the user keeps the old file."""
    while True:
        _run_editor(copy)
        text, problems = _read_edited(path, copy, before)
        if not problems:
            return text
        for problem in problems:
            print(problem, file=sys.stderr)
        if _ask_again() != "e":
            return None


def _read_edited(path: Path, copy: Path, before) -> tuple[bytes, list]:
    """The saved copy and its problems: not a regular file (an editor's pipe), larger than a case file
    can be, not UTF-8, invalid, or holding a new text longer than dun keeps. Never a hang."""
    from receivables_cli.domain.guards import long_fields, too_long
    from receivables_cli.store.casefile import load_case
    from receivables_cli.store.plainfile import NotReadable, read_case_file

    try:
        text = read_case_file(copy)
        case, problems = load_case(path, text.decode("utf-8-sig"))
    except NotReadable as e:
        return b"", [str(e).replace(str(copy), f"{path} as saved")]
    except UnicodeDecodeError:
        return b"", [f"{path}: the file is not UTF-8 text"]
    known = set(long_fields(before))  # long texts already in the file stay as they are
    problems += [f"{path}: {too_long(*found)}" for found in long_fields(case) if found not in known]
    return text, problems


def _ask_again() -> str:
    try:
        answer = typer.prompt("(e)dit again, (k)eep the old file", default="e")
    except (typer.Abort, EOFError):
        return "k"
    return "e" if answer.strip().lower().startswith("e") else "k"


def _run_editor(copy: Path) -> None:
    import os
    import shlex
    import subprocess

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        argv = shlex.split(command) + [str(copy)]
        done = subprocess.run(argv)
    except (ValueError, OSError) as e:
        raise DunError(f"cannot run the editor {command!r}: {e}; set $EDITOR") from None
    if done.returncode != 0:
        raise DunError(f"the editor {command!r} exited {done.returncode}; the case file was not changed")


def _save(path: Path, original: bytes, edited: bytes, step) -> None:
    """Replace the file atomically under the write lock, unless it changed while being edited."""
    from receivables_cli.store.plainfile import read_case_file
    from receivables_cli.store.safewrite import locked, replace_file

    with locked(path.parent):
        if read_case_file(path) != original:
            from receivables_cli.store.undo import private_dir

            kept = private_dir(path.parent.parent) / f"edited-{path.name}"
            kept.write_bytes(edited)
            raise DunError(f"{path.name} changed while you were editing (another dun command?); nothing was "
                           f"saved. Your version is in {kept}; run 'dun edit {path.stem}' again")
        replace_file(path, original, edited)
        if step is not None:
            step.commit("the edited file")
