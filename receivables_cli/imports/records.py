"""The records the importers produce: one bank entry, one invoice, one problem with a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from receivables_cli.domain.errors import DunError


class ImportProblem(DunError):
    """A file that cannot be imported: printed as ``path: what is wrong``."""

    def __init__(self, path, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


MAX_ENTRIES = 100_000  # a freelancer's year is a few thousand; more would only cost time and memory


def too_many(path, count: int) -> None:
    """Refuse a statement of more entries than any real one, before reading them."""
    if count > MAX_ENTRIES:
        raise ImportProblem(path, f"more than {MAX_ENTRIES} entries: not a statement dun reads in one go; "
                                  "split it by month")


BANK_DECIMALS = 5  # ISO 20022 ActiveOrHistoricCurrencyAndAmount: up to five fraction digits


def bank_amount(raw: str | None, what: str) -> Decimal:
    """An unsigned amount as a statement writes it (`1190.5`, `8.850`, `0.12345`), exact; a ValueError
    with the reason for a sign, an exponent, NaN, more than five decimals or more than 15 digits."""
    import re

    text = (raw or "").strip()
    m = re.fullmatch(r"([0-9]{1,15})(?:\.([0-9]{0,5}))?", text)  # BANK_DECIMALS
    if not m:
        if text.startswith("-"):
            raise ValueError(f"{what} '{text[:40]}' is negative; <CdtDbtInd> tells credit from debit")
        raise ValueError(f"{what} '{text[:40]}' is not an amount (digits, a dot, at most {BANK_DECIMALS} decimals)")
    return Decimal(text)


def shown_amount(value: Decimal) -> str:
    """Two decimals as everywhere in dun, but an amount with more (8.12345) exactly as it is."""
    from receivables_cli.domain.amounts import cents

    return str(cents(value)) if value == value.quantize(Decimal("0.01")) else format(value.normalize(), "f")


class AlreadyImported(ImportProblem):
    """The invoice is in the ledger already."""


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One entry of a bank statement, whatever the format it came in."""

    source: str          # the file, for messages
    position: int        # the entry's number in the file (1-based), or its CSV line
    booked: date | None  # None only for an entry passed over (no date at all, or unreadable)
    amount: Decimal      # always positive; `credit` says the direction
    currency: str
    credit: bool
    status: str = "booked"  # booked | pending
    reversal: bool = False  # a reversal or a returned payment
    reference: str | None = None  # the bank's own reference for the entry
    payer: str | None = None
    text: str = ""       # the unstructured remittance information
    creditor_ref: str | None = None  # the structured creditor reference (RF... or the bank's own)
    end_to_end: str | None = None  # the payer's end-to-end reference (camt EndToEndId, MT940 EREF+)
    account: str | None = None     # the payer's IBAN or account number, kept apart from the name
    note: str | None = None        # what the reader wants said about the entry (only a value date, say)
    problem: str | None = None     # why the entry could not be read; the rest of the file is read
    line: int | None = None        # the entry's line in the file, when known

    @property
    def where(self) -> str:
        """`file:line` for messages (`file` alone when the line is not known)."""
        return f"{self.source}:{self.line}" if self.line else self.source

    @property
    def ignored_because(self) -> str | None:
        """Why the entry is not a payment to match, or None."""
        if self.problem:
            return f"not readable: {self.problem}"
        if self.status != "booked":
            return f"not booked ({self.status})"
        if self.booked is None:
            return "no booking or value date: nothing says when the money arrived"
        if not self.credit:
            return "a debit"
        if not self.amount:
            return "a zero amount"
        if self.reversal:
            return "a reversal or returned payment"
        return None


@dataclass(frozen=True, slots=True)
class Buyer:
    """The buyer an e-invoice names, as a customer to be."""
    name: str
    address: str | None = None
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    vat_id: str | None = None    # BT-48
    id: str | None = None        # BT-46, the buyer's identifier (often the seller's customer number)
    reference: str | None = None  # BT-10, the buyer reference (Leitweg-ID for public buyers)


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    """The fields of an e-invoice that dun keeps."""

    source: str
    format: str          # UBL, CII, Factur-X
    number: str
    issued: date
    due: date | None
    currency: str
    amount: Decimal
    subject: str | None
    buyer: Buyer
    due_how: str = ""    # where the due date came from; empty: the ledger's payment_terms_days
    discount: object | None = None  # terms.Discount
    credit_note: bool = False
    preceding: str | None = None  # BT-25: the invoice a credit note corrects
