"""Turn an imported invoice into a new case file or an `invoice` event on an open case."""

from __future__ import annotations

import re
from dataclasses import dataclass

from receivables_cli.domain.errors import DunError
from receivables_cli.imports.fields import looks_like_company
from receivables_cli.imports.names import fold, name_words
from receivables_cli.imports.records import AlreadyImported, ImportProblem, InvoiceRecord

_CLOSED = ("settled", "written_off", "legal")


@dataclass(frozen=True)
class Placement:
    """Where an invoice goes: a new case (with its file text) or an existing one (with the entry)."""

    record: InvoiceRecord
    case_id: str
    new: bool
    entry: dict
    text: str | None = None  # the new case file
    why: str = ""  # why this case: the identifier or name that matched, the cases considered


def kind_of(record: InvoiceRecord) -> str:
    """business when the buyer has a VAT id or a company form in the name, else private."""
    buyer = record.buyer
    return "business" if buyer.vat_id or looks_like_company(buyer.name) else "private"


def invoice_entry(record: InvoiceRecord, default_currency: str) -> dict:
    from receivables_cli.usecases.record import entry

    d = record.discount
    return entry("invoice", record.issued, number=record.number, amount=record.amount, due=record.due,
                 currency=record.currency if record.currency != default_currency else None, subject=record.subject,
                 discount={"percent": str(d.percent), "days": d.days} if d else None)


def place(book, states, record: InvoiceRecord, case: str | None, kind: str | None,
          fresh: dict[str, InvoiceRecord], placed: dict | None = None) -> Placement:
    """Decide where the invoice goes; AlreadyImported for a number the ledger (or this run) holds.

    `fresh` holds the cases this run creates (case id -> their first invoice), so a folder with
    two invoices to one new buyer makes one case.
    """
    if record.credit_note:
        from receivables_cli.usecases.creditnote import place_credit

        return place_credit(states, record, case, placed or {})
    for s in states:
        if record.number in {e.number for e in s.case.history if e.event == "invoice"}:
            raise AlreadyImported(record.source, f"invoice {record.number} was imported before: it is in case "
                                                 f"{s.case.id}; nothing written")
    for case_id, other in fresh.items():
        if other.number == record.number:
            raise AlreadyImported(record.source, f"invoice {record.number} is also in {other.source} ({case_id})")
    first = invoice_entry(record, book.config.currency)
    if case:
        if case not in fresh:
            _check_target(book, states, case, record)
        return Placement(record, case, False, first, why=f"--case {case}")
    target, why = _open_case_of(states, record)
    if target is None:
        target, fresh_why = _fresh_case_of(fresh, record)
        why = fresh_why or why
    if target:
        if target not in fresh:
            _check_target(book, states, target, record)
        return Placement(record, target, False, first, why=why)
    case_id = unique_case_id(record, set(book.case_ids()) | set(fresh))
    return Placement(record, case_id, True, first, _case_text(record, kind or kind_of(record), first), why)


def _fresh_case_of(fresh: dict[str, InvoiceRecord], record: InvoiceRecord) -> tuple[str | None, str]:
    from receivables_cli.imports.buyers import compare, identifiers

    for case_id, other in fresh.items():
        verdict = compare(record.buyer, other.buyer.name, identifiers(other.buyer))
        if verdict.same and other.currency == record.currency:
            return case_id, f"{verdict.why} as {other.source}, which starts case {case_id}"
    return None, ""


def _open_case_of(states, record: InvoiceRecord) -> tuple[str | None, str]:
    """The one open case whose customer is the buyer, and why; several are a question only the user can answer.

    Without one, `why` names the open cases of similar customers that were considered and why not.
    """
    from receivables_cli.imports.buyers import compare, customer_identifiers

    found, passed = [], []
    for s in states:
        if s.status in _CLOSED:
            continue
        verdict = compare(record.buyer, s.case.customer.name, customer_identifiers(s.case.customer))
        if verdict.same:
            found.append((s.case.id, verdict.why))
        elif verdict.related:
            passed.append(f"considered {s.case.id} ({s.case.customer.name}): {verdict.why}")
    if len(found) > 1:
        raise DunError(f"the buyer {record.buyer.name} has several open cases "
                       f"({', '.join(c for c, _ in found)}): say which with --case")
    if found:
        return found[0][0], f"{found[0][1]} as the open case {found[0][0]}"
    return None, "; ".join(passed[:3]) or "no open case of this buyer"


def _check_target(book, states, case_id: str, record: InvoiceRecord) -> None:
    state = next((s for s in states if s.case.id == case_id), None)
    if state is None:
        book.load(case_id)  # the error names the closest case id
        return
    if state.invoices and state.currency != record.currency:
        raise ImportProblem(record.source, f"invoice {record.number} is in {record.currency}, case {case_id} in "
                                           f"{state.currency}; a case has one currency")


def unique_case_id(record: InvoiceRecord, taken: set[str]) -> str:
    """`bergmann-2026-050` from 'Bergmann Logistik GmbH' and 'RE-2026-050' (a person: the last name,
    `vogt-2026-051`); -2, -3 ... when taken."""
    words = name_words(record.buyer.name) or ["kunde"]
    word = words[0] if looks_like_company(record.buyer.name) or record.buyer.vat_id else words[-1]
    number = re.sub(r"^[a-z]+-?", "", _slug(record.number)) or _slug(record.number)
    base = "-".join(filter(None, (word[:20], number[:30]))).strip("-.") or "invoice"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _case_text(record: InvoiceRecord, kind: str, first: dict) -> str:
    from receivables_cli.store.newcase import case_text

    b = record.buyer
    person = {"name": b.name, "kind": kind, "contact": b.contact, "email": b.email, "phone": b.phone,
              "address": b.address}
    return case_text(person, first)


@dataclass(frozen=True)
class Outcome:
    """What importing one e-invoice did or would do."""
    path: str
    status: str  # created | added | credited | skipped | failed
    case_id: str | None = None
    text: str = ""  # the case file or entry written (or that would be written)
    message: str = ""
    record: InvoiceRecord | None = None
    why: str = ""  # which case and why; where the due date came from


def due_note(record: InvoiceRecord, terms_days: int) -> str:
    """Where the due date came from, said for every invoice (nothing for a credit note)."""
    if record.credit_note:
        return ""
    if record.due is None:
        return (f"no due date or payment terms in the invoice: due {terms_days} days after it, "
                "the ledger's payment_terms_days")
    return f"due {record.due} {record.due_how}".rstrip()


def import_invoices(book, files, today, case: str | None, kind: str | None, write: bool, tick=lambda: None,
                    git=None):
    """Place every invoice file, writing only when `write`; yields an Outcome per file.

    `git(path, message, new)`, when given, makes the commit step that runs inside each write's lock.
    """
    from receivables_cli.imports.einvoice import read_invoice
    from receivables_cli.usecases.agenda import state_of

    cases, _problems = book.load_all()
    states = [state_of(book, c, today) for c in cases]
    fresh: dict[str, InvoiceRecord] = {}
    placed: dict[str, tuple] = {}  # invoice number -> (case id, amount, currency) of this run's invoices
    credits = []  # credit notes wait for the invoices of the same run (GS-... sorts before RE-...)
    for path, named in files:
        record = None
        try:
            record = read_invoice(path)
            if record.credit_note and not case:
                credits.append((path, named, record))
                continue
            yield _one(book, states, fresh, record, case, kind, write, git, placed)
        except DunError as e:
            yield _failed(path, named, record, e)
        finally:
            tick()
    for path, named, record in credits:
        try:
            yield _one(book, states, fresh, record, case, kind, write, git, placed)
        except DunError as e:
            yield _failed(path, named, record, e)


def _failed(path, named: bool, record, e: DunError) -> Outcome:
    if isinstance(e, AlreadyImported):
        return Outcome(str(path), "failed" if named else "skipped", message=e.message, record=record)
    return Outcome(str(path), "failed", message=e.message if isinstance(e, ImportProblem) else str(e), record=record)


def _one(book, states, fresh, record: InvoiceRecord, case, kind, write: bool, git=None, placed=None) -> Outcome:
    path = record.source
    placed = {} if placed is None else placed
    placement = place(book, states, record, case, kind, fresh, placed)
    if not record.credit_note:
        placed[record.number] = (placement.case_id, record.amount, record.currency)
    target = book.case_path(placement.case_id)
    why = "; ".join(filter(None, (placement.why, due_note(record, book.config.payment_terms_days))))
    if placement.new:
        _check_case_text(target, placement.text)
        if write:
            from receivables_cli.store.append import create_case

            target.parent.mkdir(parents=True, exist_ok=True)
            create_case(target, placement.text, _step(git, target, placement, new=True))
        fresh[placement.case_id] = placement.record
        return Outcome(str(path), "created", placement.case_id, placement.text, record=record, why=why)
    status = "credited" if record.credit_note else "added"
    if write:
        from receivables_cli.store.append import append_event

        text = append_event(target, _unless_there(placement), _step(git, target, placement, new=False))
        return Outcome(str(path), status, placement.case_id, text, record=record, why=why)
    from receivables_cli.store.append import render_entry

    return Outcome(str(path), status, placement.case_id, render_entry(placement.entry, 2).rstrip("\n"),
                   record=record, why=why)


def _step(git, target, placement, *, new: bool):
    """The commit step for one written invoice, or None without --commit."""
    if git is None:
        return None
    number = placement.record.number if placement.record else ""
    what = "new case, invoice" if new else ("credit note" if placement.record.credit_note else "invoice")
    return git(target, lambda: f"{placement.case_id}: {what} {number} (imported)".strip(), new)


def _check_case_text(path, text: str) -> None:
    from receivables_cli.domain.errors import InvalidData
    from receivables_cli.store.casefile import load_case

    _case, problems = load_case(path, text)
    if problems:
        raise InvalidData(problems)


def _unless_there(placement: Placement):
    """Under the lock: the invoice number must still be new to the case."""
    def make(case):
        if placement.record.credit_note:
            from receivables_cli.usecases.creditnote import check_not_credited

            check_not_credited(case, placement.record)
        elif placement.record.number in {e.number for e in case.history if e.event == "invoice"}:
            raise AlreadyImported(placement.record.source, f"invoice {placement.record.number} was imported "
                                                           f"before: it is in case {case.id}; nothing written")
        return placement.entry

    return make
