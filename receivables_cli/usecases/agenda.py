"""Tie the ledger, the fold and the playbook together: the actions of a case and a day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from receivables_cli.domain.amounts import fmt

if TYPE_CHECKING:  # a warm `dun today` takes every action from the agenda cache: it folds and plans nothing
    from receivables_cli.domain.calendar import Calendar
    from receivables_cli.domain.model import Case
    from receivables_cli.domain.state import CaseState
    from receivables_cli.playbook.playbook import Facts
    from receivables_cli.playbook.verdicts import Verdict
    from receivables_cli.store.ledger import Ledger

ZERO = Decimal("0.00")


def state_of(ledger: Ledger, case: Case, on: date) -> CaseState:
    """The case's state on a day; with `interest: {claim: accrued}` its open amount includes interest."""
    from receivables_cli.domain.state import fold

    state = fold(case, on, ledger.config.currency, ledger.config.payment_terms_days)
    if ledger.config.interest_claim != "accrued":
        return state
    from receivables_cli.money.statement import with_accrued_interest

    return with_accrued_interest(state, law_of(ledger))


def facts_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> Facts:
    from receivables_cli.playbook.playbook import Facts, window_for

    cfg = ledger.config
    return Facts(state, cfg.policy, calendar_of(ledger), window_for(state, cfg.call_windows), on,
                 on + timedelta(days=ahead), cfg.country, _profile(ledger), cfg.thank_on_payment)


def _profile(ledger: Ledger):
    from receivables_cli.money.law import profile_for

    if getattr(ledger, "_profile", None) is None:
        ledger._profile = profile_for(ledger.config.country, ledger.config.law)
    return ledger._profile


def calendar_of(ledger: Ledger) -> Calendar:
    if getattr(ledger, "_calendar", None) is None:
        from receivables_cli.domain.calendar import Calendar
        from receivables_cli.store.holidays import cached_holidays

        ledger._calendar = Calendar(ledger.config.country, ledger.config.region, cached_holidays)
    return ledger._calendar


def law_of(ledger: Ledger):
    """The law as it applies to this ledger (profile, base rates, calendar), built once."""
    from receivables_cli.money.statement import Law

    if getattr(ledger, "_law", None) is None:
        ledger._law = Law(ledger.config, calendar_of(ledger), ledger.root)
    return ledger._law


def actions_of(ledger: Ledger, state: CaseState, on: date, ahead: int = 0) -> list[dict]:
    """The case's actions scheduled on or before `on` + `ahead` days, as JSON items, by priority."""
    from receivables_cli.playbook.verdicts import verdicts

    f = facts_of(ledger, state, on, ahead)
    items = [action_json(f, v) for v in verdicts(f, explain=False) if v.fired]
    for item in items:
        if item["action"] == "answer_reply":
            from receivables_cli.playbook.replies import reply_item

            item.update(reply_item(state))
        if item["action"] == "decide_legal":
            item.update(legal_advice(ledger, state))
            item["reason"] += " " + advice_text(item, state.currency)
    return sorted(items, key=sort_keys(on))


def legal_advice(ledger: Ledger, state: CaseState) -> dict:
    """`recommendation`, `route` and `estimated_cost` of a decide_legal item (money.legal.legal_advice)."""
    from receivables_cli.money.legal import legal_advice as advice

    return advice(state, law_of(ledger))


def desk_of(ledger: Ledger, pdf: bool = False):
    """What every letter of this ledger needs besides its case (output.desk), prepared once;
    with `pdf`, also for letters made (or attached) as PDF."""
    from receivables_cli.output.desk import LetterDesk
    from receivables_cli.usecases.printing import pdf_tables

    if getattr(ledger, "_desk", None) is None:
        law = law_of(ledger)
        import atexit

        from receivables_cli.store.cache import Remembered, enabled

        # what the letters read anew is kept when dun ends; output/letters.py checks front matter
        front_matter = Remembered("front-matter", code=("output/letters.py",))
        compiled = Remembered("template-code", code=("output/letters.py",), limit=64)  # ~20 KB a template
        atexit.register(front_matter.save_if_grown)
        atexit.register(compiled.save_if_grown)
        if enabled():  # the entries of babel's locale data a letter formats with (output/localedata.py)
            from receivables_cli.output import localedata

            locale_data = kept_locale_data()
            atexit.register(locale_data.save_if_grown)
            localedata.use(locale_data.entries)
        ledger._desk = LetterDesk(ledger.root, law, _valid_ibans(law.config.creditor.iban), front_matter.entries,
                                  compiled.entries, pdf_tables() if pdf else None)
    elif pdf and ledger._desk.pdf_tables is None and pdf_tables() is not None:  # PDFs after other letters
        from dataclasses import replace

        ledger._desk = replace(ledger._desk, pdf_tables=pdf_tables())
    return ledger._desk


def kept_locale_data():
    """The entries of babel's locale data kept in the cache folder (store.cache.Remembered)."""
    from receivables_cli.store.cache import Remembered

    return Remembered("babel-data", code=("output/localedata.py",), limit=32)


def _valid_ibans(iban: str | None) -> frozenset:
    """The creditor's IBAN if schwifty found it valid, now or before (kept in the cache folder:
    loading schwifty's registry takes a sixth of a Markdown letter's time)."""
    from receivables_cli.store.cache import KnownGood

    known = KnownGood("ibans")
    if not iban or known.sound(iban):
        return frozenset({iban} if iban else ())
    from receivables_cli.output.payment import iban_problem

    if iban_problem(iban) is not None:
        return frozenset()
    known.keep(iban)
    return frozenset({iban})


def due_letters(ledger: Ledger, state: CaseState, day: date) -> list[str]:
    """The templates of the letter actions due for this case on `day`."""
    return [a["template"] for a in actions_of(ledger, state, day) if a["channel"] == "letter"]


def advice_text(item: dict, currency: str) -> str:
    """``Recommended: legal route (dunning_court), estimated cost 41.00 EUR.`` for text output."""
    barred = item.get("time_barred") or []
    what = "write off" if item["recommendation"] == "write_off" else f"legal route ({item['route']})"
    if barred:
        what += (f"; not for {', '.join(barred)}: time-barred, the customer may refuse to pay (§214 BGB); write it "
                 "off or ask for a written acknowledgement")
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


def sort_keys(on: date):
    """The agenda's order on a day: confirmations and broken promises, then calls (today's window
    first), letters, decisions; each call window is read once, however many items it has."""
    from receivables_cli.domain.calendar import parse_window
    from receivables_cli.playbook.order import CHANNEL_PRIORITY, PRIORITY

    closed: dict[str, bool] = {}

    def key(item: dict) -> tuple:
        rank = PRIORITY.get(item["action"], CHANNEL_PRIORITY[item["channel"]])
        window = item["window"]
        off_window = item["channel"] == "call" and closed.get(window)
        if off_window is None:
            off_window = closed[window] = not parse_window(window).covers(on)
        return rank, off_window, item["scheduled"], -item["overdue_days"], item["case"], item["action"]
    return key


PARALLEL_MIN = 200  # files from which a second process pays for its fork (measured by bench/run.py: 100 break even)


def agenda(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[dict], list]:
    """Every case's due actions, by priority; the problems of files that did not load."""
    items, problems, _figures = agenda_and_figures(ledger, on, ahead)
    return items, problems


def agenda_and_figures(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[dict], list, list]:
    """The agenda, the problems, and each loaded case's (currency, overdue) as `dun report` counts it."""
    import json

    pieces, problems, figures = agenda_pieces(ledger, on, ahead)
    return [json.loads(piece) for piece in pieces], problems, figures


def agenda_json(ledger: Ledger, on: date, ahead: int = 0) -> tuple[str, list]:
    """The agenda as the JSON text `dun today --json` prints, and the problems.

    With the cache on, a ledger whose case files are all as they were at the last run of the
    day gets that run's text (cache.WholeAgenda): only the files are stat'ed.
    """
    from receivables_cli.domain.jsontext import list_json
    from receivables_cli.store import cache

    cached = _cached(ledger)
    listing = ledger.listing_stats(with_stats=cached)
    whole = cache.WholeAgenda(ledger.root, on.isoformat(), ahead) if cached else None
    found = whole.get(listing[2]) if whole is not None else None
    if found is None:
        keyed, trouble, _figures = _gather(ledger, on, ahead, listing, figures=False)
        found = list_json([piece for _, piece in keyed]), trouble
        if whole is not None:
            whole.put(listing[2], *found)
            whole.save()
    text, trouble = found
    return text, _problems(ledger, listing[1], trouble)


def agenda_pieces(ledger: Ledger, on: date, ahead: int = 0) -> tuple[list[str], list, list]:
    """Each action as its piece of the agenda's JSON (jsontext.item_json), by priority; the problems; the figures."""
    listing = ledger.listing_stats(with_stats=_cached(ledger))
    keyed, trouble, figures = _gather(ledger, on, ahead, listing)
    return [piece for _, piece in keyed], _problems(ledger, listing[1], trouble), figures


def _problems(ledger: Ledger, skipped: list, trouble: list) -> list:
    """The listing's problems, then each file's (file name, line, message) as a Problem."""
    from receivables_cli.domain.errors import Problem

    return [*skipped, *(Problem(ledger.cases_dir / name, line, message) for name, line, message in trouble)]


def _cached(ledger: Ledger) -> bool:
    from receivables_cli.store import cache

    return cache.enabled() and ledger.cases_dir.is_dir()


def _gather(ledger: Ledger, on: date, ahead: int, listing, figures: bool = True) -> tuple[list, list, list]:
    """The actions as (sort key, JSON piece) by priority, the files' problems as (file name, line,
    message), and the figures, of the files a listing found.

    With the cache on, a file unchanged since its actions were computed for this day is only
    stat'ed, and its actions come as the JSON pieces and sort keys computed then; the rest is
    parsed (from the parse cache where it can), folded and planned, in worker processes when
    there are enough files for both cores to pay.
    """
    from receivables_cli.store import cache

    ids, _skipped, stats = listing
    computed = cache.AgendaCache(ledger.root, on.isoformat(), ahead) if _cached(ledger) else None
    figures = figures or computed is not None  # the cache keeps every file's whole result
    found: dict[str, tuple] = {}
    if computed is not None:
        for name, stat in stats.items():
            cached = computed.get(name, stat)
            if cached is not None and len(cached) == 3:
                found[name] = cached
    todo = [case_id for case_id in ids if f"{case_id}.yaml" not in found]
    if todo:
        _compute_into(found, computed, ledger, todo, (on, ahead, figures), {f"{i}.yaml" for i in ids}, stats)
    if computed is not None:
        computed.save(set(found))
    keyed, trouble, figures = [], [], []
    for case_id in ids:  # in file order, whichever way each was found
        name = f"{case_id}.yaml"
        actions, problems, figure = found[name]
        keyed.extend(actions)
        trouble.extend((name, line, message) for line, message in problems)
        if figure is not None:
            figures.append(tuple(figure))
    keyed.sort(key=_first)
    return keyed, trouble, figures


def _first(pair):
    return pair[0]


def _compute_into(found: dict, computed, ledger: Ledger, todo: list[str], asked: tuple, keep: set,
                  stats: dict) -> None:
    """Compute the files not in the agenda cache; keep the results in it and new parses in the parse cache."""
    from receivables_cli.store import cache

    store = cache.ParseCache(ledger.root) if computed is not None else None
    for name, key, actions, trouble, figure, entry in _compute(ledger, todo, asked, store, stats):
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


def _compute(ledger: Ledger, case_ids: list[str], asked: tuple, store, stats: dict) -> list:
    """(file name, stat key, actions, problems, figure, new parse-cache entry) of each case: plain data only.

    An action is its sort key and its JSON piece (see agenda_pieces)."""
    from receivables_cli.store.fastyaml import silenced
    from receivables_cli.store.ledger import BATCH, no_gc
    from receivables_cli.usecases import workers

    def work(share: list[str]) -> list:
        folder = ledger.cases_dir
        paths = [folder / f"{case_id}.yaml" for case_id in share]
        with no_gc(), silenced():
            return [result for at in range(0, len(paths), BATCH)
                    for result in _compute_batch(ledger, paths[at:at + BATCH], asked, store, stats)]

    first = work(case_ids[:1])  # here, before any fork: the imports and tables it loads are then shared
    return first + workers.split_run(work, case_ids[1:], workers.parts_for(len(case_ids), PARALLEL_MIN))


def _compute_batch(ledger: Ledger, paths: list, asked: tuple, store, stats: dict) -> list:
    """The results of some case files, each stage (read, fold, plan) done for all of them in turn:
    the code of one stage stays in the processor's caches. Each file is read after the stat the
    listing took (`stats`). `asked`: the day, the days ahead, whether the figures are wanted."""
    from receivables_cli.domain.jsontext import item_json
    from receivables_cli.store import cache
    from receivables_cli.store.ledger import read_cases

    on, ahead, figures = asked
    old = [store.entries.get(path.name) if store is not None else None for path in paths]
    read = read_cases(paths, store, stats)
    states = [state_of(ledger, case, on) if case else None for case, _ in read]
    by = sort_keys(on)
    planned = [[[list(by(item)), item_json(item)] for item in actions_of(ledger, state, on, ahead)] if state else []
               for state in states]
    results = []
    for i, path in enumerate(paths):
        stat, trouble, state = stats.get(path.name), read[i][1], states[i]
        new = store.entries.get(path.name) if store is not None else None
        entry = new if new is not old[i] else None  # parsed here: the parent files it in the parse cache
        key = list(cache.file_key(stat)) if stat is not None and not cache.young(stat) else None
        results.append((path.name, key, planned[i], [[p.line, p.message] for p in trouble],
                        list(_figure(state)) if state and figures else None, entry))
    return results
