"""The context a letter template sees (documented in the README)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receivables_cli.errors import DunError
from receivables_cli.ledger import Ledger
from receivables_cli.letters import LOCALES, deadline
from receivables_cli.state import CaseState

GREETING = {"de": ("Guten Tag {name}", "Sehr geehrte Damen und Herren"),
            "en": ("Dear {name}", "Dear Sir or Madam")}


def letter_language(ledger: Ledger, state: CaseState, lang: str | None) -> str:
    return lang or state.case.customer.language or ledger.config.language


def recipient(state: CaseState, to: str | None) -> dict:
    """Whom the letter addresses: the contact (default), the assistant or the manager."""
    c = state.case.customer
    if to in (None, "contact"):
        return {"name": c.contact or c.name, "email": c.email, "role": "contact", "person": bool(c.contact)}
    person = getattr(c, to)
    if person is None:
        raise DunError(f"{state.case.id} has no {to}; add '{to}: {{name: ..., email: ...}}' under customer:")
    return {"name": person.name, "email": person.email, "role": to, "person": True}  # never the contact's


def build_context(ledger: Ledger, state: CaseState, day: date, lang: str, to: str | None = None,
                  template: str | None = None) -> dict:
    """Everything a template may use; money stays Decimal, dates stay dates."""
    from receivables_cli.agenda import calendar_of, law_of
    from receivables_cli.statement import build_statement, dunning_fee

    cfg, c = ledger.config, state.case.customer
    law = law_of(ledger)
    st = build_statement(state, law)
    who = recipient(state, to)
    named, anonymous = GREETING[lang]
    own_language = lang == (c.language or cfg.language)  # a hand-written salutation is in that language
    salutation = (c.salutation if who["role"] == "contact" and c.salutation and own_language
                  else named.format(name=who["name"]) if who["person"] else anonymous)
    open_invoices = [_invoice(i) for i in state.open_invoices]
    return {
        "lang": lang, "locale": LOCALES[(lang, cfg.country)], "currency": state.currency,
        "creditor": {k: getattr(cfg.creditor, k) for k in ("name", "address", "email", "phone", "iban", "bic")},
        "customer": {"name": c.name, "contact": c.contact, "salutation": c.salutation, "email": c.email,
                     "phone": c.phone, "address": c.address or c.name, "kind": c.kind},
        "recipient": who, "salutation": salutation,
        "case": {"id": state.case.id},
        "invoices": open_invoices, "invoice": open_invoices[0] if open_invoices else None,
        "open": state.open, "total": st.total, "interest": st.interest_accrued,
        "flat_fee": st.claimable_flat_fee, "statement": st.as_json(),
        "fee": dunning_fee(state, law, template or "", day),
        "deadline": deadline(calendar_of(ledger), day, cfg.policy["letter_deadline_days"]),
        "today": day, "promise": _promise(state), "agreement": _agreement(state),
        "route": law.profile.route_name,
        "credit": _last(state, "credit"), "resolution": _resolution(state),
        "settlement": _settlement(state.open, cfg.policy["settlement_discount"]),
    }


def _last(state: CaseState, kind: str) -> dict | None:
    e = state.last(kind)
    return {"amount": e.amount, "reason": e.reason, "date": e.day} if e else None


def _resolution(state: CaseState) -> str | None:
    e = state.last("resolved")
    return e.note if e else None


def _settlement(open_amount: Decimal, discount: Decimal) -> dict:
    from receivables_cli.money import cents

    amount = cents(open_amount * (1 - discount))
    return {"amount": amount, "discount": open_amount - amount}


def _invoice(i) -> dict:
    return {"number": i.number, "date": i.date, "due": i.due, "amount": i.amount, "open": i.open,
            "subject": i.subject or ""}


def _promise(state: CaseState) -> dict | None:
    p = state.promise
    if p is None or p.kept:
        return None
    return {"amount": p.amount, "by": p.by, "made": p.made}


def _agreement(state: CaseState) -> dict | None:
    a = state.agreement
    if a is None:
        return None
    down = {"amount": a.down_payment.amount, "by": a.down_payment.by} if a.down_payment else None
    return {"made": a.made, "down_payment": down, "total": a.total,
            "installments": [{"amount": p.amount, "by": p.by} for p in sorted(a.installments, key=lambda p: p.by)]}


def sample_state(day: date) -> CaseState:
    """An invented case with a promise and an agreement, to test-render templates."""
    from datetime import datetime, timedelta
    from pathlib import Path

    from receivables_cli.model import Case, Customer, Event, Payable, Person
    from receivables_cli.state import fold

    start = datetime.combine(day - timedelta(days=60), datetime.min.time())
    customer = Customer("Muster & Söhne KG", contact="Erika Muster", email="erika@muster.example",
                        address="Muster & Söhne KG\nMusterstraße 1\n10115 Berlin",
                        assistant=Person("Jana Beispiel", email="jana@muster.example"),
                        manager=Person("Max Muster", role="CEO", email="max@muster.example"))
    history = (
        Event("invoice", start, number="RE-0001", amount=Decimal("1190.00"), subject="Website"),
        Event("agreement", start + timedelta(days=40), installments=(Payable(Decimal("500"), day),
                                                                    Payable(Decimal("690"), day + timedelta(30))),
              down_payment=Payable(Decimal("100"), day)),
        Event("promise", start + timedelta(days=50), amount=Decimal("500"), by=day + timedelta(days=5)),
    )
    return fold(Case("sample", Path("sample.yaml"), customer, history=history), day)
