"""`dun init`: a new ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from receivables_cli.cli.common import command
from receivables_cli.errors import DunError

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
# fees: {dunning: 1.00}        # material cost per dunning letter after default
policy: {}           # e.g. {collection_call_day: 28, call_attempts: 2}; see the README
"""
GITATTRIBUTES = """\
# Two people appending to the same case file: git keeps both sides' lines.
cases/*.yaml merge=union
"""
LETTERS_README = """\
Put your own versions of the letters here, as letters/<lang>/<name>.md
(for example letters/de/dunning.md); they replace the built-in ones file by file.
"""


@command("init")
def init(folder: Annotated[Path, typer.Argument(metavar="DIR", help="Where to create it.")] = Path(".")) -> None:
    """Create a ledger: dun.yaml (with comments), cases/, letters/ and a .gitattributes.

    Example:

    \b
      dun init ~/dunning && cd ~/dunning && git init
    """
    config = folder / "dun.yaml"
    if config.exists():
        raise DunError(f"{config} exists already; this folder is a ledger")
    for sub in ("cases", "letters"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config.write_text(DUN_YAML, encoding="utf-8")
    _write_once(folder / ".gitattributes", GITATTRIBUTES)
    _write_once(folder / "letters" / "README.txt", LETTERS_README)
    print(f"created a ledger in {folder}: dun.yaml, cases/, letters/, .gitattributes")
    print("next: edit dun.yaml, then: dun new CASE --customer NAME --invoice NUMBER --amount A")


def _write_once(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(text, encoding="utf-8")
