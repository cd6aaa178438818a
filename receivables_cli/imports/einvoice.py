"""Read an e-invoice, whatever its syntax: XRechnung UBL, CII XML, or a ZUGFeRD/Factur-X PDF."""

from __future__ import annotations

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

        return _from_xml(path, xml_from_pdf(path, data), "Factur-X PDF")
    if data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _from_xml(path, data, None)
    raise ImportProblem(path, "not an e-invoice: neither XML (XRechnung UBL or CII) nor a PDF")


def _from_xml(path: Path, data: bytes, container: str | None) -> InvoiceRecord:
    from receivables_cli.imports import cii, ubl
    from receivables_cli.imports.safexml import local, namespace, parse_xml

    root = parse_xml(path, data)
    ns = namespace(root.tag)
    if ns == cii.NAMESPACE and local(root.tag) == "CrossIndustryInvoice":
        return cii.read_cii(path, root, container or "CII")
    if ns.startswith("urn:oasis:names:specification:ubl:schema:xsd:") and local(root.tag) in ("Invoice",
                                                                                                  "CreditNote"):
        return ubl.read_ubl(path, root)
    raise ImportProblem(path, f"XML, but not an invoice dun can read (root element {local(root.tag)}"
                              f"{' in ' + ns if ns else ''}; expected UBL Invoice or CII CrossIndustryInvoice)")
