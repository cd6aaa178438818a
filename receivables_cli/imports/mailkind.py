"""What a customer's reply says, from a table of German and English phrases: a suggestion, never a record.

The first rule that matches the new text (quotes and signature removed) or the subject gives
the kind; the order puts the more telling kinds first (an out-of-office before anything, a
dispute before a payment). Dates and amounts named in the text are read where a kind uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from receivables_cli.domain.model import Payable


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern that tells what kind of reply a message is."""
    name: str
    kind: str
    pattern: re.Pattern


def _rule(name: str, kind: str, pattern: str) -> Rule:
    return Rule(name, kind, re.compile(pattern))  # matched against the lower-cased text: 4x faster than re.I


# (name, kind, phrase): tested one by one in tests/test_mail_kind.py
RULES = (
    _rule("ooo_de", "out_of_office", r"abwesenheitsnotiz|automatische antwort|nicht im büro|bin (?:bis|ab)\b.{0,40}"
          r"(?:abwesend|nicht erreichbar|im urlaub)|(?:derzeit|zurzeit|momentan) (?:abwesend|im urlaub|nicht im)"),
    _rule("ooo_en", "out_of_office", r"out of (?:the )?office|automatic reply|auto-?reply|(?:currently|presently) "
          r"(?:away|on (?:leave|holiday|vacation))|away from (?:the|my) (?:office|desk)"),
    _rule("dispute_de", "dispute", r"widersprech|widerspruch|bestreiten|reklamation|reklamier|nicht einverstanden|"
          r"mängel|mangelhaft|nicht (?:wie )?vereinbart|rechnung (?:ist )?(?:falsch|fehlerhaft|nicht korrekt)|"
          r"nicht erbracht|nicht geliefert"),
    _rule("dispute_en", "dispute", r"\bdispute|\bcontest|not as agreed|never agreed|(?:invoice|bill) is (?:wrong|"
          r"incorrect)|defect|not (?:been )?(?:delivered|completed)|do not accept|don't accept|\bcomplain"),
    _rule("invoice_request_de", "invoice_request", r"(?:rechnung|mahnung)\b.{0,60}(?:nie|nicht) (?:erhalten|"
          r"bekommen|angekommen|zugegangen)|(?:nie|keine) rechnung (?:erhalten|bekommen)|(?:rechnung|kopie)\b.{0,60}"
          r"(?:erneut|nochmal|noch einmal|nochmals) (?:zu)?(?:senden|schicken)|(?:senden|schicken) sie (?:uns |mir )?"
          r"(?:bitte )?(?:die|eine) (?:rechnung|kopie)"),
    _rule("invoice_request_en", "invoice_request", r"(?:never|not|didn't|did not) (?:receive|get|got)\b.{0,40}"
          r"invoice|invoice\b.{0,40}(?:never|not) (?:arrived|received)|(?:re-?send|send (?:it |the invoice |us "
          r"the invoice |me the invoice )?again)|copy of the invoice"),
    _rule("paid_de", "paid", r"(?:bereits|schon|gestern|heute|längst|inzwischen)\b.{0,40}(?:bezahlt|überwiesen|"
          r"beglichen|gezahlt)|(?:zahlung|überweisung) (?:ist|wurde)\b.{0,40}(?:erfolgt|ausgeführt|veranlasst)|"
          r"(?:haben|habe)\b.{0,60}(?:bezahlt|überwiesen|beglichen)\b"),
    _rule("paid_en", "paid", r"(?:already|have|has been|was|were) (?:been )?(?:paid|settled|transferred)|"
          r"(?:we|i) paid\b|payment (?:was|has been) (?:made|sent|executed)|(?:sent|made) the (?:payment|transfer)"),
    _rule("instalments_de", "instalments", r"\braten|ratenzahlung|teilzahlung|in (?:zwei|drei|vier|fünf|\d+) "
          r"(?:teilen|teilbeträgen|raten)|in teilen (?:zahlen|bezahlen)|stundung"),
    _rule("instalments_en", "instalments", r"instal+ments?|in (?:two|three|four|five|\d+) (?:parts|payments)|"
          r"payment plan|pay in parts|part payments?|defer"),
    _rule("promise_de", "promise", r"(?:werden|werde|wird)\b.{0,80}(?:überweisen|zahlen|bezahlen|begleichen|"
          r"anweisen)|(?:zahlung|überweisung) (?:erfolgt|folgt|kommt)|bis (?:spätestens |zum |ende )"),
    _rule("promise_en", "promise", r"(?:will|shall|'ll|going to) (?:\w+ )?(?:pay|transfer|settle)|payment will|"
          r"pay (?:it |this |the invoice )?by\b"),
    _rule("address_change_de", "address_change", r"neue (?:anschrift|adresse|rechnungsadresse|e-?mail)|"
          r"(?:anschrift|adresse|rechnungsadresse) hat sich geändert|(?:sind|ist) umgezogen|künftig (?:bitte )?an\b"),
    _rule("address_change_en", "address_change", r"new (?:address|billing address|e-?mail)|(?:address|e-?mail) has "
          r"changed|(?:have|has) moved|(?:from now on|in future|going forward),? (?:please )?(?:send|write|use)"),
)

MONTHS = {name: n for n, names in enumerate(
    (("januar", "january", "jan"), ("februar", "february", "feb"), ("märz", "maerz", "march", "mär", "mar"),
     ("april", "apr"), ("mai", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
     ("august", "aug"), ("september", "sept", "sep"), ("oktober", "october", "okt", "oct"),
     ("november", "nov"), ("dezember", "december", "dez", "dec")), 1) for name in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATES = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.(?:\s?(?P<y>\d{4}|\d{2})\b)?"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<mn>" + _MONTH
               + r")\b\.?(?:\s+(?P<y>\d{4}))?", re.I),
    re.compile(r"\b(?P<mn>" + _MONTH + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?", re.I),
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b"),
)
_RELATIVE = {"gestern": -1, "yesterday": -1, "heute": 0, "today": 0, "morgen": 1, "tomorrow": 1}
_SUM = r"\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(r"(?:(?:€|EUR|CHF|Fr\.)\s?(?P<a>" + _SUM + r")|"
                     r"(?P<b>" + _SUM + r")\s?(?:€|EUR|CHF|Euro|Franken))")
_BACK = re.compile(r"(?:zurück|wieder (?:im büro|erreichbar|da)|ab dem|ab|back|return(?:ing)?|again)\W{0,3}"
                   r"(?:am|on|from|im büro am|in the office on)?\s*(?:\w+,?\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class Reading:
    """The kind of a reply and what it names: the rule that matched, a paid date, a promise, the absence."""

    kind: str
    rule: str = ""
    paid_on: date | None = None
    promise: Payable | None = None
    amount: Decimal | None = None  # an amount named without a date (a promise still to be dated)
    promise_by: date | None = None
    until: date | None = None


def classify(subject: str, text: str, auto: bool, sent: datetime | None) -> Reading:
    """The kind of a reply from its subject and new text (auto: an automatic reply by its headers)."""
    words = f"{subject}\n{text}".lower()
    day = sent.date() if sent else None
    rule = next((r for r in RULES if r.pattern.search(words)), None)
    if auto or (rule is not None and rule.kind == "out_of_office"):
        return Reading("out_of_office", rule.name if rule else "auto_reply_header", until=absent_until(text, day))
    if rule is None:
        return Reading("other")
    if rule.kind == "paid":
        return Reading("paid", rule.name, paid_on=first_date(text, day, past=True))
    if rule.kind == "promise":
        amount, by = first_amount(text), first_date(text, day, past=False)
        promise = Payable(amount, by) if amount is not None and by is not None else None
        return Reading("promise", rule.name, promise=promise, amount=amount, promise_by=by)
    return Reading(rule.kind, rule.name)


def dates_in(text: str, day: date | None) -> list[tuple[int, date]]:
    """(position, date) of each date named in the text; a date without a year is the one nearest `day`."""
    found = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            when = _date_of(m, day)
            if when is not None:
                found.append((m.start(), when))
    if day is not None:
        for word, shift in _RELATIVE.items():
            for m in re.finditer(rf"\b{word}\b", text, re.I):
                found.append((m.start(), day + timedelta(days=shift)))
    return sorted(found)


def _date_of(m: re.Match, day: date | None) -> date | None:
    groups = m.groupdict()
    month = MONTHS.get((groups.get("mn") or "").lower().rstrip(".")) if groups.get("mn") else None
    try:
        month = month or int(groups["m"])
        d = int(groups["d"])
        year = groups.get("y")
        if year:
            year = int(year) + (2000 if len(year) == 2 else 0)
            return date(year, month, d)
        base = day or date.today()
        options = [date(base.year + k, month, d) for k in (-1, 0, 1) if _valid(base.year + k, month, d)]
    except (TypeError, ValueError):
        return None
    return min(options, key=lambda o: abs((o - base).days)) if options else None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def first_date(text: str, day: date | None, past: bool) -> date | None:
    """The first date named: for a payment one not after the message, for a promise one not before it."""
    for _, when in dates_in(text, day):
        if day is None or (when <= day if past else when >= day):
            return when
    return None


def absent_until(text: str, day: date | None) -> date | None:
    """The last day of an absence: 'bis 12.12.' is that day, 'back on 14 December' the day before."""
    for at, when in dates_in(text, day):
        if day is not None and when < day:
            continue
        return when - timedelta(days=1) if _BACK.search(text[max(0, at - 40):at]) else when
    return None


def first_amount(text: str) -> Decimal | None:
    """The first sum of money named (1.190,00 €, EUR 500, 500 Euro, €1,190.00)."""
    m = _AMOUNT.search(text)
    if not m:
        return None
    return parse_written_amount(m.group("a") or m.group("b"))


def parse_written_amount(raw: str) -> Decimal | None:
    """A sum as people write it: German (1.190,50), English (1,190.50) or Swiss (1'190.50)."""
    text = raw.replace("'", "").replace(" ", "")
    if re.search(r"[.,]\d{1,2}$", text):
        whole, cents = text[:-3 if text[-3] in ".," else -2], text[-2:].lstrip(".,")
        text = re.sub(r"[.,]", "", whole) + "." + cents
    else:
        text = re.sub(r"[.,]", "", text)
    try:
        value = Decimal(text).quantize(Decimal("0.01"))
    except ArithmeticError:
        return None
    return value if value > 0 else None
