"""ZUGFeRD 2 / Factur-X PDFs: the CII invoice embedded in the PDF, taken out with the `factur-x` package."""

from __future__ import annotations

import io

from receivables_cli.imports.records import ImportProblem


def xml_from_pdf(path, data: bytes) -> bytes:
    """The embedded invoice XML; ImportProblem when the PDF carries none."""
    import logging

    from facturx import get_xml_from_pdf
    from pypdf.errors import PyPdfError

    logging.getLogger("factur-x").setLevel(logging.ERROR)  # it logs each attachment it looks at
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its repair notes ('EOF marker not found') are noise
    try:
        # XSD checks are off: dun checks the fields it needs itself and names the missing one
        _name, xml = get_xml_from_pdf(io.BytesIO(data), check_xsd=False,
                                      filenames=["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"])
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise ImportProblem(path, f"a PDF that cannot be read ({e})") from None
    if not xml:
        raise ImportProblem(path, "a PDF without an embedded invoice (no factur-x.xml, zugferd-invoice.xml or "
                                  "xrechnung.xml inside): it is not a ZUGFeRD/Factur-X invoice")
    return xml
