"""`dun letter`: a letter to stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import Argument, LedgerOpt, OnOpt, Option, command, open_ledger, today

FormatOpt = Annotated[str, Option("--format", help="md (Markdown), html (print-ready A4 page), eml "
                                        "(e-mail for 'msmtp -t' / 'sendmail -t') or pdf (A4 for a window "
                                        "envelope).")]


@command("letter")
def letter(case: Annotated[str, Argument(metavar="CASE", help="The case id.")],
           template: Annotated[Optional[str], Argument(
               metavar="[TEMPLATE]", help="reminder, dunning, final-notice, callback-request, promise-confirmation, "
               "installment-agreement, payment-proposal, down-payment-request, settlement-offer, "
               "dispute-resolution, statement or payment-thanks. Default: the letter due today.")] = None,
           format: FormatOpt = "md",
           to: Annotated[str, Option("--to", help="contact, assistant or manager.")] = "contact",
           lang: Annotated[Optional[str], Option("--lang", help="de or en (default: the customer's, "
                                                       "else the ledger's).")] = None,
           output: Annotated[Optional[Path], Option("--output", "-o", metavar="FILE", show_default=False,
                                                          help="Write to FILE instead of stdout.")] = None,
           reply_to: Annotated[Optional[str], Option(
               "--reply-to", metavar="MESSAGE_ID", show_default=False,
               help="With --format eml: answer inside the thread of this reply of the customer (In-Reply-To, "
               "References, 'Re: ' subject); its id as 'dun show' lists it.")] = None,
           on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """Render a letter: Markdown, a print-ready HTML page, a ready e-mail, or an A4 PDF.

    A ledger's letters/<lang>/<name>.md replaces the built-in template of that name. The PDF
    fits a window envelope (DIN 5008 form B; SN 010130 with the Swiss QR-bill for CH ledgers).

    Examples:

    \b
      dun letter acme-2026-017
      dun letter acme-2026-017 dunning --format pdf -o dunning.pdf
      dun letter acme-2026-017 dunning --format eml | msmtp -t && dun sent acme-2026-017 dunning
      dun letter acme-2026-017 reminder --format eml --reply-to 'abc@acme.example'
    """
    from receivables_cli.cli.common import deliver, warn
    from receivables_cli.domain.errors import DunError, UsageError
    from receivables_cli.domain.model import LANGUAGES, RECIPIENTS, TEMPLATES
    from receivables_cli.output.correspondence import FORMATS, letter_gaps, render_letter
    from receivables_cli.usecases.agenda import desk_of, due_letters, state_of

    if format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    if to not in RECIPIENTS:
        raise UsageError(f"--to must be one of {', '.join(RECIPIENTS)}")
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}")
    if format == "pdf" and output is None and sys.stdout.isatty():
        raise DunError("a PDF is binary: pass -o FILE, or redirect stdout to a file or a printer")
    if output is not None and not output.parent.is_dir():  # said before the letter is made, not after
        raise DunError(f"--output {output}: there is no folder {output.parent}")
    if format == "pdf":
        from receivables_cli.usecases.printing import print_ahead

        print_ahead()  # weasyprint set up in a forked process beside all that follows, if a core is idle
    book = open_ledger(ledger)
    day = today(on)
    state = state_of(book, book.load(case), day)
    if template is None:
        due = due_letters(book, state, day)
        if not due:
            raise DunError(f"no letter is due for {case} on {day}; name one: {', '.join(TEMPLATES)}")
        template = due[0]
    desk = desk_of(book, pdf=format in ("pdf", "eml"))  # an e-mail may carry a form or a QR-bill as PDF
    if format != "pdf":
        for gap in letter_gaps(desk, state):
            warn(f"warning: {gap}")
    thread = _thread(state, reply_to, format) if reply_to else None
    letter = render_letter(desk, state, template, format, day, None if to == "contact" else to, lang, thread)
    deliver(letter, output)
    _rate_notes(book, state)


def _thread(state, message_id: str, format: str) -> tuple[str, str]:
    """(Message-ID, subject) of the customer's reply the letter answers: it must be one of the case's replies."""
    from receivables_cli.domain.errors import DunError, UsageError

    if format != "eml":
        raise UsageError("--reply-to goes with --format eml: only an e-mail has a thread")
    wanted = message_id.strip().strip("<>")
    replies = [e for e in state.case.history if e.event == "reply"]
    found = next((e for e in replies if e.message_id == wanted), None)
    if found is None:
        known = ", ".join(e.message_id for e in replies[-3:]) or "none; 'dun import mail' records them"
        raise DunError(f"{state.case.id} has no reply with the Message-ID {wanted} (its replies: {known})")
    return found.message_id, found.subject or ""


def _rate_notes(book, state) -> None:
    """Say on stderr when the letter's interest figures rest on an unconfirmed or extrapolated base rate."""
    from receivables_cli.cli.common import warn
    from receivables_cli.money.statement import build_statement
    from receivables_cli.usecases.agenda import law_of

    st = build_statement(state, law_of(book))
    if st.interest_accrued > 0 or state.interest_owed > 0:
        for note in st.notes:
            warn(f"warning: interest in this letter: {note}")
