"""Parse one case file's YAML values into a `Case`, collecting every problem."""

from __future__ import annotations

import re
from pathlib import Path

from receivables_cli.domain.errors import Problem, did_you_mean
from receivables_cli.domain.model import (
    CASE_ID,
    CASE_KEYS,
    CASE_LEGAL_KEYS,
    CHANNELS,
    CUSTOMER_KEYS,
    EVENTS,
    EVIDENCE,
    KEYWORD_FIELDS,
    KINDS,
    LANGUAGES,
    MEETING_OUTCOMES,
    OUTCOMES,
    PARTY_KEYS,
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
from receivables_cli.domain.reader import Reader
from receivables_cli.domain.yamltext import Scalar, YMap, parse

MAX_ID = 200  # file names have 255 bytes, and the temp file beside it needs room for its PID
_TEXT_FIELDS = ("number", "subject", "note", "invoice", "reason", "reference", "text", "terms", "claim_type", "file")
_DATE_FIELDS = ("due", "until", "paid_on")
_CHOICES = {"template": TEMPLATES, "to": RECIPIENTS, "route": ROUTES, "kind": REPLY_KINDS}


def case_id_problem(case_id: str) -> str | None:
    """Why a case id is not valid, or None."""
    if not CASE_ID.fullmatch(case_id) or ".." in case_id:
        return (f"'{case_id}' is not a valid case id: use lowercase letters, digits, '.', '_' "
                "and '-', starting with a letter or digit (e.g. acme-2026-017)")
    if len(case_id) > MAX_ID:
        return f"a case id has at most {MAX_ID} characters; '{case_id[:30]}...' has {len(case_id)}"
    return None


def load_case(path: Path, text: str) -> tuple[Case | None, list[Problem]]:
    """Parse a case file's text; the case is None when any problem was found."""
    values, problems = parse(text, path)
    if problems:
        return None, problems
    r = Reader(path)
    bad_id = case_id_problem(path.stem)
    if bad_id:
        r.problem(1, f"file name {bad_id}")
    case = _case(r, values, path)
    return (None if r.problems else case), r.problems


def _case(r: Reader, values, path: Path, history=None) -> Case | None:
    if values is None:
        r.problem(1, "the file has no content; a case needs 'customer:' and 'history:'")
        return None
    top = r.mapping(values, "a case file", 1)
    if top is None:
        return None
    r.check_keys(top, CASE_KEYS, "the case file")
    if "customer" not in top:
        r.problem(1, "missing 'customer:' (at least its name)")
        return None
    customer = _customer(r, top["customer"], top.key_lines["customer"])
    evidence = "strong"
    if "evidence" in top:
        evidence = r.choice(top["evidence"], top.key_lines["evidence"], "evidence", EVIDENCE) or "strong"
    claim_type = _case_legal(r, top["legal"], top.key_lines["legal"]) if "legal" in top else None
    history = (history or _history)(r, top.get("history"), top.key_lines.get("history", 1))
    if customer is None:
        return None
    return Case(id=path.stem, path=path, customer=customer, evidence=evidence, history=history,
                claim_type=claim_type)


def _case_legal(r: Reader, value, line: int) -> str | None:
    """`legal: {claim_type: Werkvertrag}`: the Mahnantrag catalogue entry for the case's invoices."""
    m = r.mapping(value, "legal", line)
    if m is None:
        return None
    r.check_keys(m, CASE_LEGAL_KEYS, "legal")
    return r.text(m["claim_type"], m.key_lines["claim_type"], "legal claim_type") if "claim_type" in m else None


def _customer(r: Reader, value, line: int) -> Customer | None:
    m = r.mapping(value, "customer", line)
    if m is None:
        return None
    r.check_keys(m, CUSTOMER_KEYS, "customer")
    if "name" not in m:
        r.problem(m.line, "customer needs a 'name'")
        return None
    fields = {}
    for key in ("name", "contact", "salutation", "email", "phone", "address", "call_window", *PARTY_KEYS):
        if key in m:
            fields[key] = r.text(m[key], m.key_lines[key], f"customer {key}")
    for key, allowed in (("kind", KINDS), ("relationship", RELATIONSHIPS), ("language", LANGUAGES),
                         ("channel", CHANNELS)):
        if key in m:
            chosen = r.choice(m[key], m.key_lines[key], f"customer {key}", allowed)
            if chosen:
                fields[key] = chosen
    for key in ("assistant", "manager", "representative"):
        if key in m:
            fields[key] = _person(r, m[key], m.key_lines[key], key)
    if not fields.get("name"):
        r.problem(m.key_lines["name"], "customer name is empty")
        return None
    if fields.get("call_window"):
        _check_window(r, fields["call_window"], m.key_lines["call_window"])
    return Customer(**fields)


def _check_window(r: Reader, spec: str, line: int) -> None:
    from receivables_cli.domain.calendar import parse_window

    try:
        parse_window(spec)
    except ValueError as e:
        r.problem(line, str(e))


def _person(r: Reader, value, line: int, role: str) -> Person | None:
    if isinstance(value, (Scalar, str)) or value is None:
        name = r.text(value, line, role)
        return Person(name=name) if name else None
    m = r.mapping(value, role, line)
    if m is None:
        return None
    r.check_keys(m, PERSON_KEYS, role)
    fields = {k: r.text(m[k], m.key_lines[k], f"{role} {k}") for k in PERSON_KEYS if k in m}
    if not fields.get("name"):
        r.problem(m.line, f"{role} needs a 'name'")
        return None
    return Person(**fields)


def _history(r: Reader, value, line: int) -> tuple[Event, ...]:
    if value is None or (isinstance(value, Scalar) and value.is_null):
        return ()
    if not isinstance(value, list):  # a YSeq, or a list from the fast path
        r.problem(getattr(value, "line", line), "history must be a list of events, each starting with '- at:'")
        return ()
    events = []
    for i, item in enumerate(value):
        after = value[i + 1] if i + 1 < len(value) else None
        if _bare_at(item) and after is not None:
            r.problem(item.line, f"entries fused by a merge: the entry on line {item.line} has nothing but 'at:', its "
                                 f"other lines went to the entry on line {getattr(after, 'line', 0)}; check both "
                                 "entries' fields (run 'dun git-setup' so merges keep entries apart)")
            continue
        event = _event(r, item)
        if event is not None:
            events.append(event)
    _one_currency(r, events)
    return tuple(events)


def _bare_at(item) -> bool:
    """An entry of nothing but `at:`, as a union merge leaves when two entries end alike."""
    return isinstance(item, YMap) and list(item) == ["at"]


def _one_currency(r: Reader, events: list[Event]) -> None:
    """A case has one currency: a second one is an error on the invoice that brings it."""
    first = None
    for e in events:
        if e.event == "invoice" and e.currency:
            if first is None:
                first = e
            elif e.currency != first.currency:
                r.problem(e.line, f"invoice {e.number} is in {e.currency}, but {first.number} is in "
                                  f"{first.currency}; a case has one currency: open another case for it")


_ALLOWED = {kind: ("at", "event", *required, *optional) for kind, (required, optional) in EVENTS.items()}
_NEEDED = {kind: ("at", *required) for kind, (required, _) in EVENTS.items()}


def _event(r: Reader, item) -> Event | None:
    m = r.mapping(item, "each history entry", getattr(item, "line", 0))
    if m is None:
        return None
    if "event" not in m:
        r.problem(m.line, "history entry has no 'event:'; expected one of: " + ", ".join(EVENTS))
        return None
    kind = r.choice(m["event"], m.key_lines["event"], "event", _ALLOWED)
    if kind is None:
        return None
    allowed, needed = _ALLOWED[kind], _NEEDED[kind]
    missing = [key for key in needed if key not in m]
    unknown = [key for key in m if key not in allowed]
    for key in unknown:
        r.problem(m.key_lines[key], f"unknown key '{key}' in the {kind} event{did_you_mean(key, allowed)}")
    for key in missing:
        r.problem(m.line, f"{kind} event is missing '{key}'")
    if missing:
        return None
    before = len(r.problems)
    moment = r.moment(m["at"], m.key_lines["at"], "at")
    fields = {key: _field(r, kind, key, value, m.key_lines[key]) for key, value in m.items()
              if key != "at" and key != "event" and key not in unknown}
    _check_outcome(r, kind, m, fields)
    if moment is None or len(r.problems) > before:
        return None
    for key, slot in KEYWORD_FIELDS.items():
        if key in fields:
            fields[slot] = fields.pop(key)
    return Event(kind, moment[0], moment[1], m.line, **fields)


def _field(r: Reader, kind: str, key: str, value, line: int):
    if key == "amount":
        return r.amount(value, line, "amount")
    if key in _DATE_FIELDS or (key == "by"):
        return r.day(value, line, key)
    if key == "outcome":
        allowed = MEETING_OUTCOMES if kind == "meeting" else OUTCOMES
        return r.choice(value, line, f"{kind} outcome", allowed)
    if key in _CHOICES:
        return r.choice(value, line, "reply kind" if key == "kind" else key, _CHOICES[key])
    if key == "currency":
        return _currency(r, value, line)
    if key == "fixed_due":
        return r.flag(value, line, key)
    if key in ("promise", "down_payment"):
        return _payable(r, value, line, key)
    if key == "discount":
        return _discount(r, value, line)
    if key == "installments":
        return _installments(r, value, line)
    return r.text(value, line, key)


def _currency(r: Reader, value, line: int) -> str | None:
    text = r.text(value, line, "currency")
    if text is not None and not (len(text) == 3 and text.isalpha() and text.isupper()):
        r.problem(item_line(value, line), f"currency '{text}' is not a three-letter code such as EUR or CHF")
        return None
    return text


def _payable(r: Reader, value, line: int, what: str) -> Payable | None:
    m = r.mapping(value, what, line)
    if m is None:
        return None
    r.check_keys(m, ("amount", "by"), what)
    for key in ("amount", "by"):
        if key not in m:
            r.problem(m.line, f"{what} needs '{key}'")
    if "amount" not in m or "by" not in m:
        return None
    amount = r.amount(m["amount"], m.key_lines["amount"], f"{what} amount")
    by = r.day(m["by"], m.key_lines["by"], f"{what} by")
    return Payable(amount, by) if amount is not None and by is not None else None


def _discount(r: Reader, value, line: int):
    """`{percent: 2.00, days: 14}`: the cash discount an invoice grants."""
    from decimal import Decimal, InvalidOperation

    from receivables_cli.domain.model import Discount

    m = r.mapping(value, "discount", line)
    if m is None:
        return None
    r.check_keys(m, ("percent", "days"), "discount")
    percent, days = ((r.text(m[k], m.key_lines[k], f"discount {k}") or "").strip() if k in m else ""
                     for k in ("percent", "days"))
    try:
        share = Decimal(percent) if re.fullmatch(r"\d{1,2}(\.\d{1,4})?", percent) else None
    except InvalidOperation:
        share = None
    if share is None or not days.isdigit() or not 0 < int(days) <= 366:
        r.problem(m.line, "discount must be {percent: 2.00, days: 14}: a percentage below 100 and 1 to 366 days")
        return None
    return Discount(share, int(days))


def _installments(r: Reader, value, line: int) -> tuple[Payable, ...]:
    if not isinstance(value, list) or not value:
        r.problem(getattr(value, "line", line), "installments must be a list of {by, amount}")
        return ()
    items = tuple(_payable(r, item, item_line(item, line), "installment") for item in value)
    return tuple(i for i in items if i is not None)


def item_line(item, default: int) -> int:
    return getattr(item, "line", default)


def _check_outcome(r: Reader, kind: str, m: YMap, fields: dict) -> None:
    if kind not in ("call", "meeting"):
        return
    outcome = fields.get("outcome")
    if outcome == "promised" and "promise" not in m:
        r.problem(m.line, f"a {kind} with outcome 'promised' needs 'promise: {{amount: ..., by: YYYY-MM-DD}}'")
    elif "promise" in m and outcome not in ("promised", None):
        r.problem(m.key_lines["promise"], f"'promise' goes only with outcome 'promised', not '{outcome}'")
