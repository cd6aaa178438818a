"""Working days, public holidays and call windows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WINDOWS = {
    "private": "mon-fri 18:00-20:00, sat 10:00-14:00",  # seed 002: evenings and weekends
    "business": "tue-thu 09:00-16:00",                  # seed 002: Tuesday to Thursday
    "corporate": "tue-thu 09:00-16:00",
    "public": "tue-thu 09:00-16:00",
}
_PART = re.compile(r"([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


@dataclass(frozen=True, slots=True)
class Slot:
    """Days of the week and a time span on them: one part of a call window."""
    days: frozenset[int]
    start: time
    end: time

    def __str__(self) -> str:
        ordered = sorted(self.days)
        first, last = DAYS[ordered[0]].title(), DAYS[ordered[-1]].title()
        span = first if first == last else f"{first}-{last}"
        return f"{span} {self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class CallWindow:
    """When a customer takes calls: one or more slots."""
    slots: tuple[Slot, ...]

    def __str__(self) -> str:
        return _window_text(self)

    def covers(self, day: date) -> bool:
        return any(day.weekday() in s.days for s in self.slots)

    def slot_on(self, day: date) -> Slot | None:
        return next((s for s in self.slots if day.weekday() in s.days), None)


@lru_cache(maxsize=256)
def _window_text(window: CallWindow) -> str:
    """``Tue-Thu 09:00-16:00``: every call action shows its window, and a ledger has few."""
    return ", ".join(str(s) for s in window.slots)


@lru_cache(maxsize=256)
def parse_window(spec: str) -> CallWindow:
    """``"tue-thu 09:00-16:00"`` or ``"mon-fri 18:00-20:00, sat 10:00-14:00"``."""
    slots = []
    for part in spec.lower().split(","):
        m = _PART.fullmatch(part.strip())
        if not m:
            raise ValueError(f"call window '{spec}' is not like 'tue-thu 09:00-16:00' or "
                             "'mon-fri 18:00-20:00, sat 10:00-14:00'")
        a, b, h1, m1, h2, m2 = m.groups()
        if a not in DAYS or (b and b not in DAYS):
            raise ValueError(f"call window '{spec}': days are mon, tue, wed, thu, fri, sat, sun")
        first, last = DAYS.index(a), DAYS.index(b or a)
        if last < first:
            raise ValueError(f"call window '{spec}': write the days in week order, e.g. mon-fri")
        try:
            start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
        except ValueError:
            raise ValueError(f"call window '{spec}': a time is not valid") from None
        if end <= start:
            raise ValueError(f"call window '{spec}': a window must end after it starts")
        slots.append(Slot(frozenset(range(first, last + 1)), start, end))
    return CallWindow(tuple(slots))


class Calendar:
    """Working days of one country and region: Monday to Friday, not a public holiday."""

    def __init__(self, country: str = "DE", region: str | None = None,
                 holidays: Callable[[str, str | None, int], dict] | None = None):
        """`holidays(country, region, year)` gives a year's public holidays; by default `public_holidays`
        (the store passes one that keeps them in the user's cache, as importing `holidays` is slow)."""
        self.country, self.region = country, region
        self._holidays = holidays or public_holidays

    def holiday(self, day: date) -> str | None:
        return self._holidays(self.country, self.region, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday(day) is None

    def next_working_day(self, day: date) -> date:
        """The day itself if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def call_day(self, due: date, window: CallWindow) -> date:
        """The first day on or after `due` in the window that is not a public holiday."""
        day = due
        for _ in range(400):
            if window.covers(day) and self.holiday(day) is None:
                return day
            day += timedelta(days=1)
        return due  # pragma: no cover - a window has at least one weekday


@lru_cache(maxsize=64)
def public_holidays(country: str, region: str | None, year: int) -> dict:
    """A year's public holidays of a country and region, from the `holidays` package."""
    import holidays

    # names in English like the rest of dun's output, whatever $LANG says
    try:
        return dict(holidays.country_holidays(country, subdiv=region, years=year, language="en_US"))
    except NotImplementedError:  # an unknown region: the country's holidays (dun check names the region)
        return dict(holidays.country_holidays(country, years=year, language="en_US"))


TIMEZONES = {"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}


def place_calls(calls: list[tuple[date, CallWindow]], calendar: Calendar, today: date, minutes: int,
                now: time | None = None) -> list[tuple[date, time, time]]:
    """A short slot for each call, in agenda order: in the first open window on or after
    max(scheduled, today), one after the other, never overlapping; `now` skips what is past today."""
    busy: dict[date, time] = {}
    if now is not None:
        busy[today] = now
    return [_next_slot(max(day, today), window, calendar, minutes, busy) for day, window in calls]


def _next_slot(day: date, window: CallWindow, calendar: Calendar, minutes: int,
               busy: dict[date, time]) -> tuple[date, time, time]:
    from datetime import datetime

    for _ in range(400):
        day = calendar.call_day(day, window)
        slot = window.slot_on(day)
        start = datetime.combine(day, max(slot.start, busy.get(day, slot.start)))
        end = start + timedelta(minutes=minutes)
        if end.date() == day and end.time() <= slot.end:
            busy[day] = end.time()
            return day, start.time(), end.time()
        day += timedelta(days=1)
    raise ValueError("no free slot in the call window within 400 days")  # pragma: no cover


def deadline(calendar: Calendar, day: date, days: int) -> date:
    """The payment deadline a letter sets: `days` after its date, on a working day."""
    return calendar.next_working_day(day + timedelta(days=days))
