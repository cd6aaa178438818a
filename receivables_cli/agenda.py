"""Tie the ledger, the fold and the playbook together: the actions of a case and a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from receivables_cli.calendar import Calendar
from receivables_cli.ledger import Ledger
from receivables_cli.model import Case
from receivables_cli.money import fmt
from receivables_cli.playbook import CHANNEL_PRIORITY, CLOSED, PRIORITY, Facts, Step, window_for
from receivables_cli.state import CaseState, fold


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule's verdict for `dun why`: fired (an action), or why not."""

    step: Step
    fired: bool
    scheduled: date | None
    note: str


def state_of(ledger: Ledger, case: Case, on: date) -> CaseState:
    """The case's state on a day; with `interest: {claim: accrued}` its open amount includes interest."""
    state = fold(case, on, ledger.config.currency, ledger.config.payment_terms_days)
    if ledger.config.interest_claim != "accrued":
        return state
    from receivables_cli.statement import with_accrued_interest

    return with_accrued_interest(state, law_of(ledger))


def facts_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> Facts:
    cfg = ledger.config
    return Facts(state, cfg.policy, calendar_of(ledger), window_for(state, cfg.call_windows), on,
                 on + timedelta(days=ahead), cfg.country, _profile(ledger))


def _profile(ledger: Ledger):
    from receivables_cli.law import profile_for

    if getattr(ledger, "_profile", None) is None:
        ledger._profile = profile_for(ledger.config.country, ledger.config.law)
    return ledger._profile


def calendar_of(ledger: Ledger) -> Calendar:
    if getattr(ledger, "_calendar", None) is None:
        ledger._calendar = Calendar(ledger.config.country, ledger.config.region)
    return ledger._calendar


def law_of(ledger: Ledger):
    """The law as it applies to this ledger (profile, base rates, calendar), built once."""
    from receivables_cli.statement import Law

    if getattr(ledger, "_law", None) is None:
        ledger._law = Law(ledger.config, calendar_of(ledger), ledger.root)
    return ledger._law


def verdicts(f: Facts, explain: bool = True) -> list[Verdict]:
    """Every rule's verdict: the ladder walked from its most advanced step down, then the events.

    Without `explain`, the steps below the one shown are not evaluated at all.
    """
    from receivables_cli.rules import EVENT_RULES, LADDER_CORPORATE_PUBLIC, LADDER_PRIVATE_BUSINESS

    if f.state.status in CLOSED:
        return []
    kind = f.state.case.customer.kind
    ladder = LADDER_CORPORATE_PUBLIC if kind in ("corporate", "public") else LADDER_PRIVATE_BUSINESS
    result = _walk_ladder(f, ladder, explain)
    for rule in EVENT_RULES:
        step = rule(f)
        if explain or step.due is not None:
            result.append(_judge(f, step))
    return result


def _walk_ladder(f: Facts, ladder, explain: bool) -> list[Verdict]:
    pause = f.pause()
    result, shown = [], None
    for rule in reversed(ladder):
        if shown is not None and not explain:
            break
        step = rule(f)
        if shown is not None:
            result.append(Verdict(step, False, None, f"passed over: {shown} is further along"))
            continue
        verdict = _judge(f, step)
        if verdict.fired and pause:
            verdict = Verdict(step, False, verdict.scheduled, f"paused: {pause}")
        result.append(verdict)
        if verdict.fired or step.done:
            shown = step.rule
    return list(reversed(result))


def _judge(f: Facts, step: Step) -> Verdict:
    if step.due is None:
        return Verdict(step, False, None, f"does not apply: {step.why}")
    scheduled = _scheduled(f, step)
    if step.done:
        return Verdict(step, False, scheduled, step.why)
    if scheduled > f.horizon:
        return Verdict(step, False, scheduled, f"not yet: due {step.due}, scheduled {_weekday(scheduled)}"
                       + _window_note(f, step, scheduled))
    return Verdict(step, True, scheduled, step.why)


def _scheduled(f: Facts, step: Step) -> date:
    if step.channel == "call":
        return f.calendar.call_day(step.due, f.window)
    return step.due


def _weekday(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _window_note(f: Facts, step: Step, scheduled: date) -> str:
    if step.channel != "call" or scheduled == step.due:
        return ""
    holiday = f.calendar.holiday(step.due)
    if holiday and f.window.covers(step.due):
        return f": {step.due} is a public holiday ({holiday})"
    return f": {f.state.case.customer.kind} customers are called {f.window}"


def actions_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> list[dict]:
    """The case's actions scheduled on or before `on` + `ahead` days, as JSON items, by priority."""
    f = facts_of(ledger, state, on, ahead)
    items = [action_json(f, v) for v in verdicts(f, explain=False) if v.fired]
    for item in items:
        if item["action"] == "decide_legal":
            item.update(legal_advice(ledger, state))
            item["reason"] += " " + advice_text(item, state.currency)
    return sorted(items, key=lambda a: sort_key(a, on))


def legal_advice(ledger: Ledger, state: CaseState) -> dict:
    """`recommendation`, `route` and `estimated_cost` of a decide_legal item (seed 001).

    The court fee is estimated on the principal only (§43(1) GKG); `reason` says it in words.
    """
    from receivables_cli.law import legal_estimate
    from receivables_cli.statement import build_statement

    principal = build_statement(state, law_of(ledger)).principal_open
    found = legal_estimate(ledger.config.country, principal)
    weak_and_small = state.case.evidence == "weak" and state.open < ledger.config.policy["write_off_below"]
    return {"recommendation": "write_off" if weak_and_small else "legal", "route": found.route,
            "estimated_cost": fmt(found.cost) if found.cost is not None else None, "cost_basis": found.basis}


def advice_text(item: dict, currency: str) -> str:
    """``Recommended: legal route (dunning_court), estimated cost 41.00 EUR.`` for text output."""
    what = "write off" if item["recommendation"] == "write_off" else f"legal route ({item['route']})"
    cost = item["estimated_cost"]
    return f"Recommended: {what}" + (f", estimated cost {cost} {currency} ({item['cost_basis']})." if cost
                                     else ".")


def action_json(f: Facts, v: Verdict) -> dict:
    s, step = f.state, v.step
    return {
        "case": s.case.id,
        "customer": s.case.customer.name,
        "action": step.rule,
        "channel": step.channel,
        "due": step.due.isoformat(),
        "scheduled": v.scheduled.isoformat(),
        "window": str(f.window) if step.channel == "call" else None,
        "attempt": step.attempt if step.channel == "call" else None,
        "template": step.template if step.channel == "letter" else None,
        "open": fmt(s.open),
        "currency": s.currency,
        "overdue_days": s.overdue_days,
        "reason": step.why,
    }


def sort_key(item: dict, on: date) -> tuple:
    """Confirmations and broken promises, then calls (today's window first), letters, decisions."""
    from receivables_cli.calendar import parse_window

    rank = PRIORITY.get(item["action"], CHANNEL_PRIORITY[item["channel"]])
    off_window = item["channel"] == "call" and not parse_window(item["window"]).covers(on)
    return rank, off_window, item["scheduled"], -item["overdue_days"], item["case"], item["action"]


def agenda(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[dict], list]:
    """Every case's due actions, by priority; the problems of files that did not load."""
    from receivables_cli import cache

    if not cache.enabled() or not ledger.cases_dir.is_dir():
        cases, problems = ledger.load_all()
        items = [a for case in cases for a in actions_of(ledger, state_of(ledger, case, on), on, ahead)]
    else:
        items, problems = _cached_agenda(ledger, on, ahead)
    items.sort(key=lambda a: sort_key(a, on))
    return items, problems


def _cached_agenda(ledger: Ledger, on: date, ahead: int) -> tuple[list[dict], list]:
    """The agenda from the cache where a file is unchanged since it was computed for this day."""
    from receivables_cli import cache
    from receivables_cli.errors import Problem
    from receivables_cli.ledger import read_case

    computed = cache.AgendaCache(ledger.root, on.isoformat(), ahead)
    parsed = None  # the parse cache is opened only when some file must be read again
    items, names = [], set()
    ids, problems = ledger.listing()
    for case_id in ids:
        path = ledger.cases_dir / f"{case_id}.yaml"
        names.add(path.name)
        stat = path.stat()
        found = computed.get(path.name, stat)
        if found is None:
            parsed = parsed or cache.ParseCache(ledger.root)
            case, trouble = read_case(path, parsed)
            actions = actions_of(ledger, state_of(ledger, case, on), on, ahead) if case else []
            found = (actions, [(p.line, p.message) for p in trouble])
            computed.put(path.name, stat, found)
        items.extend(found[0])
        problems.extend(Problem(path, line, message) for line, message in found[1])
    computed.save(names)
    if parsed is not None:
        parsed.save(names)
    return items, problems


def summary(items: list[dict]) -> str:
    """``7 actions: 3 calls, 2 letters, 2 decisions; 12345.00 EUR overdue in 6 cases``."""
    from collections import Counter
    from decimal import Decimal

    channels = Counter(i["channel"] for i in items)
    parts = ", ".join(f"{n} {c}{'s' if n != 1 else ''}" for c, n in sorted(channels.items(),
                                                                          key=lambda x: CHANNEL_PRIORITY[x[0]]))
    overdue: dict[str, Decimal] = {}
    cases = {}
    for i in items:
        if i["overdue_days"] > 0 and i["case"] not in cases:
            cases[i["case"]] = True
            overdue[i["currency"]] = overdue.get(i["currency"], Decimal(0)) + Decimal(i["open"])
    money = ", ".join(f"{fmt(v)} {c}" for c, v in sorted(overdue.items())) or "nothing"
    return f"{len(items)} action{'s' if len(items) != 1 else ''}: {parts}; {money} overdue in {len(cases)} cases"
