"""The due date an e-invoice states (EN 16931 BT-9), else the one its payment terms (BT-20) give.

BT-20 is free text. XRechnung adds a structured form for cash discounts, one line each:
``#SKONTO#TAGE=14#PROZENT=2.00#`` (optionally ``BASISBETRAG=...#``). A discount period is never
the due date: it is kept apart as the invoice's `discount`, and the net period or date decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

_SKONTO = re.compile(r"#SKONTO#TAGE=(\d{1,3})#PROZENT=(\d{1,2}(?:\.\d{1,4})?)#(?:BASISBETRAG=[^#]*#)?", re.I)
_STRUCTURED = re.compile(r"#(?:SKONTO|VERZUG)#[^\s]*", re.I)  # XRechnung's structured lines (late fees too)
# clauses: a list of terms reads "2 % Skonto innerhalb 10 Tagen, 30 Tage netto" or "... oder ..."
_CLAUSES = re.compile(r"[;\n]|,(?!\d)|\.(?=\s|$)|\s(?:oder|sonst|or|otherwise|andernfalls|ansonsten|und|and)\s", re.I)
_DISCOUNT_WORD = re.compile(r"skonto|discount|rabatt|escompte|sconto|%|prozent|percent", re.I)
_PENALTY = re.compile(r"verzug|zinsen|interest|late|mahn|säumnis", re.I)  # late-payment terms, not a discount
_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*(?:%|prozent|percent)", re.I)
_DAYS = re.compile(r"(\d{1,3})\s*(?:Kalendertage|Tage|Tagen|Tg\.?|days?|jours|giorni)\b", re.I)
_NET_N = re.compile(r"\bnet(?:to)?\s*(\d{1,3})\b(?!\s*[.,]?\d)", re.I)  # "net 30", "netto 30"
_TWO_TEN = re.compile(r"\b(\d{1,2}(?:\.\d{1,2})?)\s*/\s*(\d{1,3})\s*,?\s*net\s*(\d{1,3})\b", re.I)  # 2/10 net 30
# a date is the due date only after words that make it one: never "Lieferung am 20.07.2021"
_DATE = re.compile(r"\b(?:bis|by|until|before|spätestens|spaetestens|(?:fällig|faellig|zahlbar|due|payable)"
                   r"(?:\s+(?:am|on|zum))?)\s+(?:zum\s+|am\s+|on\s+)?"
                   r"(?:(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})|(\d{4})-(\d{2})-(\d{2}))", re.I)
_AT_ONCE = re.compile(r"\bsofort\b|\bumgehend\b|\bimmediate(?:ly)?\b|\b(?:upon|on) receipt\b|\bbei erhalt\b|"
                      r"\bnach erhalt\b|\bbei empfang\b|\bdue now\b", re.I)


@dataclass(frozen=True)
class Discount:
    """A cash discount: `percent` off when paid within `days` of the invoice date."""

    percent: Decimal
    days: int


@dataclass(frozen=True)
class Terms:
    """What the invoice says about when it is to be paid; `how` says where the due date came from."""

    due: date | None
    how: str
    discount: Discount | None = None


def read_terms(issued: date, stated_due: date | None, texts: list[str],
               structured: Discount | None = None) -> Terms:
    """BT-9 when given; else the net date or period of the terms; a discount is kept apart."""
    joined = "\n".join(t for t in texts if t)
    discount = structured or _structured_discount(joined)
    free = _STRUCTURED.sub(" ", joined)
    found, how, loose = _net_terms(issued, free)
    discount = discount or loose
    if stated_due is not None:
        return Terms(stated_due, "as the invoice states it", discount)
    if found is not None:
        return Terms(found, f"by the payment terms {_quote(free)}", discount)
    return Terms(None, "", discount)


def _structured_discount(text: str) -> Discount | None:
    m = _SKONTO.search(text)
    return Discount(Decimal(m.group(2)), int(m.group(1))) if m else None


def _net_terms(issued: date, text: str) -> tuple[date | None, str, Discount | None]:
    """The net due date from free text, the rule that found it, and a discount it names."""
    m = _TWO_TEN.search(text)
    if m:
        return issued + timedelta(days=int(m.group(3))), "net", Discount(Decimal(m.group(1)), int(m.group(2)))
    net, discount = [], None
    for clause in (c.strip() for c in _CLAUSES.split(text)):
        if not clause or _PENALTY.search(clause):
            continue
        if _DISCOUNT_WORD.search(clause):
            discount = discount or _loose_discount(clause)
        else:
            net.append(clause)
    for rule in (_by_date, _by_days, _at_once):
        for clause in net:
            found = rule(issued, clause)
            if found is not None:
                return found, rule.__name__, discount
    return None, "", discount


def _loose_discount(clause: str) -> Discount | None:
    percent, days = _PERCENT.search(clause), _DAYS.search(clause)
    if not (percent and days):
        return None
    return Discount(Decimal(percent.group(1).replace(",", ".")), int(days.group(1)))


def _by_date(issued: date, clause: str) -> date | None:
    m = _DATE.search(clause)
    if not m:
        return None
    day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if found >= issued else None


def _by_days(issued: date, clause: str) -> date | None:
    m = _DAYS.search(clause) or _NET_N.search(clause)
    return issued + timedelta(days=int(m.group(1))) if m else None


def _at_once(issued: date, clause: str) -> date | None:
    return issued if _AT_ONCE.search(clause) else None


def _quote(text: str) -> str:
    one = " ".join(text.split())
    return f'"{one[:80]}…"' if len(one) > 80 else f'"{one}"'
