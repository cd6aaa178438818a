"""The agenda answers a customer's reply first: answer_reply, letters that wait, absences, `dun answered`,
`dun why`, `dun work`, and `dun letter --reply-to`; then the whole morning after a reminder."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

# a call reached someone on 3 Nov: the dunning letter is due on 10 Nov (7 days later)
CASE = """
customer:
  name: ACME GmbH
  contact: Erika Muster
  email: erika@acme.example
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
  - at: 2026-11-03 10:00
    event: call
    outcome: reached
    note: will look into it
"""
DAY = "2026-11-10"


def reply(kind: str = "paid", at: str = "2026-11-09 16:20", **extra) -> str:
    lines = [f"  - at: {at}", "    event: reply", "    from: erika@acme.example", "    message_id: r1@acme.example",
             "    subject: \"AW: Ihre Rechnung RE-2026-017\"", f"    kind: {kind}",
             "    summary: Wir haben bereits am 6. November bezahlt."]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def today(ledger, on: str = DAY, *args) -> list[dict]:
    result = ledger.run("today", "--json", *args, on=on)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def actions(ledger, on: str = DAY, *args) -> list[str]:
    return [i["action"] for i in today(ledger, on, *args)]


def test_without_a_reply_the_dunning_letter_is_due(ledger):
    ledger.case("acme", CASE)
    assert actions(ledger) == ["dunning_letter"]


def test_an_unanswered_reply_is_answered_first_and_no_letter_goes_out(ledger):
    ledger.case("acme", CASE + reply())
    (item,) = today(ledger)
    assert item["action"] == "answer_reply" and item["channel"] == "decision" and item["due"] == "2026-11-09"
    assert item["reply"] == {"from": "erika@acme.example", "message_id": "r1@acme.example",
                             "subject": "AW: Ihre Rechnung RE-2026-017", "kind": "paid",
                             "summary": "Wir haben bereits am 6. November bezahlt.", "paid_on": None, "promise": None}
    assert "dun import bank" in item["suggestion"] and "Wir haben bereits" in item["reason"]
    why = ledger.run("why", "acme", on=DAY).stdout
    assert "dunning_letter: paused: the reply of 2026-11-09 from erika@acme.example waits for an answer" in why


def test_answer_reply_ranks_with_broken_promises_before_calls(ledger):
    ledger.case("acme", CASE + reply())
    ledger.case("beta", CASE.replace("ACME GmbH", "Beta AG").replace("erika@acme", "max@beta").replace(
        "  - at: 2026-11-03 10:00\n    event: call\n    outcome: reached\n    note: will look into it\n", ""))
    assert actions(ledger)[:2] == ["answer_reply", "collection_call"]


@pytest.mark.parametrize("answer", [
    "  - at: 2026-11-10\n    event: call\n    outcome: reached\n",
    "  - at: 2026-11-10\n    event: meeting\n    outcome: reached\n",
    "  - at: 2026-11-10\n    event: letter\n    template: statement\n",
    "  - at: 2026-11-10\n    event: promise\n    amount: 1190\n    by: 2026-11-20\n",
    "  - at: 2026-11-10\n    event: dispute\n    note: item 3\n",
    "  - at: 2026-11-10\n    event: payment\n    amount: 100\n",
    "  - at: 2026-11-10\n    event: note\n    text: answered by phone\n",
    "  - at: 2026-11-10\n    event: answered\n",
])
def test_any_later_event_answers_the_reply(ledger, answer):
    ledger.case("acme", CASE + reply() + answer)
    assert "answer_reply" not in actions(ledger)


def test_an_event_of_the_same_day_counts_only_after_the_reply(ledger):
    note = "  - at: 2026-11-09\n    event: note\n    text: before the reply came\n"
    ledger.case("acme", CASE + note + reply(at="2026-11-09"))
    assert "answer_reply" in actions(ledger)
    ledger.case("acme", CASE + reply(at="2026-11-09") + note)
    assert "answer_reply" not in actions(ledger)


def test_dun_answered_closes_the_reply_and_the_letter_is_due_again(ledger):
    ledger.case("acme", CASE + reply())
    result = ledger.run("answered", "acme", "--note", "answered by e-mail", on=DAY)
    assert result.exit_code == 0, result.output
    assert ledger.text("acme").endswith("  - at: 2026-11-10\n    event: answered\n    note: answered by e-mail\n")
    assert actions(ledger) == ["dunning_letter"]
    again = ledger.run("answered", "acme", on=DAY)
    assert again.exit_code == 1 and "no unanswered reply" in again.stderr


def test_a_settled_case_shows_no_answer_reply(ledger):
    paid = "  - at: 2026-11-06\n    event: payment\n    amount: 1190.00\n"
    ledger.case("acme", CASE + paid + reply(at="2026-11-09 16:20"))
    assert actions(ledger) == []


def test_a_promise_reply_suggests_the_exact_command(ledger):
    ledger.case("acme", CASE + reply("promise", promise="{amount: 500.00, by: 2026-11-20}"))
    (item,) = today(ledger)
    assert "dun promise acme 500.00 --by 2026-11-20" in item["suggestion"]
    assert item["reply"]["promise"] == {"amount": "500.00", "by": "2026-11-20"}


@pytest.mark.parametrize(("kind", "words"), [
    ("invoice_request", "send it again with its enclosure"), ("dispute", "dun dispute acme"),
    ("instalments", "dun agree acme"), ("other", "dun answered acme")])
def test_each_kind_has_its_suggestion(ledger, kind, words):
    ledger.case("acme", CASE + reply(kind))
    assert words in today(ledger)[0]["suggestion"]


def test_an_out_of_office_moves_letters_and_calls_after_the_absence_and_needs_no_answer(ledger):
    ledger.case("acme", CASE + reply("out_of_office", until="2026-11-13"))
    assert actions(ledger) == []
    ahead = today(ledger, DAY, "--ahead", "10")
    assert [(i["action"], i["scheduled"]) for i in ahead] == [("dunning_letter", "2026-11-16")]
    why = ledger.run("why", "acme", on=DAY).stdout
    assert "scheduled Mon 2026-11-16: away until 2026-11-13 (out-of-office reply of 2026-11-09)" in why
    # a collection call falls after the absence too, on the first day of the call window
    ledger.case("acme", CASE.split("  - at: 2026-11-03")[0] + reply("out_of_office", at="2026-11-01 08:00",
                                                                      until="2026-11-09"))
    calls = today(ledger, "2026-11-05", "--ahead", "10")
    assert [(i["action"], i["scheduled"]) for i in calls] == [("collection_call", "2026-11-10")]


def test_letter_reply_to_answers_inside_the_customers_thread(ledger):
    ledger.case("acme", CASE + reply())
    result = ledger.run("letter", "acme", "dunning", "--format", "eml", "--reply-to", "<r1@acme.example>", on=DAY)
    assert result.exit_code == 0, result.output
    assert "In-Reply-To: <r1@acme.example>" in result.stdout and "References: <r1@acme.example>" in result.stdout
    assert "Subject: Re: Ihre Rechnung RE-2026-017" in result.stdout
    unknown = ledger.run("letter", "acme", "dunning", "--format", "eml", "--reply-to", "nope@x.example", on=DAY)
    assert unknown.exit_code == 1 and "no reply with the Message-ID nope@x.example" in unknown.stderr
    markdown = ledger.run("letter", "acme", "dunning", "--reply-to", "r1@acme.example", on=DAY)
    assert markdown.exit_code == 2


def test_a_reply_event_is_checked_like_any_other(ledger):
    ledger.case("acme", CASE + reply("happy"))
    result = ledger.run("check", on=DAY)
    assert result.exit_code == 1 and "reply kind 'happy' is not one of paid" in result.output
    ledger.case("acme", CASE + "  - at: 2026-11-09\n    event: reply\n    from: x@y.example\n")
    assert "reply event is missing 'message_id'" in ledger.run("check", on=DAY).output


# --- dun work on a reply, through a real pseudo-terminal ----------------------------------------------------

def test_work_shows_the_reply_and_records_the_promise_it_names(ledger):
    import os
    import signal

    import pexpect

    ledger.case("acme", CASE + reply("promise", promise="{amount: 500.00, by: 2026-11-20}"))
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": DAY, "NO_COLOR": "1", "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", "work"], env=env, encoding="utf-8", timeout=30,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.expect("answer reply: ACME GmbH")
    child.expect("Wir haben bereits am 6. November bezahlt.")
    child.expect(r"\(p\) record the promise of 500.00 by 2026-11-20")
    child.sendline("p")
    child.expect("confirm promise: ACME GmbH")  # the promise just recorded brings its confirmation
    child.expect(r"\(k\) skip")
    child.sendline("k")
    child.expect("done: 1 answer recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert ledger.text("acme").endswith("    event: promise\n    amount: 500.00\n    by: 2026-11-20\n")


def test_work_answers_an_invoice_request_with_a_letter_in_the_thread(ledger, tmp_path):
    import os
    import signal

    import pexpect

    box = tmp_path / "sent"
    script = tmp_path / "fake-msmtp.py"
    script.write_text(f"import sys\nopen({str(box)!r}, 'a').write(sys.stdin.read())\n")
    ledger.config(f'mail: {{command: "{sys.executable} {script}"}}\n')
    ledger.case("acme", CASE + reply("invoice_request"))
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": DAY, "NO_COLOR": "1", "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", "work"], env=env, encoding="utf-8", timeout=30,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.expect(r"\(l\) answer with a letter in their thread")
    child.sendline("l")
    child.expect(r"Letter \(")
    child.sendline("")  # the statement, for an invoice that never arrived
    child.expect("sent and recorded: statement to erika@acme.example, in reply to r1@acme.example")
    child.expect("dunning letter: ACME GmbH")  # answered: the ladder's letter is due again
    child.expect(r"\(k\) skip")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    sent = box.read_text()
    assert "In-Reply-To: <r1@acme.example>" in sent and "Subject: Re: Ihre Rechnung RE-2026-017" in sent
    assert ledger.text("acme").endswith("    event: letter\n    template: statement\n")


# --- the morning after a reminder: the whole conversation ---------------------------------------------------

CORPORATE = """
customer:
  name: Stadtwerke Musterstadt
  kind: corporate
  contact: Frau Kühn
  email: buchhaltung@stadtwerke.example
history:
  - at: 2026-11-01
    event: invoice
    number: RE-2026-077
    amount: 2380.00
    due: 2026-11-15
"""


def test_reminder_sent_reply_imported_letters_wait_then_the_bank_settles_it(ledger, tmp_path):
    box = tmp_path / "sent"
    script = tmp_path / "fake-msmtp.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        open({str(box)!r}, "a").write(sys.stdin.read() + "\\n=====\\n")
    """))
    ledger.config(f'mail: {{command: "{sys.executable} {script}"}}\n'
                  "bank:\n  csv: {date: Datum, amount: Betrag, payer: Name, text: Zweck}\n")
    ledger.case("stadtwerke", CORPORATE)
    # 18 Nov: the reminder is due (3 days after the due date) and goes out through the mail command
    assert ledger.run("outbox", "--send", on="2026-11-18").exit_code == 0
    sent = box.read_text()
    message_id = sent.split("Message-ID: <", 1)[1].split(">", 1)[0]
    assert message_id == "stadtwerke.reminder.20261118@example.org"
    # 4 Dec: the customer answers in the thread
    answer = tmp_path / "answer.eml"
    answer.write_bytes(textwrap.dedent(f"""\
        From: Frau Kühn <buchhaltung@stadtwerke.example>
        To: anna@example.org
        Subject: AW: Zahlungserinnerung RE-2026-077
        Date: Fri, 04 Dec 2026 09:12:00 +0100
        Message-ID: <antwort-1@stadtwerke.example>
        In-Reply-To: <{message_id}>
        References: <{message_id}>
        Content-Type: text/plain; charset=utf-8

        Sehr geehrte Frau Beispiel,

        wir haben die Rechnung bereits am 3. Dezember bezahlt.

        Mit freundlichen Grüßen
        Kühn
        """).encode())
    imported = ledger.run("import", "mail", str(answer), "--record", "--json", on="2026-12-04")
    found = json.loads(imported.stdout)["messages"][0]
    assert (found["status"], found["case"], found["kind"], found["paid_on"]) == (
        "recorded", "stadtwerke", "paid", "2026-12-03")
    # the next morning: answer the reply; the dunning letter (due since the reminder's deadline) waits
    morning = today(ledger, "2026-12-07")
    assert [i["action"] for i in morning] == ["answer_reply"]
    assert "dun import bank" in morning[0]["suggestion"]
    assert ledger.run("outbox", on="2026-12-07").stdout.count("stadtwerke") == 0
    assert "dunning_letter: paused: the reply of 2026-12-04" in ledger.run("why", "stadtwerke", on="2026-12-07").stdout
    # the bank statement shows the payment: recorded, the case is settled, the agenda is empty
    statement = tmp_path / "umsaetze.csv"
    statement.write_text("Datum;Betrag;Name;Zweck\n03.12.2026;2.380,00;Stadtwerke Musterstadt;RE-2026-077\n",
                         encoding="utf-8")
    bank = ledger.run("import", "bank", str(statement), "--record", on="2026-12-07")
    assert bank.exit_code == 0, bank.output
    show = json.loads(ledger.run("show", "stadtwerke", "--json", on="2026-12-07").stdout)
    assert show["status"] == "settled"
    assert "answer_reply" not in actions(ledger, "2026-12-07")
