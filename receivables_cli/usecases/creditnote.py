"""A credit note (UBL CreditNote, CII type 381) that names an invoice of the ledger (BT-25) becomes a `credit`."""

from __future__ import annotations

from receivables_cli.imports.records import AlreadyImported, ImportProblem, InvoiceRecord


def reason_of(record: InvoiceRecord) -> str:
    return f"credit note {record.number}"


def place_credit(states, record: InvoiceRecord, case: str | None, placed: dict):
    """The case holding the credited invoice, with the credit entry; ImportProblem when there is none.

    `placed` holds the invoices this run imports (number -> case id, amount, currency), so a credit
    note can follow its invoice in one folder.
    """
    from receivables_cli.usecases.invoicecase import Placement
    from receivables_cli.usecases.record import entry

    case_id, open_amount, currency = _target(states, record, placed)
    if case and case_id is not None and case_id != case:
        raise ImportProblem(record.source, f"credit note {record.number} credits invoice {record.preceding}, "
                                           f"which is in case {case_id}, not {case}")
    if case_id is None:
        raise ImportProblem(record.source, _not_found(record))
    if record.currency != currency:
        raise ImportProblem(record.source, f"credit note {record.number} is in {record.currency}, case "
                                           f"{case_id} in {currency}; nothing written")
    if record.amount > open_amount:
        raise ImportProblem(record.source, f"credit note {record.number} of {record.amount} is more than the "
                                           f"{open_amount} open on case {case_id}: check it, then record it "
                                           "with 'dun credit ... --force'")
    credit = entry("credit", record.issued, amount=record.amount, reason=reason_of(record), invoice=record.preceding)
    return Placement(record, case_id, False, credit,
                     why=f"credits invoice {record.preceding} (BT-25) of case {case_id}")


def _target(states, record: InvoiceRecord, placed: dict) -> tuple:
    """(case id, open amount, currency) of the credited invoice's case; (None, 0, None) when unknown."""
    from decimal import Decimal

    state = _case_of(states, record)
    if state is not None:
        check_not_credited(state.case, record)
        return state.case.id, state.open, state.currency
    if record.preceding in placed:
        case_id, amount, currency = placed[record.preceding]
        before = next((s.open for s in states if s.case.id == case_id), Decimal(0))
        return case_id, before + amount, currency
    return None, Decimal(0), None


def check_not_credited(case, record: InvoiceRecord) -> None:
    if any(e.event == "credit" and e.reason == reason_of(record) for e in case.history):
        raise AlreadyImported(record.source, f"credit note {record.number} was recorded before in case {case.id}; "
                                             "nothing written")


def _case_of(states, record: InvoiceRecord):
    if not record.preceding:
        return None
    return next((s for s in states if record.preceding in {e.number for e in s.case.history if e.event == "invoice"}),
                None)


def _not_found(record: InvoiceRecord) -> str:
    if not record.preceding:
        return (f"a credit note ({record.number}) that names no invoice (BT-25): record it on its case with "
                "'dun credit'")
    return (f"a credit note ({record.number}) for invoice {record.preceding}, which is not in the ledger: record it "
            "with 'dun credit' on its case")
