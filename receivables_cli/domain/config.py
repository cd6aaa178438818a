"""`dun.yaml`: creditor, country, defaults and the playbook's policy overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.config_io import BankSettings, ImapSettings, read_bank, read_mail
from receivables_cli.domain.errors import Problem
from receivables_cli.domain.reader import Reader, parse_date
from receivables_cli.domain.vocab import LANGUAGES
from receivables_cli.domain.yamltext import Scalar, YMap, YSeq

# Every timing of the ladder (contract section 4) and its default.
POLICY_DEFAULTS: dict[str, int | Decimal] = {
    "info_call_day": 14,
    "collection_call_day": 31,
    "call_spacing_days": 2,
    "call_attempts": 3,
    "escalation_wait_days": 7,
    "after_call_days": 7,
    "letter_deadline_days": 10,
    "meeting_threshold": Decimal("5000"),
    "first_letter_days": 3,
    "promise_grace_days": 2,
    "signature_wait_days": 7,
    "installment_grace_days": 3,
    "limitation_warning_days": 90,  # or from 1 October of the last year, if earlier
    "write_off_below": Decimal("500"),
    "concentration_warning": Decimal("0.4"),
    "settlement_discount": Decimal("0.10"),
}
CREDITOR_KEYS = ("name", "address", "email", "phone", "iban", "bic", "vat_id", "website", "register",
                 "managing_directors", "tax_number")
REGISTER_KEYS = ("court", "number")
CONFIG_KEYS = (
    "creditor", "country", "region", "currency", "language", "payment_terms_days", "policy",
    "git", "fees", "base_rates", "consumer_30_day_notice", "delivery_days", "call_windows",
    "law", "mail", "timezone", "calendar", "interest", "legal", "bank", "letters",
)

COUNTRIES = ("DE", "AT", "CH")
LAW_KEYS = ("b2b_margin", "consumer_margin", "fixed_rate", "day_count", "flat_fee", "limitation_years")
FEE_KEYS = ("dunning",)
INTEREST_CLAIMS = ("charged", "accrued")
WINDOW_KINDS = ("private", "business", "corporate", "public")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# What `dun init` writes under creditor: letters must not go out with these.
INIT_EXAMPLE = {"name": "Your Name Webdesign", "address": "Street 1\n12345 Town", "email": "you@example.org",
                "phone": "+49 30 0000000", "iban": "DE89370400440532013000"}


@dataclass(frozen=True, slots=True)
class Creditor:
    """The user: who claims, where to pay, how to be reached (dun.yaml's creditor)."""
    name: str = "Your Name"
    address: str = ""
    email: str | None = None
    phone: str | None = None
    iban: str | None = None
    bic: str | None = None
    vat_id: str | None = None
    website: str | None = None
    register: dict | None = None  # {court, number}: the company's register entry (§ 35a GmbHG, § 37a HGB, § 14 UGB)
    managing_directors: tuple[str, ...] = ()
    tax_number: str | None = None


@dataclass(frozen=True)
class Config:
    """dun.yaml as read: the creditor, the country and its law, the policy and the settings."""
    creditor: Creditor = field(default_factory=Creditor)
    country: str = "DE"
    region: str | None = None
    currency: str = "EUR"
    language: str = "de"
    payment_terms_days: int = 14
    policy: dict = field(default_factory=lambda: dict(POLICY_DEFAULTS))
    commit: bool = False
    dunning_fee: Decimal = Decimal("0")
    base_rates: dict = field(default_factory=dict)
    consumer_30_day_notice: bool = False
    delivery_days: int = 3
    call_windows: dict = field(default_factory=dict)
    law: dict = field(default_factory=dict)
    mail_command: str | None = None
    imap: ImapSettings | None = None
    timezone: str | None = None
    slot_minutes: int = 15
    interest_claim: str = "accrued"  # accrued: owed as it accrues (§367 BGB, OR 85); charged: by `dun charge-interest`
    claim_type: str = "Dienstleistungsvertrag"  # the court dunning application's catalogue type of claim
    bank: BankSettings | None = None  # None: the ledger never said it reads bank statements
    placeholders: tuple[Problem, ...] = ()  # creditor details still as `dun init` wrote them
    thank_on_payment: bool = True  # letters: {thank_on_payment}: the thank-you letter after a chased case is paid


def config_from(path: Path, values) -> tuple[Config, list[Problem]]:
    """The settings from dun.yaml's parsed values; problems come with the defaults for what was wrong."""
    if values is None:
        return Config(), []
    r = Reader(path)
    top = r.mapping(values, "dun.yaml", 1)
    if top is None:
        return Config(), r.problems
    r.check_keys(top, CONFIG_KEYS, "dun.yaml")
    fields: dict = {}
    _scalars(r, top, fields)
    if "creditor" in top:
        fields["creditor"] = _creditor(r, top["creditor"], top.key_lines["creditor"])
        fields["placeholders"] = tuple(_placeholders(path, top["creditor"]))
    fields["policy"] = _policy(r, top.get("policy"), top.key_lines.get("policy", 1))
    _git_and_fees(r, top, fields)
    if "base_rates" in top:
        fields["base_rates"] = _base_rates(r, top["base_rates"], top.key_lines["base_rates"])
    if "call_windows" in top:
        fields["call_windows"] = _windows(r, top["call_windows"], top.key_lines["call_windows"])
    if "law" in top:
        fields["law"] = _law(r, top["law"], top.key_lines["law"])
    read_mail(r, top, fields)
    _letters(r, top, fields)
    _timezone(r, top, fields)
    if "interest" in top:
        fields["interest_claim"] = _interest_claim(r, top["interest"], top.key_lines["interest"])
    if "legal" in top:
        for _key, text, _at in r.entries(top["legal"], top.key_lines["legal"], "legal", ("claim_type",)):
            fields["claim_type"] = text or fields.get("claim_type", "Dienstleistungsvertrag")
    if "bank" in top:
        fields["bank"] = read_bank(r, top["bank"], top.key_lines["bank"])
    return Config(**fields), r.problems


def _scalars(r: Reader, top: YMap, fields: dict) -> None:
    if "country" in top:
        fields["country"] = r.choice(top["country"], top.key_lines["country"], "country", COUNTRIES) or "DE"
    if "language" in top:
        fields["language"] = r.choice(top["language"], top.key_lines["language"], "language", LANGUAGES) or "de"
    if "region" in top and (value := r.text(top["region"], top.key_lines["region"], "region")):
        fields["region"] = value
    if "currency" in top and (value := r.text(top["currency"], top.key_lines["currency"], "currency")):
        if len(value) == 3 and value.isalpha() and value.isupper():
            fields["currency"] = value
        else:
            r.problem(top.key_lines["currency"], f"currency '{value}' is not a three-letter code such as EUR or CHF")

    for key in ("payment_terms_days", "delivery_days"):
        if key in top:
            fields[key] = r.whole_number(top[key], top.key_lines[key], key, 14)
    if "consumer_30_day_notice" in top:
        line = top.key_lines["consumer_30_day_notice"]
        fields["consumer_30_day_notice"] = r.flag(top["consumer_30_day_notice"], line, "consumer_30_day_notice")


def _creditor(r: Reader, value, line: int) -> Creditor:
    m = r.mapping(value, "creditor", line)
    if m is None:
        return Creditor()
    r.check_keys(m, CREDITOR_KEYS, "creditor")
    found = {k: r.text(m[k], m.key_lines[k], f"creditor {k}") for k in CREDITOR_KEYS
             if k in m and k not in ("register", "managing_directors")}
    if "register" in m:
        found["register"] = {k: t for k, t, _at in r.entries(m["register"], m.key_lines["register"],
                                                             "creditor register", REGISTER_KEYS) if t} or None
    if "managing_directors" in m:
        found["managing_directors"] = _names(r, m["managing_directors"], m.key_lines["managing_directors"])
    if found.get("iban"):
        found["iban"] = found["iban"].replace(" ", "").upper()
    return Creditor(**{k: v for k, v in found.items() if v is not None})


def _names(r: Reader, value, line: int) -> tuple[str, ...]:
    """`managing_directors: [Anna Beispiel, Ben Muster]` or one name."""
    items = value if isinstance(value, (YSeq, list, tuple)) else [value]
    names = tuple(text for item in items if (text := r.text(item, line, "creditor managing_directors")))
    return names


def _letters(r: Reader, top: YMap, fields: dict) -> None:
    """`letters: {thank_on_payment: false}`: whether the agenda offers the thank-you letter."""
    if "letters" not in top:
        return
    for _key, text, at in r.entries(top["letters"], top.key_lines["letters"], "letters", ("thank_on_payment",)):
        if text.lower() in ("true", "false", "yes", "no", "on", "off"):
            fields["thank_on_payment"] = text.lower() in ("true", "yes", "on")
        else:
            r.problem(at, f"letters thank_on_payment must be true or false, not '{text}'")


def _placeholders(path: Path, creditor):
    """A Problem for each creditor detail that still holds the example of `dun init`."""
    if not isinstance(creditor, YMap):
        return
    for key, example in INIT_EXAMPLE.items():
        value = creditor.get(key)
        text = value.text if isinstance(value, Scalar) else value  # a fast path's value is its text
        if type(text) is str and _normal(key, text) == _normal(key, example):
            shown = ", ".join(example.splitlines())
            yield Problem(path, creditor.key_lines[key], f"creditor {key} is still the example '{shown}'; "
                                                          "put your own in dun.yaml before sending letters")


def _normal(key: str, text: str) -> str:
    if key == "iban":
        return text.replace(" ", "").upper()
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _policy(r: Reader, value, line: int) -> dict:
    policy = dict(POLICY_DEFAULTS)
    if value is None or (isinstance(value, Scalar) and value.is_null):
        return policy
    m = r.mapping(value, "policy", line)
    if m is None:
        return policy
    r.check_keys(m, POLICY_DEFAULTS, "policy")
    for key in m:
        if key not in POLICY_DEFAULTS:
            continue
        default = POLICY_DEFAULTS[key]
        if isinstance(default, Decimal):
            policy[key] = _decimal(r, m[key], m.key_lines[key], f"policy {key}", default)
        else:
            policy[key] = r.whole_number(m[key], m.key_lines[key], f"policy {key}", default)
    return policy


def _git_and_fees(r: Reader, top: YMap, fields: dict) -> None:
    if "git" in top and (m := r.mapping(top["git"], "git", top.key_lines["git"])) is not None:
        r.check_keys(m, ("commit",), "git")
        if "commit" in m:
            fields["commit"] = r.flag(m["commit"], m.key_lines["commit"], "git commit")
    if "fees" in top and (m := r.mapping(top["fees"], "fees", top.key_lines["fees"])) is not None:
        r.check_keys(m, FEE_KEYS, "fees")
        if "dunning" in m:
            fields["dunning_fee"] = _decimal(r, m["dunning"], m.key_lines["dunning"], "fees dunning", Decimal(0))


@dataclass(frozen=True, slots=True)
class BaseRateEntry:
    """One `base_rates:` row of dun.yaml: `2026-07-01: 1.27` or `2026-07-01: {rate, source, confirmed}`."""

    rate: Decimal
    source: str = ""
    confirmed: bool = True


def _base_rates(r: Reader, value, line: int) -> dict:
    m = r.mapping(value, "base_rates", line)
    rates = {}
    for key, row in (m or {}).items():
        try:
            day = parse_date(key)
        except ValueError as e:
            r.problem(m.key_lines[key], f"base_rates: {e}")
            continue
        entry = _base_rate(r, row, m.key_lines[key])
        if entry is not None:
            rates[day] = entry
    return rates


def _base_rate(r: Reader, value, line: int) -> BaseRateEntry | None:
    if isinstance(value, YMap):
        found = {key: text for key, text, _ in r.entries(value, line, "base rate", ("rate", "source", "confirmed"))}
        text, source = found.get("rate", ""), found.get("source", "")
        confirmed = found.get("confirmed", "true") in ("true", "yes")
    else:
        text, source, confirmed = r.text(value, line, "base rate"), "", True
    try:
        return BaseRateEntry(Decimal(text), source, confirmed)
    except (ArithmeticError, TypeError):
        r.problem(line, f"base rate '{text}' is not a number such as 1.27 or -0.88")
        return None


def _windows(r: Reader, value, line: int) -> dict:
    from receivables_cli.domain.calendar import parse_window

    windows = {}
    for kind, spec, at in r.entries(value, line, "call_windows", WINDOW_KINDS):
        try:
            parse_window(spec)
            windows[kind] = spec
        except ValueError as e:
            r.problem(at, str(e))
    return windows


def _law(r: Reader, value, line: int) -> dict:
    """Overrides of the country profile: numbers, checked here so law.py can trust them."""
    found = {}
    for key, text, at in r.entries(value, line, "law", (*LAW_KEYS, "fixed_due")):
        if key == "fixed_due":  # every invoice's due date is an agreed payment date (§286(2) BGB, §1334 ABGB)
            found[key] = "true" if r.flag(text, at, "law fixed_due") else "false"
        elif _NUMBER.fullmatch(text) and (key not in ("day_count", "limitation_years") or text.isdigit()):
            found[key] = text
        else:
            r.problem(at, f"law {key} must be a number, not '{text}'")
    return found


def _timezone(r: Reader, top: YMap, fields: dict) -> None:
    """`timezone: Europe/Berlin` and `calendar: {slot_minutes: 15}` for the calendar export."""
    if "timezone" in top and (name := r.text(top["timezone"], top.key_lines["timezone"], "timezone")):
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(name)
            fields["timezone"] = name
        except (LookupError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            r.problem(top.key_lines["timezone"], f"timezone '{name}' is not known; write e.g. Europe/Berlin")
    if "calendar" not in top:
        return
    for _key, text, at in r.entries(top["calendar"], top.key_lines["calendar"], "calendar", ("slot_minutes",)):
        if text.isdigit() and 5 <= int(text) <= 240:
            fields["slot_minutes"] = int(text)
        else:
            r.problem(at, f"calendar slot_minutes must be a whole number of minutes from 5 to 240, not '{text}'")


def _interest_claim(r: Reader, value, line: int) -> str:
    """`interest: {claim: accrued | charged}`: how default interest becomes part of the claim."""
    claim = "accrued"
    for _key, text, at in r.entries(value, line, "interest", ("claim",)):
        if text in INTEREST_CLAIMS:
            claim = text
        else:
            r.problem(at, f"interest claim must be one of {', '.join(INTEREST_CLAIMS)}, not '{text}'")
    return claim


def _decimal(r: Reader, value, line: int, what: str, default: Decimal) -> Decimal:
    text = r.text(value, line, what) or ""
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    r.problem(getattr(value, "line", line), f"{what} must be a number such as 5000 or 0.4, not '{text}'")
    return default
