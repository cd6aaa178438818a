"""The context a letter template sees (documented in docs/letters.md).

Every customer-facing word that does not come from the template itself is built here in
the letter's language (statement lines, fee reasons, the legal route), and every fact is
taken from the history: letters sent, payments received, what was agreed. Internal notes
(`note:` fields) never enter the context.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receivables_cli.domain.calendar import deadline
from receivables_cli.domain.errors import DunError
from receivables_cli.domain.state import CaseState
from receivables_cli.money.statement import PLAN_GRACE_DAYS
from receivables_cli.output import letter_facts as facts
from receivables_cli.output import letter_terms as terms
from receivables_cli.output.desk import LetterDesk
from receivables_cli.output.letter_facts import sample_state  # noqa: F401  (dun check renders templates with it)
from receivables_cli.output.letter_offers import agreement, arrears, arrears_deadline, down_payment, settlement
from receivables_cli.output.letter_terms import LETTER_NAMES, LINE_WORDS, fee_text, legal_terms
from receivables_cli.output.letters import LOCALES, format_day, format_money, format_percent

ZERO = Decimal("0.00")
GREETING = {"de": ("Guten Tag {name}", "Sehr geehrte Damen und Herren"),
            "en": ("Dear {name}", "Dear Sir or Madam")}
COMPANIES = ("business", "corporate", "public")
CREDITOR_FIELDS = ("name", "address", "email", "phone", "iban", "bic", "vat_id", "tax_number", "register",
                   "managing_directors")


def letter_language(state: CaseState, lang: str | None, ledger_language: str) -> str:
    """The letter's language: asked for, else the customer's, else the ledger's."""
    return lang or state.case.customer.language or ledger_language


_DEPARTMENTS = ("buchhaltung", "abteilung", "accounts", "accounting", "department", "finance", "finanz", "einkauf",
                "purchasing", "kreditoren", "team", "office", "büro", "verwaltung", "sekretariat")


def _person_name(contact: str | None) -> bool:
    """A contact that reads as a person's name (two words or more, no department word): greet by name."""
    words = (contact or "").split()
    return len(words) >= 2 and not any(d in contact.lower() for d in _DEPARTMENTS)


def recipient(state: CaseState, to: str | None) -> dict:
    """Whom the letter addresses: the contact (default), the assistant or the manager.

    A person without an e-mail address has none: an e-mail to them must fail, never go to
    someone else's address under their name.
    """
    c = state.case.customer
    if to in (None, "contact"):
        # a private customer is a person: greet by name; so is a contact with a first and a last name, but
        # not a department ("Kreditorenbuchhaltung", "Accounts payable" is two words and no person either)
        named = c.kind == "private" or _person_name(c.contact)
        return {"name": c.contact or c.name, "email": c.email, "role": "contact", "person": named}
    person = getattr(c, to)
    if person is None:
        raise DunError(f"{state.case.id} has no {to}; add '{to}: {{name: ..., email: ...}}' under customer:")
    return {"name": person.name, "email": person.email, "role": to, "person": True}  # never the contact's


def build_context(desk: LetterDesk, state: CaseState, day: date, lang: str, to: str | None = None,
                  template: str | None = None) -> dict:
    """Everything a template may use; money stays Decimal, dates stay dates."""
    from receivables_cli.money.legal import legal_advice
    from receivables_cli.money.statement import build_statement, dunning_fee

    cfg, c = desk.config, state.case.customer
    law = desk.law
    st = build_statement(state, law)
    locale = LOCALES[(lang, cfg.country)]
    who = recipient(state, to)
    flat_fee = ZERO if _flat_fee_charged(state) else st.claimable_flat_fee  # the statement's line says it
    claimed = law.config.interest_claim == "accrued"  # interest owed as it accrues: part of `open`
    due_day = deadline(desk.calendar, day, cfg.policy["letter_deadline_days"])
    if template == "final-notice" and arrears(state, day):
        due_day = arrears_deadline(state, day, due_day, desk.calendar, cfg.delivery_days)
    own_fee = _recorded_fee(state, template, day)  # `dun sent` recorded this letter's fee already
    fee = own_fee.amount if own_fee else dunning_fee(state, law, template or "", day)
    legal = legal_terms(cfg.country, lang, c.kind)
    legal["pursue"] = legal_advice(state, desk.law)["recommendation"] == "legal"
    # an invoice is listed with its principal still open; its costs and interest are items of their own
    owing = [_invoice(i, st.parts) for i in state.invoices if st.parts.principal.get(i.number, i.open) > 0]
    open_invoices, later = facts.split_due(owing, day)
    later_sum = facts.not_due_sum(later)  # falls due after the letter's date: mentioned, never demanded
    reference = (open_invoices or later or [_last_invoice(state, st.parts)])[0]  # paid, but fees or interest owed
    if template == "promise-confirmation" and to is None and facts.promised_by(state):
        who = _promiser(state, who)
    ctx = {
        "lang": lang, "locale": locale, "currency": state.currency,
        "creditor": {k: getattr(cfg.creditor, k) for k in CREDITOR_FIELDS},
        "customer": {"name": c.name, "contact": c.contact, "salutation": c.salutation, "email": c.email,
                     "phone": c.phone, "address": _address(c.postal_address or c.name, cfg.country), "kind": c.kind,
                     "number": c.number},
        "by_mail": False,
        "recipient": who, "salutation": _salutation(state, who, lang, cfg.language),
        "formal": c.kind in ("corporate", "public"), "consumer": c.kind == "private",
        "parties": _parties(cfg.creditor, c),
        "case": {"id": state.case.id},
        "invoices": open_invoices, "invoice": reference, "not_due": later, "open_all": state.open,
        "open": state.open - later_sum, "interest_owed": st.interest_accrued if claimed else ZERO,
        "flat_fee": flat_fee,
        "statement": st.as_json(),
        "fee": fee, "deadline": due_day, "today": day, "legal": legal, "route": legal["route"],
        "lines": _lines(st, lang, locale, cfg.country),
        "charges": _charges(state, st.parts, lang, locale, cfg.country, own_fee),
        "interest_note": _interest_note(st, lang, locale),  # days without a base rate; never "unconfirmed"
        "sent": _sent(state, lang, template, day), "payments": _payments(state), "paid": state.paid,
        "promise": _promise(state), "credit": _last_credit(state), "resolution": _resolution(state),
        "hardship": facts.hardship_day(state), "number": c.number,
        "paid_invoices": [_invoice(i, st.parts) for i in state.invoices if i.open <= 0],
        **_amounts(state, st, None if own_fee else fee, later_sum), **_calls(state),
    }
    ctx["interest_runs"] = facts.interest_runs(st, st.lines, later_sum)
    ctx["single_item"] = len(open_invoices) + len(ctx["charges"]) + bool(ctx["interest"]) <= 1
    if template == "dispute-resolution" and ctx["resolution"] and ctx["resolution"]["by"]:
        ctx["deadline"] = ctx["resolution"]["by"] if ctx["resolution"]["by"] > day else ctx["deadline"]  # as agreed
    ctx["agreement"] = agreement(state, ctx["total"], day)
    ctx["arrears_to_pay"] = ctx["agreement"]["arrears"] + (fee or ZERO) if ctx["agreement"] else ZERO
    # clause 5 for a business: a payment more than 14 days late has made the whole rest due already
    ctx["accelerated"] = bool(ctx["agreement"] and c.kind != "private"
                              and ctx["agreement"]["late_days"] > PLAN_GRACE_DAYS)
    ctx["settlement"] = settlement(ctx["total"], cfg.policy["settlement_discount"])
    ctx["down_payment"] = down_payment(state, ctx["total"], due_day, desk.calendar)
    ctx["payment_due"] = _payment_due(template, ctx)
    if template == "payment-thanks" and state.open > 0:
        raise DunError(f"the payment-thanks letter thanks for a settled case; {state.case.id} still has "
                       f"{state.open:.2f} open")
    if template == "dispute-resolution" and ctx["resolution"] is None:
        raise DunError(f"nothing agreed to confirm for {state.case.id}: record the terms with "
                       f"'dun resolve {state.case.id} --terms \"...\"' or "
                       f"'dun credit {state.case.id} AMOUNT --reason R --terms \"...\"'")
    return ctx


def _salutation(state: CaseState, who: dict, lang: str, ledger_lang: str) -> str:
    c = state.case.customer
    named, anonymous = GREETING[lang]
    own_language = lang == (c.language or ledger_lang)  # a hand-written salutation is in that language
    if who["role"] == "contact" and c.salutation:
        if own_language:
            return c.salutation
        translated = facts.translated_greeting(c.salutation, lang)  # "Frau Muster" stays Ms Muster in English
        if translated:
            return translated
    if not who["person"]:
        return anonymous
    return facts.titled_greeting(who["name"], lang) or named.format(name=who["name"])


def _promiser(state: CaseState, who: dict) -> dict:
    """The manager or assistant who made the promise on the phone, when they can be written to."""
    role = facts.promised_by(state)
    person = getattr(state.case.customer, role)
    if person is None or not person.email:
        return who
    return {"name": person.name, "email": person.email, "role": role, "person": True}


def _flat_fee_charged(state: CaseState) -> bool:
    from receivables_cli.money.statement import FLAT_FEE_REASON

    return any(e.event == "fee" and (e.reason or "").lower().startswith(FLAT_FEE_REASON) for e in state.events)


def _address(block: str, country: str) -> str:
    """The address as the letter writes it: Swiss letters write "ss" ("Seestrasse"), whatever the case says."""
    from receivables_cli.output.letters import swiss_spelling

    return swiss_spelling(block) if country == "CH" else block


def _parties(creditor, c) -> dict:
    """Both parties with a one-line address, and who signs for a company (manager, else contact)."""
    signatory = None
    if c.kind in COMPANIES:
        if c.manager is not None:
            signatory = {"name": c.manager.name, "role": c.manager.role}
        elif c.contact:
            signatory = {"name": c.contact, "role": None}
    return {"creditor": {"name": creditor.name, "address": _one_line(creditor.address, creditor.name)},
            "customer": {"name": c.name, "address": _one_line(c.postal_address, c.name), "signatory": signatory,
                         "company": c.kind in COMPANIES}}


def _one_line(address: str | None, name: str | None) -> str:
    lines = [x.strip() for x in (address or "").splitlines() if x.strip()]
    if lines and lines[0] == name:  # the address block often starts with the name itself
        lines = lines[1:]
    return ", ".join(lines)


def _amounts(state: CaseState, st, fee: Decimal | None, later: Decimal = ZERO) -> dict:
    """What is owed, in parts: principal, recorded costs and interest, interest accrued since default (from the
    first day of the interest still owed; what payments paid of the interest since then)."""
    fees = sum((e.amount for e in state.events if e.event == "fee"), ZERO)
    charged = sum((e.amount for e in state.events if e.event == "interest"), ZERO)
    return {"principal": st.principal_open, "fees_total": fees, "interest_charged": charged,
            "interest": st.interest_accrued, "interest_from": st.parts.interest_from,
            "interest_paid": st.parts.interest_paid, "default_from": st.default_from,
            "paid_to_costs": st.parts.paid_costs, "paid_to_interest": st.parts.paid_interest,
            "total": st.total - later, "total_all": st.total,
            "to_pay": st.total - later + (fee or ZERO)}


def _lines(st, lang: str, locale: str, country: str) -> list[dict]:
    """The statement's lines in the letter's language; empty interest periods left out."""
    words, lines = LINE_WORDS[lang], []
    for x in st.lines:
        if x.kind == "interest" and (x.amount == 0 or (x.start and x.start > x.date)):
            continue
        lines.append({"date": x.date, "kind": x.kind, "amount": x.amount,
                      "text": _line_text(x, words, lang, locale, country)})
    return lines


def _line_text(x, words: dict, lang: str, locale: str, country: str) -> str:
    short = lambda d: format_day(d, locale, "medium")  # noqa: E731
    if x.kind == "invoice":
        return words["invoice"].format(text=x.text)
    if x.kind in ("payment", "credit", "waiver"):
        return words[x.kind]
    if x.kind == "fee":
        return fee_text(x.text, lang, country)
    if x.start is None:
        return words["interest_charged"].format(end=short(x.date))
    invoice = words["invoice_of"].format(number=x.invoice) if x.invoice else ""
    return words["interest_period"].format(invoice=invoice, start=short(x.start), end=short(x.date),
                                           rate=format_percent(x.rate, locale))


def _charges(state: CaseState, parts, lang: str, locale: str, country: str, own_fee=None) -> list[dict]:
    """Fees and interest recorded on the claim and still open, named in the letter's language, each with what
    is open of it (payments paid the oldest first, §367 BGB); this letter's own fee apart."""
    words, found = LINE_WORDS[lang], []
    for e in state.events:
        if e is own_fee or e.event not in ("fee", "interest"):
            continue
        amount = parts.charges.get(id(e), e.amount)
        if amount <= 0:
            continue
        if e.event == "fee":
            text = words["fee_on"].format(text=fee_text(e.reason or "", lang, country),
                                          date=format_day(e.day, locale, "medium"))
        else:
            text = words["interest_charged"].format(end=format_day(e.day, locale, "medium"))
        if amount < e.amount:  # a payment paid part of it: say so, so that the customer can check the rest
            text = words["part_paid"].format(text=text, charged=format_money(e.amount, state.currency, locale),
                                             paid=format_money(e.amount - amount, state.currency, locale))
        found.append({"date": e.day, "text": text, "amount": amount})
    return found


def _recorded_fee(state: CaseState, template: str | None, day: date):
    """The fee `dun sent` recorded today for this very letter, if it did (a re-rendering after sending)."""
    if template not in ("dunning", "final-notice"):
        return None
    return next((e for e in reversed(state.events) if e.event == "fee" and e.day == day
                 and (e.reason or "") == terms.letter_fee_reason(template)), None)


def _last_invoice(state: CaseState, parts) -> dict | None:
    """The invoice a case refers to once every invoice is paid and only fees or interest are owed."""
    return _invoice(state.invoices[-1], parts) if state.invoices else None


def _interest_note(st, lang: str, locale: str) -> str | None:
    """A sentence for letters with days that carry no interest for want of a published base rate (law.md:
    never a silent zero). An unconfirmed base rate is the user's concern (a warning), never the letter's."""
    words = terms.NOTE_WORDS[lang]
    found = [words["no_rate"].format(start=format_day(a, locale), end=format_day(b, locale))
             for a, b in getattr(st, "without_rate", ())]  # never a silent zero (law.md)
    return " ".join(found) or None


def _sent(state: CaseState, lang: str, template: str | None, day: date) -> list[dict]:
    """The reminders and dunning letters that went out, oldest first: an earlier letter of the same kind
    included (a second dunning letter names the first), this very letter (sent today) left out."""
    names = LETTER_NAMES[lang]
    return [{"template": e.template, "name": names[e.template][0], "mine": names[e.template][2], "date": e.day}
            for e in state.events if e.event == "letter" and e.template in names
            and not (e.template == template and e.day >= day)]


def _calls(state: CaseState) -> dict:
    """The last call or meeting that reached someone, and the unanswered calls since."""
    from receivables_cli.domain.model import UNANSWERED

    talked, unanswered = None, []
    for e in state.events:
        if e.event == "meeting" or (e.event == "call" and e.outcome not in UNANSWERED):
            talked, unanswered = e.day, []
        elif e.event == "call":
            unanswered.append(e.day)
    return {"last_talk": talked, "calls_unanswered": list(dict.fromkeys(unanswered))}


def _payments(state: CaseState) -> list[dict]:
    return [{"date": e.day, "amount": e.amount} for e in state.events if e.event == "payment"]


def _last_credit(state: CaseState) -> dict | None:
    e = state.last("credit")
    return {"amount": e.amount, "reason": e.reason, "terms": e.terms, "date": e.day} if e else None


def _resolution(state: CaseState) -> dict | None:
    """What was agreed since the last dispute: the `terms` of `resolved` and `credit`, credits in sum."""
    events = list(state.events)
    disputes = [i for i, e in enumerate(events) if e.event == "dispute"
                or (e.event in ("call", "meeting") and e.outcome == "disputed")]
    after = events[disputes[-1] + 1:] if disputes else events
    terms = [e.terms for e in after if e.event in ("resolved", "credit") and e.terms]
    # a credit whose terms state its amount already is not written a second time
    credited = sum((e.amount for e in after if e.event == "credit"
                    and not (e.terms and facts.mentions_amount(e.terms, e.amount))), ZERO)
    if not terms and not credited:
        return None
    agreed = [d for t in terms for d in facts.payment_dates(t)]
    return {"terms": terms, "credit": credited or None, "by": max(agreed) if agreed else None}


def _invoice(i, parts) -> dict:
    """An invoice as a letter names it: `open` as the case counts it (with `interest: {claim: accrued}` the
    costs and interest it carries included), `principal` what is open of the invoice itself (§367 BGB)."""
    return {"number": i.number, "date": i.date, "due": i.due, "amount": i.amount, "open": i.open,
            "principal": parts.principal.get(i.number, i.open), "subject": i.subject or ""}


def _promise(state: CaseState) -> dict | None:
    p = state.promise
    if p is None or p.kept:
        return None
    return {"amount": p.amount, "by": p.by, "made": p.made, "via": p.via}


def _payment_due(template: str | None, ctx: dict) -> dict | None:
    """What this letter asks to be paid and by when (for the payment code)."""
    special = {"installment-agreement": lambda: (ctx["agreement"] or {}).get("payment_due"),
               "down-payment-request": lambda: ctx["down_payment"],
               "settlement-offer": lambda: {"amount": ctx["settlement"]["amount"], "by": ctx["deadline"]},
               "promise-confirmation": lambda: ctx["promise"]}
    if template in special:
        found = special[template]()
        return {"amount": found["amount"], "by": found["by"]} if found else None
    if template in ("dunning", "final-notice") and ctx["agreement"] and ctx["agreement"]["arrears"]:
        return {"amount": ctx["arrears_to_pay"], "by": ctx["deadline"]}  # the instalments missed, not the rest
    amount = ctx["to_pay"] if template in ("dunning", "final-notice", "statement") else ctx["open"]
    return {"amount": amount, "by": ctx["deadline"]} if amount > 0 else None
