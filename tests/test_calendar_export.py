"""`dun today --ics`: overdue calls in the next free slot from today, short slots, the ledger's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.conftest import ACME

REACHED = ACME + "  - at: 2026-10-15 10:20\n    event: call\n    outcome: reached\n"
BERLIN = ZoneInfo("Europe/Berlin")


def events(ledger, on: str) -> dict:
    text = ledger.run("today", "--ics", on=on).stdout
    return {str(e["uid"]): e for e in Calendar.from_ical(text).walk("VEVENT")}


def span(event) -> tuple[datetime, datetime]:
    return event.decoded("dtstart"), event.decoded("dtend")


def test_an_overdue_call_is_placed_in_the_next_window_from_today_as_a_short_slot(ledger):
    ledger.case("acme", REACHED)  # collection call due 2026-11-01, scheduled Tue 2026-11-03
    start, end = span(events(ledger, "2026-11-09")["acme--collection_call@dun"])  # Mon: window opens Tue
    assert start == datetime(2026, 11, 10, 9, 0, tzinfo=BERLIN)
    assert end == datetime(2026, 11, 10, 9, 15, tzinfo=BERLIN)
    assert start.tzinfo.key == "Europe/Berlin"


def test_consecutive_calls_in_one_window_get_consecutive_slots(ledger):
    for name in ("a", "b", "c"):
        ledger.case(name, REACHED.replace("ACME GmbH", f"Kunde {name}"))
    found = events(ledger, "2026-11-04")
    slots = sorted(span(found[f"{n}--collection_call@dun"]) for n in "abc")
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in slots] == [
        ("09:00", "09:15"), ("09:15", "09:30"), ("09:30", "09:45")]
    assert {s.date().isoformat() for s, _ in slots} == {"2026-11-04"}


def test_slot_length_and_time_zone_come_from_dun_yaml(ledger):
    ledger.config("timezone: America/New_York\ncalendar:\n  slot_minutes: 30\n")
    ledger.case("acme", REACHED)
    start, end = span(events(ledger, "2026-11-04")["acme--collection_call@dun"])
    assert start == datetime(2026, 11, 4, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert (end - start).total_seconds() == 30 * 60


def test_the_time_zone_defaults_by_country(ledger):
    (ledger.root / "dun.yaml").write_text("creditor: {name: A}\ncountry: AT\n")
    ledger.case("acme", REACHED)
    start, _ = span(events(ledger, "2026-11-04")["acme--collection_call@dun"])
    assert start.tzinfo.key == "Europe/Vienna"
    text = ledger.run("today", "--ics", on="2026-11-04").stdout
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Vienna" in text


def test_an_overdue_letter_lands_today_not_in_the_past(ledger):
    ledger.case("pub", ACME.replace("kind: business", "kind: public"))  # reminder due 2026-10-18
    letter = events(ledger, "2026-11-03")["pub--reminder_letter@dun"]
    assert letter.decoded("dtstart").isoformat() == "2026-11-03"


def test_bad_calendar_settings_are_reported(ledger):
    ledger.config("timezone: Europe/Berlinn\ncalendar:\n  slot_minutes: 0\n")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "timezone 'Europe/Berlinn' is not known" in result.output and "slot_minutes" in result.output
