"""The interactive call's options and `dun work`, the morning walked item by item."""

from __future__ import annotations

import pytest

from tests.test_brief_report import BUSINESS

ONE_PERSON = BUSINESS.replace('  assistant: {name: Jana Beispiel, phone: "+49 30 5551235"}\n', "").replace(
    '  manager: {name: Max Muster, role: CEO, phone: "+49 30 5551200"}\n', "")


def appended(ledger, case: str, before: str) -> str:
    return ledger.text(case)[len(before):]


def test_interactive_call_honours_at_note_and_with(ledger):
    ledger.case("acme", BUSINESS)
    before = ledger.text("acme")
    result = ledger.run("call", "acme", "--at", "2026-11-20 18:30", "--note", "back Monday", "--with", "assistant",
                        input="1\n")  # only the outcome is asked
    assert result.exit_code == 0, result.output
    assert "Whom did you call" not in result.stdout and "Note" not in result.stdout
    assert appended(ledger, "acme", before) == ("  - at: 2026-11-20 18:30\n    event: call\n    outcome: reached\n"
                                                "    with: assistant\n    note: back Monday\n")


def test_interactive_call_with_one_person_on_file_does_not_ask_whom(ledger):
    ledger.case("acme", ONE_PERSON)
    before = ledger.text("acme")
    result = ledger.run("call", "acme", input="6\n\n")
    assert result.exit_code == 0, result.output
    assert "Whom did you call" not in result.stdout
    assert "outcome: no_answer\n" in appended(ledger, "acme", before)
    assert "with:" not in appended(ledger, "acme", before)


@pytest.mark.parametrize(("history", "role"), [
    # three unanswered calls, the callback letter, a week: the assistant is due
    ("", "assistant"),
    # ... and when the assistant was called a week ago: the manager
    ("  - at: 2026-11-24 10:00\n    event: call\n    outcome: no_answer\n    with: assistant\n", "manager"),
])
def test_interactive_call_defaults_to_the_person_the_due_action_names(ledger, history, role):
    calls = "".join(f"  - at: 2026-11-{d} 10:00\n    event: call\n    outcome: no_answer\n" for d in ("06", "10"))
    ledger.case("acme", BUSINESS + calls + "  - at: 2026-11-11\n    event: letter\n    template: callback-request\n"
                + history)
    on = "2026-11-24" if role == "assistant" else "2026-12-03"
    before = ledger.text("acme")
    result = ledger.run("call", "acme", input="\n6\n\n", on=on)  # Enter takes the default person
    assert result.exit_code == 0, result.output
    assert f"with: {role}\n" in appended(ledger, "acme", before)
