"""`dun import bank` and `dun import invoice`: the ledger follows the bank and the invoicing tool."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import (
    Argument,
    CommitOpt,
    Exit,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    emit_json,
    open_ledger,
    today,
    wants_commit,
    warn,
)
from receivables_cli.domain.errors import UsageError

FilesArg = Annotated[list[Path], Argument(metavar="FILE...", help="Files or folders (every file inside).",
                                                show_default=False)]
RecordOpt = Annotated[bool, Option("--record", help="Write to the ledger (default: a dry run that "
                                                          "writes nothing).")]


def progress(count: int, label: str):
    """A progress bar on stderr on a terminal (see term.progress); yields the function to call per file."""
    from receivables_cli.output.term import progress as bar

    return bar(count, label)


@command("bank", group="import")
def bank(files: FilesArg, record: RecordOpt = False, json: JsonOpt = False, on: OnOpt = None,
         commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Match the credits of bank statements to open invoices; record them with --record.

    Reads camt.052, camt.053 and camt.054 (ISO 20022, .001.01 to .001.13), MT940 and
    MT942, ZIPs of statements, and the CSV exports of common banks (known by their header
    line, or named in dun.yaml as 'bank: csv: dkb'); the format is told by the content. A
    credit is matched by a reference dun printed (RF), an invoice number in its text, or an
    amount the case expects (open, promised, down payment, instalment due) from a payer
    whose name resembles the customer's. Debits, returns, pending and undated entries are
    passed over; an entry that does not read is named with its line, the rest is read.
    Anything uncertain is listed, never recorded. A booking recorded before, from any
    format, is skipped, so importing twice is harmless. See docs/formats-bank.md.

    Examples:

    \b
      dun import bank ~/Downloads/camt053_2026-11-20.xml
      dun import bank statements/ --record
      dun import bank umsaetze.csv --json
    """
    from receivables_cli.imports.files import files_in
    from receivables_cli.usecases import reconcile

    book = open_ledger(ledger)
    day = today(on)
    found = [path for path, _named in files_in(files)]
    with progress(len(found), "reading statements") as tick:
        result = reconcile.plan(book, found, day, tick=tick)
    commits = wants_commit(commit, book)
    written = reconcile.record(book, result, day, _git(book) if commits else None) if record else []
    if json:
        emit_json(_bank_json(result, bool(record)))
    else:
        _bank_text(result, written, bool(record))
    for f in result.files:
        if f.problem:
            warn(f.problem)
        for v in f.verdicts:
            if v.entry.problem:
                warn(f"{v.entry.where}: {v.entry.problem} (the other entries were read)")
    for message in result.refused:
        warn(f"dun: {message}")
    if result.broken_cases:
        warn(f"warning: {result.broken_cases} case file(s) with problems were left out of the matching; "
             "see 'dun check'")
    if record and commits:  # an import that matched nothing is noted in the log too
        _commit_log(book, written, [f.path.name for f in result.files if f.format])
    if result.refused or any(f.problem or any(v.entry.problem for v in f.verdicts) for f in result.files):
        raise Exit(1)


def _bank_text(result, written, recorded: bool) -> None:
    from receivables_cli.domain.amounts import fmt

    for f in result.files:
        if f.skipped or f.problem:
            print(f"{f.path}: skipped, {f.skipped}" if f.skipped else f"{f.path}: not read")
            continue
        credits = [v for v in f.verdicts if v.status != "ignored" or v.entry.problem or v.entry.credit]
        ignored = sum(v.status == "ignored" for v in f.verdicts)
        if not f.verdicts:
            print(f"{f.path} ({f.format}): no entries\n")
            continue
        print(f"{f.path} ({f.format}): {len(f.verdicts)} entries, {ignored} passed over (debits, returns, pending"
              f"{', unreadable' if any(v.entry.problem for v in f.verdicts) else ''})")
        if credits:
            print(_credits_table(credits))
        print()
    for _case_id, path, text, _entries in written:
        print(f"appended to {_shown(path)}:\n{text}")
    for v in result.verdicts:
        if v.overpaid and v.status == "matched":
            print(f"overpayment: {v.case} received {fmt(v.entry.amount)}, {fmt(v.overpaid)} more than was open; "
                  "refund it or allocate it with the customer")
    from receivables_cli.output.term import wrap

    print(wrap(_summary(result, recorded)))


def _credits_table(credits) -> str:
    """The credits of a file; on a terminal the payer and the why are cut to fit, piped nothing is cut."""
    from receivables_cli.output import term
    from receivables_cli.output.tables import Layout, fit

    rows = [(v.entry.booked.isoformat() if v.entry.booked else "", _amount(v.entry), v.entry.payer or "",
             _result(v), v.why or "") for v in credits]
    headers = ("booked", "amount", "payer", "result", "why")
    return fit([Layout(headers, rows, right=(1,), flex=(2, 4))], term.width())


def _amount(e) -> str:
    from receivables_cli.imports.records import shown_amount

    return "" if e.problem else f"{shown_amount(e.amount)} {e.currency}"


def _result(v) -> str:
    if v.status == "ignored":
        return "passed over"
    if v.status == "matched":
        return f"{v.case} {v.invoice or ''}".strip()
    return v.status.replace("_", " ")


def _summary(result, recorded: bool) -> str:
    c = result.counts()
    skipped = sum(1 for f in result.files if f.skipped)
    broken = sum(1 for f in result.files if f.problem)
    text = (f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}: {c['matched']} matched, "
            f"{c['unmatched']} unmatched, {c['recorded_before']} recorded before, {c['ignored']} passed over")
    if skipped:
        text += f"; {skipped} skipped (imported before)"
    if broken:
        text += f"; {broken} not read"
    if recorded:
        return text + f"; {c['matched']} payment{'s' if c['matched'] != 1 else ''} recorded."
    return text + (f". Dry run, nothing written: add --record to record the {c['matched']} matched."
                   if c["matched"] else ". Dry run, nothing written.")


def _bank_json(result, recorded: bool) -> dict:
    from receivables_cli.domain.amounts import fmt
    from receivables_cli.imports.records import shown_amount

    def verdict(v) -> dict:
        e = v.entry
        return {"date": e.booked.isoformat() if e.booked else None, "amount": shown_amount(e.amount),
                "currency": e.currency, "credit": e.credit, "payer": e.payer, "account": e.account, "text": e.text,
                "reference": e.reference, "end_to_end": e.end_to_end, "line": e.line, "problem": e.problem,
                "status": v.status, "case": v.case, "invoice": v.invoice, "how": v.how, "why": v.why,
                "overpaid": fmt(v.overpaid) if v.overpaid else None}

    return {"recorded": recorded, "summary": result.counts(),
            "files": [{"file": str(f.path), "format": f.format, "skipped": f.skipped, "problem": f.problem,
                       "entries": [verdict(v) for v in f.verdicts]} for f in result.files]}


def _git(book):
    """A maker of the commit step each import write runs inside its lock (see gitstep)."""
    from receivables_cli.store.gitstep import GitStep

    return lambda path, message, new=False: GitStep(book.root, path, message, new=new)


def _commit_log(book, written, names: list[str]) -> None:
    """Commit the import log after the cases: it names what was imported."""
    from receivables_cli.imports.log import LOG

    count = sum(len(entries) for *_, entries in written)
    message = f"bank import: {count} payment{'s' if count != 1 else ''} from {', '.join(names)}"
    step = _git(book)(book.root / LOG, lambda: message, True)
    if (book.root / LOG).is_file() and step.git("status", "--porcelain", "--", str(LOG)).stdout.strip():
        step.commit(f"the import log {LOG}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@command("invoice", group="import")
def invoice(files: FilesArg,
            case: Annotated[Optional[str], Option(
                "--case", metavar="ID", help="Add the invoices to this case (default: the open case of the same "
                "customer, else a new case named after buyer and number).")] = None,
            kind: Annotated[Optional[str], Option(
                "--kind", help="private, business, corporate or public for a new case (default: business when "
                "the buyer has a VAT id or a company form, else private).")] = None,
            record: RecordOpt = False, json: JsonOpt = False, on: OnOpt = None, commit: CommitOpt = False,
            ledger: LedgerOpt = None) -> None:
    """Create cases or add invoices from XRechnung (UBL, CII), ZUGFeRD 1.0/2.x and Factur-X files.

    Reads the number, dates, due date, currency, amount payable, subject, cash discount and
    the buyer's name, address, contact person, e-mail and phone. The due date is the one the
    invoice states, else the one its payment terms give (a discount period never is), else
    the ledger's payment_terms_days. An invoice joins an open case only when its buyer
    matches by an identifier (buyer id, VAT id, buyer reference, e-mail) or by the whole
    name; otherwise it starts a new case. A credit note naming an invoice of the ledger
    becomes a credit on that case. Without --record it prints what it would write and
    why. An invoice number the ledger holds already is refused; inside a folder it is skipped.

    Examples:

    \b
      dun import invoice RE-2026-050.xml
      dun import invoice ~/invoices/2026-11/ --record
      dun import invoice RE-2026-051.pdf --case acme-2026-017 --record
      dun import invoice GS-2026-004.xml --json
    """
    from receivables_cli.domain.model import KINDS
    from receivables_cli.imports.files import files_in
    from receivables_cli.usecases.invoicecase import import_invoices

    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind '{kind}' is not one of {', '.join(KINDS)}")
    book = open_ledger(ledger)
    found = files_in(files)
    outcomes, commits = [], wants_commit(commit, book)
    with progress(len(found), "reading invoices") as tick:
        for outcome in import_invoices(book, found, today(on), case, kind, record, tick=tick,
                                       git=_git(book) if commits else None):
            if not json:
                _show_invoice(outcome, record)
            outcomes.append(outcome)
    if json:
        emit_json(_invoice_json(outcomes, bool(record)))
        for o in outcomes:
            if o.status == "failed":
                warn(f"{o.path}: {o.message}")
    else:
        print(_invoice_summary(outcomes, record))
    if any(o.status == "failed" for o in outcomes):
        raise Exit(1)


def _show_invoice(o, recorded: bool) -> None:
    why = f" ({o.why})" if o.why else ""
    if o.status == "failed":
        warn(f"{o.path}: {o.message}")
    elif o.status == "skipped":
        print(f"{o.path}: skipped, {o.message}")
    elif o.status == "created":
        print(f"{o.path}: {'created' if recorded else 'would create'} cases/{o.case_id}.yaml{why}:\n{o.text}")
    else:
        print(f"{o.path}: {'appended to' if recorded else 'would append to'} cases/{o.case_id}.yaml{why}:\n{o.text}")


def _invoice_summary(outcomes, recorded: bool) -> str:
    count = {s: sum(o.status == s for o in outcomes) for s in ("created", "added", "credited", "skipped", "failed")}
    verb = ("" if recorded else "would be ")
    text = (f"{len(outcomes)} file{'s' if len(outcomes) != 1 else ''}: {count['created']} case"
            f"{'s' if count['created'] != 1 else ''} {verb}created, {count['added']} invoice"
            f"{'s' if count['added'] != 1 else ''} {verb}added, ")
    if count["credited"]:
        text += f"{count['credited']} credit note{'s' if count['credited'] != 1 else ''} {verb}recorded, "
    text += f"{count['skipped']} skipped (imported before), {count['failed']} refused"
    return text + ("." if recorded else ". Dry run, nothing written: add --record to write.")


def _invoice_json(outcomes, recorded: bool) -> dict:
    """The shape of `import bank --json`: files, each with what became of its invoice."""
    from receivables_cli.imports.invoicejson import invoice_json

    return invoice_json(outcomes, recorded)
