"""The first legal step prepared: the fields a court dunning application (DE, §690 ZPO) or a
Betreibungsbegehren (CH, Art. 67 SchKG) asks for, and a hand-over CSV for a collection agency.

Read-only: everything is derived from the case's history and the statement; nothing is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from receivables_cli.money.amounts import fmt
from receivables_cli.money.statement import FLAT_FEE_REASON, Law, build_statement, invoice_figures
from receivables_cli.playbook.state import CaseState

ZERO = Decimal("0.00")
DEFAULT_CLAIM_TYPE = "Dienstleistungsvertrag"
# Company forms as they end a German or Austrian name; the first match wins (GmbH & Co. KG is a KG)
LEGAL_FORMS = (
    (r"GmbH\s*&\s*Co\.?\s*KG", "GmbH & Co. KG"), (r"\bUG\b", "UG (haftungsbeschränkt)"), (r"\bGmbH\b", "GmbH"),
    (r"\bAG\b", "AG"), (r"\bOHG\b", "OHG"), (r"\bKG\b", "KG"), (r"\bGbR\b", "GbR"), (r"\be\.\s?K\.?", "e.K."),
    (r"\be\.\s?V\.?", "e.V."),
)
CSV_FIELDS = ("case", "debtor", "debtor_kind", "address", "invoice", "invoice_date", "due", "default_from",
              "currency", "amount", "paid", "principal_open", "interest", "costs", "total_open", "history")


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    legal_form: str

    def as_json(self) -> dict:
        return {"name": self.name, "address": self.address, "legal_form": self.legal_form}


def legal_form(name: str, kind: str) -> str:
    """The legal form a name shows; a private customer is a natural person."""
    if kind == "private":
        return "private person"
    for pattern, form in LEGAL_FORMS:
        if re.search(pattern, name):
            return form
    return "no company form in the name: a sole trader (natural person) or check the commercial register"


def _address(name: str, address: str | None) -> str:
    lines = [x.strip() for x in (address or "").splitlines() if x.strip()]
    if lines and lines[0] == name:  # the address block often repeats the name
        lines = lines[1:]
    return ", ".join(lines)


def parties(state: CaseState, config) -> tuple[Party, Party]:
    """Applicant (the creditor) and respondent (the customer)."""
    c, me = state.case.customer, config.creditor
    return (Party(me.name, _address(me.name, me.address), legal_form(me.name, "business")),
            Party(c.name, _address(c.name, c.address), legal_form(c.name, c.kind)))


def prepare(state: CaseState, law: Law, claim_type: str = DEFAULT_CLAIM_TYPE) -> dict:
    """The fields of the country's first legal step, as plain values (`dun legal --prepare --json`)."""
    fields = _betreibung(state, law) if law.profile.country == "CH" else _mahnantrag(state, law, claim_type)
    return fields | {"notes": _address_notes(state, law.config) + fields.get("notes", [])}


def _address_notes(state: CaseState, config) -> list[str]:
    """The application names both parties with a postal address; say which one is missing."""
    notes = []
    if not (state.case.customer.address or "").strip():
        notes.append(f"{state.case.id} has no postal address: the application needs the debtor's; add "
                     f"'address: |' under 'customer:' in cases/{state.case.id}.yaml")
    if not (config.creditor.address or "").strip():
        notes.append("your own postal address is missing: the application needs it; add it under 'creditor:' "
                     "in dun.yaml")
    return notes


def _claims(state: CaseState, law: Law, claim_type: str | None) -> list[dict]:
    """One row per invoice still owing anything: the Hauptforderungen of the application."""
    rows = []
    for f in invoice_figures(state, law):
        if f.principal <= 0 and f.interest <= 0 and f.costs <= 0:
            continue
        row = {"invoice": f.invoice.number, "date": f.invoice.date.isoformat(), "due": f.invoice.due.isoformat(),
               "principal": fmt(f.principal), "default_from": f.default_from.isoformat() if f.default_from else None,
               "interest_to_date": fmt(f.interest)}
        if claim_type:
            row = {"claim_type": claim_type} | row
            row["interest_points_over_base_rate"] = _margin(state, law)
        rows.append(row)
    return rows


def _mahnantrag(state: CaseState, law: Law, claim_type: str) -> dict:
    """DE: the fields of the online Mahnantrag (§690 ZPO): parties, claims, interest, costs, court fee."""
    from receivables_cli.money.law import legal_estimate

    st = build_statement(state, law)
    applicant, respondent = parties(state, law.config)
    margin = _margin(state, law)
    rate, _, _ = law.rate(state.case.customer.kind, state.as_of)
    flat_charged, dunning = _costs(state, st)
    estimate = legal_estimate(law.profile.country, st.principal_open)
    claims = _claims(state, law, claim_type)
    return {
        "case": state.case.id, "on": state.as_of.isoformat(), "country": law.profile.country,
        "route": estimate.route, "route_name": law.profile.route_name, "currency": state.currency,
        "applicant": applicant.as_json(), "respondent": respondent.as_json(),
        "claims": claims,
        "principal": fmt(st.principal_open),
        "interest": {
            "running": _running(claims, margin, rate, st.principal_open),
            "calculated": {"amount": fmt(st.interest_accrued + _interest_charged_open(state, st)),
                           "from": st.default_from.isoformat() if st.default_from else None,
                           "to": state.as_of.isoformat(),
                           "then_running_from": (state.as_of + timedelta(days=1)).isoformat()},
        },
        "dunning_costs": fmt(dunning),
        "other_secondary_claims": _other_claims(st, flat_charged),
        "court_fee_estimate": fmt(estimate.cost) if estimate.cost is not None else None,
        "court_fee_basis": estimate.basis,
        "notes": list(st.notes),
    }


def _running(claims: list[dict], margin: str | None, rate, principal: Decimal) -> dict:
    """Running interest on the whole principal, with one start only if every claim fell into default that day.

    Invoices that fell into default on different days each run from their own day (§286 BGB); one start for
    them all would claim interest the debtor does not owe, so the form then gets it per claim.
    """
    starts = sorted({c["default_from"] for c in claims if c["default_from"]})
    running = {"points_over_base_rate": margin, "rate_today": f"{rate:.2f}" if rate is not None else None,
               "from": starts[0] if len(starts) == 1 else None, "on": fmt(principal)}
    if len(starts) > 1:
        running["note"] = ("the invoices fell into default on different days: enter running interest per claim, "
                           "from its default_from on its principal")
    return running


def _margin(state: CaseState, law: Law) -> str | None:
    """Points over the base rate (§288 BGB: 9 between businesses, 5 with a consumer)."""
    p = law.profile
    margin = p.consumer_margin if state.case.customer.kind == "private" else p.b2b_margin
    return f"{margin}" if margin is not None else None


def _betreibung(state: CaseState, law: Law) -> dict:
    """CH: the fields of the Betreibungsbegehren (Art. 67 SchKG)."""
    from receivables_cli.money.law import legal_estimate

    st = build_statement(state, law)
    creditor, debtor = parties(state, law.config)
    claims = _claims(state, law, None)
    estimate = legal_estimate("CH", st.principal_open)
    ground = "; ".join(f"invoice {c['invoice']} of {c['date']}" for c in claims)
    return {
        "case": state.case.id, "on": state.as_of.isoformat(), "country": "CH", "route": estimate.route,
        "route_name": law.profile.route_name, "currency": state.currency,
        "creditor": creditor.as_json(), "debtor": debtor.as_json(),
        "amount": fmt(st.principal_open),
        "interest": [{"invoice": c["invoice"], "amount": c["principal"], "rate": f"{law.profile.fixed_rate:.2f}",
                      "from": c["default_from"]} for c in claims],
        "costs": fmt(sum((f.costs for f in invoice_figures(state, law)), ZERO)),
        "ground": ground, "claims": claims,
        "fee_estimate": fmt(estimate.cost), "fee_basis": estimate.basis,
    }


def _costs(state: CaseState, st) -> tuple[Decimal, Decimal]:
    """(flat fee charged and open, other costs open).

    The recorded dunning fees are secondary claims (the form's Nebenforderungen: Mahnkosten), not the
    "Auslagen des Antragstellers für dieses Verfahren", which are only the application's own costs.
    """
    flat = sum((e.amount for e in state.events
                if e.event == "fee" and (e.reason or "").lower().startswith(FLAT_FEE_REASON)), ZERO)
    costs_open = st.charged_open - _interest_charged_open(state, st)
    flat_open = min(flat, costs_open)
    return flat_open, costs_open - flat_open


def _interest_charged_open(state: CaseState, st) -> Decimal:
    charged = sum((e.amount for e in state.events if e.event == "interest"), ZERO)
    return min(charged, st.charged_open)


def _other_claims(st, flat_charged: Decimal) -> list[dict]:
    found = []
    if flat_charged > 0:
        found.append({"what": f"flat fee ({st.flat_fee_basis})", "amount": fmt(flat_charged), "charged": True})
    if st.claimable_flat_fee > 0:
        found.append({"what": f"flat fee ({st.flat_fee_basis}), claimable, not charged yet",
                      "amount": fmt(st.claimable_flat_fee), "charged": False})
    return found


def agency_rows(state: CaseState, law: Law) -> list[dict]:
    """The collection-agency hand-over: one row per invoice with its figures and the history in short."""
    c = state.case.customer
    history = history_summary(state)
    rows = []
    for f in invoice_figures(state, law):
        rows.append({
            "case": state.case.id, "debtor": c.name, "debtor_kind": c.kind, "address": _address(c.name, c.address),
            "invoice": f.invoice.number, "invoice_date": f.invoice.date.isoformat(), "due": f.invoice.due.isoformat(),
            "default_from": f.default_from.isoformat() if f.default_from else "", "currency": state.currency,
            "amount": fmt(f.invoice.amount), "paid": fmt(f.paid), "principal_open": fmt(f.principal),
            "interest": fmt(f.interest), "costs": fmt(f.costs),
            "total_open": fmt(f.principal + f.interest + f.costs), "history": history,
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
