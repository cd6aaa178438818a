"""Public holidays kept in the user's cache: importing the `holidays` package costs more than a whole `dun today`."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

from receivables_cli.domain.calendar import public_holidays
from receivables_cli.store import cache


@lru_cache(maxsize=64)
def cached_holidays(country: str, region: str | None, year: int) -> dict:
    """`domain.calendar.public_holidays`, read from the cache when it holds the year, else kept there."""
    stored = cache.holiday_file(country, region, year)
    if stored is not None:
        try:
            return {date.fromisoformat(k): v for k, v in json.loads(cache.read_private(stored) or b"").items()}
        except (OSError, ValueError, AttributeError):
            pass
    found = public_holidays(country, region, year)
    if stored is not None:
        cache.write_json(stored, {k.isoformat(): v for k, v in found.items()})
    return found
