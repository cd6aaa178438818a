"""Commands that record what happened: each appends one entry to one case file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import (
    Argument,
    CommitOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    open_ledger,
    parse_day,
    parse_money,
    today,
    wants_commit,
)
from receivables_cli.domain.errors import DunError, UsageError

CaseArg = Annotated[str, Argument(metavar="CASE", help="The case id (file name without .yaml).",
                                        show_default=False)]
AmountArg = Annotated[str, Argument(metavar="AMOUNT", help="Amount, e.g. 500 or 1190.50.", show_default=False)]
NoteOpt = Annotated[Optional[str], Option("--note", help="What was said or agreed, in a sentence.")]
InvoiceOpt = Annotated[Optional[str], Option("--invoice", help="The invoice number it is for.")]
TermsOpt = Annotated[Optional[str], Option(
    "--terms", help="What was agreed, in words the customer may read (dispute-resolution letter).")]
ReasonOpt = Annotated[str, Option("--reason", help="Why, in a few words.", show_default=False)]
ForceOpt = Annotated[bool, Option("--force", help="Write it although it looks like a typo (see the message).")]
AddressOpt = Annotated[Optional[list[str]], Option(
    "--address", metavar="LINE", show_default=False,
    help="The postal address for letters: one option per line, or one text with \\n between the lines.")]


def record(ledger: Path | None, case_id: str, on: str | None, commit: bool,
           build: Callable[..., dict] | dict) -> dict:
    """Fold the case under the write lock, append `build(state)`, print it, maybe commit.

    `build` may be the entry itself, when it does not depend on the case: then nothing is folded.
    """
    from receivables_cli.domain.guards import check_not_future
    from receivables_cli.store.append import append_event
    from receivables_cli.store.undo import remember_append
    from receivables_cli.usecases.agenda import state_of
    from receivables_cli.usecases.record import describe

    book = open_ledger(ledger)
    path = book.case_path(case_id)
    if not path.is_file():
        book.load(case_id)  # the error names the closest case id
    built: list = []

    def checked(made):
        built.extend(made if isinstance(made, list) else [made])
        for e in built:
            check_not_future(e["at"].date() if isinstance(e["at"], datetime) else e["at"], today(on))
        return built

    def make(case):
        return checked(build(state_of(book, case, today(on))))

    def message() -> str:
        return "; ".join(describe(case_id, e) for e in built).replace(f"; {case_id}: ", "; ")

    step = _git_step(book, path, message, commit)
    text = append_event(path, make if callable(build) else checked(build), step)
    remember_append(book.root, path, text)
    print(f"appended to {_shown(path)}:\n{text}")
    if step:
        print(f"committed: {message()}")
    return built[0]


def _git_step(book, path: Path, message, commit: bool, *, new: bool = False):
    """The commit that follows the write inside its lock, when asked for."""
    from receivables_cli.store.gitstep import GitStep

    wanted = wants_commit(commit, book)
    return GitStep(book.root, path, message, new=new) if wanted else None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@command("new")
def new(case: CaseArg,
        customer: Annotated[str, Option("--customer", help="The customer's name.", show_default=False)],
        invoice: Annotated[str, Option("--invoice", help="The first invoice's number.", show_default=False)],
        amount: Annotated[str, Option("--amount", help="Its gross amount.", show_default=False)],
        date: Annotated[Optional[str], Option("--date", help="Invoice date (default: today).")] = None,
        due: Annotated[Optional[str], Option("--due", help="Default: date + payment_terms_days.")] = None,
        kind: Annotated[str, Option("--kind", help="private, business, corporate or public.")] = "business",
        contact: Annotated[Optional[str], Option("--contact", help="The person you deal with.")] = None,
        salutation: Annotated[Optional[str], Option(
            "--salutation", help="How letters greet the contact, e.g. 'Sehr geehrte Frau Muster' (default: "
            "from a contact written 'Frau …'/'Herr …', else by name).")] = None,
        email: Annotated[Optional[str], Option("--email")] = None,
        phone: Annotated[Optional[str], Option("--phone")] = None,
        subject: Annotated[Optional[str], Option("--subject", help="What the invoice was for.")] = None,
        currency: Annotated[Optional[str], Option("--currency", help="Default: the ledger's.")] = None,
        address: AddressOpt = None, force: ForceOpt = False,
        on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Create a case file with its first invoice; never overwrites an existing case.

    Refused (nothing written): an invoice date in the future, --due before --date (unless
    --force), an --email that is not an address.

    Examples:

    \b
      dun new acme-2026-017 --customer "ACME GmbH" --invoice RE-2026-017 --amount 1190 --date 2026-10-01
      dun new kiosk-2026-012 --customer "Kiosk Ali" --kind private --invoice RE-12 --amount 450 \\
          --address "Ali Yilmaz" --address "Hauptstr. 5" --address "12043 Berlin"
    """
    from receivables_cli.domain.guards import check_due_after_issue, check_email, check_not_future
    from receivables_cli.domain.model import KINDS
    from receivables_cli.store.append import create_case
    from receivables_cli.store.newcase import case_text
    from receivables_cli.usecases.record import describe, entry

    if kind not in KINDS:
        raise UsageError(f"--kind '{kind}' is not one of {', '.join(KINDS)}")
    book = open_ledger(ledger)
    path = book.case_path(case)
    issued = parse_day(date, "--date") or today(on)
    check_not_future(issued, today(on), "--date")
    check_due_after_issue(issued, parse_day(due, "--due"), force)
    check_email(email)
    first = entry("invoice", issued, number=invoice, amount=parse_money(amount, "--amount"),
                  due=parse_day(due, "--due"), currency=currency, subject=subject)
    person = {"name": customer, "kind": kind, "contact": contact, "salutation": salutation, "email": email,
              "phone": phone,
              "address": address_text(address)}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = case_text(person, first)
    _check_new(path, text)
    message = describe(case, first).replace(": invoice", ": new case, invoice", 1)
    step = _git_step(book, path, lambda: message, commit, new=True)
    create_case(path, text, step)
    print(f"created {_shown(path)}")
    if step:
        print(f"committed: {message}")


def address_text(lines: list[str] | None) -> str | None:
    """Repeated --address options, or one with \\n escapes, as the lines of one address."""
    if not lines:
        return None
    split = [part.strip() for line in lines for part in line.replace("\\n", "\n").splitlines()]
    return "\n".join(part for part in split if part) or None


def _check_new(path: Path, text: str) -> None:
    from receivables_cli.domain.errors import InvalidData
    from receivables_cli.store.casefile import load_case

    _case, problems = load_case(path, text)
    if problems:
        raise InvalidData(problems)


@command("invoice")
def invoice(case: CaseArg,
            number: Annotated[str, Option("--number", help="Invoice number.", show_default=False)],
            amount: Annotated[str, Option("--amount", help="Gross amount.", show_default=False)],
            date: Annotated[Optional[str], Option("--date", help="Invoice date (default: today).")] = None,
            due: Annotated[Optional[str], Option("--due", help="Default: date + payment_terms_days.")] = None,
            subject: Annotated[Optional[str], Option("--subject")] = None, force: ForceOpt = False,
            on: OnOpt = None, commit: CommitOpt = False, ledger: LedgerOpt = None) -> None:
    """Add a further invoice to a case.

    Example:

    \b
      dun invoice acme-2026-017 --number RE-2026-031 --amount 480 --date 2026-11-02
    """
    from receivables_cli.domain.guards import check_due_after_issue
    from receivables_cli.usecases.record import entry

    value = parse_money(amount, "--amount")
    issued, until = parse_day(date, "--date") or today(on), parse_day(due, "--due")
    check_due_after_issue(issued, until, force)

    def build(state):
        if number in {i.number for i in state.invoices}:
            raise DunError(f"{case} has an invoice {number} already")
        return entry("invoice", issued, number=number, amount=value, due=until, subject=subject)

    record(ledger, case, on, commit, build)
