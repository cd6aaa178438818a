"""Read an e-invoice, whatever its syntax: XRechnung UBL, CII XML, ZUGFeRD 1.0, or a ZUGFeRD/Factur-X PDF."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from receivables_cli.imports.records import ImportProblem, InvoiceRecord

MAX_BYTES = 50_000_000


def read_invoice(path: Path) -> InvoiceRecord:
    """The invoice in the file; ImportProblem ('path: what is missing') for anything else."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ImportProblem(path, "too large for an invoice")
        data = path.read_bytes()
    except OSError as e:
        raise ImportProblem(path, e.strerror or "cannot be read") from None
    if data.startswith(b"%PDF"):
        from receivables_cli.imports.facturx_pdf import xml_from_pdf

        return checked(path, _from_xml(path, xml_from_pdf(path, data), "PDF"))
    if data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return checked(path, _from_xml(path, data, None))
    raise ImportProblem(path, "not an e-invoice: neither XML (XRechnung UBL or CII) nor a PDF")


def _from_xml(path: Path, data: bytes, container: str | None) -> InvoiceRecord:
    from receivables_cli.imports import cii, ubl
    from receivables_cli.imports.safexml import local, namespace, parse_xml

    root = parse_xml(path, data)
    ns, name = namespace(root.tag), local(root.tag)
    if ns == cii.NAMESPACE and name == "CrossIndustryInvoice":
        return cii.read_cii(path, root, "Factur-X PDF" if container else "CII")
    if ns.startswith(cii.ZUGFERD1_NAMESPACE) and name == "CrossIndustryDocument":
        return cii.read_cii(path, root, "ZUGFeRD 1.0 PDF" if container else "ZUGFeRD 1.0", cii.ZUGFERD1)
    if ns.startswith("urn:oasis:names:specification:ubl:schema:xsd:") and name in ("Invoice", "CreditNote"):
        return ubl.read_ubl(path, root)
    raise ImportProblem(path, f"XML, but not an invoice dun can read (root element {name}"
                              f"{' in ' + ns if ns else ''}; expected UBL Invoice or CreditNote, CII "
                              "CrossIndustryInvoice or ZUGFeRD 1.0 CrossIndustryDocument)")


def checked(path, record: InvoiceRecord) -> InvoiceRecord:
    """Every text decoded like a mail program would (RFC 2047) and checked like typed text."""
    from receivables_cli.domain.guards import long_fields, too_long

    buyer = dataclasses.replace(record.buyer, **_decoded(path, record.buyer, "the buyer's"))
    record = dataclasses.replace(record, buyer=buyer, **_decoded(path, record, "the invoice's"))
    for whose, values in (("the buyer's", buyer), ("the invoice's", dataclasses.replace(record, source=""))):
        if found := long_fields(values):
            raise ImportProblem(path, f"{whose} {too_long(*found[0])}; nothing written")
    return record


def _decoded(path, record, whose: str) -> dict:
    from receivables_cli.domain.textcheck import decoded_words, hidden_control

    changed = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if not isinstance(value, str) or "=?" not in value:
            continue
        lines = value.split("\n")  # an address has several lines, every other value one
        why = next(filter(None, map(hidden_control, lines)), None)
        if why:
            raise ImportProblem(path, f"{whose} {field.name.replace('_', ' ')} holds {why}: refused, it could add "
                                      "a header to the e-mails dun writes; nothing written")
        changed[field.name] = "\n".join(" ".join(decoded_words(line).split()) for line in lines)
    return changed
