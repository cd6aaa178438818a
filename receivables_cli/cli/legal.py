"""`dun legal`: hand the claim to the legal route."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from receivables_cli.cli.common import (
    AtOpt,
    CommitOpt,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    emit_json,
    moment,
    open_ledger,
    parse_choice,
    today,
    warn,
)
from receivables_cli.cli.write import CaseArg, NoteOpt, record


@command("legal")
def legal(case: CaseArg,
          route: Annotated[Optional[str], Option(
              "--route", help="Record the step: dunning_court, lawyer, collection_agency or debt_enforcement.",
              show_default=False)] = None,
          prepare: Annotated[bool, Option(
              "--prepare", help="Show the fields the first legal step asks for; records nothing.")] = False,
          json: JsonOpt = False,
          csv_file: Annotated[Optional[Path], Option(
              "--csv", metavar="FILE", help="With --prepare: write the collection-agency hand-over, one row per "
              "invoice ('-' for stdout).", show_default=False)] = None,
          force: Annotated[bool, Option(
              "--force", help="With --csv: replace the file if it exists (never a device or pipe).")] = False,
          reference: Annotated[Optional[str], Option("--reference", help="File number at court or "
                                                           "agency.")] = None,
          note: NoteOpt = None, at: AtOpt = None, on: OnOpt = None, commit: CommitOpt = False,
          ledger: LedgerOpt = None) -> None:
    """Prepare the first legal step, or record that the claim went to the legal route.

    --prepare shows what the step asks for (DE: the court dunning application, §690 ZPO;
    CH: the Betreibungsbegehren, Art. 67 SchKG) and --csv writes a hand-over for a collection
    agency; nothing is recorded. --route records the step; dun then stops proposing actions.

    Examples:

    \b
      dun legal acme-2026-017 --prepare --csv acme.csv
      dun legal acme-2026-017 --route dunning_court --reference "26-1234567-0-1"
    """
    from receivables_cli.domain.errors import UsageError
    from receivables_cli.usecases.record import entry

    if prepare == (route is not None):
        raise UsageError("give either --prepare or --route R")
    if not prepare:
        if json or csv_file or force:
            raise UsageError("--json, --csv and --force go with --prepare")
        parse_choice(route, "ROUTES", "--route")
        when = moment(at, on)
        record(ledger, case, on, commit,
               entry("legal", when, route=route, reference=reference, note=note))
        return
    _prepare(case, json, csv_file, force, on, ledger)


def _prepare(case: str, json: bool, csv_file: Path | None, force: bool, on: str | None,
             ledger: Path | None) -> None:
    from receivables_cli.domain.errors import DunError
    from receivables_cli.money.legal import agency_rows, prepare
    from receivables_cli.usecases.agenda import law_of, state_of

    book = open_ledger(ledger)
    day = today(on)
    state = state_of(book, book.load(case), day)
    if state.status == "settled":
        raise DunError(f"{case} is settled on {day}: there is nothing to claim")
    law = law_of(book)
    fields = prepare(state, law, book.config.claim_type)
    if csv_file is not None:
        _outside_ledger(book.root, csv_file)
        _write_csv(agency_rows(state, law), csv_file, force)
        if str(csv_file) == "-":
            return
    if json:
        emit_json(fields)
    else:
        print(prepared_text(fields))
    for note_ in fields.get("notes", []):
        warn(f"warning: {note_}")


_LEDGER_FILES = ("dun.yaml", "rates.csv")
_LEDGER_FOLDERS = ("cases", "letters", ".git", ".dun")


def _outside_ledger(root: Path, target: Path) -> None:
    """Refuse a hand-over path among the ledger's own files: it would overwrite them or sit among the cases."""
    from receivables_cli.domain.errors import DunError

    if str(target) == "-":
        return
    where, base = target.resolve(), root.resolve()
    if where in {base / name for name in _LEDGER_FILES} or any(
            where == base / d or base / d in where.parents for d in _LEDGER_FOLDERS):
        raise DunError(f"{target} is part of the ledger; write the hand-over outside it (e.g. --csv handover.csv "
                       "in another folder)")


def _write_csv(rows: list[dict], target: Path, force: bool) -> None:
    import csv
    import io
    import sys

    from receivables_cli.money.legal import CSV_FIELDS
    from receivables_cli.output.csvcells import inert_row
    from receivables_cli.store.plainfile import write_output

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(inert_row(row) for row in rows)
    if str(target) == "-":
        sys.stdout.write(out.getvalue())
        return
    write_output(target, out.getvalue().encode("utf-8"), force)
    warn(f"wrote {len(rows)} invoice rows to {target}")


def prepared_text(fields: dict, indent: str = "") -> str:
    """The prepared fields as indented text in the form's order: dates DD.MM.YYYY, amounts with a decimal
    comma, so that each value pastes into the online form as it stands."""
    lines = [f"{fields['route_name']}: what to fill in ({fields['case']} on {_typed(fields['on'])})"] \
        if not indent else []
    for key, value in fields.items():
        if not indent and key in ("case", "on", "route_name", "notes"):
            continue
        label = key.replace("_", " ")
        if isinstance(value, dict):
            lines.append(f"{indent}{label}:")
            lines.append(prepared_text(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{indent}{label}:" + ("" if value else " none"))
            for item in value:
                if isinstance(item, dict):
                    block = prepared_text(item, indent + "    ").splitlines()
                    lines.append(f"{indent}  - " + block[0].lstrip() if block else f"{indent}  -")
                    lines.extend(block[1:])
                else:
                    lines.append(f"{indent}  - {_word(item)}")
        else:
            lines.append(f"{indent}{label}: {_word(value)}")
    return "\n".join(line for line in lines if line)


def _word(value) -> str:
    return "-" if value is None else ("yes" if value is True else "no" if value is False else _typed(str(value)))


def _typed(text: str) -> str:
    """ISO dates as DD.MM.YYYY and amounts as 1234,56, as the German form takes them (--json keeps ISO)."""
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text[8:10]}.{text[5:7]}.{text[:4]}"
    if re.fullmatch(r"-?\d+\.\d{2}", text):
        return text.replace(".", ",")
    return text
