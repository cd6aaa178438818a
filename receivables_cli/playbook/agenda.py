"""Tie the ledger, the fold and the playbook together: the actions of a case and a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from receivables_cli.model import Case, fast_init
from receivables_cli.money.amounts import fmt
from receivables_cli.playbook.calendar import Calendar
from receivables_cli.playbook.playbook import CHANNEL_PRIORITY, CLOSED, PRIORITY, Facts, Step, window_for
from receivables_cli.playbook.state import CaseState, fold
from receivables_cli.store.ledger import Ledger


@fast_init
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
    from receivables_cli.money.statement import with_accrued_interest

    return with_accrued_interest(state, law_of(ledger))


def facts_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> Facts:
    cfg = ledger.config
    return Facts(state, cfg.policy, calendar_of(ledger), window_for(state, cfg.call_windows), on,
                 on + timedelta(days=ahead), cfg.country, _profile(ledger))


def _profile(ledger: Ledger):
    from receivables_cli.money.law import profile_for

    if getattr(ledger, "_profile", None) is None:
        ledger._profile = profile_for(ledger.config.country, ledger.config.law)
    return ledger._profile


def calendar_of(ledger: Ledger) -> Calendar:
    if getattr(ledger, "_calendar", None) is None:
        ledger._calendar = Calendar(ledger.config.country, ledger.config.region)
    return ledger._calendar


def law_of(ledger: Ledger):
    """The law as it applies to this ledger (profile, base rates, calendar), built once."""
    from receivables_cli.money.statement import Law

    if getattr(ledger, "_law", None) is None:
        ledger._law = Law(ledger.config, calendar_of(ledger), ledger.root)
    return ledger._law


def verdicts(f: Facts, explain: bool = True) -> list[Verdict]:
    """Every rule's verdict: the ladder walked from its most advanced step down, then the events.

    Without `explain`, the steps below the one shown are not evaluated at all.
    """
    from receivables_cli.playbook.rules import EVENT_RULES, LADDER_CORPORATE_PUBLIC, LADDER_PRIVATE_BUSINESS

    if f.state.status in CLOSED:
        return []
    kind = f.state.case.customer.kind
    ladder = LADDER_CORPORATE_PUBLIC if kind in ("corporate", "public") else LADDER_PRIVATE_BUSINESS
    result = _walk_ladder(f, ladder, explain)
    for rule in EVENT_RULES:
        step = rule(f)
        if explain or step.due is not None:
            result.append(_judge(f, step, explain))
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
        verdict = _judge(f, step, explain)
        if verdict.fired and pause:
            verdict = Verdict(step, False, verdict.scheduled, f"paused: {pause}")
        result.append(verdict)
        if verdict.fired or step.done:
            shown = step.rule
    return list(reversed(result))


def _judge(f: Facts, step: Step, explain: bool = True) -> Verdict:
    """Whether the step fires; the words of why not only when they are asked for (`dun why`)."""
    if step.due is None:
        return Verdict(step, False, None, f"does not apply: {step.why}" if explain else "")
    scheduled = _scheduled(f, step)
    if step.done:
        return Verdict(step, False, scheduled, step.why)
    if scheduled > f.horizon:
        return Verdict(step, False, scheduled, f"not yet: due {step.due}, scheduled {_weekday(scheduled)}"
                       + _window_note(f, step, scheduled) if explain else "")
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
    from receivables_cli.money.law import legal_estimate
    from receivables_cli.money.statement import build_statement

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
    from receivables_cli.playbook.calendar import parse_window

    rank = PRIORITY.get(item["action"], CHANNEL_PRIORITY[item["channel"]])
    off_window = item["channel"] == "call" and not parse_window(item["window"]).covers(on)
    return rank, off_window, item["scheduled"], -item["overdue_days"], item["case"], item["action"]


PARALLEL_MIN = 1000  # files before a second process may pay for its fork (bench/run.py measures both sides)


def agenda(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[dict], list]:
    """Every case's due actions, by priority; the problems of files that did not load."""
    items, problems, _figures = agenda_and_figures(ledger, on, ahead)
    return items, problems


def agenda_and_figures(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[dict], list, list]:
    """The agenda, the problems, and each loaded case's (currency, overdue) as `dun report` counts it.

    With the cache on, a file unchanged since its actions were computed for this day is only
    stat'ed; the rest is parsed (from the parse cache where it can), folded and planned, in
    worker processes when there are enough files for both cores to pay.
    """
    from receivables_cli.errors import Problem
    from receivables_cli.store import cache

    computed = cache.AgendaCache(ledger.root, on.isoformat(), ahead) if cache.enabled() and \
        ledger.cases_dir.is_dir() else None
    ids, problems, stats = ledger.listing_stats()
    found: dict[str, tuple] = {}
    if computed is not None:
        for name, stat in stats.items():
            cached = computed.get(name, stat)
            if cached is not None and len(cached) == 3:
                found[name] = cached
    todo = [case_id for case_id in ids if f"{case_id}.yaml" not in found]
    if todo:
        _compute_into(found, computed, ledger, todo, on, ahead, {f"{i}.yaml" for i in ids}, stats)
    if computed is not None:
        computed.save(set(found))
    items, figures = [], []
    for case_id in ids:  # in file order, whichever way each was found
        actions, trouble, figure = found[f"{case_id}.yaml"]
        items.extend(actions)
        problems.extend(Problem(ledger.cases_dir / f"{case_id}.yaml", line, message) for line, message in trouble)
        if figure is not None:
            figures.append(tuple(figure))
    items.sort(key=lambda a: sort_key(a, on))
    return items, problems, figures


def _compute_into(found: dict, computed, ledger: Ledger, todo: list[str], on: date, ahead: int, keep: set,
                  stats: dict) -> None:
    """Compute the files not in the agenda cache; keep the results in it and new parses in the parse cache."""
    from receivables_cli.store import cache

    store = cache.ParseCache(ledger.root) if computed is not None else None
    for name, key, actions, trouble, figure, entry in _compute(ledger, todo, on, ahead, store, stats):
        found[name] = (actions, trouble, figure)
        if computed is not None and key is not None:
            computed.put_key(name, key, found[name])
        if store is not None and entry is not None:
            store.entries[name] = entry
            store.dirty = True
    if store is not None:
        store.save(keep)


def _figure(state: CaseState) -> tuple[str, str]:
    from receivables_cli.playbook.ageing import overdue_of

    return state.currency, fmt(overdue_of(state))


def _compute(ledger: Ledger, case_ids: list[str], on: date, ahead: int, store, stats: dict) -> list:
    """(file name, stat key, actions, problems, figure, new parse-cache entry) of each case: plain data only."""
    from receivables_cli.playbook import workers
    from receivables_cli.store.fastyaml import silenced
    from receivables_cli.store.ledger import no_gc

    def work(share: list[str]) -> list:
        with no_gc(), silenced():
            return [_compute_one(ledger, case_id, on, ahead, store, stats.get(f"{case_id}.yaml"))
                    for case_id in share]

    first = work(case_ids[:1])  # here, before any fork: the imports and tables it loads are then shared
    return first + workers.split_run(work, case_ids[1:], workers.parts_for(len(case_ids), PARALLEL_MIN))


def _compute_one(ledger: Ledger, case_id: str, on: date, ahead: int, store, stat) -> tuple:
    """One case's results; `stat` is the file's, taken by the listing before the file is read."""
    from receivables_cli.store import cache
    from receivables_cli.store.ledger import read_case

    path = ledger.cases_dir / f"{case_id}.yaml"
    old = store.entries.get(path.name) if store is not None else None
    case, trouble = read_case(path, store, stat)
    state = state_of(ledger, case, on) if case else None
    actions = actions_of(ledger, state, on, ahead) if state else []
    figure = list(_figure(state)) if state else None
    new = store.entries.get(path.name) if store is not None else None
    entry = new if new is not old else None  # parsed here: the parent files it in the parse cache
    key = list(cache.file_key(stat)) if stat is not None and not cache.young(stat) else None
    return path.name, key, actions, [[p.line, p.message] for p in trouble], figure, entry
