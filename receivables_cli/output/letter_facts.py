"""Facts a letter states about the history, as the customer must be able to check them.

What is due on the letter's date (and what only falls due later), who made the promise being
confirmed, the date the parties agreed in a dispute, how to greet a person written as
"Frau Erika Muster", and on what principal and at what rate default interest runs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")
MONTHS = {"januar": 1, "jänner": 1, "january": 1, "februar": 2, "feber": 2, "february": 2, "märz": 3, "maerz": 3,
          "march": 3, "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7, "august": 8,
          "september": 9, "oktober": 10, "october": 10, "november": 11, "dezember": 12, "december": 12}
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-zäÄ]+)\s+(\d{4})\b")
_MONTH_DAY = re.compile(r"\b([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# "Frau Dr. Erika Muster", "Herr Jan Becker", "Ms Jane Doe": a title that tells how to greet
_TITLED = re.compile(r"^(?P<title>Frau|Herr|Mrs\.?|Ms\.?|Mr\.?)\s+(?P<degrees>(?:(?:Dr|Prof|Dipl)\.[^\s]*\s+)*)"
                     r"(?:\S+\s+)*?(?P<last>\S+)$")
_GREETINGS = {("de", "f"): "Sehr geehrte Frau {degrees}{last}", ("de", "m"): "Sehr geehrter Herr {degrees}{last}",
              ("en", "f"): "Dear Ms {degrees}{last}", ("en", "m"): "Dear Mr {degrees}{last}"}


def split_due(invoices: list[dict], day: date) -> tuple[list[dict], list[dict]]:
    """(due on `day` or earlier, falling due later): a letter demands only the first."""
    due = [i for i in invoices if i["due"] is None or i["due"] <= day]
    return due, [i for i in invoices if i not in due]


def not_due_sum(later: list[dict]) -> Decimal:
    return sum((i["open"] for i in later), ZERO)


def titled_greeting(name: str | None, lang: str) -> str | None:
    """"Sehr geehrte Frau Muster" for "Frau Erika Muster", "Dear Mr Becker" for "Herr Jan Becker"; else None."""
    m = _TITLED.match(" ".join((name or "").split()))
    if not m:
        return None
    female = m["title"].rstrip(".") in ("Frau", "Mrs", "Ms")
    degrees = " ".join(m["degrees"].split())
    if lang == "en" and degrees:  # "Dear Dr. Becker": English drops Mr or Ms before a degree
        return f"Dear {degrees} {m['last']}"
    return _GREETINGS[(lang, "f" if female else "m")].format(degrees=f"{degrees} " if degrees else "", last=m["last"])


_SALUTATION = re.compile(r"^(?:Sehr geehrte[r]?|Liebe[r]?|Guten Tag|Hallo|Dear)\s+"
                         r"(?P<name>(?:Frau|Herr|Mrs\.?|Ms\.?|Mr\.?)\s+\S.*?)[\s,!.]*$")


def translated_greeting(salutation: str | None, lang: str) -> str | None:
    """A case's salutation, written for letters in its own language, in the other one: "Sehr geehrte Frau
    Dr. Muster" gives "Dear Ms Dr. Muster", "Dear Mr Becker" gives "Sehr geehrter Herr Becker"; else None."""
    m = _SALUTATION.match(" ".join((salutation or "").split()))
    return titled_greeting(m["name"], lang) if m else None


def promised_by(state) -> str | None:
    """Who made the open promise on the phone or in person: 'manager', 'assistant', or None (the contact)."""
    p = state.promise
    if p is None:
        return None
    made = next((e for e in reversed(state.events) if e.day == p.made and e.promise is not None), None)
    who = getattr(made, "with_", None) if made is not None and made.event == "call" else None
    return who if who in ("manager", "assistant") else None


def hardship_day(state) -> date | None:
    """The last call or meeting at which the customer told of money trouble."""
    return next((e.day for e in reversed(state.events) if e.event in ("call", "meeting") and e.outcome == "hardship"),
                None)


def dates_in(text: str) -> list[date]:
    """The calendar dates written in a text (German or English words, 10.12.2026, 2026-12-10)."""
    found = []
    for m in _DAY_MONTH.finditer(text):
        found.append(_day(m[3], MONTHS.get(m[2].lower()), m[1]))
    for m in _MONTH_DAY.finditer(text):
        found.append(_day(m[3], MONTHS.get(m[1].lower()), m[2]))
    for m in _NUMERIC.finditer(text):
        found.append(_day(m[3], m[2], m[1]))
    for m in _ISO.finditer(text):
        found.append(_day(m[1], m[2], m[3]))
    return [d for d in found if d is not None]


_PAYMENT_WORDS = re.compile(r"zahl|überweis|fällig|restbetrag|begleich|\bpa(y|id)|transfer|\bdue\b|settle", re.I)


def payment_dates(text: str) -> list[date]:
    """The dates of the sentences about paying ("Der Restbetrag ist bis 10. Dezember 2026 zu zahlen"),
    not those about other things agreed ("Nacharbeit bis 30. September")."""
    sentences = re.split(r"(?<=[^\d\s][.;!?])\s+(?=[A-ZÄÖÜ])", text)  # not after "10." of a date
    return [d for s in sentences if _PAYMENT_WORDS.search(s) for d in dates_in(s)]


def _day(year, month, day) -> date | None:
    try:
        return date(int(year), int(month), int(day)) if month else None
    except ValueError:
        return None


def mentions_amount(text: str, amount: Decimal) -> bool:
    """Whether free text already states an amount ("190,00", "190.00", "190 €", "1.190,00")."""
    plain = f"{amount:.2f}"
    whole = f"{amount:,.2f}"
    variants = {plain, plain.replace(".", ","), whole, whole.replace(",", "X").replace(".", ",").replace("X", ".")}
    if amount == amount.to_integral_value():
        variants.add(f"{int(amount)} ")
        variants.add(f"{int(amount)}€")
    return any(v in text for v in variants)


def interest_runs(st, lines: list, later: Decimal = ZERO) -> dict | None:
    """The principal on which interest runs on and the rate now applied, for 'Zinsen laufen weiter' sentences."""
    principal = st.principal_open - later
    if st.default_from is None or principal <= 0:
        return None
    rates = [x.rate for x in lines if x.kind == "interest" and x.rate is not None and x.start is not None]
    if not rates:
        return None
    return {"principal": principal, "rate": rates[-1], "from": st.default_from}


def sample_state(day: date):
    """An invented case with a promise, an agreement and a settled dispute, to test-render templates."""
    from datetime import datetime
    from pathlib import Path

    from receivables_cli.domain.model import Case, Customer, Event, Payable, Person
    from receivables_cli.domain.state import fold

    start = datetime.combine(day - timedelta(days=60), datetime.min.time())
    customer = Customer("Muster & Söhne KG", contact="Erika Muster", email="erika@muster.example",
                        address="Muster & Söhne KG\nMusterstraße 1\n10115 Berlin",
                        assistant=Person("Jana Beispiel", email="jana@muster.example"),
                        manager=Person("Max Muster", role="CEO", email="max@muster.example"))
    history = (
        Event("invoice", start, number="RE-0001", amount=Decimal("1190.00"), subject="Website"),
        Event("credit", start + timedelta(days=30), amount=Decimal("10.00"), reason="sample", terms="Sample"),
        Event("resolved", start + timedelta(days=31), terms="Sample"),
        Event("agreement", start + timedelta(days=40), installments=(Payable(Decimal("500"), day),
                                                                    Payable(Decimal("680"), day + timedelta(30))),
              down_payment=Payable(Decimal("100"), day)),
        Event("promise", start + timedelta(days=50), amount=Decimal("500"), by=day + timedelta(days=5)),
    )
    return fold(Case("sample", Path("sample.yaml"), customer, history=history), day)
