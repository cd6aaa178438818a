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


# --- dun work, driven through a real pseudo-terminal ---------------------------------------------------------

WORK_ON = "2026-11-03"  # Tue: a collection call, a reminder letter and a dispute to decide
CALL_CASE = BUSINESS.split("  - at: 2026-11-05")[0].replace(
    '  assistant: {name: Jana Beispiel, phone: "+49 30 5551235"}\n', "").replace(
    '  manager: {name: Max Muster, role: CEO, phone: "+49 30 5551200"}\n', "")
LETTER_CASE = CALL_CASE.replace("ACME GmbH", "Bezirksamt").replace("kind: business", "kind: public").replace(
    "erika@acme.example", "post@amt.example")
DISPUTE_CASE = CALL_CASE.replace("ACME GmbH", "Beta AG") + (
    "  - at: 2026-11-02\n    event: dispute\n    note: says the shop never went live\n")


@pytest.fixture
def morning(ledger, tmp_path):
    import sys
    import textwrap

    box = tmp_path / "mailbox"
    script = tmp_path / "fake-msmtp.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        open({str(box)!r}, "a").write(sys.stdin.read())
    """))
    ledger.config(f'mail:\n  command: "{sys.executable} {script}"\n')
    ledger.case("acme", CALL_CASE)
    ledger.case("amt", LETTER_CASE)
    ledger.case("beta", DISPUTE_CASE)
    ledger.mailbox = box
    return ledger


def spawn_work(ledger):
    import os
    import signal
    import sys

    import pexpect

    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": WORK_ON, "NO_COLOR": "1", "COLUMNS": "100"}
    # as from a login shell: a test runner started in the background may have inherited an ignored SIGINT
    return pexpect.spawn(sys.executable, ["-m", "receivables_cli", "work"], env=env, encoding="utf-8", timeout=30,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_work_walks_a_call_a_letter_and_a_decision_through_a_terminal(morning):
    import pexpect

    child = spawn_work(morning)
    child.expect(r"collection call: ACME GmbH")
    child.expect(r"\(c\) called: record it")
    child.sendline("c")
    child.expect("What happened")
    child.sendline("1")
    child.expect("Note")
    child.sendline("will pay on Friday")
    child.expect(r"reminder letter: Bezirksamt")
    child.expect(r"\(s\) send by e-mail")
    child.sendline("s")
    child.expect("sent and recorded: reminder to post@amt.example")
    child.expect(r"resolve dispute: Beta AG")
    child.expect(r"\(h\) hold until a date")
    child.sendline("h")
    child.expect(r"Until")
    child.sendline("2026-12-01")
    child.expect("Reason")
    child.sendline("waiting for the expert's report")
    child.expect("done: 3 answers recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "    outcome: reached\n    note: will pay on Friday\n" in morning.text("acme")
    assert morning.text("amt").endswith("  - at: 2026-11-03\n    event: letter\n    template: reminder\n")
    assert "To: Erika Muster <post@amt.example>" in morning.mailbox.read_text()
    assert morning.text("beta").endswith("    event: hold\n    until: 2026-12-01\n"
                                         "    reason: waiting for the expert's report\n")


def test_ctrl_c_stops_the_walk_keeping_what_was_answered(morning):
    import pexpect

    child = spawn_work(morning)
    child.expect(r"\(c\) called: record it")
    child.sendline("c")
    child.expect("What happened")
    child.sendline("6")
    child.expect("Note")
    child.sendline("")
    child.expect(r"\(s\) send by e-mail")
    child.sendintr()
    child.expect(r"stopped; 1 answer recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "outcome: no_answer" in morning.text("acme")
    assert "event: letter" not in morning.text("amt") and not morning.mailbox.exists()
    assert "event: hold" not in morning.text("beta")


def test_work_needs_a_terminal(morning):
    before = morning.snapshot()
    result = morning.run("work", on=WORK_ON, input="c\n")
    assert result.exit_code == 1 and "needs a terminal" in result.stderr
    assert morning.snapshot() == before
