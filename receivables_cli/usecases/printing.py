"""What the PDFs of a command need before its letters: weasyprint's compiled C declarations, and
weasyprint set up ahead in a forked process (output/pdf.py)."""

from __future__ import annotations

_tables: list = []  # the cache's entries, once read


def pdf_tables() -> dict | None:
    """The entries of weasyprint's compiled C declarations (output/weasyffi.py), read once and
    saved when dun ends with what a PDF compiled; None with --no-cache."""
    if not _tables:
        import atexit

        from receivables_cli.store.cache import Remembered, enabled

        kept = None
        if enabled():
            kept = Remembered("weasyprint-ffi", code=("output/weasyffi.py",), limit=4)
            atexit.register(kept.save_if_grown)
        _tables.append(kept.entries if kept is not None else None)
    return _tables[0]


def print_ahead() -> None:
    """For a command about to make a PDF, called first thing: weasyprint is set up in a forked
    process while this one reads the ledger and writes the letter (output/pdf.py, start_printer),
    if a core is idle.

    $DUN_PRINT_AHEAD=0 never does, =1 always does (for tests and measuring)."""
    import os

    forced = os.environ.get("DUN_PRINT_AHEAD", "")
    if forced == "0":
        return
    if forced != "1":
        from receivables_cli.usecases.workers import idle_core

        if not idle_core():
            return
    from receivables_cli.output.pdf import start_printer

    start_printer(pdf_tables())
