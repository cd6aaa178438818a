"""CSV cells a spreadsheet opens as text, never as a formula (`=HYPERLINK(...)` in a customer's name)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def inert(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading apostrophe;
    plain numbers (-12.50) stay numbers."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return value


def inert_row(row: dict) -> dict:
    return {key: inert(value) for key, value in row.items()}
