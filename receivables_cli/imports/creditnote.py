"""A credit note (UBL CreditNote, CII type 381) that names an invoice of the ledger (BT-25) becomes a `credit`."""

from __future__ import annotations

from receivables_cli.imports.records import AlreadyImported, ImportProblem, InvoiceRecord


def reason_of(record: InvoiceRecord) -> str:
    return f"credit note {record.number}"


def place_credit(states, record: InvoiceRecord, case: str | None):
    """The case holding the credited invoice, with the credit entry; ImportProblem when there is none."""
    from receivables_cli.imports.invoicecase import Placement
    from receivables_cli.record import entry

    state = _case_of(states, record)
    if case and state is not None and state.case.id != case:
        raise ImportProblem(record.source, f"credit note {record.number} credits invoice {record.preceding}, "
                                           f"which is in case {state.case.id}, not {case}")
    if state is None:
        raise ImportProblem(record.source, _not_found(record))
    check_not_credited(state.case, record)
    if record.currency != state.currency:
        raise ImportProblem(record.source, f"credit note {record.number} is in {record.currency}, case "
                                           f"{state.case.id} in {state.currency}; nothing written")
    if record.amount > state.open:
        raise ImportProblem(record.source, f"credit note {record.number} of {record.amount} is more than the "
                                           f"{state.open} open on case {state.case.id}: check it, then record it "
                                           "with 'dun credit ... --force'")
    credit = entry("credit", record.issued, amount=record.amount, reason=reason_of(record), invoice=record.preceding)
    return Placement(record, state.case.id, False, credit,
                     why=f"credits invoice {record.preceding} (BT-25) of case {state.case.id}")


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
