"""Country profiles as data: limitation now; interest, fees and legal costs build on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from receivables_cli.state import CaseState

ACKNOWLEDGING = ("payment", "promise", "agreement")


@dataclass(frozen=True, slots=True)
class Limitation:
    years: int
    from_year_end: bool  # DE §199: from the end of the year the claim arose
    basis: str


LIMITATION = {
    "DE": Limitation(3, True, "§§195, 199, 212 BGB"),
    "AT": Limitation(3, False, "§1486 ABGB"),
    "CH": Limitation(5, False, "OR 128, 135"),
}


def limitation_date(state: CaseState, country: str) -> date | None:
    """The last day before the oldest open invoice becomes time-barred."""
    oldest = state.oldest_open
    if oldest is None:
        return None
    rule = LIMITATION.get(country, LIMITATION["DE"])
    if rule.from_year_end:
        end = date(oldest.date.year + rule.years, 12, 31)
    else:
        end = add_years(oldest.due, rule.years)
    # a payment, a promise or an agreement acknowledges the debt: a full term starts again
    acknowledged = [e.day for e in state.events
                    if e.event in ACKNOWLEDGING or (e.event in ("call", "meeting") and e.promise)]
    return max(end, add_years(max(acknowledged), rule.years)) if acknowledged else end


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    return day + relativedelta(years=years)
