"""The law as it applies to one ledger: country profile, base-rate table, calendar, settings.

`default_start` asks the rules of money.default; `rate` finds the yearly rate on a day with a note
when the base rate it rests on is unconfirmed or extrapolated.
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.calendar import Calendar
from receivables_cli.domain.config import Config
from receivables_cli.domain.state import CaseState, Invoice
from receivables_cli.money.law import Profile, consumer, profile_for


class Law:
    """The law as it applies to one ledger: profile, base rates, calendar, settings."""

    def __init__(self, config: Config, calendar: Calendar, root: Path | None = None):
        from receivables_cli.money.rates import rate_table

        self.config, self.calendar = config, calendar
        self.profile: Profile = profile_for(config.country, config.law)
        self.rates = rate_table(config.country, root, config.base_rates)
        self._setting = None  # the settings the default rules read, made once
        self._starts = [row.start for row in self.rates]
        self._rates: dict[tuple[str, date], tuple] = {}  # rate() by kind and day: the same for every case

    def default_reasons(self, invoice: Invoice, state: CaseState):
        """Every rule that puts the debtor of this invoice in default, earliest first, with its source."""
        from receivables_cli.money.default import Setting, reasons

        if self._setting is None:
            c = self.config
            fixed = c.law.get("fixed_due")
            self._setting = Setting(self.profile.country, self.calendar, c.delivery_days,
                                    c.policy["letter_deadline_days"], c.consumer_30_day_notice,
                                    None if fixed is None else fixed == "true")
        return reasons(invoice, state, self._setting)

    def default_start(self, invoice: Invoice, state: CaseState) -> date | None:
        """The first day of default interest for one invoice (§286 BGB; §1334 ABGB; OR 102)."""
        found = self.default_reasons(invoice, state)
        return found[0].start if found else None

    def fixed_rate(self, kind: str) -> bool:
        """Whether the rate is fixed (CH 5 %, AT consumers 4 %) rather than the base rate + a margin."""
        p = self.profile
        return p.fixed_rate is not None and (p.b2b_margin is None or consumer(kind))

    def rate(self, kind: str, day: date) -> tuple[Decimal | None, str | None, str | None]:
        """The yearly rate in percent on a day; a warning when there is none; a note when it is unsure."""
        found = self._rates.get((kind, day))
        if found is None:
            found = self._rates[kind, day] = self._rate(kind, day)
        return found

    def _rate(self, kind: str, day: date) -> tuple[Decimal | None, str | None, str | None]:
        p = self.profile
        if self.fixed_rate(kind):
            return p.fixed_rate, None, None
        margin = p.consumer_margin if consumer(kind) else p.b2b_margin
        reference = _half_year_start(day) if p.rate_from_half_year_start else day
        at = bisect.bisect_right(self._starts, reference)  # rows by start date: the last one on or before
        if margin is None or at == 0:
            return None, (f"no base rate for {day} in the {p.country} table: add it under base_rates: in "
                          "dun.yaml to compute default interest"), None
        row, end = self.rates[at - 1], _half_year_after(self.rates[-1].start)
        note = None
        if reference >= end:
            note = (f"the base-rate table ends with {row.rate} % from {row.start}; interest after "
                    f"{end - timedelta(days=1)} uses that rate (extrapolated): add the new rate under base_rates: "
                    "in dun.yaml or run 'dun rates import'")
        elif not row.confirmed:
            note = (f"the base rate {row.rate} % from {row.start} ({p.country}) is not confirmed from a primary "
                    f"source ({row.source}); figures using it may change")
        return row.rate + margin, None, note


def _half_year_start(day: date) -> date:
    return date(day.year, 7 if day.month >= 7 else 1, 1)


def _half_year_after(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month >= 7 else date(day.year, 7, 1)
