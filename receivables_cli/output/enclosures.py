"""A copy of the invoice enclosed with a letter: the invoice event's `file:` (a PDF in the ledger),
attached to the e-mail and appended to the printed letter."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from receivables_cli.domain.errors import DunError

MAX_BYTES = 20 * 1024 * 1024  # an invoice PDF is a few hundred KB
# Letters that ask for an invoice's money enclose a copy of it.
ENCLOSING = ("reminder", "dunning", "final-notice", "statement")
WORDS = {"de": ("Anlage", "Anhang", "Kopie der Rechnung", "Kopie der Rechnungen"),
         "en": ("Enclosure", "Attachment", "copy of invoice", "copies of invoices")}


@dataclass(frozen=True)
class Enclosure:
    """An invoice's own document, sent with a letter."""
    number: str
    path: Path
    data: bytes

    @property
    def filename(self) -> str:
        return self.path.name


def enclosures(root: Path, state, template: str, day) -> list[Enclosure]:
    """The files of the invoices the letter asks to be paid (due on `day`, still open), read and checked."""
    if template not in ENCLOSING:
        return []
    found = []
    for invoice in state.open_invoices:
        event = _invoice_event(state, invoice.number)
        if event is None or not event.file or (invoice.due is not None and invoice.due > day):
            continue
        found.append(Enclosure(invoice.number, _path(root, event.file, invoice.number), b""))
    return [Enclosure(e.number, e.path, read_invoice_file(e.path, e.number)) for e in found]


def _invoice_event(state, number: str):
    return next((e for e in state.events if e.event == "invoice" and e.number == number), None)


def _path(root: Path, name: str, number: str) -> Path:
    path = Path(name)
    if path.is_absolute() or ".." in path.parts:
        raise DunError(f"invoice {number}: file '{name}' must be a path inside the ledger, such as "
                       "invoices/RE-2026-017.pdf")
    return root / path


def read_invoice_file(path: Path, number: str) -> bytes:
    """The invoice PDF: a regular file (never a device or a FIFO), of sensible size, that is a PDF."""
    try:
        info = os.stat(path)
    except OSError:
        raise DunError(f"invoice {number}: its file {path} is not there; fix 'file:' on the invoice or add the "
                       "PDF") from None
    if not stat.S_ISREG(info.st_mode):
        raise DunError(f"invoice {number}: {path} is not a regular file")
    if info.st_size > MAX_BYTES:
        raise DunError(f"invoice {number}: {path} is larger than {MAX_BYTES // 2**20} MB")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if not data.startswith(b"%PDF"):
        raise DunError(f"invoice {number}: {path} is not a PDF")
    return data


def enclosure_line(lang: str, numbers: list[str], by_mail: bool) -> str:
    """``Anlage: Kopie der Rechnung RE-2026-017`` (``Anhang: …`` in an e-mail)."""
    paper, mail, one, many = WORDS[lang]
    return f"{mail if by_mail else paper}: {one if len(numbers) == 1 else many} {', '.join(numbers)}"


def append_pdfs(letter: bytes, files: list[bytes]) -> bytes:
    """The letter's PDF with each invoice's pages after it."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(letter)))
    for data in files:
        try:
            writer.append(PdfReader(io.BytesIO(data)))
        except (PdfReadError, ValueError, KeyError) as e:
            raise DunError(f"an enclosed invoice PDF cannot be read: {e}") from None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
