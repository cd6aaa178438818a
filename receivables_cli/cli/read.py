"""Commands that only read the ledger: show, list, check."""

from __future__ import annotations

from typing import Annotated

from receivables_cli.cli.common import (
    Argument,
    Exit,
    JsonOpt,
    LedgerOpt,
    OnOpt,
    Option,
    command,
    emit_json,
    open_ledger,
    table,
    today,
)


@command("show")
def show(case: Annotated[str, Argument(metavar="CASE", help="The case id (file name without .yaml).")],
         json: JsonOpt = False, on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """One case: balance, status, invoices, timeline and next actions.

    Example:

    \b
      dun show acme-2026-017 --json
    """
    from receivables_cli.output.views import case_json
    from receivables_cli.usecases.agenda import actions_of, state_of

    book = open_ledger(ledger)
    day = today(on)
    from receivables_cli.domain.amounts import fmt
    from receivables_cli.money.statement import build_statement
    from receivables_cli.usecases.agenda import law_of

    state = state_of(book, book.load(case), day)
    actions = actions_of(book, state, day)
    st = build_statement(state, law_of(book))
    data = case_json(state, actions, {"interest_accrued": fmt(st.interest_accrued)})
    data["limitation"] = [x.as_json(day) for x in st.limitation]  # after the contract's keys
    if json:
        emit_json(data)
        return
    due = {(a["action"], a["scheduled"]) for a in actions}
    upcoming = [a for a in actions_of(book, state, day, ahead=60) if (a["action"], a["scheduled"]) not in due]
    from receivables_cli.output.term import page, width

    page(_show_text(state, data, upcoming, width()))


def _show_text(state, data: dict, upcoming: list[dict], width: int | None) -> str:
    """The case on one screen's width: free text (details, reasons) wraps within its column."""
    from receivables_cli.domain.words import plural
    from receivables_cli.output.tables import Layout, fit, wrap_lines
    from receivables_cli.output.views import event_line

    c = state.case.customer
    head = [f"{data['case']}  {c.name} ({c.kind}, {c.relationship})",
            f"status {data['status']} · {data['currency']} · {plural(data['overdue_days'], 'day')} overdue"]
    keys = ("invoiced", "paid", "credited", "charged", "open", "interest_accrued")
    money = table([(k.replace("_", " "), data[k]) for k in keys], ("", "amount"), right=(1,))
    barred = {x["invoice"]: x["time_barred_after"] for x in data.get("limitation", [])}
    invoices = fit([Layout(("invoice", "date", "due", "amount", "open", "time-barred after"),
                           [(i.number, str(i.date), str(i.due), f"{i.amount:.2f}", f"{i.open:.2f}",
                             barred.get(i.number, "")) for i in state.invoices], right=(3, 4), flex=(0,))], width)
    timeline = fit([Layout(("when", "event", "details"), [event_line(e) for e in state.events], flex=(2,),
                           wrap=True)], width)
    parts = [wrap_lines(head, width), money, invoices, timeline, "Next\n" + _actions_table(data["next"], width)]
    if upcoming:
        parts.append("Coming up\n" + _actions_table(upcoming, width))
    return "\n\n".join(parts)


def _actions_table(actions: list[dict], width: int | None) -> str:
    from receivables_cli.output.tables import Layout, fit

    if not actions:
        return "nothing due today"
    rows = [(a["scheduled"], a["action"], a["channel"], a["reason"]) for a in actions]
    return fit([Layout(("scheduled", "action", "channel", "why"), rows, flex=(3,), wrap=True)], width)


@command("list")
def list_cases(all: Annotated[bool, Option("--all", help="Also settled and written-off cases.")] = False,
               json: JsonOpt = False,
               csv: Annotated[bool, Option("--csv", help="CSV on stdout, one case a row.")] = False,
               on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """Open cases, a line each, most overdue first.

    Examples:

    \b
      dun list --all --json
      dun list --csv > cases.csv
    """
    from receivables_cli.output.views import list_row
    from receivables_cli.usecases.agenda import actions_of, state_of

    book = open_ledger(ledger)
    day = today(on)
    cases, problems = book.load_all()
    rows = []
    for case in cases:
        state = state_of(book, case, day)
        if all or state.status not in ("settled", "written_off"):
            rows.append(list_row(state, actions_of(book, state, day)))
    rows.sort(key=lambda r: (-r["overdue_days"], r["case"]))
    if json:
        emit_json(rows)
    elif csv:
        from receivables_cli.cli.dataforms import list_csv

        list_csv(rows)
    else:
        print(_list_text(rows))
    _fail_on(problems)


def _list_text(rows: list[dict]) -> str:
    """A line a case; on a narrow terminal the customer is cut, then left out (the case id names it)."""
    from receivables_cli.output import term
    from receivables_cli.output.tables import Layout, fit

    colour = term.colour_on()
    money = ["overdue" if colour and r["overdue_days"] > 0 else None for r in rows]
    full = [(r["case"], r["customer"], r["open"], r["currency"], str(r["overdue_days"]), r["status"],
             r["next"] or "") for r in rows]
    headers = ("case", "customer", "open", "cur", "overdue", "status", "next")
    return fit([Layout(headers, full, right=(2, 4), flex=(1,), styles={2: money}),
                Layout(headers[:1] + headers[2:], [(r[0], *r[2:]) for r in full], right=(1, 3),
                       styles={1: money})], term.width())


def _fail_on(problems) -> None:
    """Warn about files that could not be read; the others were listed already."""
    from receivables_cli.cli.common import warn

    for problem in problems:
        warn(f"warning: {problem}")
    if problems:
        raise Exit(1)


CHECK_BAR_FROM = 500  # case files: a smaller ledger is checked before a bar could say anything


@command("check")
def check(json: JsonOpt = False, on: OnOpt = None, ledger: LedgerOpt = None,
          fix: Annotated[bool, Option("--fix", help="Delete the temp files of killed dun writes first.")]
          = False) -> None:
    """Validate dun.yaml and every case file; silent with exit 0 when all is well.

    Each problem is printed as path:line: message, and the exit code is 1.

    Example:

    \b
      dun check && git commit -am 'calls of the morning'
      dun check --fix     # also remove .NAME.PID.tmp files left by a killed dun
    """
    from receivables_cli.cli.common import warn
    from receivables_cli.usecases.checks import check_ledger, stale_temp_files

    book = open_ledger(ledger, strict=False)
    if fix:
        for tmp in stale_temp_files(book):
            tmp.unlink(missing_ok=True)
            warn(f"removed {tmp}")
    import sys

    from receivables_cli.output.term import is_terminal, progress

    count = len(book.case_ids()) if is_terminal(sys.stderr) else 0  # piped: not even the files are counted
    with progress(count, "checking case files", at_least=CHECK_BAR_FROM) as tick:
        problems = check_ledger(book, today(on), tick)
    if json:
        emit_json([p.as_json() for p in problems])
    else:
        for problem in problems:
            print(problem)
    if problems:
        raise Exit(1)
