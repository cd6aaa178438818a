"""The first legal step prepared: the fields a court dunning application (DE, AT: §690 ZPO, §244 ZPO-AT)
or a Betreibungsbegehren (CH, Art. 67 SchKG) asks for, in the form's order, and a hand-over CSV for a
collection agency whose columns reconcile.

Read-only: everything is derived from the case's history and the statement; nothing is recorded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from receivables_cli.domain.amounts import fmt
from receivables_cli.domain.state import CaseState
from receivables_cli.money.statement import FLAT_FEE_REASON, Law, buckets_of, build_statement

if TYPE_CHECKING:  # the claims and the parties are the forms' (prepare, agency_rows), not a letter's advice
    from receivables_cli.money.claims import Claim
    from receivables_cli.money.parties import Party

__all__ = ["legal_advice", "prepare", "agency_rows", "history_summary", "CSV_FIELDS"]

ZERO = Decimal("0.00")
DEFAULT_CLAIM_TYPE = "Dienstleistungsvertrag"
COUNTER_PERFORMANCE = ("Der Anspruch hängt nicht von einer Gegenleistung ab / die Gegenleistung ist erbracht "
                       "(§690(1) no. 4 ZPO): the work was delivered")
CSV_FIELDS = ("case", "debtor", "debtor_kind", "street", "postcode", "town", "country", "invoice", "invoice_date",
              "due", "default_from", "currency", "amount", "credited", "principal_paid", "principal_open",
              "interest", "interest_paid", "interest_open", "costs", "costs_paid", "costs_open", "total_open",
              "history")


def legal_advice(state: CaseState, law: Law) -> dict:
    """`recommendation`, `route` and `estimated_cost` of a decide_legal item (seed 001).

    The court fee is estimated on the principal only (§43(1) GKG); `reason` says it in words. A
    time-barred invoice is never taken to court: the debtor may refuse to pay (§214 BGB).
    """
    from receivables_cli.money.law import legal_estimate
    from receivables_cli.money.limitation import limitations
    from receivables_cli.money.statement import invoice_figures

    config = law.config
    barred = {x.invoice for x in limitations(state, config.country, law.profile) if x.barred(state.as_of)}
    principal = sum((f.principal for f in invoice_figures(state, law) if f.invoice.number not in barred), ZERO)
    found = legal_estimate(config.country, principal)
    weak_and_small = state.case.evidence == "weak" and state.open < config.policy["write_off_below"]
    all_barred = bool(barred) and principal <= 0
    advice = {"recommendation": "write_off" if weak_and_small or all_barred else "legal", "route": found.route,
              "estimated_cost": fmt(found.cost) if found.cost is not None and not all_barred else None,
              "cost_basis": found.basis}
    if barred:
        advice["time_barred"] = sorted(barred)
    return advice


def prepare(state: CaseState, law: Law, claim_type: str = DEFAULT_CLAIM_TYPE) -> dict:
    """The fields of the country's first legal step, as plain values (`dun legal --prepare --json`)."""
    notes: list[str] = []
    if law.profile.country == "CH":
        fields = _betreibung(state, law, notes)
    else:
        fields = _mahnantrag(state, law, claim_type, notes)
    return fields | {"notes": _address_notes(state, law.config) + notes + _limitation_notes(state, law)}


def _address_notes(state: CaseState, config) -> list[str]:
    """The application names both parties with a postal address; say which one is missing."""
    notes = []
    c = state.case.customer
    if not ((c.address or "").strip() or (c.street and c.town)):
        notes.append(f"{state.case.id} has no postal address: the application needs the debtor's; add "
                     f"'address: |' (or street:, postcode:, town:) under 'customer:' in cases/{state.case.id}.yaml")
    if not (config.creditor.address or "").strip():
        notes.append("your own postal address is missing: the application needs it; add it under 'creditor:' "
                     "in dun.yaml")
    return notes


def _limitation_notes(state: CaseState, law: Law) -> list[str]:
    from receivables_cli.money.limitation import barred_text, limitations

    barred = [x for x in limitations(state, law.profile.country, law.profile) if x.barred(state.as_of)]
    return [barred_text(law.profile.country, [x.invoice], x.ends) for x in barred]


def _mahnantrag(state: CaseState, law: Law, claim_type: str, notes: list[str]) -> dict:
    """DE (and AT): the online Mahnantrag's steps in order: parties, main claims with interest, secondary
    claims, the court for contested proceedings, the counter-performance declaration."""
    from receivables_cli.money.claims import claims
    from receivables_cli.money.law import legal_estimate
    from receivables_cli.money.parties import creditor_party, customer_party

    st = build_statement(state, law)
    found = claims(state, law)
    country = law.profile.country
    estimate = legal_estimate(country, st.principal_open)
    calculated = [_calculated(c) for c in found if c.calculated > 0]
    flat_charged, dunning = _costs(state, found)
    notes.extend(st.notes)  # days without a rate, unconfirmed rates: the form's figures rest on them
    applicant = creditor_party(law.config.creditor, country, notes)
    respondent = customer_party(state.case.customer, country, notes, state.case.id)
    return {
        "case": state.case.id, "on": state.as_of.isoformat(), "country": country, "route": estimate.route,
        "route_name": law.profile.route_name, "currency": state.currency,
        "attorney": None,
        "applicant": applicant.as_json(), "respondent": respondent.as_json(),
        "main_claims": [_main_claim(c, state, law, claim_type, notes) for c in found if c.principal > 0],
        "principal": fmt(st.principal_open),
        "secondary_claims": {
            "dunning_costs": fmt(dunning),
            "calculated_interest": calculated,
            "calculated_interest_total": fmt(sum((c.calculated for c in found), ZERO)),
            "other": _other_claims(st, flat_charged),
        },
        "court_for_contested_proceedings": _court(respondent, st.principal_open, country),
        "counter_performance": COUNTER_PERFORMANCE,
        "your_reference": state.case.id,
        "court_fee_estimate": fmt(estimate.cost) if estimate.cost is not None else None,
        "court_fee_basis": estimate.basis,
    }


def _main_claim(c: Claim, state: CaseState, law: Law, default_type: str, notes: list[str]) -> dict:
    from receivables_cli.money.claims import catalogue_entry

    entry = catalogue_entry(c.claim_type or default_type)
    if entry.number is None:
        notes.append(f"{c.invoice.number}: '{entry.label}' has no catalogue number in dun ⚠: take it from the form's "
                     "published catalogue")
    return {"catalogue_number": entry.number, "claim_type": entry.label, "invoice": c.invoice.number,
            "date": c.invoice.date.isoformat(), "principal": fmt(c.principal),
            "running_interest": _running(c, state, law)}


def _running(c: Claim, state: CaseState, law: Law) -> dict | None:
    """Running interest for one claim: points over the base rate (or a fixed rate), from a day, on an amount."""
    if c.running_from is None:
        return None
    p, kind = law.profile, state.case.customer.kind
    if law.fixed_rate(kind):
        return {"points_over_base_rate": None, "fixed_rate": fmt(p.fixed_rate), "from": c.running_from.isoformat(),
                "on": fmt(c.principal)}
    margin = p.consumer_margin if kind == "private" else p.b2b_margin
    return {"points_over_base_rate": f"{margin}", "fixed_rate": None, "from": c.running_from.isoformat(),
            "on": fmt(c.principal)}


def _calculated(c: Claim) -> dict:
    return {"invoice": c.invoice.number, "amount": fmt(c.calculated),
            "from": c.calculated_from.isoformat() if c.calculated_from else None,
            "to": c.calculated_to.isoformat() if c.calculated_to else None}


def _court(respondent: Party, principal: Decimal, country: str) -> dict:
    """The court for contested proceedings: the respondent's general place of jurisdiction (§§12, 13, 17 ZPO)."""
    if country == "AT":
        return {"court": "Bezirksgericht at the respondent's seat (the Mahnklage goes there directly)",
                "place": " ".join(x for x in (respondent.postcode, respondent.town) if x) or None}
    limit = Decimal("10000")  # §23 no. 1 GVG from 2026-01-01 (5,000 before) ⚠ check for older claims
    court = "Amtsgericht" if principal <= limit else "Landgericht"
    return {"court": court, "place": " ".join(x for x in (respondent.postcode, respondent.town) if x) or None,
            "basis": "§§12, 13, 17 ZPO: the respondent's seat or residence; §23 no. 1 GVG: Amtsgericht up to "
                     "10,000 EUR ⚠ (5,000 EUR before 2026); the form's court finder names it by postcode"}


def _costs(state: CaseState, found: list[Claim]) -> tuple[Decimal, Decimal]:
    """(flat fee charged and open, other costs open: the form's Mahnkosten)."""
    flat = sum((e.amount for e in state.events
                if e.event == "fee" and (e.reason or "").lower().startswith(FLAT_FEE_REASON)), ZERO)
    costs_open = sum((c.costs for c in found), ZERO)
    flat_open = min(flat, costs_open)
    return flat_open, costs_open - flat_open


def _other_claims(st, flat_charged: Decimal) -> list[dict]:
    found = []
    if flat_charged > 0:
        found.append({"what": f"flat fee ({st.flat_fee_basis})", "amount": fmt(flat_charged), "charged": True})
    if st.claimable_flat_fee > 0:
        found.append({"what": f"flat fee ({st.flat_fee_basis}), claimable, not charged yet",
                      "amount": fmt(st.claimable_flat_fee), "charged": False})
    return found


GROUNDS = {  # the ground of a Betreibung in the ledger's language (German, French or Italian)
    "de": ("Rechnung {number} vom {date}", "Verzugszins auf Rechnung {number} vom {date} bis {to}",
           "Mahnkosten"),
    "fr": ("Facture {number} du {date}", "Intérêts moratoires sur la facture {number} du {date} jusqu'au {to}",
           "Frais de rappel"),
    "it": ("Fattura {number} del {date}", "Interessi di mora sulla fattura {number} del {date} fino al {to}",
           "Spese di sollecito"),
}


def _betreibung(state: CaseState, law: Law, notes: list[str]) -> dict:
    """CH: the fields of the Betreibungsbegehren (Art. 67 SchKG): one claim line per amount, each with its
    interest and ground; unpaid interest of paid invoices included, paid invoices not listed as grounds."""
    from receivables_cli.money.claims import claims
    from receivables_cli.money.law import legal_estimate
    from receivables_cli.money.parties import creditor_party, customer_party

    found = claims(state, law)
    words = GROUNDS.get(state.case.customer.language or law.config.language, GROUNDS["de"])
    lines = []
    for c in found:
        day = c.invoice.date.strftime("%d.%m.%Y")
        if c.principal > 0:
            lines.append({"amount": fmt(c.principal), "interest_rate": fmt(law.profile.fixed_rate),
                          "interest_from": c.running_from.isoformat() if c.running_from else None,
                          "ground": words[0].format(number=c.invoice.number, date=day)})
        if c.calculated > 0:
            to = c.calculated_to.strftime("%d.%m.%Y") if c.calculated_to else state.as_of.strftime("%d.%m.%Y")
            lines.append({"amount": fmt(c.calculated), "interest_rate": None, "interest_from": None,
                          "ground": words[1].format(number=c.invoice.number, date=day, to=to)})
    costs = sum((c.costs for c in found), ZERO)
    if costs > 0:
        lines.append({"amount": fmt(costs), "interest_rate": None, "interest_from": None, "ground": words[2]})
    total = sum((Decimal(x["amount"]) for x in lines), ZERO)
    estimate = legal_estimate("CH", sum((c.principal for c in found), ZERO))
    return {
        "case": state.case.id, "on": state.as_of.isoformat(), "country": "CH", "route": estimate.route,
        "route_name": law.profile.route_name, "currency": state.currency,
        "creditor": creditor_party(law.config.creditor, "CH", notes).as_json(),
        "debtor": customer_party(state.case.customer, "CH", notes, state.case.id).as_json(),
        "claims": lines, "total": fmt(total),
        "fee_estimate": fmt(estimate.cost), "fee_basis": estimate.basis,
    }


def agency_rows(state: CaseState, law: Law) -> list[dict]:
    """The collection-agency hand-over: one row per invoice; amount - credited - principal_paid = principal_open,
    interest - interest_paid = interest_open, costs - costs_paid = costs_open, and their sum is total_open."""
    from receivables_cli.money.parties import customer_party

    c = state.case.customer
    party = customer_party(c, law.profile.country, [], state.case.id)
    history = history_summary(state)
    rows = []
    for b in buckets_of(state, law).values():
        start = law.default_start(b.invoice, state)
        paid = b.settled
        interest_paid = paid.get("interest", ZERO) + paid.get("accrued", ZERO)
        interest_open = b.interest + b.accrued
        rows.append({
            "case": state.case.id, "debtor": c.name, "debtor_kind": c.kind, "street": party.street or "",
            "postcode": party.postcode or "", "town": party.town or "", "country": party.country or "",
            "invoice": b.invoice.number, "invoice_date": b.invoice.date.isoformat(), "due": b.invoice.due.isoformat(),
            "default_from": start.isoformat() if start and start <= state.as_of else "", "currency": state.currency,
            "amount": fmt(b.invoice.amount), "credited": fmt(paid.get("credited", ZERO)),
            "principal_paid": fmt(paid.get("principal", ZERO)), "principal_open": fmt(b.principal),
            "interest": fmt(interest_open + interest_paid), "interest_paid": fmt(interest_paid),
            "interest_open": fmt(interest_open), "costs": fmt(b.costs + paid.get("costs", ZERO)),
            "costs_paid": fmt(paid.get("costs", ZERO)), "costs_open": fmt(b.costs),
            "total_open": fmt(b.principal + interest_open + b.costs), "history": history,
        })
    return rows


def history_summary(state: CaseState) -> str:
    """``3 calls (last 2026-10-21: refused); 2 letters (last final-notice 2026-11-05); 1 payment``."""
    parts = []
    for kind, label in (("call", "call"), ("meeting", "meeting"), ("letter", "letter"), ("promise", "promise"),
                        ("agreement", "agreement"), ("payment", "payment"), ("dispute", "dispute")):
        found = [e for e in state.events if e.event == kind]
        if not found:
            continue
        last = found[-1]
        detail = last.outcome or last.template or (fmt(last.amount) if last.amount is not None else "")
        parts.append(f"{len(found)} {label}{'s' if len(found) != 1 else ''} (last {last.day}"
                     + (f": {detail}" if detail else "") + ")")
    return "; ".join(parts) or "no contact recorded"

