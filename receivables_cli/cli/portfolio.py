"""`dun brief` and `dun report`: before the call, and the whole picture."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

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
    today,
    warn,
)


def brief_text(book, case_id: str, day) -> str:
    """The brief of one case on a day (also shown by the interactive `dun call`)."""
    from decimal import Decimal

    from receivables_cli.money.statement import build_statement
    from receivables_cli.output.brief import brief_lines
    from receivables_cli.output.letter_context import letter_language
    from receivables_cli.output.tables import wrap_lines
    from receivables_cli.output.term import width
    from receivables_cli.usecases.agenda import actions_of, law_of, state_of

    state = state_of(book, book.load(case_id), day)
    cases, _ = book.load_all()
    total = sum((s.open for s in (state_of(book, c, day) for c in cases)
                 if s.currency == state.currency and s.open > 0), Decimal(0))
    share = state.open / total if total > 0 and state.open > 0 else Decimal(0)
    me = book.config.creditor.name
    lines = brief_lines(state, build_statement(state, law_of(book)), me=me,
                        lang=letter_language(state, None, book.config.language), country=book.config.country,
                        share=share,
                        policy=book.config.policy, day=day)
    if any(a["action"] == "decide_legal" for a in actions_of(book, state, day)):
        from receivables_cli.usecases.agenda import advice_text, legal_advice

        lines += ["", "THE LEGAL ROUTE", "  " + advice_text(legal_advice(book, state), state.currency),
                  f"  The fields to file: dun legal {case_id} --prepare"]
    return wrap_lines(lines, width(), keep=lambda line: line.lstrip().startswith("dun "))  # commands stay whole


@command("brief")
def brief(case: Annotated[str, Argument(metavar="CASE", help="The case id.")], json: JsonOpt = False,
          on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """What to have at hand before calling or visiting: figures, goal, fallbacks, contacts, commands.

    Examples:

    \b
      dun brief acme-2026-017 | less
      dun brief acme-2026-017 --json
    """
    from receivables_cli.output.term import page

    book = open_ledger(ledger)
    if json:
        from receivables_cli.cli.dataforms import brief_json

        emit_json(brief_json(book, case, today(on)))
        return
    page(brief_text(book, case, today(on)))


@command("report")
def report(json: JsonOpt = False,
           html: Annotated[bool, Option("--html", help="One self-contained HTML page with charts (ageing, "
                                              "cash expected by week, largest debtors, promises kept).")] = False,
           output: Annotated[Optional[Path], Option("--output", "-o", metavar="FILE", show_default=False,
                                                          help="Write the page to FILE instead of stdout.")] = None,
           on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """The portfolio: totals, ageing, concentration on single customers, promises, decisions due.

    Examples:

    \b
      dun report --on 2026-11-30
      dun report --html -o report.html
    """
    from receivables_cli.output.report import build_report, report_text
    from receivables_cli.usecases.agenda import actions_of, state_of

    book = open_ledger(ledger)
    day = today(on)
    cases, problems = book.load_all()
    states = [state_of(book, c, day) for c in cases]
    actions = [a for s in states for a in actions_of(book, s, day)]
    data = build_report(states, actions, day, book.config.currency, book.config.policy)
    if json and html:
        from receivables_cli.domain.errors import UsageError

        raise UsageError("--json and --html: choose one")
    if output is not None and not html:
        from receivables_cli.domain.errors import UsageError

        raise UsageError("-o writes the HTML page: add --html")
    if json:
        emit_json(data)
    elif html:
        from receivables_cli.cli.common import deliver
        from receivables_cli.output.report_html import report_html

        page = report_html(data, states, day, book.config.currency, book.config.policy["promise_grace_days"],
                           book.config.creditor.name or "")
        deliver(page, output, said=output is not None)
    else:
        from receivables_cli.output import term

        print(report_text(data, book.config.currency, term.width(), term.colour_on()))
    for problem in problems:
        warn(f"warning: {problem} (case left out)")
    if problems:
        raise Exit(1)
