"""Every rule's verdict for a case on a day: the ladder walked from its most advanced step down, then the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from receivables_cli.domain.model import fast_init
from receivables_cli.playbook.playbook import CLOSED, Facts, Step


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Verdict:
    """A rule's verdict for `dun why`: fired (an action), or why not."""

    step: Step
    fired: bool
    scheduled: date | None
    note: str


def verdicts(f: Facts, explain: bool = True) -> list[Verdict]:
    """Every rule's verdict: the ladder walked from its most advanced step down, then the events.

    Without `explain`, the steps below the one shown are not evaluated at all.
    """
    from receivables_cli.playbook.event_rules import EVENT_RULES, SETTLED_RULES
    from receivables_cli.playbook.rules import LADDER_CORPORATE_PUBLIC, LADDER_PRIVATE_BUSINESS

    if f.state.status == "settled":  # nothing to chase; only the thanks for paying
        steps = (rule(f) for rule in SETTLED_RULES)
        return [_judge(f, step, explain) for step in steps if explain or step.due is not None]
    if f.state.status in CLOSED:
        return _agency_limitation(f, explain)
    kind = f.state.case.customer.kind
    ladder = LADDER_CORPORATE_PUBLIC if kind in ("corporate", "public") else LADDER_PRIVATE_BUSINESS
    result = _walk_ladder(f, ladder, explain)
    for rule in EVENT_RULES:
        step = rule(f)
        if explain or step.due is not None:
            result.append(_judge(f, step, explain))
    return _letters_wait_for_answer(f, result)


def _letters_wait_for_answer(f: Facts, result: list[Verdict]) -> list[Verdict]:
    """While a customer's reply is unanswered, no letter goes out (contract section 8)."""
    from receivables_cli.playbook.replies import letter_pause

    if not any(v.fired and v.step.channel == "letter" for v in result):
        return result
    pause = letter_pause(f)
    if pause is None:
        return result
    return [Verdict(v.step, False, v.scheduled, f"paused: {pause}") if v.fired and v.step.channel == "letter"
            else v for v in result]


def _agency_limitation(f: Facts, explain: bool) -> list[Verdict]:
    """A case with a collection agency still runs into limitation: the agency stops nothing (§204 BGB)."""
    from receivables_cli.playbook.event_rules import limitation_warning

    closed = f.state.closed_by
    if f.state.status != "legal" or closed is None or closed.route != "collection_agency":
        return []
    step = limitation_warning(f)
    return [_judge(f, step, explain)] if explain or step.due is not None else []


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
    due = _after_absence(f, step)
    if step.channel == "call":
        return f.calendar.call_day(due, f.window)
    return due


def _after_absence(f: Facts, step: Step) -> date:
    """A call or letter due while the customer is away (an out-of-office reply) waits until they are back."""
    if step.channel not in ("call", "letter"):
        return step.due
    from receivables_cli.playbook.replies import back_from_absence

    back = back_from_absence(f)
    return max(step.due, back) if back else step.due


def _weekday(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _window_note(f: Facts, step: Step, scheduled: date) -> str:
    if scheduled != step.due and _after_absence(f, step) != step.due:
        from receivables_cli.playbook.replies import away_reply

        away = away_reply(f)
        return f": away until {away.until} (out-of-office reply of {away.day})"
    if step.channel != "call" or scheduled == step.due:
        return ""
    holiday = f.calendar.holiday(step.due)
    if holiday and f.window.covers(step.due):
        return f": {step.due} is a public holiday ({holiday})"
    return f": {f.state.case.customer.kind} customers are called {f.window}"
