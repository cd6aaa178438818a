"""`dun outbox`: the letters due today: a dry-run list, files in a folder, or sent through the mail command."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import (
    CommitOpt,
    Exit,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    open_ledger,
    today,
    warn,
)


@command("outbox")
def outbox(send: Annotated[bool, Option(
               "--send", help="Pipe each e-mail into the mail command and record it as sent once the command "
               "exited 0.")] = False,
           mail_command: Annotated[Optional[str], Option(
               "--command", metavar="COMMAND", help="The mail command (default: 'mail: {command: ...}' in "
               "dun.yaml), e.g. 'msmtp -t'. Run without a shell.")] = None,
           folder: Annotated[Optional[Path], Option(
               "--dir", metavar="DIR", show_default=False,
               help="Write the letters as DIR/<case>--<template>.eml (and .pdf to print), after removing "
               "dun's earlier letter files from DIR. With --send: where the letters to print go.")] = None,
           record: Annotated[bool, Option("--record", hidden=True)] = False,
           json: JsonOpt = False, on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """The letters due today: list them, write them to a folder, or send them.

    Without --send or --dir nothing is written: a list of what would go out. Letters to
    customers without an e-mail address, or with 'channel: post' (on the customer or in
    the template's front matter), are written as PDFs to print (to --dir, else print/ in
    the ledger) and recorded only when you run 'dun sent' after posting them.

    Examples:

    \b
      dun outbox
      dun outbox --send --command "msmtp -t" --commit
      dun outbox --dir out/
    """
    from receivables_cli.domain.errors import UsageError
    from receivables_cli.usecases.outbox import due_outgoing, mail_argv, prepare_folder

    if record:
        raise UsageError("--record is gone: it recorded letters before they were mailed; use --send, which "
                         "records each letter after the mail command succeeded, or 'dun sent' after sending")
    if folder is not None and not send:  # every letter of the folder is a PDF
        from receivables_cli.usecases.printing import print_ahead

        print_ahead()
    book = open_ledger(ledger)
    day = today(on)
    warn_if_bank_stale(book, day)
    if send:
        argv = mail_argv(mail_command or book.config.mail_command)
        refuse_if_in_doubt(book)
    items, problems = due_outgoing(book, day)
    if folder is not None:
        prepare_folder(folder, book.root)
    elif send and any(i.route == "print" and not i.error for i in items):
        prepare_folder(book.root / "print", book.root)
        keep_print_out_of_git(book)
    results = []
    from receivables_cli.output.term import progress

    acting = send or folder is not None  # a dry run renders nothing: no bar
    with progress(len(items) if acting else 0, "sending letters" if send else "writing letters") as tick:
        for item in items:
            results.append(_handle(book, item, day, send and argv, folder, on, commit))
            tick()
    _report(results, json, send or folder is not None)
    for problem in problems:
        warn(f"warning: {problem} (case left out)")
    if problems or any(r["status"] in ("failed", "error", "unconfirmed") for r in results):
        raise Exit(1)


def keep_print_out_of_git(book) -> None:
    """The ledger's print/ folder holds files made again each time: never untracked clutter in git."""
    from receivables_cli.store.gitstep import keep_out

    keep_out(book.root, "print")


def warn_if_bank_stale(book, day) -> None:
    """Letters go out on what the ledger knows: say so when the last bank import is old."""
    from receivables_cli.imports.log import bank_staleness

    if stale := bank_staleness(book.root, book.config.bank, day):
        from receivables_cli.output.term import wrap

        warn(wrap(stale, sys.stderr))


def refuse_if_in_doubt(book) -> None:
    """Stop before sending anything while an earlier run left a letter in doubt."""
    from receivables_cli.domain.errors import DunError
    from receivables_cli.usecases.sending import send_lock

    with send_lock(book.root, _waiting):
        if in_doubt := _doubtful(book):
            raise DunError(in_doubt)


def _doubtful(book) -> str:
    """What to say about the first letter an earlier run left in doubt, or ''; call it under the send lock."""
    from receivables_cli.usecases.sending import doubt, left_behind

    left = left_behind(book)
    return doubt(left[0], book.root) if left else ""


def _waiting() -> None:
    warn("another dun is sending a letter; waiting for it to finish")


def _handle(book, item, day, argv, folder: Path | None, on, commit) -> dict:
    """Send, write or list one letter; the result as a JSON-ready row."""
    row = {"case": item.case, "customer": item.customer, "template": item.template, "route": item.route,
           "why": item.why or None, "status": "due", "path": None, "error": item.error or None}
    if item.error:
        row["status"] = "error"
    elif item.route == "print" and (argv or folder is not None):
        from receivables_cli.usecases.outbox import write_for_print

        path = write_for_print(book, item.case, item.template, day, folder or book.root / "print")
        row.update(status="to print", path=str(path))
    elif folder is not None and not argv:
        from receivables_cli.store.safewrite import write_out

        path = folder / f"{item.name}.eml"
        write_out(path, item.text.encode("utf-8"))
        row.update(status="written", path=str(path))
    elif argv:
        row.update(send_one(book, item, day, argv, on, commit))
    return row


def send_one(book, item, day, argv, on, commit, asked: bool = False) -> dict:
    """Under the lock for sending: check, mark, send, record, unmark. A crash or a mail command that
    did not answer leaves the marker (the next run asks); never a recorded letter that was not sent.
    `asked`: a letter the user chose (an answer to a reply), sent whether or not the agenda has it due."""
    from receivables_cli.usecases.sending import deliver, mark, send_lock, unmark, why_not_now

    with send_lock(book.root, _waiting):
        if in_doubt := _doubtful(book):
            return {"status": "failed", "error": f"not sent: {in_doubt}"}
        if not asked and (why := why_not_now(book, item.case, item.template, day)):
            return {"status": "skipped", "error": why}
        if unready := _commit_unready(book, item, commit):
            return {"status": "failed", "error": unready}  # before sending: a letter sent must be recordable
        marker = mark(book.root, item.case, item.template, day)
        outcome = deliver(argv, item.text)
        if outcome.status == "failed":
            unmark(marker)  # the mail command said no: nothing went out
            return {"status": "failed", "error": outcome.error}
        if outcome.status != "sent":
            return {"status": "unconfirmed", "error": f"{outcome.error}; look in your sent mail before "
                    f"anything else is sent: 'dun sent {item.case} {item.template} --at {day}' if it went out"}
        _record_sent(book, item, day, on, commit)
        unmark(marker)
    return {"status": "sent"}


def _record_sent(book, item, day, on, commit) -> None:
    from receivables_cli.cli.events import sent

    with contextlib.redirect_stdout(sys.stderr):  # stdout is for the summary (or the JSON)
        sent(item.case, item.template, at=day.isoformat(), on=on, commit=commit, ledger=book.root)


def _commit_unready(book, item, commit: bool) -> str:
    """Why the commit after recording could not happen (checked before anything is sent), or ''."""
    from receivables_cli.cli.common import wants_commit
    from receivables_cli.domain.errors import DunError
    from receivables_cli.store.gitstep import GitStep

    if not wants_commit(commit, book):
        return ""
    try:
        GitStep(book.root, book.case_path(item.case), str).ready()
    except DunError as e:
        return str(e).replace("nothing was written", "nothing was sent")
    return ""


def _report(results: list[dict], as_json: bool, acted: bool) -> None:
    from receivables_cli.cli.common import emit_json, table

    if as_json:
        emit_json(results)
        return
    if not results:
        print("nothing due today")
        return
    rows = [(r["case"], r["template"], r["route"] + (f" ({r['why']})" if r["why"] else ""),
             r["status"], r["path"] or r["error"] or "") for r in results]
    print(table(rows, ("case", "letter", "by", "status", "file or problem")))
    if not acted:
        print("\ndry run: 'dun outbox --send' sends the e-mails; 'dun outbox --dir DIR' writes them as files")
    if any(r["status"] == "to print" for r in results):
        print("after posting a printed letter: dun sent CASE TEMPLATE")
