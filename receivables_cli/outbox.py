"""The letters due on a day, ready to go out: e-mails for the mail command, the rest for print.

Exactly once: a letter is recorded as sent only after the mail command exited 0. Between
the two, `.dun/outbox-pending` names the letter in flight; a run that finds the marker
left behind (dun was killed between sending and recording) stops and asks the user to
look in the sent mail, unless the letter was recorded meanwhile. Each e-mail carries a
Message-ID made of case, template and day, so a resend is recognisable as the same letter.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables_cli.errors import DunError
from receivables_cli.model import TEMPLATES
from receivables_cli.store.ledger import Ledger

PENDING = Path(".dun") / "outbox-pending"
SEND_TIMEOUT = 120  # seconds: a mail command that hangs must not hang the morning
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
    from receivables_cli.playbook.agenda import agenda, state_of

    items, problems = agenda(book, day)
    found = []
    for item in (i for i in items if i["channel"] == "letter"):
        state = state_of(book, book.load(item["case"]), day)
        found.append(outgoing_letter(book, state, item["template"], day))
    return found, problems


def outgoing_letter(book: Ledger, state, template: str, day: date) -> Outgoing:
    """The letter composed for its way out: the e-mail text, or checked for print."""
    from receivables_cli.output.correspondence import compose, letter_gaps

    customer = state.case.customer
    base = Outgoing(state.case.id, customer.name, template, "print")
    post = _post_reason(book, state, template)
    try:
        if post:
            compose(book, state, template, day, "md")  # the template renders ...
            if gaps := letter_gaps(book, state):  # ... and the envelope has an address
                raise DunError("a printed letter needs these details: " + "; ".join(gaps))
            return _replace(base, why=post)
        text = compose(book, state, template, day, "eml")
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

    path = find_template(book.root, letter_language(book, state, None), template).path
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


def send(argv: list[str], message: str) -> str:
    """Pipe the message into the mail command; '' when it exited 0, else what went wrong."""
    try:
        done = subprocess.run(argv, input=message.encode("utf-8"), capture_output=True, timeout=SEND_TIMEOUT)
    except FileNotFoundError:
        return f"mail command not found: {argv[0]}"
    except subprocess.TimeoutExpired:
        return f"mail command did not finish within {SEND_TIMEOUT} s"
    except OSError as e:
        return f"mail command {argv[0]}: {e.strerror}"
    if done.returncode == 0:
        return ""
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
    return f"mail command exited {done.returncode}" + (f": {said[-1]}" if said else "")


def mark_pending(root: Path, item: Outgoing, day: date) -> None:
    """Name the letter in flight, durably, before it is handed to the mail command."""
    from receivables_cli.store.undo import private_dir

    private_dir(root)
    path = root / PENDING
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"case": item.case, "template": item.template, "day": day.isoformat()}) + "\n")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def clear_pending(root: Path) -> None:
    (root / PENDING).unlink(missing_ok=True)


def left_pending(book: Ledger) -> dict | None:
    """The letter an interrupted run left in flight, unless it has been recorded since."""
    path = book.root / PENDING
    if not path.is_file():
        return None
    try:
        pending = json.loads(path.read_text(encoding="utf-8"))
        case, template, day = pending["case"], pending["template"], date.fromisoformat(pending["day"])
    except (ValueError, KeyError, TypeError):
        return {"case": "?", "template": "?", "day": "?"}
    history = book.load(case).history if book.case_path(case).is_file() else ()
    if any(e.event == "letter" and e.template == template and e.day >= day for e in history):
        clear_pending(book.root)
        return None
    return pending


def prepare_folder(folder: Path, root: Path) -> None:
    """Make `folder` ready for letter files: refuse a folder in cases/ or one holding anything
    but dun's own letter files; remove those (yesterday's letters must not go out again)."""
    resolved = folder.resolve()
    cases = (root / "cases").resolve()
    if resolved == cases or cases in resolved.parents or resolved == root.resolve():
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
    from receivables_cli.playbook.agenda import state_of

    state = state_of(book, book.load(case_id), day)
    path = folder / f"{case_id}--{template}.pdf"
    path.write_bytes(render_letter(book, state, template, "pdf", day))
    return path
