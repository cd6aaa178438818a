"""`dun import bank`: read statements, judge every entry against the ledger, record the matches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from receivables_cli.imports.matching import Verdict
from receivables_cli.imports.records import ImportProblem


@dataclass
class StatementFile:
    """One bank statement file of an import and what became of it."""
    path: Path
    sha: str = ""
    format: str | None = None
    skipped: str | None = None      # why the file was passed over
    problem: str | None = None      # why the file could not be read: 'path[:line]: message'
    verdicts: list[Verdict] = field(default_factory=list)


@dataclass
class BankImport:
    """What `dun import bank` read, matched and recorded."""
    files: list[StatementFile]
    refused: list[str] = field(default_factory=list)  # appends refused with --record, as messages
    broken_cases: int = 0  # case files that did not load, so could take no payment

    @property
    def verdicts(self) -> list[Verdict]:
        return [v for f in self.files for v in f.verdicts]

    def counts(self) -> dict[str, int]:
        counts = {"matched": 0, "unmatched": 0, "recorded_before": 0, "ignored": 0}
        for v in self.verdicts:
            counts[v.status] += 1
        return counts


def plan(book, paths: list[Path], today: date, tick: Callable[[], None] = lambda: None) -> BankImport:
    """Read every statement file and judge every entry; writes nothing.

    The cyclic garbage collector is off meanwhile (see ledger.no_gc): a statement of 20,000 entries
    is a tree of 300,000 elements, then as many entries and verdicts, none of them in a cycle, and
    each of its full collections walked them all (a tenth of the import's time)."""
    from receivables_cli.store.ledger import no_gc

    with no_gc():
        return _plan(book, paths, today, tick)


def _plan(book, paths: list[Path], today: date, tick: Callable[[], None]) -> BankImport:
    from receivables_cli.imports.bank import read_statement
    from receivables_cli.imports.log import digest, imports
    from receivables_cli.imports.matching import judge, known_bookings
    from receivables_cli.usecases.agenda import state_of

    cases, problems = book.load_all()  # a broken case file cannot take a payment; `dun check` names it
    states = [state_of(book, c, today) for c in cases]
    seen = known_bookings(states)
    done = {sha: day for day, sha, _ in imports(book.root)}
    files, refused = [], []
    for path in paths:
        item = StatementFile(path)
        files.append(item)
        try:
            item.sha = digest(path)
            if item.sha in done:
                item.skipped = f"imported on {done[item.sha]}"
                continue
            item.format, entries = read_statement(path, book.config)
        except ImportProblem as e:
            item.problem = str(e)
            continue
        except OSError as e:
            item.problem = f"{path}: {e.strerror or 'cannot be read'}"
            continue
        finally:
            tick()
        item.verdicts = [admissible(v, today, refused) for v in judge(entries, states, seen)]
    return BankImport(files, refused, broken_cases=len({p.path for p in problems}))


def admissible(v: Verdict, today: date, refused: list[str]) -> Verdict:
    """A match booked after tomorrow, or with a text longer than dun keeps, is named and not recorded."""
    from dataclasses import replace

    from receivables_cli.domain.guards import check_not_after_tomorrow, long_fields, too_long

    if v.status != "matched":
        return v
    found = long_fields(payment_entry(v))
    why = too_long(*found[0]) if found else check_not_after_tomorrow(v.entry.booked, today, "booked on")
    if not why:
        return v
    refused.append(f"{v.entry.source}: entry {v.entry.position}: {why}; not recorded")
    return replace(v, status="unmatched", why=f"{why}; not recorded")


def payment_entry(v: Verdict) -> dict:
    """The history entry a matched credit becomes."""
    from receivables_cli.usecases.record import entry

    e = v.entry
    return entry("payment", e.booked, amount=e.amount, invoice=v.invoice, reference=_line(e.reference),
                 payer=_line(e.payer), note=_line(e.text))


def _line(text: str | None) -> str | None:
    """One printable line: bank text may carry tabs, line breaks or control characters."""
    cleaned = " ".join((text or "").split())
    if not cleaned.isprintable():
        cleaned = "".join(c for c in cleaned if c.isprintable())
    return cleaned or None


def record(book, result: BankImport, today: date, git=None) -> list[tuple[str, Path, str, list[dict]]]:
    """Append the matched payments, one append per case; note each read file in the import log.

    A case that refuses its append (changed meanwhile, say) does not stop the others: its
    verdicts turn 'unmatched' with the reason, and the next import finds its entries again.
    `git(path, message)`, when given, makes the commit step that runs inside each append's lock.
    """
    from receivables_cli.domain.errors import DunError
    from receivables_cli.imports.log import note_import
    from receivables_cli.store.append import append_event
    from receivables_cli.usecases.record import describe

    by_case: dict[str, list[Verdict]] = {}
    for v in result.verdicts:
        if v.status == "matched":
            by_case.setdefault(v.case, []).append(v)
    written = []
    for case_id, verdicts in by_case.items():
        path = book.case_path(case_id)
        entries = [payment_entry(v) for v in verdicts]
        repeated: list[Verdict] = []
        try:
            step = git(path, _message(describe, case_id, entries)) if git else None
            text = append_event(path, _checked(verdicts, entries, repeated), step)
        except _NothingNew:
            text = None
        except DunError as e:
            _refused(result, case_id, str(e))
            continue
        finally:
            _recorded_meanwhile(result, repeated)
        if text is not None:
            written.append((case_id, path, text, entries))
    for f in result.files:
        if f.format and not f.problem:
            note_import(book.root, today, f.sha, str(f.path), _outcome(f))
    return written


def _message(describe, case_id: str, entries: list[dict]):
    return lambda: "; ".join(describe(case_id, e) for e in entries).replace(f"; {case_id}: ", "; ")


def _refused(result: BankImport, case_id: str, why: str) -> None:
    from dataclasses import replace

    result.refused.append(why)
    for f in result.files:
        f.verdicts = [replace(v, status="unmatched", why=f"not recorded: {why}") if v.case == case_id
                      and v.status == "matched" else v for v in f.verdicts]


class _NothingNew(Exception):
    """Every payment meant for the case was recorded meanwhile: nothing to append."""


def _checked(verdicts: list[Verdict], entries: list[dict], repeated: list[Verdict]):
    """Under the case's lock: leave out each payment the case holds by now (another import, or a
    `dun pay` that ran since the statement was read), by the same identity the matching uses."""
    from receivables_cli.imports.identity import Known
    from receivables_cli.imports.matching import booking_of

    def make(case):
        known = Known()
        known.add_events(case.id, case.history)
        kept = []
        for v, e in zip(verdicts, entries, strict=True):
            if known.take(booking_of(v.entry, case.id), v.entry.source) is None:
                kept.append(e)
            else:
                repeated.append(v)
        entries[:] = kept  # the commit message is made from what is appended
        if not kept:
            raise _NothingNew
        return entries

    return make


def _recorded_meanwhile(result: BankImport, repeated: list[Verdict]) -> None:
    from dataclasses import replace

    if not repeated:
        return
    for f in result.files:
        f.verdicts = [replace(v, status="recorded_before", why=f"recorded meanwhile in {v.case} (the same day, "
                                                             "amount and payer or text)", overpaid=None)
                      if any(v is r for r in repeated) else v for v in f.verdicts]


def _outcome(f: StatementFile) -> str:
    counts = {s: sum(v.status == s for v in f.verdicts) for s in ("matched", "unmatched")}
    return f"{f.format}: {len(f.verdicts)} entries, {counts['matched']} recorded, {counts['unmatched']} unmatched"
