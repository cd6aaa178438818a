"""`dun init`: a new ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from receivables_cli.cli.common import Argument, command
from receivables_cli.domain.errors import DunError

DUN_YAML = """\
# dun.yaml: who you are and how dun should dun. Every key is optional.
creditor:                      # you; shown in every letter
  name: Your Name Webdesign
  address: |
    Street 1
    12345 Town
  email: you@example.org
  phone: "+49 30 0000000"
  iban: DE89370400440532013000 # where customers pay to (letters, QR code)
  bic: BYLADEM1001
country: DE          # DE | AT | CH: interest, limitation, legal route, public holidays
region: BE           # optional: the state or canton for public holidays (BE = Berlin)
currency: EUR
language: de         # de | en: the language of the letters
payment_terms_days: 14
# git: {commit: true}          # commit every change dun makes
# mail: {command: "msmtp -t"}  # how e-mails go out ('dun work', 'dun outbox --send'); without it letters are
                               # only saved to print
# fees: {dunning: 1.00}        # material cost per dunning letter after default
policy: {}           # e.g. {collection_call_day: 28, call_attempts: 2}; see docs/playbook.md
"""
GITATTRIBUTES = """\
# Two people appending to the same case file: git keeps both sides' lines. A clone where
# 'dun git-setup' ran uses dun's merge driver instead (set in .git/info/attributes), which
# keeps both sides' entries whole; this line is the fallback for clones that did not.
cases/*.yaml merge=union
"""
GITIGNORE = """\
# temp files of a dun write in progress (or killed: 'dun check --fix' removes them)
.*.tmp
# letters to print, made again by 'dun work' and 'dun outbox --send' (what was sent is in the case files)
/print/
"""
LETTERS_README = """\
Put your own versions of the letters here, as letters/<lang>/<name>.md
(for example letters/de/dunning.md); they replace the built-in ones file by file.
"""


@command("init")
def init(folder: Annotated[Path, Argument(metavar="DIR", help="Where to create it.")] = Path(".")) -> None:
    """Create a ledger: dun.yaml (with comments), cases/, letters/, .gitattributes and .gitignore.

    In a git repository it also registers dun's merge driver for case files (see 'dun git-setup').

    Example:

    \b
      git init ~/dunning && dun init ~/dunning
    """
    config = folder / "dun.yaml"
    if config.exists():
        raise DunError(f"{config} exists already; this folder is a ledger")
    for sub in ("cases", "letters"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config.write_text(DUN_YAML, encoding="utf-8")
    _write_once(folder / ".gitattributes", GITATTRIBUTES)
    _write_once(folder / ".gitignore", GITIGNORE)
    _write_once(folder / "letters" / "README.txt", LETTERS_README)
    print(f"created a ledger in {folder}: dun.yaml, cases/, letters/, .gitattributes, .gitignore")
    _merge_driver(folder)
    print("next: edit dun.yaml, then: dun new CASE --customer NAME --invoice NUMBER --amount A")


def _merge_driver(folder: Path) -> None:
    """Register the merge driver when the ledger is in a git repository already; else say how."""
    from receivables_cli.store.gitstep import register_driver

    try:
        done = register_driver(folder)
    except (DunError, OSError):
        print("for git: after 'git init', run 'dun git-setup' (in every clone) so merges keep both sides' entries")
        return
    print("registered dun's merge driver: " + "; ".join(done))


def _write_once(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(text, encoding="utf-8")
