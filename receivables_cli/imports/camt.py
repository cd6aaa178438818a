"""ISO 20022 bank-to-customer cash management: camt.052 (account report), camt.053 (statement) and
camt.054 (debit/credit notification), every version from .001.01 to .001.13.

Walks `BkToCstmrAcctRpt/Rpt`, `BkToCstmrStmt/Stmt` and `BkToCstmrDbtCdtNtfctn/Ntfctn` down to
`Ntry` by local names, so every version of the schema reads alike. The shapes that changed
between versions are all read: `Sts` is a plain code up to .06 and `Sts/Cd` from .07 on; the
debtor's name is `Dbtr/Nm` up to .07 and `Dbtr/Pty/Nm` from .08; a date is `Dt` or `DtTm`.
An entry that cannot be read, or that has no date at all, is passed over with its reason and
the rest of the document is read; a camt.052 report also lists pending entries, which are
passed over like every entry that is not booked.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from receivables_cli.imports.records import BankEntry, ImportProblem, bank_amount
from receivables_cli.imports.safexml import find_all, line_text, local, namespace, paths_below, text

CONTAINERS = {"BkToCstmrStmt": "Stmt", "BkToCstmrDbtCdtNtfctn": "Ntfctn", "BkToCstmrAcctRpt": "Rpt"}
KINDS = {"BkToCstmrStmt": "camt.053", "BkToCstmrDbtCdtNtfctn": "camt.054", "BkToCstmrAcctRpt": "camt.052"}
_STATUS = {"BOOK": "booked", "PDNG": "pending", "INFO": "information", "FUTR": "future"}
_RETURN_CODES = {"RRTN", "RPCR", "ARET", "CAJT"}  # returned transfer, reversal, adjustment


def is_camt(root) -> bool:
    return ":camt.05" in namespace(root.tag) or body_of(root) is not None


def container(element) -> str:
    """The message's local name without the version suffix of .001.01 (`BkToCstmrAcctRptV01`)."""
    import re

    return re.sub(r"V\d\d$", "", local(element.tag))


def body_of(root):
    return next((c for c in root if container(c) in CONTAINERS), None)


def read_camt(path, root, lines: list[int] | None = None) -> list[BankEntry]:
    """Every entry of every report, statement or notification in the document.

    `lines` are the line numbers of the `<Ntry>` elements in file order, for messages."""
    body = body_of(root)
    if body is None:
        raise ImportProblem(path, f"a camt document without a statement ({namespace(root.tag) or local(root.tag)}); "
                                  "dun reads camt.052 reports, camt.053 statements and camt.054 notifications")
    entries, count = [], 0
    for report in find_all(body, CONTAINERS[container(body)]):
        currency = _account_currency(report)  # once per statement: per entry it made reading quadratic
        for ntry in find_all(report, "Ntry"):
            line = lines[count] if lines and count < len(lines) else None
            count += 1
            entries.extend(_entries(path, len(entries) + 1, ntry, currency, line))
    return entries


def _entries(path, position: int, ntry, currency: str | None, line: int | None) -> list[BankEntry]:
    """One entry; a batch booking (several TxDtls with their own amounts) becomes one entry each."""
    at, batch = entry_paths(ntry)
    try:
        whole = _entry(path, position, at, batch[0] if batch else None, currency, line)
    except ValueError as e:
        return [BankEntry(source=str(path), position=position, booked=None, amount=Decimal(0), currency="",
                          credit=_text(at, "CdtDbtInd") == "CRDT", problem=f"entry {position}: {e}", line=line)]
    amts = [_first(tx.get("AmtDtls/TxAmt/Amt"), tx.get("Amt")) for tx in batch]
    if len(batch) < 2 or any(a is None for a in amts):
        return [whole]
    try:
        amounts = [bank_amount(a.text, "<TxAmt>") for a in amts]
    except ValueError:
        return [whole]
    if any((a.get("Ccy") or whole.currency) != whole.currency for a in amts) or sum(amounts) != whole.amount:
        return [whole]  # details in another currency, or not adding up: only the booked amount is certain
    return [replace(whole, position=position + k, amount=a,
                    reference=_tx_reference(tx) or (f"{whole.reference}/{k + 1}" if whole.reference else None),
                    payer=_payer(tx), text=_remittance(tx), creditor_ref=_text(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
                    end_to_end=_end_to_end(tx), account=_account(tx))
            for k, (tx, a) in enumerate(zip(batch, amounts, strict=True))]


def entry_paths(ntry) -> tuple[dict, list[dict]]:
    """The paths of an entry and of each of its TxDtls, every element walked once.

    An entry is asked some twenty paths (safexml.find each time walked or looked them up anew,
    and walked its TxDtls a second time). Here a path of local names maps to its first element in
    document order, what `find` returns: the entry's own paths stop at NtryDtls, and each TxDtls
    (in document order, as `find_all(ntry, "NtryDtls/TxDtls")`) has its own, with the TxDtls
    itself under "." for what is read of all its elements (RmtInf/Ustrd)."""
    at: dict = {}
    batch = []
    for child in ntry:
        name = local(child.tag)
        if name not in at:
            at[name] = child
        if name == "NtryDtls":
            batch.extend(_tx_paths(tx) for tx in child if local(tx.tag) == "TxDtls")
        elif len(child):
            paths_below(child, name + "/", _DEPTH - 2, at)
    return at, batch


_DEPTH = 5  # the longest path asked, RltdPties/DbtrAcct/Id/Othr/Id; deeper elements are never read


def _tx_paths(tx) -> dict:
    found = {".": tx}
    paths_below(tx, "", _DEPTH - 1, found)
    return found


def _text(paths: dict | None, path: str) -> str | None:
    """safexml.text of a path the entry's or a TxDtls's paths hold (most of those asked are absent)."""
    found = paths.get(path) if paths is not None else None
    return line_text(found) if found is not None else None


def _first(*elements):
    """The first element that is there (an Element without children is falsy, so `or` will not do)."""
    return next((e for e in elements if e is not None), None)


def _account_currency(report) -> str | None:
    return text(report, "Acct/Ccy")


def _entry(path, position: int, at: dict, tx: dict | None, currency: str | None, line: int | None) -> BankEntry:
    amt = at.get("Amt")
    if amt is None:
        raise ValueError("no <Amt>")
    amount = bank_amount(amt.text, "<Amt>")
    sign = _text(at, "CdtDbtInd")
    if sign not in ("CRDT", "DBIT"):
        raise ValueError(f"<CdtDbtInd> '{sign or ''}' is neither CRDT nor DBIT")
    booked, note = _booked(at)
    return BankEntry(
        source=str(path), position=position, booked=booked, amount=amount,
        currency=amt.get("Ccy") or currency or "", credit=sign == "CRDT",
        status=_status(at), reversal=_reversed(at, tx),
        reference=_text(at, "AcctSvcrRef") or _text(at, "NtryRef") or _tx_reference(tx),
        payer=_payer(tx), text=_remittance(tx), creditor_ref=_text(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
        end_to_end=_end_to_end(tx), account=_account(tx), note=note, line=line,
    )


def _booked(at: dict) -> tuple[date | None, str | None]:
    """The booking date (`Dt` or `DtTm`); else the value date, said so; else None."""
    for path, note in (("BookgDt/Dt", None), ("BookgDt/DtTm", None),
                       ("ValDt/Dt", "no booking date: the value date is used"),
                       ("ValDt/DtTm", "no booking date: the value date is used")):
        raw = _text(at, path)
        if raw:
            try:
                return date.fromisoformat(raw[:10]), note
            except ValueError:
                what = "booking date" if path.startswith("Bookg") else "value date"
                raise ValueError(f"{what} '{raw[:40]}' is not a date") from None
    return None, None


def _status(at: dict) -> str:
    code = _text(at, "Sts/Cd") or _text(at, "Sts") or "BOOK"
    return _STATUS.get(code, code.lower())


def _reversed(at: dict, tx: dict | None) -> bool:
    if (_text(at, "RvslInd") or "").lower() in ("true", "1"):
        return True
    if tx is not None and tx.get("RtrInf") is not None:
        return True
    codes = {_text(at, "BkTxCd/Domn/Fmly/SubFmlyCd"), _text(tx, "BkTxCd/Domn/Fmly/SubFmlyCd")}
    return bool(codes & _RETURN_CODES)


def _tx_reference(tx: dict | None) -> str | None:
    return _text(tx, "Refs/AcctSvcrRef")


def _end_to_end(tx: dict | None) -> str | None:
    ref = _text(tx, "Refs/EndToEndId")
    return ref if ref and ref.upper() != "NOTPROVIDED" else None


def _payer(tx: dict | None) -> str | None:
    if tx is None:
        return None
    return (_text(tx, "RltdPties/Dbtr/Pty/Nm") or _text(tx, "RltdPties/Dbtr/Nm")
            or _text(tx, "RltdPties/UltmtDbtr/Pty/Nm") or _text(tx, "RltdPties/UltmtDbtr/Nm"))


def _account(tx: dict | None) -> str | None:
    if tx is None:
        return None
    return _text(tx, "RltdPties/DbtrAcct/Id/IBAN") or _text(tx, "RltdPties/DbtrAcct/Id/Othr/Id")


def _remittance(tx: dict | None) -> str:
    if tx is None:
        return ""
    lines = [(u.text or "").strip() for u in find_all(tx["."], "RmtInf/Ustrd")]
    return " ".join(line for line in lines if line)
