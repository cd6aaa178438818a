"""Records straight from the fast path's values, for case files without any problem.

`load_case_fast` accepts exactly what the reader (casefile.load_case) accepts without a
problem and builds the same `Case`; anything else, from an unknown key to a text with a
control character, raises _Unsure and the caller reads the file the slow way, which finds
and reports the problem with its line. The agreement is a property test (test_fastpath).

Dates, moments and amounts repeat across a ledger (a busy day, the same instalment): their
parsed values are immutable, so each text is parsed once and the value shared.
"""

from __future__ import annotations

from pathlib import Path

from receivables_cli.domain.amounts import parse_amount
from receivables_cli.domain.model import (
    CASE_KEYS,
    CHANNELS,
    CUSTOMER_KEYS,
    EVENTS,
    EVIDENCE,
    KEYWORD_FIELDS,
    KINDS,
    LANGUAGES,
    MEETING_OUTCOMES,
    OUTCOMES,
    PERSON_KEYS,
    RECIPIENTS,
    RELATIONSHIPS,
    REPLY_KINDS,
    ROUTES,
    TEMPLATES,
    Case,
    Customer,
    Event,
    Payable,
    Person,
)
from receivables_cli.domain.reader import parse_date, parse_moment
from receivables_cli.domain.yamltext import YMap, control_character
from receivables_cli.store.casefile import case_id_problem


def load_case_fast(path: Path, text: str) -> Case | None:
    """The case when the fast path reads the file without any problem, else None (read it with load_case)."""
    return load_cases_fast([path], [text])[0]


def load_cases_fast(paths: list[Path], texts: list[str | None]) -> list[Case | None]:
    """`load_case_fast` for several files: all parsed, then all built (see fastyaml.parse_many)."""
    from receivables_cli.store import fastyaml

    if not fastyaml.enabled():
        return [None] * len(paths)
    return [_built(path, parsed) for path, parsed in zip(paths, fastyaml.parse_many(texts), strict=True)]


def _built(path: Path, parsed) -> Case | None:
    if parsed is None or case_id_problem(path.stem):
        return None
    values, lines = parsed
    try:
        return _case(path, values, lines)
    except (_Unsure, ValueError, TypeError, KeyError):  # AmountError is a ValueError; a list as a date: TypeError
        return None


class _Unsure(Exception):
    """The fast path meets something it does not check as the reader does: read the file the slow way."""


class _Memo(dict):
    """Parsed values of texts seen before; a text that does not parse raises as `parse` does."""

    LIMIT = 1 << 16  # a ledger's distinct dates and amounts; past it, new texts are parsed every time

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __missing__(self, text: str):
        if type(text) is not str:
            raise _Unsure
        value = self.parse(text)
        if len(self) < self.LIMIT:
            self[text] = value
        return value


_MOMENTS, _DAYS, _AMOUNTS = _Memo(parse_moment), _Memo(parse_date), _Memo(parse_amount)
_CASE_KEYS = frozenset(CASE_KEYS)


def _case(path: Path, top, lines: list[int]) -> Case:
    if type(top) is not YMap or not top.keys() <= _CASE_KEYS or "legal" in top:  # `legal:` is read the slow way
        raise _Unsure
    customer = _customer(top["customer"])  # no customer: a KeyError, and the reader says what is missing
    evidence = top.get("evidence", "strong")
    if evidence not in EVIDENCE or type(evidence) is not str:
        raise _Unsure
    return Case(path.stem, path, customer, evidence, _history(top.get("history"), lines))


def _text_of(what: str):
    def check(value) -> str:
        if type(value) is not str or not (value.isprintable() or control_character(value, what) is None):
            raise _Unsure
        return value
    return check


def _choice_of(allowed):
    def check(value) -> str:
        if value not in allowed or type(value) is not str:
            raise _Unsure
        return value
    return check


def _person_of(role: str):
    text = {key: _text_of(f"{role} {key}") for key in PERSON_KEYS}

    def check(value) -> Person:
        if type(value) is str:
            return Person(name=text["name"](value) or _unsure())
        if type(value) is not YMap or not value.keys() <= text.keys():
            raise _Unsure
        fields = {key: text[key](v) for key, v in value.items()}
        if not fields.get("name"):
            raise _Unsure
        return Person(**fields)
    return check


def _unsure():
    raise _Unsure


_CUSTOMER = {key: _text_of(f"customer {key}") for key in CUSTOMER_KEYS}
_CUSTOMER.update(kind=_choice_of(KINDS), relationship=_choice_of(RELATIONSHIPS), language=_choice_of(LANGUAGES),
                 channel=_choice_of(CHANNELS), assistant=_person_of("assistant"), manager=_person_of("manager"),
                 representative=_person_of("representative"))


def _customer(m) -> Customer:
    if type(m) is not YMap or not m.keys() <= _CUSTOMER.keys():
        raise _Unsure
    fields = {key: _CUSTOMER[key](value) for key, value in m.items()}
    if not fields.get("name"):
        raise _Unsure
    if fields.get("call_window"):
        from receivables_cli.domain.calendar import parse_window

        parse_window(fields["call_window"])  # a ValueError sends the file to the reader, which names the line
    return Customer(**fields)


def _history(value, lines: list[int]) -> tuple[Event, ...]:
    if value is None:
        return ()
    if type(value) is not list or len(value) != len(lines):
        raise _Unsure
    events = tuple(map(_event, value, lines))
    currencies = {e.currency for e in events if e.currency}
    if len(currencies) > 1:
        raise _Unsure
    return events


def _flag(value) -> bool:
    if value in ("true", "True", "yes"):
        return True
    if value in ("false", "False", "no"):
        return False
    raise _Unsure


def _payable(value) -> Payable:
    if type(value) is not YMap or len(value) != 2:
        raise _Unsure
    return Payable(_AMOUNTS[value["amount"]], _DAYS[value["by"]])  # a key missing: KeyError, see load_case_fast


def _installments(value) -> tuple[Payable, ...]:
    if type(value) is not list or not value:
        raise _Unsure
    return tuple(map(_payable, value))


def _slow_path(value):
    raise _Unsure  # rare keys are read by the full reader, which names what is wrong


def _currency(value) -> str:
    if not (type(value) is str and len(value) == 3 and value.isalpha() and value.isupper()):
        raise _Unsure
    return value


# each key's check and conversion; the text fields are checked for control characters
_FIELDS = {key: _text_of(key) for _, (required, optional) in EVENTS.items() for key in (*required, *optional)}
_FIELDS.update(
    amount=_AMOUNTS.__getitem__, due=_DAYS.__getitem__, until=_DAYS.__getitem__, by=_DAYS.__getitem__,
    outcome=_choice_of(OUTCOMES), template=_choice_of(TEMPLATES), to=_choice_of(RECIPIENTS),
    route=_choice_of(ROUTES), currency=_currency, fixed_due=_flag,
    promise=_payable, down_payment=_payable, installments=_installments, discount=_slow_path,
    kind=_choice_of(REPLY_KINDS), paid_on=_DAYS.__getitem__,
)
_SLOT = {key: KEYWORD_FIELDS.get(key, key) for key in _FIELDS}
_KEYS = {kind: (frozenset(("at", "event", *required, *optional)), frozenset(("at", *required)))
         for kind, (required, optional) in EVENTS.items()}


def _event(m, line: int) -> Event:
    if type(m) is not YMap:
        raise _Unsure
    kind = m.get("event")
    keys = _KEYS.get(kind) if type(kind) is str else None
    if keys is None or not m.keys() <= keys[0] or not keys[1] <= m.keys():
        raise _Unsure
    at, timed = _MOMENTS[m["at"]]
    fields = {_SLOT[key]: _FIELDS[key](value) for key, value in m.items() if key != "at" and key != "event"}
    outcome = fields.get("outcome")
    if outcome is not None and (outcome not in (MEETING_OUTCOMES if kind == "meeting" else OUTCOMES)
                                or (outcome == "promised") != ("promise" in m)):
        raise _Unsure
    return Event(kind, at, timed, line, **fields)
