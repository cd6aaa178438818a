"""ISO 20022 camt.053 (statement) and camt.054 (notification), versions .001.02 to .001.08.

Walks `BkToCstmrStmt/Stmt/Ntry` (camt.054: `BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry`) by local
names, so every version of the schema reads alike. The shapes that changed between
versions are both read: `Sts` is a plain code up to .06 and `Sts/Cd` from .07 on; the
debtor's name is `Dbtr/Nm` up to .07 and `Dbtr/Pty/Nm` in .08.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from receivables_cli.imports.records import BankEntry, ImportProblem
from receivables_cli.imports.safexml import find, find_all, local, namespace, text

CONTAINERS = {"BkToCstmrStmt": "Stmt", "BkToCstmrDbtCdtNtfctn": "Ntfctn"}
_STATUS = {"BOOK": "booked", "PDNG": "pending", "INFO": "information", "FUTR": "future"}
_RETURN_CODES = {"RRTN", "RPCR", "ARET", "CAJT"}  # returned transfer, reversal, adjustment


def is_camt(root) -> bool:
    return ":camt.05" in namespace(root.tag) or any(local(c.tag) in CONTAINERS for c in root)


def read_camt(path, root) -> list[BankEntry]:
    """Every entry of every statement or notification in the document."""
    body = next((c for c in root if local(c.tag) in CONTAINERS), None)
    if body is None:
        raise ImportProblem(path, f"a camt document without a statement ({namespace(root.tag) or local(root.tag)})")
    entries = []
    for report in find_all(body, CONTAINERS[local(body.tag)]):
        currency = _account_currency(report)  # once per statement: per entry it made reading quadratic
        for ntry in find_all(report, "Ntry"):
            entries.extend(_entries(path, len(entries) + 1, ntry, currency))
    return entries


def _entries(path, position: int, ntry, currency: str | None) -> list[BankEntry]:
    """One entry; a batch booking (several TxDtls with their own amounts) becomes one entry each."""
    whole = _entry(path, position, ntry, currency)
    batch = find_all(ntry, "NtryDtls/TxDtls")
    amts = [_first(find(tx, "AmtDtls/TxAmt/Amt"), find(tx, "Amt")) for tx in batch]
    if len(batch) < 2 or any(a is None for a in amts):
        return [whole]
    amounts = [_amount(path, position, a) for a in amts]
    if any((a.get("Ccy") or whole.currency) != whole.currency for a in amts) or sum(amounts) != whole.amount:
        return [whole]  # details in another currency, or not adding up: only the booked amount is certain
    return [replace(whole, position=position + k, amount=a,
                    reference=_tx_reference(tx) or (f"{whole.reference}/{k + 1}" if whole.reference else None),
                    payer=_payer(tx), text=_remittance(tx), creditor_ref=text(tx, "RmtInf/Strd/CdtrRefInf/Ref"))
            for k, (tx, a) in enumerate(zip(batch, amounts, strict=True))]


def _first(*elements):
    """The first element that is there (an Element without children is falsy, so `or` will not do)."""
    return next((e for e in elements if e is not None), None)


def _amount(path, position: int, amt) -> Decimal:
    from receivables_cli.imports.fields import entry_amount

    try:
        return entry_amount(path, amt.text, f"entry {position}: <Amt>")
    except ImportProblem as e:
        if "negative" in e.message:
            raise ImportProblem(path, f"{e.message}; <CdtDbtInd> tells credit from debit") from None
        raise


def _account_currency(report) -> str | None:
    return text(report, "Acct/Ccy")


def _entry(path, position: int, ntry, currency: str | None) -> BankEntry:
    amt = find(ntry, "Amt")
    if amt is None:
        raise ImportProblem(path, f"entry {position} has no <Amt>")
    amount = _amount(path, position, amt)
    tx = find(ntry, "NtryDtls/TxDtls")
    return BankEntry(
        source=str(path), position=position, booked=_booked(path, position, ntry), amount=amount,
        currency=amt.get("Ccy") or currency or "", credit=text(ntry, "CdtDbtInd") == "CRDT",
        status=_status(ntry), reversal=_reversed(ntry, tx),
        reference=text(ntry, "AcctSvcrRef") or text(ntry, "NtryRef") or _tx_reference(tx),
        payer=_payer(tx), text=_remittance(tx), creditor_ref=text(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
    )


def _booked(path, position: int, ntry) -> date:
    raw = text(ntry, "BookgDt/Dt") or text(ntry, "BookgDt/DtTm") or text(ntry, "ValDt/Dt")
    if not raw:
        raise ImportProblem(path, f"entry {position} has no booking date (BookgDt/Dt)")
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise ImportProblem(path, f"entry {position}: booking date '{raw[:40]}' is not a date") from None


def _status(ntry) -> str:
    code = text(ntry, "Sts/Cd") or text(ntry, "Sts") or "BOOK"
    return _STATUS.get(code, code.lower())


def _reversed(ntry, tx) -> bool:
    if (text(ntry, "RvslInd") or "").lower() in ("true", "1"):
        return True
    if tx is not None and find(tx, "RtrInf") is not None:
        return True
    codes = {text(ntry, "BkTxCd/Domn/Fmly/SubFmlyCd"), text(tx, "BkTxCd/Domn/Fmly/SubFmlyCd")}
    return bool(codes & _RETURN_CODES)


def _tx_reference(tx) -> str | None:
    return text(tx, "Refs/AcctSvcrRef") if tx is not None else None


def _payer(tx) -> str | None:
    if tx is None:
        return None
    return (text(tx, "RltdPties/Dbtr/Pty/Nm") or text(tx, "RltdPties/Dbtr/Nm")
            or text(tx, "RltdPties/UltmtDbtr/Pty/Nm") or text(tx, "RltdPties/UltmtDbtr/Nm"))


def _remittance(tx) -> str:
    if tx is None:
        return ""
    lines = [(u.text or "").strip() for u in find_all(tx, "RmtInf/Ustrd")]
    return " ".join(line for line in lines if line)
