"""`dun import mail`: read the replies, judge each against the ledger, record the matched ones as `reply` events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from receivables_cli.domain.model import Payable

STATUSES = ("matched", "recorded", "recorded before", "unmatched", "doubtful", "skipped")


@dataclass(frozen=True, slots=True)
class MailVerdict:
    """One message: where it is, who sent it, the case it belongs to, what it says, and its status."""

    source: str
    message_id: str
    sender: str
    subject: str
    date: datetime | None
    status: str
    why: str
    case: str | None = None
    kind: str | None = None
    summary: str = ""
    paid_on: date | None = None
    promise: Payable | None = None
    until: date | None = None
    rule: str = ""


@dataclass
class MailImport:
    """What `dun import mail` found: a verdict per message and what could not be read."""
    verdicts: list[MailVerdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sources that could not be read
    refused: list[str] = field(default_factory=list)  # appends refused with --record

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for v in self.verdicts:
            counts[v.status] += 1
        return counts


def plan(book, sources: list[str], today: date, since: date | None = None,
         tick: Callable[[], None] = lambda: None) -> MailImport:
    """Read every message of every source and judge it; writes nothing."""
    from receivables_cli.imports.mailmatch import CaseIndex
    from receivables_cli.imports.mailread import SourceProblem, read_source
    from receivables_cli.imports.mailtext import read_message
    from receivables_cli.usecases.agenda import state_of

    cases, _problems = book.load_all()
    index = CaseIndex([state_of(book, c, today) for c in cases], own_domains(book))
    result, seen = MailImport(), set(index.replies)
    for source in sources:
        try:
            for raw in read_source(source, book.config.imap, since):
                tick()
                msg = read_message(raw.source, raw.data)
                if since and msg.date and msg.date.date() < since:
                    continue
                verdict = judge(msg, index, seen, book)
                if verdict.status == "matched":
                    seen.add(verdict.message_id)
                result.verdicts.append(verdict)
        except SourceProblem as e:
            result.problems.append(str(e))
        except OSError as e:
            result.problems.append(f"{source}: {e.strerror or e}")
    return result


def own_domains(book) -> set[str]:
    """The domains of dun's own Message-IDs: the creditor's e-mail domain (and dun.invalid, its fallback)."""
    email = book.config.creditor.email or ""
    return {"dun.invalid"} | ({email.rsplit("@", 1)[1].lower()} if "@" in email else set())


def judge(msg, index, seen: set[str], book) -> MailVerdict:
    """The verdict on one message."""
    from receivables_cli.imports.mailkind import classify
    from receivables_cli.imports.mailmatch import match
    from receivables_cli.imports.mailtext import summary

    base = MailVerdict(msg.source, msg.message_id, msg.sender, msg.subject, msg.date, "skipped", "")
    if msg.problem:
        return replace(base, status="unmatched", why=msg.problem)
    skip = _skip_reason(msg, index, seen, book)
    if skip:
        return replace(base, status=skip[0], why=skip[1])
    found = match(msg, index)
    reading = classify(msg.subject, msg.new_text, msg.auto, msg.date)
    return replace(base, status=found.status, why=found.why, case=found.case, kind=reading.kind,
                   summary=summary(msg.new_text), paid_on=reading.paid_on, promise=reading.promise,
                   until=reading.until, rule=reading.rule)


def _skip_reason(msg, index, seen: set[str], book) -> tuple[str, str] | None:
    creditor = (book.config.creditor.email or "").lower()
    if msg.message_id in index.replies:
        return "recorded before", f"recorded in {index.replies[msg.message_id]} before"
    if msg.message_id in seen:
        return "skipped", "the same message came earlier in this import"
    if (creditor and msg.sender == creditor) or index.case_of_reference(msg.message_id):
        return "skipped", "dun's own message"
    if msg.bulk:
        return "skipped", "not a reply: a bounce, a mailing list or bulk mail"
    return None


def reply_entry(v: MailVerdict, zone, today: date) -> dict:
    """The `reply` entry of a matched message; `at` in the ledger's zone (today for a message without a date)."""
    from receivables_cli.imports.mailtext import clean_line
    from receivables_cli.usecases.record import entry

    at = arrived(v, zone)
    if at is None or at.date() > today:  # no date, or a sender's clock ahead: the ledger holds nothing future
        at = today
    return entry("reply", at,
                 **{"from": v.sender or "unknown", "message_id": v.message_id, "subject": clean_line(v.subject),
                    "kind": v.kind, "summary": v.summary, "paid_on": v.paid_on, "promise": v.promise,
                    "until": v.until})


def arrived(v: MailVerdict, zone) -> datetime | None:
    """The message's date and time in the ledger's zone, to the minute."""
    return v.date.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) if v.date else None


def ledger_zone(book):
    from zoneinfo import ZoneInfo

    from receivables_cli.domain.calendar import TIMEZONES

    return ZoneInfo(book.config.timezone or TIMEZONES.get(book.config.country, "Europe/Berlin"))


def record(book, result: MailImport, today: date, git=None) -> list[tuple[str, object, str, list[dict]]]:
    """Append the matched replies, one append per case; each recorded verdict turns 'recorded'."""
    from receivables_cli.domain.errors import DunError
    from receivables_cli.store.append import append_event
    from receivables_cli.usecases.record import describe

    zone = ledger_zone(book)
    by_case: dict[str, list[int]] = {}
    for i, v in enumerate(result.verdicts):
        if v.status == "matched":
            by_case.setdefault(v.case, []).append(i)
    written = []
    for case_id, indices in by_case.items():
        path = book.case_path(case_id)
        indices.sort(key=lambda i: arrived(result.verdicts[i], zone) or datetime.combine(today, datetime.min.time()))
        entries = [reply_entry(result.verdicts[i], zone, today) for i in indices]
        try:
            step = git(path, lambda e=entries, c=case_id: "; ".join(describe(c, x) for x in e).replace(
                f"; {c}: ", "; ")) if git else None
            text = append_event(path, _checked(entries), step)
        except DunError as err:
            result.refused.append(str(err))
            for i in indices:
                result.verdicts[i] = replace(result.verdicts[i], status="unmatched", why=f"not recorded: {err}")
            continue
        for i in indices:
            result.verdicts[i] = replace(result.verdicts[i], status="recorded")
        written.append((case_id, path, text, entries))
    return written


def _checked(entries: list[dict]):
    """Under the lock: refuse if another import recorded one of these messages meanwhile."""
    from receivables_cli.domain.errors import DunError

    def make(case):
        ids = {e.message_id for e in case.history if e.event == "reply"}
        twice = [e["message_id"] for e in entries if e["message_id"] in ids]
        if twice:
            raise DunError(f"{case.id}: the message {twice[0]} was recorded meanwhile; run the import again")
        return entries

    return make
