"""`dun today` and `dun why`: the morning agenda and its explanation."""

from __future__ import annotations

import sys
from datetime import timedelta
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
    today,
    warn,
)


@command("today")
def today_(on: OnOpt = None,
           ahead: Annotated[int, Option("--ahead", metavar="N", min=0, max=3650,
                                              help="Also what falls due in the next N days.")] = 0,
           json: JsonOpt = False,
           csv: Annotated[bool, Option("--csv", help="CSV on stdout, one action a row.")] = False,
           ics: Annotated[bool, Option("--ics", help="iCalendar on stdout: calls as short slots "
                                             "in their window from today on, letters and decisions all day.")] = False,
           ledger: LedgerOpt = None) -> None:
    """The morning agenda: every action due today (or within --ahead days), most urgent first.

    Confirmations owed and broken promises come first, then calls whose window is open
    today, then letters, then decisions.

    Examples:

    \b
      dun today
      dun today --on 2026-11-24 --ahead 7
      dun today --ics > ~/calendar/dun.ics
    """
    from receivables_cli.cli.outbox import warn_if_bank_stale
    from receivables_cli.usecases.agenda import agenda_and_figures, agenda_json

    book = open_ledger(ledger)
    day = today(on)
    warn_if_bank_stale(book, day)  # stderr: the line shows in a terminal and never spoils --json, --csv or --ics
    if json:  # the JSON of each action is kept with it: a warm run joins the pieces
        text, problems = agenda_json(book, day, ahead)
        sys.stdout.write(text + "\n")
    else:
        items, problems, figures = agenda_and_figures(book, day, ahead)
        if csv:
            _csv(items)
        elif ics:
            _ics(book, items, day, on)
        else:
            _text(items, day, figures)
    for problem in problems:
        warn(f"warning: {problem} (case left out)")
    if problems:
        raise Exit(1)


def _ics(book, items: list[dict], day, on) -> None:
    """Calls from today's free slots on (from now on when today is the real today)."""
    import os
    from datetime import datetime

    from receivables_cli.domain.calendar import TIMEZONES
    from receivables_cli.output.ics import calendar_text
    from receivables_cli.usecases.agenda import calendar_of

    zone = book.config.timezone or TIMEZONES.get(book.config.country, "Europe/Berlin")
    now = None
    if not (on or os.environ.get("DUN_TODAY")):
        from zoneinfo import ZoneInfo

        now = datetime.now(ZoneInfo(zone)).time().replace(second=0, microsecond=0)
    print(calendar_text(items, calendar_of(book), day, zone, book.config.slot_minutes, now), end="")


def _text(items: list[dict], day, figures: list) -> None:
    from receivables_cli.output import term
    from receivables_cli.output.report import overdue_summary
    from receivables_cli.output.tables import fit, wrap_lines

    if not items:
        print(f"Nothing due on {day}.")
        return
    colour, width = term.colour_on(), term.width()
    print(fit(_layouts(items, day, colour), width))
    print()
    limits = [f"{i['case']}: {_first_sentence(i['reason'])}" for i in items if i["action"] == "limitation_warning"]
    if limits:  # the remedy and its deadline must be read, not only the action's name
        print(wrap_lines(limits, width))
        print()
    print(wrap_lines([summary(items, overdue_summary(figures), colour)], width))


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not the one of "no. 3")."""
    import re

    return re.split(r"(?<=\.) (?=[A-Z])", text, maxsplit=1)[0]


def summary(items: list[dict], overdue: str, colour: bool = False) -> str:
    """``7 actions: 3 calls, 1 letter, 3 decisions; 25080.00 EUR overdue in 9 cases``."""
    from collections import Counter

    from receivables_cli.domain.words import plural
    from receivables_cli.output.term import paint
    from receivables_cli.playbook.order import CHANNEL_PRIORITY

    channels = Counter(i["channel"] for i in items)
    parts = ", ".join(plural(n, c) for c, n in sorted(channels.items(), key=lambda x: CHANNEL_PRIORITY[x[0]]))
    overdue = overdue if overdue == "nothing overdue" else paint(overdue, "overdue", colour)
    return f"{plural(len(items), 'action')}: {parts}; {overdue}"


def _layouts(items: list[dict], day, colour: bool):
    """The agenda table, fullest first: without the template names, then without the customers."""
    from receivables_cli.output.tables import Layout

    money = ["overdue" if colour and i["overdue_days"] > 0 else None for i in items]
    action = [i["channel"] if colour else None for i in items]
    whens = [_when(i, day) for i in items]
    full = [(i["case"], i["customer"], _action(i), w, f"{i['open']} {i['currency']}", str(i["overdue_days"]))
            for i, w in zip(items, whens, strict=True)]
    short = [(*row[:2], _action(i, template=False), *row[3:]) for i, row in zip(items, full, strict=True)]
    headers = ("case", "customer", "action", "when", "open", "overdue")
    styles = {2: action, 4: money}
    bare = [(r[0], *r[2:]) for r in short]
    # the customer's name is cut with … first (down to a word or two), before a layout drops anything
    return [Layout(headers, full, right=(4, 5), flex=(1,), styles=styles, min_flex=CUT_NAME_TO),
            Layout(headers, short, right=(4, 5), flex=(1,), styles=styles, min_flex=CUT_NAME_TO),
            Layout(headers[:1] + headers[2:], bare, right=(3, 4), styles={1: action, 3: money})]


CUT_NAME_TO = 10  # columns of the customer's name the agenda keeps before it drops the template names


def _action(item: dict, template: bool = True) -> str:
    text = item["action"]
    if item["template"] and template:
        text += f" ({item['template']})"
    if item["channel"] == "call" and (item["attempt"] or 1) > 1:
        text += f" #{item['attempt']}"
    if item["action"] == "decide_legal" and template:  # the recommendation, route and cost (see `dun why`)
        cost = f" ~{item['estimated_cost']}" if item.get("estimated_cost") else ""
        route = item["route"] if item["recommendation"] == "legal" else "time-barred" if item.get("time_barred") \
            else item["route"]
        text += f" ({item['recommendation']}: {route}{cost})"
    return text


def _when(item: dict, day) -> str:
    """Today, or the day it fell due; a call shows the next day its window is open."""
    from datetime import date

    from receivables_cli.domain.calendar import parse_window

    scheduled = date.fromisoformat(item["scheduled"])
    if item["channel"] != "call":
        return "today" if scheduled == day else f"{scheduled:%a} {scheduled}"
    window = parse_window(item["window"])
    start = max(scheduled, day)
    call_day = next(start + timedelta(days=n) for n in range(8) if window.covers(start + timedelta(days=n)))
    slot = window.slot_on(call_day)
    label = "today" if call_day == day else f"{call_day:%a} {call_day}"
    return f"{label} {slot.start:%H:%M}-{slot.end:%H:%M}"


def _csv(items: list[dict]) -> None:
    import csv
    import sys

    fields = ["case", "customer", "action", "channel", "due", "scheduled", "window", "attempt", "template",
              "open", "currency", "overdue_days", "reason"]
    from receivables_cli.output.csvcells import inert_row

    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(inert_row(item) for item in items)


@command("why")
def why(case: Annotated[str, Argument(metavar="CASE", help="The case id.")], json: JsonOpt = False,
        on: OnOpt = None, ledger: LedgerOpt = None) -> None:
    """Which rule produced each of the case's actions, and why the others did not fire.

    Examples:

    \b
      dun why acme-2026-017 --on 2026-11-03
      dun why acme-2026-017 --json
    """
    from receivables_cli.output.term import page
    from receivables_cli.playbook.verdicts import verdicts
    from receivables_cli.usecases.agenda import facts_of, state_of

    book = open_ledger(ledger)
    day = today(on)
    state = state_of(book, book.load(case), day)
    f = facts_of(book, state, day)
    if json:
        from receivables_cli.cli.dataforms import why_json

        emit_json(why_json(book, day, state, f, verdicts(f)))
        return
    page(why_text(book, case, day, state, f, verdicts(f)))


def why_text(book, case: str, day, state, f, found) -> str:
    """The verdicts a line each; the one that fired marked `->`, wrapped to the terminal."""
    from receivables_cli.domain.words import plural
    from receivables_cli.output import term
    from receivables_cli.output.tables import wrap_lines
    from receivables_cli.usecases.agenda import advice_text, legal_advice

    colour = term.colour_on()
    lines = [f"{case} on {day}: {state.status}, {state.open:.2f} {state.currency} open, "
             f"{plural(state.overdue_days, 'day')} overdue; call window {f.window}"]
    if not found:
        lines.append(f"no rules apply: the case is {state.status}")
    for v in found:
        mark = "->" if v.fired else "  "
        when = f"due {v.step.due}, scheduled {v.scheduled:%a} {v.scheduled}: " if v.fired else ""
        lines.append(f"{mark} {v.step.rule}: {when}{v.note}")
        if v.fired and v.step.rule == "decide_legal":
            lines.append(f"   {advice_text(legal_advice(book, state), state.currency)}")
    lines += law_lines(book, state)
    width = term.width()
    return "\n".join(term.paint(wrap_lines([line], width), "fired", colour and line.startswith("-> "))
                     for line in lines)


def law_lines(book, state) -> list[str]:
    """Per open invoice: when default began and by which rule, and when it becomes time-barred; with sources."""
    from receivables_cli.money.limitation import BASIS, limitations
    from receivables_cli.usecases.agenda import law_of

    law = law_of(book)
    ends = {x.invoice: x for x in limitations(state, book.config.country, law.profile)}
    lines = []
    for invoice in state.open_invoices:
        reasons = law.default_reasons(invoice, state)
        lines.append(f"   law {invoice.number}: " + ("; ".join(
            f"default from {r.start} ({'applies' if i == 0 else 'later'}): {r.rule} [{r.source}]"
            for i, r in enumerate(reasons)) or "not in default by any rule (no agreed date, no reminder yet)"))
        end = ends.get(invoice.number)
        if end is not None:
            again = f", restarted by the acknowledgement of {end.acknowledged}" if end.acknowledged else ""
            lines.append(f"   limitation {invoice.number}: time-barred after {end.ends}{again} "
                         f"[{BASIS.get(law.profile.country, BASIS['DE'])}]")
    return lines
