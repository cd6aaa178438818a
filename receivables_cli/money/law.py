"""Country profiles as data: default interest, base rates, flat fee, limitation, legal route.

Every figure names its legal basis (see shared law.md); `dun.yaml` can override any
value under `law:` and add base rates under `base_rates:`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from receivables_cli.domain.config import LAW_KEYS

D = Decimal


@dataclass(frozen=True)
class Profile:
    """A country's rules on default interest, fees and limitation."""
    country: str
    b2b_margin: Decimal | None      # points over the base rate between businesses
    consumer_margin: Decimal | None  # points over the base rate with a consumer
    fixed_rate: Decimal | None      # a fixed rate instead of base + margin (CH, AT consumers)
    day_count: int                  # 365 (act/365) or 360 (act/360)
    flat_fee: Decimal               # per invoice, businesses only
    limitation_years: int
    limitation_from_year_end: bool
    route: str                      # the first legal step
    route_name: str
    basis: str
    flat_fee_basis: str = "§288(5) BGB"
    # AT §456 UGB (since 16 March 2013): the base rate in force on the first calendar day of the half-year
    # applies to the whole half-year
    rate_from_half_year_start: bool = False


PROFILES = {
    "DE": Profile("DE", D("9"), D("5"), None, 365, D("40.00"), 3, True, "dunning_court",
                  "gerichtliches Mahnverfahren (court dunning procedure)",
                  "§§286, 288, 247 BGB; §§195, 199, 212 BGB; §34 GKG"),
    "AT": Profile("AT", D("9.2"), None, D("4"), 365, D("40.00"), 3, False, "dunning_court",
                  "Mahnverfahren (court dunning procedure)", "§1333 ABGB, §§456, 458 UGB, §1486 ABGB",
                  "§458 UGB", True),
    "CH": Profile("CH", None, None, D("5"), 360, D("0.00"), 5, False, "debt_enforcement",
                  "Betreibung (debt enforcement, SchKG)", "OR 102, 104, 127, 128, 135; GebV SchKG Art. 16", ""),
}


def profile_for(country: str, overrides: dict | None = None) -> Profile:
    """The country's profile with dun.yaml's `law:` values on top."""
    profile = PROFILES.get(country, PROFILES["DE"])
    changes = {}
    for key, text in (overrides or {}).items():
        if key in ("day_count", "limitation_years"):
            changes[key] = int(text)
        elif key in LAW_KEYS:
            changes[key] = D(text)
    return replace(profile, **changes)


def consumer(kind: str) -> bool:
    return kind == "private"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February (as dateutil's relativedelta does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def court_fee_de(value: Decimal) -> Decimal:
    """The full fee under §34 GKG (Anlage 2) for a claim of `value` euros."""
    fee, low = D("40.00"), D(500)
    brackets = [(D(2000), 500, "21.00"), (D(10000), 1000, "22.50"), (D(25000), 3000, "30.50"),
                (D(50000), 5000, "40.50"), (D(200000), 15000, "140.00"), (D(500000), 30000, "210.00")]
    for high, step, add in brackets:
        if value <= low:
            return fee
        part = min(value, high) - low
        fee += math.ceil(part / step) * D(add)
        low = high
    if value > low:
        fee += math.ceil((value - low) / 50000) * D("210.00")
    return fee


def dunning_court_fee_de(value: Decimal) -> Decimal:
    """Court dunning procedure: half a fee under §34 GKG, at least 38.00 EUR (KV GKG 1100)."""
    return max(D("38.00"), (court_fee_de(value) / 2).quantize(D("0.01")))


def payment_order_fee_ch(value: Decimal) -> Decimal:
    """Fee for the Zahlungsbefehl (GebV SchKG Art. 16), CHF, without postage."""
    for high, fee in ((100, 7), (500, 20), (1000, 40), (10000, 60), (100000, 90), (1000000, 190)):
        if value <= high:
            return D(fee).quantize(D("0.01"))
    return D("400.00")


# Postage the offices bill on top of the fee: 8.00 for delivering the Zahlungsbefehl and 5.30 for returning the
# creditor's copy by registered mail, so the totals they publish run 20.30 ... 413.30 (law.md, the bills seen)
CH_POSTAGE = D("13.30")


@dataclass(frozen=True)
class LegalEstimate:
    """The first legal step and what it costs, as far as law.md gives figures."""
    route: str               # the first legal step: dunning_court, debt_enforcement
    route_name: str
    cost: Decimal | None     # its fee (None where law.md has no figure)
    basis: str               # how the figure was made, for the user to check


def legal_estimate(country: str, principal: Decimal) -> LegalEstimate:
    """The country's first legal step and its fee, on the principal only (§43(1) GKG)."""
    profile = PROFILES.get(country, PROFILES["DE"])
    value = max(principal, D(0))
    if country == "CH":
        fee = payment_order_fee_ch(value)
        return LegalEstimate(profile.route, profile.route_name, fee + CH_POSTAGE,
                             f"estimate: fee {fee} (GebV SchKG Art. 16) + about {CH_POSTAGE} postage")
    if country == "DE":
        return LegalEstimate(profile.route, profile.route_name, dunning_court_fee_de(value),
                             f"half a fee under §34 GKG, at least 38.00, on the principal {value:.2f} "
                             "(interest and costs do not count, §43(1) GKG)")
    return LegalEstimate(profile.route, profile.route_name, None, "no fee figure for this country")
