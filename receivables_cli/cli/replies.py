"""`dun import mail` and `dun answered`: the customers' replies come into the ledger, and are answered."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from receivables_cli.cli.common import (
    Argument,
    AtOpt,
    CommitOpt,
    Exit,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    emit_json,
    open_ledger,
    table,
    today,
    wants_commit,
    warn,
)
from receivables_cli.cli.imports import RecordOpt, _git, _shown
from receivables_cli.cli.write import CaseArg, NoteOpt

SourcesArg = Annotated[list[str], Argument(
    metavar="SOURCE...", show_default=False,
    help="A Maildir folder, an mbox file, .eml files (or a folder of them), or 'imap' for the mailbox in dun.yaml.")]


@command("mail", group="import")
def mail(sources: SourcesArg, record: RecordOpt = False, json: JsonOpt = False,
         since: Annotated[Optional[str], Option("--since", metavar="YYYY-MM-DD", show_default=False,
                                                      help="Only messages of this day or later.")] = None,
         on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Read the customers' replies and record them as 'reply' events with --record.

    Each message is matched to a case, most certain first: a reply to one of dun's own
    e-mails (In-Reply-To/References), the sender's address on a case, a case id or
    invoice number in the subject or text. What it says (paid, promise, instalments,
    dispute, invoice_request, address_change, out_of_office, other) is read from a table of
    German and English phrases: a suggestion that 'dun today' and 'dun work' put before
    you, never a payment, promise or dispute recorded by itself. Doubtful and unknown
    messages are listed, never recorded; messages recorded before are passed over.

    Examples:

    \b
      dun import mail ~/Maildir/INBOX
      dun import mail ~/mail/customers.mbox --since 2026-11-01 --record
      dun import mail imap --record --json
    """
    from receivables_cli.cli.common import parse_day
    from receivables_cli.usecases import mailimport

    book = open_ledger(ledger)
    day, start = today(on), parse_day(since, "--since")
    with _progress(sources, book) as tick:
        result = mailimport.plan(book, sources, day, start, tick)
    commits = wants_commit(commit, book)
    written = mailimport.record(book, result, day, _git(book) if commits else None) if record else []
    if json:
        emit_json(mail_json(result))
    else:
        _mail_text(result, written, bool(record))
    for problem in result.problems + [f"dun: {m}" for m in result.refused]:
        warn(problem if problem.startswith("dun:") else f"dun: {problem}")
    if result.problems or result.refused:
        raise Exit(1)


def _progress(sources: list[str], book):
    """A progress bar on stderr while messages are read, only on a terminal and for many messages."""
    import contextlib
    import sys

    from receivables_cli.imports.mailread import count_hint

    total = sum(count_hint(s) or 0 for s in sources)
    if not sys.stderr.isatty() or total < 50:
        return contextlib.nullcontext(lambda: None)

    @contextlib.contextmanager
    def bar():
        with typer.progressbar(length=total, label="reading mail", file=sys.stderr) as shown:
            yield lambda: shown.update(1)

    return bar()


def mail_json(result) -> dict:
    """`dun import mail --json` (contract section 8)."""
    from receivables_cli.domain.amounts import fmt

    def item(v) -> dict:
        return {"source": v.source, "message_id": v.message_id, "from": v.sender, "subject": v.subject,
                "date": v.date.isoformat() if v.date else None, "case": v.case, "kind": v.kind,
                "status": v.status, "why": v.why, "summary": v.summary or None,
                "paid_on": v.paid_on.isoformat() if v.paid_on else None,
                "promise": {"amount": fmt(v.promise.amount), "by": v.promise.by.isoformat()} if v.promise else None,
                "until": v.until.isoformat() if v.until else None}

    return {"messages": [item(v) for v in result.verdicts], "recorded": result.counts()["recorded"]}


def _mail_text(result, written, recorded: bool) -> None:
    rows = [(v.source[-40:], (v.sender or "")[:30], v.subject[:40], v.case or "", v.kind or "", v.status, v.why)
            for v in result.verdicts]
    if rows:
        print(table(rows, ("message", "from", "subject", "case", "kind", "status", "why")))
    for _case_id, path, text, _entries in written:
        print(f"appended to {_shown(path)}:\n{text}")
    c = result.counts()
    line = (f"{len(result.verdicts)} message{'s' if len(result.verdicts) != 1 else ''}: {c['matched']} matched, "
            f"{c['recorded']} recorded, {c['recorded before']} recorded before, {c['doubtful']} doubtful, "
            f"{c['unmatched']} unmatched, {c['skipped']} skipped")
    if not recorded:
        line += (f". Dry run, nothing written: add --record to record the {c['matched']} matched."
                 if c["matched"] else ". Dry run, nothing written.")
    print(line + ("" if line.endswith(".") else "."))


@command("answered")
def answered(case: CaseArg, note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
             ledger: LedgerOpt = None) -> None:
    """Mark the open reply of a case as answered, when nothing else is to be recorded.

    Any later call, meeting, letter, promise, dispute, payment or note answers a reply too;
    this is for a reply that needs nothing more (an answer by e-mail outside dun, say).

    Example:

    \b
      dun answered acme-2026-017 --note "sent the invoice again by hand"
    """
    from receivables_cli.cli.common import moment
    from receivables_cli.cli.write import record
    from receivables_cli.domain.errors import DunError
    from receivables_cli.playbook.replies import open_reply
    from receivables_cli.usecases.agenda import state_of
    from receivables_cli.usecases.record import entry

    book = open_ledger(ledger)
    day = today(on)
    state = state_of(book, book.load(case), day)
    if open_reply(state) is None:
        raise DunError(f"{case} has no unanswered reply; 'dun import mail' records replies")
    record(ledger, case, on, commit, entry("answered", moment(at, on), note=note))


def work_on_reply(walk, item: dict, pick, skip_or_quit) -> bool:
    """`dun work` on an answer_reply: the reply's summary, then the step that fits its kind."""
    from receivables_cli.cli import events, money

    reply = item.get("reply") or {}
    print(f"    {reply.get('from')} wrote ({reply.get('kind')}): {reply.get('summary') or reply.get('subject') or ''}")
    print(f"    suggested: {item.get('suggestion', '')}")
    choices = {"a": "answered: nothing more to record"}
    promise = reply.get("promise")
    if reply.get("kind") == "promise" and promise:
        choices["p"] = f"record the promise of {promise['amount']} by {promise['by']}"
    if reply.get("kind") == "dispute":
        choices["d"] = "record the dispute"
    if walk.mail_command and reply.get("message_id"):
        choices["l"] = "answer with a letter in their thread (sent by e-mail)"
    choices.update({"k": "skip", "q": "quit"})
    answer = pick("the reply", choices, "p" if "p" in choices else "a")
    shared = {"on": walk.on, "commit": walk.commit, "ledger": walk.book.root}
    if answer == "p":
        money.promise(item["case"], promise["amount"], by=promise["by"], **shared)
    elif answer == "d":
        events.dispute(item["case"], note=reply.get("summary") or "disputed by e-mail", **shared)
    elif answer == "l":
        return _answer_by_letter(walk, item, reply)
    elif answer == "a":
        answered(item["case"], note=typer.prompt("Note (Enter for none)", default="", show_default=False).strip()
                 or None, **shared)
    else:
        return skip_or_quit(answer)
    return True


def _answer_by_letter(walk, item: dict, reply: dict) -> bool:
    """A letter the user picks, as an e-mail inside the customer's thread; recorded once it was sent."""
    from receivables_cli.cli.outbox import send_one
    from receivables_cli.domain.model import TEMPLATES
    from receivables_cli.output.correspondence import render_letter
    from receivables_cli.usecases.agenda import desk_of, state_of
    from receivables_cli.usecases.outbox import Outgoing, mail_argv, with_message_id

    default = "statement" if reply.get("kind") == "invoice_request" else "reminder"
    template = typer.prompt(f"Letter ({', '.join(TEMPLATES)})", default=default).strip()
    if template not in TEMPLATES:
        print(f"  '{template}' is not a letter dun knows; nothing was sent")
        return False
    state = state_of(walk.book, walk.book.load(item["case"]), walk.day)
    if any(e.event == "letter" and e.template == template and e.day == walk.day for e in state.case.history):
        print(f"  {template} was sent today already; nothing was sent")
        return False
    desk = desk_of(walk.book, pdf=True)  # an e-mail may carry a form or a QR-bill as PDF
    text = render_letter(desk, state, template, "eml", walk.day, reply_to=(reply["message_id"],
                                                                          reply.get("subject") or ""))
    outgoing = Outgoing(item["case"], item["customer"], template, "mail",
                        text=with_message_id(text, item["case"], template, walk.day))
    result = send_one(walk.book, outgoing, walk.day, mail_argv(walk.mail_command), walk.on, walk.commit,
                       asked=True)
    if result["status"] != "sent":
        print(f"not sent: {result['error']}")
        return False
    print(f"sent and recorded: {template} to {state.case.customer.email}, in reply to {reply['message_id']}")
    return True
