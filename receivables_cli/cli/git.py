"""`dun merge-file` (git's merge driver for case files) and `dun git-setup` (register it in a clone)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from receivables_cli.cli.common import Argument, Exit, LedgerOpt, command, open_ledger

FileArg = Annotated[Path, Argument(show_default=False)]


@command("merge-file")
def merge_file(base: FileArg, ours: FileArg, theirs: FileArg) -> None:
    """Merge two versions of a case file into OURS, as git's merge driver (%O %A %B).

    Both sides' new history entries are kept, each byte for byte, in 'at' order; a header edited
    differently on both sides is left with conflict markers and the exit code is 1.

    Example:

    \b
      dun merge-file base.yaml ours.yaml theirs.yaml   # git does this for you after 'dun git-setup'
    """
    from receivables_cli.domain.errors import DunError
    from receivables_cli.store.mergefile import merge_files

    for path in (base, ours, theirs):
        if not path.is_file():
            raise DunError(f"{path}: no such file")
    if not merge_files(base, ours, theirs):
        raise Exit(1)


@command("git-setup")
def git_setup(ledger: LedgerOpt = None) -> None:
    """Register dun's merge driver for cases/*.yaml in this git clone (git does not clone it).

    Run it once in every clone; 'dun init' does it for a ledger that is already a git repository.

    Example:

    \b
      git clone ssh://nas/dunning && cd dunning && dun git-setup
    """
    from receivables_cli.store.gitstep import register_driver

    book = open_ledger(ledger, strict=False)
    for line in register_driver(book.root):
        print(line)
