"""`dun letter`: a letter to stdout."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from receivables_cli.cli.common import LedgerOpt, OnOpt, command, open_ledger, today

FormatOpt = Annotated[str, typer.Option("--format", help="md (Markdown), html (print-ready page) or eml "
                                        "(e-mail for 'msmtp -t' / 'sendmail -t').")]


@command("letter")
def letter(case: Annotated[str, typer.Argument(metavar="CASE", help="The case id.")],
           template: Annotated[Optional[str], typer.Argument(
               metavar="[TEMPLATE]", help="reminder, dunning, final-notice, callback-request, promise-confirmation, "
               "installment-agreement, payment-proposal, down-payment-request, settlement-offer, "
               "dispute-resolution or statement. Default: the letter due today.")] = None,
           format: FormatOpt = "md",
           to: Annotated[str, typer.Option("--to", help="contact, assistant or manager.")] = "contact",
           lang: Annotated[Optional[str], typer.Option("--lang", help="de or en (default: the customer's, "
                                                       "else the ledger's).")] = None,
           on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """Render a letter to stdout: Markdown, a print-ready HTML page, or a ready e-mail.

    A ledger's letters/<lang>/<name>.md replaces the built-in template of that name.

    Examples:

    \b
      dun letter acme-2026-017
      dun letter acme-2026-017 dunning --format html > dunning.html
      dun letter acme-2026-017 dunning --format eml | msmtp -t && dun sent acme-2026-017 dunning
    """
    from receivables_cli.agenda import state_of
    from receivables_cli.correspondence import FORMATS, compose, due_letters
    from receivables_cli.errors import DunError, UsageError
    from receivables_cli.model import LANGUAGES, RECIPIENTS, TEMPLATES

    if format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    if to not in RECIPIENTS:
        raise DunError(f"--to must be one of {', '.join(RECIPIENTS)}")
    if lang is not None and lang not in LANGUAGES:
        raise DunError(f"--lang must be one of {', '.join(LANGUAGES)}")
    book = open_ledger(ledger)
    day = today(on)
    state = state_of(book, book.load(case), day)
    if template is None:
        due = due_letters(book, state, day)
        if not due:
            raise DunError(f"no letter is due for {case} on {day}; name one: {', '.join(TEMPLATES)}")
        template = due[0]
    print(compose(book, state, template, day, format, None if to == "contact" else to, lang), end="")
    _rate_notes(book, state)


def _rate_notes(book, state) -> None:
    """Say on stderr when the letter's interest figures rest on an unconfirmed or extrapolated base rate."""
    from receivables_cli.agenda import law_of
    from receivables_cli.cli.common import warn
    from receivables_cli.statement import build_statement

    st = build_statement(state, law_of(book))
    if st.interest_accrued > 0 or state.interest_owed > 0:
        for note in st.notes:
            warn(f"warning: interest in this letter: {note}")
