"""The agenda as iCalendar: calls as short slots in their window, letters and decisions all day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def calendar_text(items: list[dict], calendar, today: date, tz_name: str, slot_minutes: int = 15,
                  now: time | None = None) -> str:
    """One VEVENT per action with a stable UID, so a re-import updates instead of duplicating.

    Nothing lands in the past: an overdue call gets the next free slot from today, an overdue
    letter or decision today. Times carry the ledger's time zone.
    """
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    from receivables_cli.domain.calendar import parse_window, place_calls

    zone = ZoneInfo(tz_name)
    calls = [i for i in items if i["channel"] == "call"]
    slots = dict(zip((id(i) for i in calls), place_calls(
        [(date.fromisoformat(i["scheduled"]), parse_window(i["window"])) for i in calls],
        calendar, today, slot_minutes, now), strict=True))
    cal = Calendar()
    cal.add("prodid", "-//dun//dunning agenda//EN")
    cal.add("version", "2.0")
    for item in items:
        event = Event()
        event.add("uid", f"{item['case']}--{item['action']}@dun")
        event.add("summary", f"{item['action'].replace('_', ' ')}: {item['customer']}")
        event.add("description", f"{item['reason']}\nOpen: {item['open']} {item['currency']}\n"
                                 f"dun show {item['case']}")
        if id(item) in slots:
            day, start, end = slots[id(item)]
            event.add("dtstart", datetime.combine(day, start, zone))
            event.add("dtend", datetime.combine(day, end, zone))
        else:
            day = max(date.fromisoformat(item["scheduled"]), today)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", datetime(today.year, today.month, today.day, tzinfo=ZoneInfo("UTC")))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
