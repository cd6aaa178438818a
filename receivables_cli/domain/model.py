"""The case file as frozen records, parsed from YAML values with every problem kept."""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.vocab import (  # noqa: F401 (the readers of case files import them from here)
    CHANNELS,
    EVIDENCE,
    KINDS,
    LANGUAGES,
    MEETING_OUTCOMES,
    OUTCOMES,
    RECIPIENTS,
    RELATIONSHIPS,
    REPLY_KINDS,
    ROUTES,
    TEMPLATES,
    UNANSWERED,
)

CASE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")

# event -> (required fields, optional fields); `at` and `event` are common to all
EVENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "invoice": (("number", "amount"), ("due", "currency", "subject", "fixed_due", "discount", "claim_type", "file")),
    "call": (("outcome",), ("with", "note", "promise")),
    "meeting": (("outcome",), ("note", "promise")),
    "letter": (("template",), ("to", "note")),
    "promise": (("amount", "by"), ("note",)),
    "agreement": (("installments",), ("down_payment", "note")),
    "signed": ((), ("note",)),
    "payment": (("amount",), ("invoice", "reference", "payer", "note")),
    "credit": (("amount", "reason"), ("invoice", "note", "terms")),
    "fee": (("amount", "reason"), ("invoice", "note")),
    "interest": (("amount",), ("note",)),
    "dispute": (("note",), ()),
    "resolved": ((), ("note", "terms")),
    "hold": (("until", "reason"), ()),
    "legal": (("route",), ("reference", "note")),
    "written_off": (("reason",), ()),
    "note": (("text",), ()),
    "reply": (("from", "message_id"), ("subject", "kind", "summary", "paid_on", "promise", "until")),
    "answered": ((), ("note",)),
}
KEYWORD_FIELDS = {"with": "with_", "from": "from_"}  # YAML keys that are Python keywords: the Event's slot
CUSTOMER_KEYS = (
    "name", "kind", "relationship", "contact", "salutation", "email", "phone", "address",
    "language", "assistant", "manager", "call_window", "channel",
    # the parties of a court form, field by field (contract section 8)
    "number", "first_name", "last_name", "legal_form", "representative", "street", "postcode", "town", "country",
)
PARTY_KEYS = ("number", "first_name", "last_name", "legal_form", "street", "postcode", "town", "country")
PERSON_KEYS = ("name", "role", "phone", "email")
CASE_KEYS = ("customer", "evidence", "legal", "history")
CASE_LEGAL_KEYS = ("claim_type",)


def fast_init(cls=None, *, set_day: bool = False):
    """Give a frozen slotted dataclass an `__init__` that fills the slots through their descriptors.

    That takes about half the time of the dataclass's own, which calls object.__setattr__ once
    per field; a big ledger builds an Event for every line of history and a Step and a Verdict
    for every rule of every case. With `set_day`, it also sets `day` from `at` (Event). The
    dataclass is declared with `init=False`, so that its own `__init__` is not compiled only to
    be replaced (a millisecond of every start for the 37 fields of an Event).
    """
    if cls is None:
        return lambda c: fast_init(c, set_day=set_day)
    given = [f for f in fields(cls) if f.init]
    if [f.name for f in fields(cls) if not f.init] != (["day"] if set_day else []) or \
            any(f.default_factory is not MISSING for f in given):
        raise TypeError(f"fast_init cannot fill every slot of {cls.__name__}")
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}" for f in given)
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in given)
    if set_day:
        body += "    _set_day(self, at.date())\n"
    namespace = {f"_set_{n}": cls.__dict__[n].__set__ for n in [f.name for f in given] + ["day"] * set_day}
    namespace.update({f"_default_{f.name}": f.default for f in given})
    exec(f"def __init__(self, {params}):\n{body}", namespace)
    cls.__init__ = namespace["__init__"]
    cls.__replace__ = _first_replace
    return cls


def _first_replace(self, **changes):
    """dataclasses.replace without building a dict of every field first (Python 3.13's copy.replace
    calls this name): written for the class on its first use, not at every start."""
    cls = type(self)
    given = [f.name for f in fields(cls) if f.init]
    unknown = changes.keys() - set(given)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]}")
    body = "".join(f"    _set_{n}(new, self.{n} if {n} is _same else {n})\n" for n in given)
    if "day" in cls.__dict__ and not any(f.name == "day" and f.init for f in fields(cls)):
        body += "    _set_day(new, new.at.date())\n"
    namespace = {f"_set_{n}": cls.__dict__[n].__set__ for n in [*given, "day"] if n in cls.__dict__}
    namespace.update(_same=object(), _new=object.__new__, _cls=cls)
    exec(f"def __replace__(self, *, {', '.join(f'{n}=_same' for n in given)}):\n    new = _new(_cls)\n{body}"
         "    return new", namespace)
    cls.__replace__ = namespace["__replace__"]
    return cls.__replace__(self, **changes)


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Person:
    """Someone at the customer dun may call or write to."""
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Customer:
    """Who owes the money: the case file's customer, with contacts and call window."""
    name: str
    kind: str = "business"
    relationship: str = "regular"
    contact: str | None = None
    salutation: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    language: str | None = None
    assistant: Person | None = None
    manager: Person | None = None
    call_window: str | None = None
    channel: str | None = None
    number: str | None = None          # the customer number letters cite
    first_name: str | None = None      # a natural person, for court forms
    last_name: str | None = None
    legal_form: str | None = None      # a company: GmbH, AG, ... (else guessed from the name)
    representative: Person | None = None  # the legal representative with function (Geschäftsführer, ...)
    street: str | None = None
    postcode: str | None = None
    town: str | None = None
    country: str | None = None         # ISO code such as DE; default: the ledger's

    @property
    def postal_address(self) -> str | None:
        """The letter's address block: `address`, else built from street, postcode and town (a customer
        abroad writes `address:` with the country's line)."""
        if self.address or not (self.street or self.town):
            return self.address
        who = " ".join(x for x in (self.first_name, self.last_name) if x) if self.kind == "private" else ""
        town = " ".join(x for x in (self.postcode, self.town) if x)
        return "\n".join(x for x in (who or self.name, self.street, town) if x)


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Payable:
    """An amount to be paid by a date: a promise, an instalment, a down payment."""

    amount: Decimal
    by: date


@dataclass(frozen=True, slots=True)
class Discount:
    """Cash-discount terms of an invoice: `percent` off when paid within `days` of the invoice date."""

    percent: Decimal
    days: int


@dataclass(frozen=True, slots=True, init=False)  # __init__: fast_init below
class Event:
    """One entry of a case's history, with the line of the file it was read from."""
    event: str
    at: datetime
    timed: bool = False
    line: int = 0
    number: str | None = None
    amount: Decimal | None = None
    due: date | None = None
    currency: str | None = None
    subject: str | None = None
    fixed_due: bool = False
    claim_type: str | None = None  # the Mahnantrag catalogue entry for this invoice
    outcome: str | None = None
    with_: str | None = None
    note: str | None = None
    promise: Payable | None = None
    template: str | None = None
    to: str | None = None
    installments: tuple[Payable, ...] = ()
    down_payment: Payable | None = None
    invoice: str | None = None
    reason: str | None = None
    route: str | None = None
    reference: str | None = None
    payer: str | None = None
    until: date | None = None
    by: date | None = None
    text: str | None = None
    terms: str | None = None  # what a letter may confirm (credit, resolved); `note` stays internal
    discount: Discount | None = None
    file: str | None = None  # the invoice's own document (PDF), relative to the ledger: enclosed with letters
    from_: str | None = None  # reply: the sender's address
    message_id: str | None = None
    kind: str | None = None  # reply: one of REPLY_KINDS
    summary: str | None = None
    paid_on: date | None = None
    day: date = field(init=False, compare=False, repr=False)

    def __reduce__(self):
        # rebuild through __init__: several times faster to (un)pickle than the dataclass default
        return Event, tuple(getattr(self, name) for name in _EVENT_FIELDS)


_EVENT_FIELDS = tuple(f.name for f in fields(Event) if f.init)
_DEFAULTS = {f.name: f.default for f in fields(Event) if f.init}


fast_init(Event, set_day=True)
_CUSTOMER_FIELDS = tuple(f.name for f in fields(Customer))
_PERSON_FIELDS = tuple(f.name for f in fields(Person))


@fast_init
@dataclass(frozen=True, slots=True, init=False)
class Case:
    """A claim as recorded: its id, its file, the customer and the history."""
    id: str
    path: Path
    customer: Customer
    evidence: str = "strong"
    history: tuple[Event, ...] = ()
    claim_type: str | None = None  # `legal: {claim_type}` of the case: the Mahnantrag catalogue entry

    @property
    def events(self) -> tuple[Event, ...]:
        """The history in `at` order; file order breaks ties.

        An entry with a date but no time happens after the timed entries the file lists
        before it on that day (a letter recorded after a call of 08:40 comes after the call).
        """
        latest: dict = {}
        keyed = []
        for i, e in enumerate(self.history):
            if e.timed:
                latest[e.day] = max(e.at, latest.get(e.day, e.at))
            keyed.append((e.at if e.timed else latest.get(e.day, e.at), i, e))
        return tuple(e for _, _, e in sorted(keyed))  # file order breaks ties: never the events compared


RECORD_LENGTH = 5  # id, customer, evidence, history, claim type: what case_record makes
_HISTORY = 3


def case_record(case: Case) -> tuple:
    """A case as plain values (str, int, bool, tuples, dicts) for the cache: data, never code."""
    c = case.customer
    customer = tuple(_person_record(getattr(c, n)) for n in _CUSTOMER_FIELDS)
    return case.id, customer, case.evidence, history_record(case.history), case.claim_type


def history_record(events) -> tuple:
    """Events as the plain values of `case_record`."""
    return tuple(_event_record(e) for e in events)


def record_history(record: tuple):
    """The events' records in a record that `case_record` made."""
    return record[_HISTORY]


def grown_record(record: tuple, events) -> tuple:
    """The record of a case with `events` appended: only the new events are made plain."""
    return (*record[:_HISTORY], tuple(record[_HISTORY]) + history_record(events), *record[_HISTORY + 1:])


def case_from_record(path: Path, record) -> Case:
    """The case `case_record` made plain, checked for its shape as it is rebuilt."""
    case_id, customer, evidence, history, claim_type = record
    values = dict(zip(_CUSTOMER_FIELDS, customer, strict=True))
    for role in ("assistant", "manager", "representative"):
        if values[role] is not None:
            values[role] = Person(*values[role])
    return Case(case_id, path, Customer(**values), evidence, tuple(event_from_record(r) for r in history), claim_type)


def _person_record(value):
    return tuple(getattr(value, n) for n in _PERSON_FIELDS) if isinstance(value, Person) else value


def _event_record(e: Event) -> dict:
    record = {}
    for name in _EVENT_FIELDS:
        value = getattr(e, name)
        if value == _DEFAULTS[name] and name != "at":
            continue
        if isinstance(value, (Decimal, date)):  # datetime is a date too
            value = str(value) if isinstance(value, Decimal) else value.isoformat()
        elif isinstance(value, Payable):
            value = (str(value.amount), value.by.isoformat())
        elif isinstance(value, Discount):
            value = (str(value.percent), value.days)
        elif name == "installments":
            value = tuple((str(p.amount), p.by.isoformat()) for p in value)
        record[name] = value
    return record


_DECODE = {
    "at": datetime.fromisoformat, "amount": Decimal, "due": date.fromisoformat, "until": date.fromisoformat,
    "paid_on": date.fromisoformat, "by": date.fromisoformat,
    "promise": lambda v: Payable(Decimal(v[0]), date.fromisoformat(v[1])),
    "down_payment": lambda v: Payable(Decimal(v[0]), date.fromisoformat(v[1])),
    "installments": lambda v: tuple(Payable(Decimal(a), date.fromisoformat(b)) for a, b in v),
    "discount": lambda v: Discount(Decimal(v[0]), int(v[1])),
}


def event_from_record(record: dict) -> Event:
    """An event `history_record` made plain."""
    values = {k: (_DECODE[k](v) if k in _DECODE else v) for k, v in record.items()}
    return Event(**values)
