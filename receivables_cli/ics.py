"""The agenda as iCalendar: calls inside their window, letters and decisions all day."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def calendar_text(items: list[dict], country: str = "DE") -> str:
    """One VEVENT per action with a stable UID, so a re-import updates instead of duplicating."""
    from icalendar import Calendar, Event

    from receivables_cli.calendar import parse_window

    cal = Calendar()
    cal.add("prodid", "-//dun//dunning agenda//EN")
    cal.add("version", "2.0")
    for item in items:
        event = Event()
        event.add("uid", f"{item['case']}--{item['action']}@dun")
        event.add("summary", f"{item['action'].replace('_', ' ')}: {item['customer']}")
        event.add("description", f"{item['reason']}\nOpen: {item['open']} {item['currency']}\n"
                                 f"dun show {item['case']}")
        day = date.fromisoformat(item["scheduled"])
        slot = parse_window(item["window"]).slot_on(day) if item["channel"] == "call" else None
        if slot:
            event.add("dtstart", datetime.combine(day, slot.start))
            event.add("dtend", datetime.combine(day, slot.end))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", datetime(day.year, day.month, day.day))
        cal.add_component(event)
    return cal.to_ical().decode()
