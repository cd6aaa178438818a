"""The letters due on a day, ready to go out: e-mails for the mail command, the rest for print.

Exactly once: a letter is recorded as sent only after the mail command exited 0, and sent
only under the one lock for sending, with a marker that lasts until it is recorded (see
`sending`). Each e-mail carries a Message-ID made of case, template and day, so a resend is
recognisable as the same letter.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables_cli.domain.errors import DunError
from receivables_cli.domain.model import TEMPLATES
from receivables_cli.store.ledger import Ledger

_OWN_FOLDERS = ("cases", ".dun", ".git", "letters")  # dun's, git's and the templates: never a letter folder
_OWN_FILE = re.compile(r"[a-z0-9][a-z0-9._-]*--(" + "|".join(TEMPLATES) + r")\.(eml|pdf|html)")


@dataclass(frozen=True)
class Outgoing:
    """One letter due: by e-mail (`route` mail, `text` the message) or for print (`why` says why)."""

    case: str
    customer: str
    template: str
    route: str
    why: str = ""
    text: str = ""
    error: str = ""

    @property
    def name(self) -> str:
        return f"{self.case}--{self.template}"


def due_outgoing(book: Ledger, day: date) -> tuple[list[Outgoing], list]:
    """Every letter the agenda asks for on `day`, composed; problems of unreadable cases beside."""
    from receivables_cli.usecases.agenda import agenda, state_of

    items, problems = agenda(book, day)
    found = []
    for item in (i for i in items if i["channel"] == "letter"):
        state = state_of(book, book.load(item["case"]), day)
        found.append(outgoing_letter(book, state, item["template"], day))
    return found, problems


def outgoing_letter(book: Ledger, state, template: str, day: date) -> Outgoing:
    """The letter composed for its way out: the e-mail text, or checked for print."""
    from receivables_cli.output.correspondence import compose, letter_gaps
    from receivables_cli.usecases.agenda import desk_of

    customer = state.case.customer
    base = Outgoing(state.case.id, customer.name, template, "print")
    post = _post_reason(book, state, template)
    desk = desk_of(book, pdf=True)  # the outbox prints letters, and an e-mail may carry a form as PDF
    try:
        if post:
            compose(desk, state, template, day, "md")  # the template renders ...
            if gaps := letter_gaps(desk, state):  # ... and the envelope has an address
                raise DunError("a printed letter needs these details: " + "; ".join(gaps))
            return _replace(base, why=post)
        text = compose(desk, state, template, day, "eml")
    except DunError as e:
        return _replace(base, route="print" if post else "mail", why=post, error=str(e))
    return _replace(base, route="mail", text=with_message_id(text, state.case.id, template, day))


def _replace(item: Outgoing, **changes) -> Outgoing:
    from dataclasses import replace

    return replace(item, **changes)


def _post_reason(book: Ledger, state, template: str) -> str:
    """Why this letter goes by post, or '' when it goes by e-mail."""
    customer = state.case.customer
    if customer.channel == "post":
        return "customer channel: post"
    if template_channel(book, state, template) == "post":
        return "template channel: post"
    if not customer.email:
        return "no e-mail address"
    return ""


def template_channel(book: Ledger, state, template: str) -> str | None:
    """The `channel:` of the template's front matter (mail or post), if it says."""
    from receivables_cli.output.letter_context import letter_language
    from receivables_cli.output.letters import find_template

    path = find_template(book.root, letter_language(state, None, book.config.language), template).path
    head = path.read_text(encoding="utf-8-sig").split("\n---", 1)[0]
    m = re.search(r"^channel:\s*['\"]?(mail|post)['\"]?\s*$", head, re.M)
    return m.group(1) if m else None


def with_message_id(text: str, case: str, template: str, day: date) -> str:
    """The message with a Message-ID derived from case, template and day: a resend is the same message.

    The header is matched with any folded continuation lines, so a long case id never leaves a
    random id behind (the renderer writes the stable one already; this keeps older messages right)."""
    header = re.compile(r"^Message-ID:[ \t]*(?P<value>[^\n]*(?:\n[ \t][^\n]*)*)", re.M | re.I)
    head = text.split("\n\n", 1)[0]
    m = header.search(head)
    value = " ".join(m["value"].split()) if m else ""
    at = re.search(r"@([^>\s]+)>", value)
    wanted = f"Message-ID: <{case}.{template}.{day:%Y%m%d}@{at.group(1) if at else 'dun.invalid'}>"
    if not m:
        return wanted + "\n" + text
    return text[:m.start()] + wanted + text[m.end():]


def mail_argv(command: str | None) -> list[str]:
    """The mail command as an argument list (no shell)."""
    if not command:
        raise DunError('no mail command: add \'mail: {command: "msmtp -t"}\' to dun.yaml or pass --command')
    try:
        argv = shlex.split(command)
    except ValueError as e:
        raise DunError(f"mail command {command!r}: {e}") from None
    if not argv:
        raise DunError("the mail command is empty")
    return argv


def prepare_folder(folder: Path, root: Path) -> None:
    """Make `folder` ready for letter files: refuse a folder in cases/ or one holding anything
    but dun's own letter files; remove those (yesterday's letters must not go out again)."""
    resolved = folder.resolve()
    own = [(root / name).resolve() for name in _OWN_FOLDERS]
    if resolved == root.resolve() or any(resolved == d or d in resolved.parents for d in own):
        raise DunError(f"--dir {folder}: letters are not written into the ledger's own folders; choose another")
    if resolved.exists() and not resolved.is_dir():
        raise DunError(f"--dir {folder} is a file, not a folder")
    if resolved.is_dir():
        strangers = sorted(p.name for p in resolved.iterdir() if not (p.is_file() and _OWN_FILE.fullmatch(p.name)))
        if strangers:
            raise DunError(f"--dir {folder} holds other files ({', '.join(strangers[:3])}); dun empties the folder "
                           "of its earlier letters first, so give it a folder of its own")
        for p in resolved.iterdir():
            p.unlink()
    resolved.mkdir(parents=True, exist_ok=True)


def write_for_print(book: Ledger, case_id: str, template: str, day: date, folder: Path) -> Path:
    """The letter as an A4 PDF for a window envelope, ready to print."""
    from receivables_cli.output.correspondence import render_letter
    from receivables_cli.store.safewrite import write_out
    from receivables_cli.usecases.agenda import desk_of, state_of

    state = state_of(book, book.load(case_id), day)
    path = folder / f"{case_id}--{template}.pdf"
    write_out(path, render_letter(desk_of(book, pdf=True), state, template, "pdf", day))
    return path
