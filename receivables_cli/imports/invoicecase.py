"""Turn an imported invoice into a new case file or an `invoice` event on an open case."""

from __future__ import annotations

import re
from dataclasses import dataclass

from receivables_cli.errors import DunError
from receivables_cli.imports.fields import looks_like_company
from receivables_cli.imports.names import fold, name_words, resembles
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


def kind_of(record: InvoiceRecord) -> str:
    """business when the buyer has a VAT id or a company form in the name, else private."""
    buyer = record.buyer
    return "business" if buyer.vat_id or looks_like_company(buyer.name) else "private"


def invoice_entry(record: InvoiceRecord, default_currency: str) -> dict:
    from receivables_cli.record import entry

    return entry("invoice", record.issued, number=record.number, amount=record.amount, due=record.due,
                 currency=record.currency if record.currency != default_currency else None, subject=record.subject)


def place(book, states, record: InvoiceRecord, case: str | None, kind: str | None,
          fresh: dict[str, InvoiceRecord]) -> Placement:
    """Decide where the invoice goes; AlreadyImported for a number the ledger (or this run) holds.

    `fresh` holds the cases this run creates (case id -> their first invoice), so a folder with
    two invoices to one new buyer makes one case.
    """
    for s in states:
        if record.number in {e.number for e in s.case.history if e.event == "invoice"}:
            raise AlreadyImported(record.source, f"invoice {record.number} was imported before: it is in case "
                                                 f"{s.case.id}; nothing written")
    for case_id, other in fresh.items():
        if other.number == record.number:
            raise AlreadyImported(record.source, f"invoice {record.number} is also in {other.source} ({case_id})")
    first = invoice_entry(record, book.config.currency)
    target = case or _open_case_of(states, record.buyer.name) or _fresh_case_of(fresh, record)
    if target:
        if target not in fresh:
            _check_target(book, states, target, record)
        return Placement(record, target, False, first)
    case_id = unique_case_id(record, set(book.case_ids()) | set(fresh))
    return Placement(record, case_id, True, first, _case_text(record, kind or kind_of(record), first))


def _fresh_case_of(fresh: dict[str, InvoiceRecord], record: InvoiceRecord) -> str | None:
    return next((case_id for case_id, other in fresh.items() if resembles(record.buyer.name, other.buyer.name)
                 and other.currency == record.currency), None)


def _open_case_of(states, buyer: str) -> str | None:
    """The one open case whose customer is the buyer; several are a question only the user can answer."""
    found = [s.case.id for s in states if s.status not in _CLOSED and resembles(buyer, s.case.customer.name)]
    if len(found) > 1:
        raise DunError(f"the buyer {buyer} has several open cases ({', '.join(found)}): say which with --case")
    return found[0] if found else None


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
    path: str
    status: str  # created | added | skipped | failed
    case_id: str | None = None
    text: str = ""  # the case file or entry written (or that would be written)
    message: str = ""


def import_invoices(book, files, today, case: str | None, kind: str | None, write: bool, tick=lambda: None,
                    git=None):
    """Place every invoice file, writing only when `write`; yields an Outcome per file.

    `git(path, message, new)`, when given, makes the commit step that runs inside each write's lock.
    """
    from receivables_cli.playbook.agenda import state_of

    cases, _problems = book.load_all()
    states = [state_of(book, c, today) for c in cases]
    fresh: dict[str, InvoiceRecord] = {}
    for path, named in files:
        try:
            yield _one(book, states, fresh, path, case, kind, write, git)
        except AlreadyImported as e:
            yield Outcome(str(path), "failed" if named else "skipped", message=e.message)
        except ImportProblem as e:
            yield Outcome(str(path), "failed", message=e.message)
        except DunError as e:
            yield Outcome(str(path), "failed", message=str(e))
        finally:
            tick()


def _one(book, states, fresh, path, case, kind, write: bool, git=None) -> Outcome:
    from receivables_cli.imports.einvoice import read_invoice

    placement = place(book, states, read_invoice(path), case, kind, fresh)
    target = book.case_path(placement.case_id)
    if placement.new:
        _check_case_text(target, placement.text)
        if write:
            from receivables_cli.store.append import create_case

            target.parent.mkdir(parents=True, exist_ok=True)
            create_case(target, placement.text, _step(git, target, placement, new=True))
        fresh[placement.case_id] = placement.record
        return Outcome(str(path), "created", placement.case_id, placement.text)
    if write:
        from receivables_cli.store.append import append_event

        return Outcome(str(path), "added", placement.case_id,
                       append_event(target, _unless_there(placement), _step(git, target, placement, new=False)))
    from receivables_cli.store.append import render_entry

    return Outcome(str(path), "added", placement.case_id, render_entry(placement.entry, 2).rstrip("\n"))


def _step(git, target, placement, *, new: bool):
    """The commit step for one written invoice, or None without --commit."""
    if git is None:
        return None
    number = placement.record.number if placement.record else ""
    what = "new case, invoice" if new else "invoice"
    return git(target, lambda: f"{placement.case_id}: {what} {number} (imported)".strip(), new)


def _check_case_text(path, text: str) -> None:
    from receivables_cli.errors import InvalidData
    from receivables_cli.store.casefile import load_case

    _case, problems = load_case(path, text)
    if problems:
        raise InvalidData(problems)


def _unless_there(placement: Placement):
    """Under the lock: the invoice number must still be new to the case."""
    def make(case):
        if placement.record.number in {e.number for e in case.history if e.event == "invoice"}:
            raise AlreadyImported(placement.record.source, f"invoice {placement.record.number} was imported "
                                                           f"before: it is in case {case.id}; nothing written")
        return placement.entry

    return make
