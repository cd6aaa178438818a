"""`dun outbox`: the letters due today, as files ready to send."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from receivables_cli.cli.common import LedgerOpt, OnOpt, command, open_ledger, today


@command("outbox")
def outbox(folder: Annotated[Path, typer.Option("--dir", metavar="DIR", help="Where to write the .eml files.",
                                                show_default=False)],
           record: Annotated[bool, typer.Option("--record", help="Also record each letter as sent.")] = False,
           on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """Write every letter due today as DIR/<case>--<template>.eml, ready to send.

    Nothing is recorded unless --record is given; then each letter is appended as sent.

    Example:

    \b
      dun outbox --dir out/ && for m in out/*.eml; do msmtp -t < "$m"; done
    """
    from receivables_cli.agenda import agenda, state_of
    from receivables_cli.cli.common import warn
    from receivables_cli.correspondence import compose
    from receivables_cli.errors import DunError

    book = open_ledger(ledger)
    day = today(on)
    items, problems = agenda(book, day)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in (i for i in items if i["channel"] == "letter"):
        state = state_of(book, book.load(item["case"]), day)
        try:
            text = compose(book, state, item["template"], day, "eml")
        except DunError as e:
            warn(f"warning: {item['case']} {item['template']}: {e}")
            continue
        path = folder / f"{item['case']}--{item['template']}.eml"
        path.write_text(text, encoding="utf-8")
        written.append((item, path))
        print(path)
    if record:
        from receivables_cli.cli.events import sent

        for item, _path in written:
            sent(item["case"], item["template"], on=on, ledger=ledger)
    for problem in problems:
        warn(f"warning: {problem} (case left out)")
    if problems:
        raise typer.Exit(1)
