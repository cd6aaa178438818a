"""`dun today` output formats and `dun why`."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import ACME

CONTRACT_FIELDS = ["case", "customer", "action", "channel", "due", "scheduled", "window", "attempt", "template",
                   "open", "currency", "overdue_days", "reason"]


def test_today_json_has_exactly_the_contract_fields(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    items = json.loads(ledger.run("today", "--json", "--on", "2026-11-03").stdout)
    assert items == [{
        "case": "acme-2026-017", "customer": "ACME GmbH", "action": "collection_call", "channel": "call",
        "due": "2026-11-01", "scheduled": "2026-11-03", "window": "Tue-Thu 09:00-16:00", "attempt": 1,
        "template": None, "open": "1190.00", "currency": "EUR", "overdue_days": 19,
        "reason": "Day 31 after invoice RE-2026-017 and still unpaid."}]


def test_today_orders_by_priority(ledger):
    ledger.case("a-letter", ACME.replace("kind: business", "kind: public"))
    ledger.case("b-call", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    ledger.case("c-promise", ACME + "  - at: 2026-11-03 10:20\n    event: call\n    outcome: promised\n"
                "    promise: {amount: 100, by: 2026-11-30}\n")
    ledger.case("d-dispute", ACME + "  - at: 2026-11-02\n    event: dispute\n    note: wrong hours\n")
    items = json.loads(ledger.run("today", "--json", "--on", "2026-11-03").stdout)
    assert [(i["case"], i["action"]) for i in items] == [
        ("c-promise", "confirm_promise"), ("b-call", "collection_call"), ("a-letter", "reminder_letter"),
        ("d-dispute", "resolve_dispute")]


def test_today_text_has_a_summary_line(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    out = ledger.run("today", "--on", "2026-11-03").stdout
    assert "collection_call" in out and "today 09:00-16:00" in out
    assert out.rstrip().endswith("1 action: 1 call; 1190.00 EUR overdue in 1 case")


def test_today_csv(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    rows = list(csv.DictReader(io.StringIO(ledger.run("today", "--csv", "--on", "2026-11-03").stdout)))
    assert list(rows[0]) == CONTRACT_FIELDS
    assert rows[0]["action"] == "collection_call"


def test_today_ics_puts_calls_in_their_window_with_stable_uids(ledger):
    from icalendar import Calendar

    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    ledger.case("pub", ACME.replace("kind: business", "kind: public"))
    text = ledger.run("today", "--ics", "--on", "2026-11-03").stdout
    events = {str(e["uid"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    call = events["acme-2026-017--collection_call@dun"]
    assert call.decoded("dtstart").isoformat() == "2026-11-03T09:00:00+01:00"
    assert call.decoded("dtend").isoformat() == "2026-11-03T09:15:00+01:00"  # a short slot, not the window
    letter = events["pub--reminder_letter@dun"]
    assert letter.decoded("dtstart").isoformat() == "2026-11-03"  # overdue since 18 Oct: today, not the past
    assert text == ledger.run("today", "--ics", "--on", "2026-11-03").stdout  # same input, same file


def test_a_broken_case_is_warned_about_and_the_rest_listed(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    ledger.case("broken", "customer:\n  name: X\nhistory:\n  - at: 2026-02-30\n    event: note\n    text: x\n")
    result = ledger.run("today", "--on", "2026-11-03")
    assert result.exit_code == 1
    assert "collection_call" in result.stdout
    assert "broken.yaml:4: at: 2026-02-30 is not a real date" in result.stderr


def test_nothing_due(ledger):
    ledger.case("acme-2026-017", ACME)
    result = ledger.run("today", "--on", "2026-10-02")
    assert (result.exit_code, result.stdout) == (0, "Nothing due on 2026-10-02.\n")


def test_why_explains_the_action_and_the_rules_passed_over(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n")
    out = ledger.run("why", "acme-2026-017", "--on", "2026-11-02").stdout
    assert ("collection_call: not yet: due 2026-11-01, scheduled Tue 2026-11-03: business customers are called "
            "Tue-Thu 09:00-16:00") in out
    out = ledger.run("why", "acme-2026-017", "--on", "2026-11-03").stdout
    assert "-> collection_call: due 2026-11-01, scheduled Tue 2026-11-03: Day 31 after invoice" in out
    assert "info_call: passed over: collection_call is further along" in out
    assert "dunning_letter: does not apply: waits for a call that reaches someone" in out


def test_why_names_the_holiday(ledger, monkeypatch):
    from receivables_cli.domain import calendar
    from receivables_cli.store import holidays

    monkeypatch.setenv("LANGUAGE", "de")  # the holidays package would name it "Erster Weihnachtstag"
    calendar.public_holidays.cache_clear()
    holidays.cached_holidays.cache_clear()
    ledger.case("p", ACME.replace("kind: business", "kind: private").replace("2026-10-01", "2026-11-24")
                .replace("2026-10-15", "2026-12-08") + "  - at: 2026-11-26 19:00\n    event: call\n"
                "    outcome: reached\n")
    out = ledger.run("why", "p", "--on", "2026-12-25").stdout
    assert "2026-12-25 is a public holiday (Christmas Day)" in out


def test_why_explains_every_action_that_today_shows(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-11-02\n    event: dispute\n    note: hours\n")
    shown = {i["action"] for i in json.loads(ledger.run("today", "--json", "--on", "2026-11-05").stdout)}
    out = ledger.run("why", "acme-2026-017", "--on", "2026-11-05").stdout
    assert shown == {line.split(":")[0][3:] for line in out.splitlines() if line.startswith("-> ")}
    assert "paused: disputed since 2026-11-02" in out


def test_show_text_lists_what_is_coming_up(ledger):
    ledger.case("acme-2026-017", ACME + "  - at: 2026-11-17 08:40\n    event: call\n    outcome: promised\n"
                "    promise: {amount: 1190, by: 2026-11-30}\n  - at: 2026-11-17\n    event: letter\n"
                "    template: promise-confirmation\n")
    out = ledger.run("show", "acme-2026-017", "--on", "2026-11-24").stdout
    assert "Next\nnothing due today" in out
    assert "Coming up" in out and "2026-12-03  promise_broken" in out
    assert out.index("2026-11-17 08:40  call") < out.index("2026-11-17        letter")


def test_a_reader_that_stops_early_gets_no_error_message(ledger):
    import os
    import subprocess
    import sys

    for i in range(800):  # more output than a pipe buffers (64 KB)
        ledger.case(f"c{i:03d}", ACME)
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-03")
    env.pop("PYTHONUNBUFFERED", None)  # buffered, as in a user's shell: the pipe breaks at the last flush
    proc = subprocess.Popen([sys.executable, "-m", "receivables_cli", "today"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"case")
    proc.stdout.close()  # like `dun today | head -1`
    stderr = proc.stderr.read()
    proc.wait(timeout=30)
    assert b"Traceback" not in stderr and b"Broken pipe" not in stderr


def test_version(ledger):
    from receivables_cli import __version__

    assert ledger.run("--version").stdout == f"dun {__version__}\n"
