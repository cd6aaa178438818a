"""JSON as dun prints it: ``json.dumps(value, indent=2, ensure_ascii=False)``, faster for lists of records.

With an indent, the json module encodes in Python; a flat record (a dict of scalars) is encoded
by the C encoder with the separator its indented form has, since a raw newline in compact JSON
only ever comes from a separator (one inside a string is escaped). An agenda keeps each action
as such a piece (`item_json`), so a warm `dun today --json` joins pieces instead of encoding.
"""

from __future__ import annotations

import json
from itertools import chain

_SCALARS = frozenset((str, int, float, bool, type(None)))
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "))


def text(value) -> str:
    """Exactly `json.dumps(value, indent=2, ensure_ascii=False)`."""
    if isinstance(value, list) and value and _flat_records(value):
        return list_json([_ENCODER.encode(item) for item in value], encoded=True)
    return json.dumps(value, indent=2, ensure_ascii=False)


def item_json(item: dict) -> str:
    """The lines one record takes as an item of an indented JSON list, for `list_json`."""
    if type(item) is dict and item and _SCALARS.issuperset(map(type, item.values())):
        return "  {\n    " + _ENCODER.encode(item)[1:-1] + "\n  }"
    return "  " + json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def list_json(items: list[str], encoded: bool = False) -> str:
    """The indented JSON list of pieces made by `item_json` (or, `encoded`, by the flat encoder)."""
    if not items:
        return "[]"
    if encoded:
        items = ["  {\n    " + piece[1:-1] + "\n  }" for piece in items]
    return "[\n" + ",\n".join(items) + "\n]"


def _flat_records(items: list) -> bool:
    """Whether every item is a non-empty dict of scalars (walked in C: an agenda has 10,000 of them)."""
    if set(map(type, items)) != {dict} or not all(items):
        return False
    return set(map(type, chain.from_iterable(map(dict.values, items)))) <= _SCALARS
