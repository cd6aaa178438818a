"""`dun import invoice --json`: `{"recorded", "summary", "files": [{"file", "format", "invoices": [...]}]}`."""

from __future__ import annotations

STATUSES = ("created", "added", "credited", "skipped", "failed")


def invoice_json(outcomes, recorded: bool) -> dict:
    """One file per outcome (an e-invoice holds one invoice), in the order the files were read."""
    summary = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    return {"recorded": recorded, "summary": summary,
            "files": [{"file": o.path, "format": o.record.format if o.record else None,
                       "invoices": [_invoice(o)]} for o in outcomes]}


def _invoice(o) -> dict:
    from receivables_cli.domain.amounts import fmt

    r = o.record
    base = {"number": r.number if r else None, "case": o.case_id, "status": o.status, "why": o.why or o.message}
    if r is None:
        return base
    d = r.discount
    return {**base, "kind": "credit note" if r.credit_note else "invoice", "date": r.issued.isoformat(),
            "due": r.due.isoformat() if r.due else None, "amount": fmt(r.amount), "currency": r.currency,
            "buyer": r.buyer.name, "discount": {"percent": str(d.percent), "days": d.days} if d else None,
            "credits": r.preceding if r.credit_note else None}
