"""Read YAML values into typed fields, keeping every problem with its line: dates, moments, amounts, choices."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.amounts import AmountError, parse_amount
from receivables_cli.domain.errors import Problem, did_you_mean
from receivables_cli.domain.yamltext import Scalar, YMap, control_character

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 12, 31)  # the dates dun handles


class Reader:
    """Turns YAML values into records, collecting problems with their lines."""

    def __init__(self, path: Path | str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, value, what: str, line: int) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.problem(getattr(value, "line", line), f"{what} must be a mapping of keys to values")
        return None

    def check_keys(self, m: YMap, allowed, where: str) -> None:
        for key in m:
            if key not in allowed:
                self.problem(m.key_lines[key], f"unknown key '{key}' in {where}{did_you_mean(key, allowed)}")

    def text(self, value, line: int, what: str) -> str | None:
        if type(value) is str:  # the fast path's scalars (fastyaml): text, null or a JSON true/false
            bad = None if value.isprintable() else control_character(value, what)
            if bad:
                self.problem(line, bad)
            return value
        if value is None or value is True or value is False:
            return None if value is None else ("true" if value else "false")
        if isinstance(value, Scalar):
            bad = control_character(value.text, what)
            if bad:
                self.problem(value.line, bad)
            return None if value.is_null else value.text
        self.problem(getattr(value, "line", line), f"{what} must be a single value")
        return None

    def choice(self, value, line: int, what: str, allowed) -> str | None:
        text = self.text(value, line, what)
        if text is not None and text not in allowed:
            hint = _near(text, allowed)
            self.problem(_line(value, line), f"{what} '{text}' is not one of {', '.join(allowed)}{hint}")
            return None
        return text

    def amount(self, value, line: int, what: str) -> Decimal | None:
        text = self.text(value, line, what)
        if text is None:
            return None
        try:
            return parse_amount(text)
        except AmountError as e:
            self.problem(_line(value, line), f"{what}: {e}")
            return None

    def day(self, value, line: int, what: str) -> date | None:
        text = self.text(value, line, what)
        if text is None:
            return None
        try:
            return parse_date(text)
        except ValueError as e:
            self.problem(_line(value, line), f"{what}: {e}")
            return None

    def moment(self, value, line: int, what: str) -> tuple[datetime, bool] | None:
        text = self.text(value, line, what)
        if text is None:
            return None
        try:
            return parse_moment(text)
        except ValueError as e:
            self.problem(_line(value, line), f"{what}: {e}")
            return None

    def flag(self, value, line: int, what: str) -> bool:
        text = self.text(value, line, what)
        if text in ("true", "True", "yes", "false", "False", "no", None):
            return text in ("true", "True", "yes")
        self.problem(_line(value, line), f"{what} must be true or false, not '{text}'")
        return False

    def entries(self, value, line: int, what: str, allowed):
        """(key, text, line) for each known key of a mapping; unknown keys are reported with a suggestion."""
        m = self.mapping(value, what, line)
        if m is None:
            return
        self.check_keys(m, allowed, what)
        for key in (k for k in m if k in allowed):
            yield key, self.text(m[key], m.key_lines[key], f"{what} {key}") or "", m.key_lines[key]

    def whole_number(self, value, line: int, what: str, default: int) -> int:
        text = self.text(value, line, what)
        if text is not None and text.isdigit():
            return int(text)
        self.problem(getattr(value, "line", line), f"{what} must be a whole number of days or times, not '{text}'")
        return default


def _line(value, default: int) -> int:
    return getattr(value, "line", default)


def _near(text: str, allowed) -> str:
    hint = did_you_mean(text, allowed)
    return hint if "did you mean" in hint else ""


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` to a date, with a clear message for impossible ones."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD")
    try:
        day = date(*map(int, m.groups()))
    except ValueError as e:
        raise ValueError(f"{text} is not a real date ({e})") from None
    return _in_range(day, text)


def parse_moment(text: str) -> tuple[datetime, bool]:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` to (datetime, whether a time was given)."""
    m = _MOMENT.fullmatch(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM")
    y, mo, d, hh, mm, ss = m.groups()
    try:
        day = date(int(y), int(mo), int(d))
        clock = time(int(hh), int(mm), int(ss or 0)) if hh else time.min
    except ValueError as e:
        raise ValueError(f"{text} is not a real date or time ({e})") from None
    return datetime.combine(_in_range(day, text), clock), hh is not None


def _in_range(day: date, text: str) -> date:
    """Dates far from today would make date arithmetic leave the calendar (year 1 or 9999)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{text} is outside the dates dun handles ({FIRST_DAY} to {LAST_DAY})")
    return day
