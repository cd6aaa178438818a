"""Amounts and dates as people type them: `119,50`, `1.190,00`, `23.10.2026`, `23.10.`.

Each is turned into dun's own form (`1190.50`, `2026-10-23`) before it is parsed. What reads
one way only is taken; what reads two ways (`1.190` in an English ledger, `03/04/2026`) is
refused with both readings, so the typist chooses. The ledger's `language` decides the
readings only where the two customs differ: in German `1.190` is one thousand one hundred
and ninety.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from receivables_cli.domain.errors import UsageError

_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,' ][0-9]{3})+")
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?")
_SLASHED_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def amount_text(raw: str, option: str, language: str | None) -> str:
    """The amount in dun's form (a dot before the cents, no grouping); unchanged when it is so already."""
    text = raw.strip().replace("\u00a0", " ").removesuffix("€").removesuffix("EUR").strip()
    commas, dots = text.count(","), text.count(".")
    if commas and dots:  # both: the last one is the decimal mark, the other groups thousands
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, cents = text.rsplit(mark, 1)
        if _GROUPED.fullmatch(whole) and len(cents) <= 2:
            return _plain(whole) + "." + cents
        return raw
    if commas + dots == 0:
        return _plain(text) if _GROUPED.fullmatch(text) else text
    sep = "," if commas else "."
    whole, _, tail = text.rpartition(sep)
    if commas + dots > 1:  # 1.190.000: grouping only
        return _plain(text) if _GROUPED.fullmatch(text) else raw
    if len(tail) != 3:  # 119,50 or 119.5: the decimal mark
        return f"{whole}.{tail}"
    grouped, decimal = _plain(text), f"{whole}.{tail}"
    thousands = {"de": ".", "en": ","}.get(language or "")
    if sep == thousands:
        return grouped
    raise UsageError(f"{option}: '{raw}' reads two ways: {grouped} or {decimal}; write {grouped} or "
                     f"{whole}.{tail.rstrip('0') or '0'} as you mean it")


def _plain(text: str) -> str:
    return re.sub(r"[.,' ]", "", text)


def date_text(raw: str, option: str, today: date) -> str:
    """The date as YYYY-MM-DD: `23.10.2026`, `23.10.26`, `23.10.` (the year nearest to today) and
    `23/10/2026`; a slashed date whose day could be the month is refused with both readings."""
    text = raw.strip()
    if m := _DOTTED_DAY.fullmatch(text):
        day, month, year = m.groups()
        return _iso(int(day), int(month), year, today, raw)
    if m := _SLASHED_DAY.fullmatch(text):
        first, second, year = (int(g) if len(g) != 2 or i < 2 else g for i, g in enumerate(m.groups()))
        if first <= 12 and second <= 12 and first != second:
            a, b = _iso(first, second, m.group(3), today, raw), _iso(second, first, m.group(3), today, raw)
            raise UsageError(f"{option}: '{raw}' reads two ways: {a} (day/month) or {b} (month/day); "
                             "write it as YYYY-MM-DD")
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _iso(day, month, m.group(3), today, raw)
    return raw


def _iso(day: int, month: int, year: str | None, today: date, raw: str) -> str:
    if year is None:
        return _nearest(day, month, today, raw)
    full = int(year) + (2000 if len(year) == 2 else 0)
    return f"{full:04d}-{month:02d}-{day:02d}"


def _nearest(day: int, month: int, today: date, raw: str) -> str:
    """`23.10.`: the 23 October nearest to today (last year's, this year's or next year's)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    if not found:
        return raw  # no such day in any year: the parser says why
    best = min(found, key=lambda d: (abs((d - today).days), d))
    return best.isoformat() if abs(best - today) <= timedelta(days=183) else raw


def ledger_language() -> str | None:
    """The language of the ledger dun works on ($DUN_LEDGER or the folders up), else None."""
    try:
        from receivables_cli.store.ledger import find_ledger

        return find_ledger(None).config.language
    except Exception:  # noqa: BLE001 - no ledger yet: the amount then has no language to read it by
        return None
