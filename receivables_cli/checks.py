"""`dun check`: every problem of every file of a ledger."""

from __future__ import annotations

from receivables_cli.errors import Problem
from receivables_cli.ledger import Ledger


def check_ledger(ledger: Ledger) -> list[Problem]:
    """dun.yaml's problems, then each case file's, in file order."""
    problems = list(ledger.config_problems)
    _cases, found = ledger.load_all()
    problems.extend(found)
    if (ledger.root / "letters").is_dir() and not ledger.config_problems:
        problems.extend(_template_problems(ledger))
    return problems


def _template_problems(ledger: Ledger) -> list[Problem]:
    """Render the ledger's own templates against an invented case, before a morning run does."""
    from datetime import date

    from receivables_cli.letter_context import build_context, sample_state
    from receivables_cli.letters import format_day, template_problems

    day = date.today()
    state = sample_state(day)

    def context_for(lang: str) -> dict:
        ctx = build_context(ledger, state, day, lang)
        ctx["today_text"] = format_day(day, ctx["locale"])
        return ctx

    return template_problems(ledger.root, context_for)
