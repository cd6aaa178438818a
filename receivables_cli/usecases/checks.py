"""`dun check`: every problem of every file of a ledger."""

from __future__ import annotations

from datetime import date

from receivables_cli.domain.errors import Problem
from receivables_cli.store.ledger import Ledger


def check_ledger(ledger: Ledger, today: date | None = None, tick=None) -> list[Problem]:
    """dun.yaml's problems, then each case file's, in file order (`tick(n)` after each n files read)."""
    from receivables_cli.money.rates import ledger_rates
    from receivables_cli.store.cache import TemplateCache

    checked = TemplateCache(ledger.root)  # what was found sound before, for this dun.yaml and this dun
    problems = (list(ledger.config_problems) + list(ledger.config.placeholders)
                + _once(checked, "region", _region_problems, ledger) + _once(checked, "iban", _iban_problems, ledger)
                + _creditor_problems(ledger) + ledger_rates(ledger.root)[1])
    cases, found = ledger.load_all(tick)
    problems.extend(found)
    problems.extend(future_entries(cases, today or date.today()))
    problems.extend(hidden_headers(cases))
    if (ledger.root / "letters").is_dir() and not ledger.config_problems:
        problems.extend(_template_problems(ledger, checked))
    checked.save()
    return problems


def _once(checked, name: str, check, ledger: Ledger) -> list[Problem]:
    """A check of dun.yaml's settings, skipped while dun.yaml is what it was when the check found nothing
    (holidays and schwifty, each a noticeable part of a short `dun check`, are then not imported)."""
    key = f"dun.yaml:{name}".encode()
    if checked.sound(name, key):
        return []
    found = check(ledger)
    if not found:
        checked.keep(name, key)
    return found


def _iban_problems(ledger: Ledger) -> list[Problem]:
    """An IBAN with a wrong checksum would go into every letter and payment code."""
    import re

    from receivables_cli.output.payment import iban_problem

    why = iban_problem(ledger.config.creditor.iban)
    if why is None:
        return []
    text = ledger.config_path.read_text(encoding="utf-8") if ledger.config_path.is_file() else ""
    line = next((n for n, x in enumerate(text.splitlines(), 1) if re.match(r"\s+iban\s*:", x)), 1)
    return [Problem(ledger.config_path, line, why)]


def _creditor_problems(ledger: Ledger) -> list[Problem]:
    """Creditor data that would make letters fail (a QR-IBAN) or leave out a company's register details."""
    from receivables_cli.output.letter_checks import creditor_problems

    if ledger.config_problems:
        return []
    text = ledger.config_path.read_text(encoding="utf-8") if ledger.config_path.is_file() else ""
    line = next((n for n, x in enumerate(text.splitlines(), 1) if x.startswith("creditor:")), 1)
    return [Problem(ledger.config_path, line, p.message) for p in creditor_problems(ledger.config_path, ledger.config)]


def future_entries(cases, today: date) -> list[Problem]:
    """Entries dated after today: `today` and the ladder ignore them, so they are most likely typos."""
    return [Problem(case.path, e.line, f"entry dated {e.day} is in the future")
            for case in cases for e in case.history if e.day > today]


def hidden_headers(cases) -> list[Problem]:
    """Values whose RFC 2047 encoded words decode to a line break: imported, they could add a mail header."""
    from receivables_cli.domain.textcheck import hidden_control

    found = []
    for case in cases:
        try:
            text = case.path.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            continue  # the loader has said what is wrong with the file
        for number, line in enumerate(text.splitlines() if "=?" in text else [], 1):
            why = hidden_control(line)
            if why:
                found.append(Problem(case.path, number, f"{why}; write the value as plain text"))
    return found


def stale_temp_files(ledger: Ledger) -> list:
    """Temp files of killed writers in cases/ (a live writer's are left alone)."""
    from receivables_cli.store.safewrite import stale_temp_files as stale

    return stale(ledger.cases_dir) if ledger.cases_dir.is_dir() else []


def _template_problems(ledger: Ledger, checked) -> list[Problem]:
    """Render the ledger's own templates against an invented case, before a morning run does."""
    from receivables_cli.output.letters import format_day, template_problems

    day = date.today()

    def context_for(lang: str) -> dict:  # built only for a template that is rendered
        from receivables_cli.output.letter_context import build_context, sample_state
        from receivables_cli.usecases.agenda import desk_of

        ctx = build_context(desk_of(ledger), sample_state(day), day, lang)
        ctx["today_text"] = format_day(day, ctx["locale"])
        return ctx

    return template_problems(ledger.root, context_for, checked)


def _region_problems(ledger: Ledger) -> list[Problem]:
    """A region the holidays package does not know would silently drop regional holidays."""
    import holidays

    region, country = ledger.config.region, ledger.config.country
    known = holidays.list_supported_countries().get(country, [])
    if region is None or region in known:
        return []
    from receivables_cli.domain.errors import did_you_mean

    line = next((i for i, text in enumerate(ledger.config_path.read_text(encoding="utf-8").splitlines(), 1)
                 if text.startswith("region:")), 1)
    return [Problem(ledger.config_path, line, f"region '{region}' is not a subdivision of {country}"
                    f"{did_you_mean(region, known)}")]
