"""Limitation per invoice: each invoice is its own claim with its own term (§§195, 199, 212 BGB;
§1486 ABGB; OR 127, 128, 135).

A payment named to one invoice acknowledges that invoice only; an unnamed payment, a promise or an
agreement covers the whole debt and acknowledges every invoice issued by then. An acknowledgement
restarts a full term from its day, but only while the term still runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from receivables_cli.domain.state import CaseState, Invoice
from receivables_cli.money.law import Profile, add_years, profile_for

WHOLE_DEBT = ("promise", "agreement")
BASIS = {"DE": "§§195, 199, 212 BGB", "AT": "§§1486, 1497 ABGB", "CH": "OR 127, 128, 130, 135"}

# What stops limitation in time, per country, with its source (law.md)
REMEDY = {
    "DE": "file for a Mahnbescheid by {end} (§204(1) no. 3 BGB, §167 ZPO) or get a written acknowledgement (§212 BGB)",
    "AT": "bring a claim at court by {end} or get a written acknowledgement of the debt (§1497 ABGB)",
    "CH": "start a Betreibung by {end} or get a signed acknowledgement of the debt (OR 135)",
}
REFUSE = {"DE": "§214 BGB", "AT": "§1501 ABGB: the court heeds it only when the debtor raises it",
          "CH": "OR 142: the debtor must raise it"}
NOT_STOPPING = "Letters, calls and a collection agency do not stop it"


@dataclass(frozen=True)
class Limitation:
    """When one invoice becomes time-barred, and what last restarted the term."""
    invoice: str
    ends: date                    # the last day; the invoice is time-barred from the next day
    acknowledged: date | None     # the last acknowledgement that restarted the term

    def barred(self, today: date) -> bool:
        return today > self.ends

    def as_json(self, today: date) -> dict:
        return {"invoice": self.invoice, "time_barred_after": self.ends.isoformat(),
                "acknowledged": self.acknowledged.isoformat() if self.acknowledged else None,
                "time_barred": self.barred(today)}


def limitations(state: CaseState, country: str, profile: Profile | None = None) -> list[Limitation]:
    """Each open invoice's limitation, earliest first."""
    rule = profile or profile_for(country)
    found = [_one(state, invoice, rule) for invoice in state.open_invoices]
    return sorted(found, key=lambda x: (x.ends, x.invoice))


def _one(state: CaseState, invoice: Invoice, rule: Profile) -> Limitation:
    end = _first_end(invoice, rule)
    restarted = None
    for day in _acknowledgements(state, invoice):
        if day <= end and add_years(day, rule.limitation_years) > end:
            end, restarted = add_years(day, rule.limitation_years), day
    return Limitation(invoice.number, end, restarted)


def _first_end(invoice: Invoice, rule: Profile) -> date:
    if rule.limitation_from_year_end:  # DE §199: from the end of the year the claim arose (the invoice date)
        return date(invoice.date.year + rule.limitation_years, 12, 31)
    return add_years(invoice.due, rule.limitation_years)  # AT §1486, CH OR 130: from the due date


def _acknowledgements(state: CaseState, invoice: Invoice) -> list[date]:
    """The days this invoice's debt was acknowledged: a payment to it, or an act covering the whole debt."""
    return sorted(e.day for e in state.events if e.day >= invoice.date and _acknowledges(e, invoice.number))


def _acknowledges(e, number: str) -> bool:
    if e.event == "payment":
        return e.invoice is None or e.invoice == number
    return e.event in WHOLE_DEBT or (e.event in ("call", "meeting") and e.promise is not None)


def limitation_date(state: CaseState, country: str, profile: Profile | None = None) -> date | None:
    """The last day before the first open invoice becomes time-barred."""
    found = limitations(state, country, profile)
    return found[0].ends if found else None


def warning_day(end: date, days: int) -> date:
    """When the warning starts: 1 October of the last year, or `days` before the end, whichever is earlier."""
    october = date(end.year, 10, 1)
    before = end - timedelta(days=days)
    return min(before, october) if october <= end else before


def remedy(country: str, end: date) -> str:
    """What stops limitation in time, in words with its source."""
    return REMEDY.get(country, REMEDY["DE"]).format(end=end.isoformat())


def barred_text(country: str, numbers: list[str], end: date) -> str:
    """What to do with invoices already time-barred: no court, no agency."""
    which = ", ".join(numbers)
    return (f"Invoice {which} is time-barred since {end + timedelta(days=1)}: the customer may refuse to pay "
            f"({REFUSE.get(country, REFUSE['DE'])}), so a court or an agency is not worth it for it. Write it off, "
            "or ask the customer for a written acknowledgement of the debt.")
