"""The flat fee for late payment per invoice (§288(5) BGB, §458 UGB): counted by invoices, not events."""

from __future__ import annotations

import json

TWO = """
    customer: {name: Muster GmbH, contact: Erika Muster, email: erika@muster.example}
    history:
      - {at: 2026-09-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-09-15, fixed_due: true}
      - {at: 2026-09-02, event: invoice, number: RE-2, amount: 500.00, due: 2026-09-16, fixed_due: true}
    """


def claimable(ledger, on: str = "2026-11-02") -> str:
    return json.loads(ledger.run("statement", "c", "--json", on=on).stdout)["claimable_flat_fee"]


def test_one_80_euro_flat_fee_event_covers_both_invoices(ledger):
    """Both invoices are in default (16 and 17 Sep): 2 x 40.00 = 80.00 claimable. One fee event of 80.00
    without an invoice covers both: nothing more. Today's main counted events (2 invoices - 1 event) and
    claimed 40.00 more, and the final notice asked for a "Verzugspauschale von 40,00 €" on top."""
    ledger.case("c", TWO)
    assert claimable(ledger) == "80.00"
    ledger.case("c", TWO + "  - {at: 2026-10-01, event: fee, amount: 80.00, reason: flat fee for late payment}\n")
    assert claimable(ledger) == "0.00"
    letter = ledger.run("letter", "c", "final-notice", on="2026-11-02").stdout
    assert "Verzugspauschale von" not in letter and "80,00 €" in letter  # charged, listed; nothing on top


def test_fee_flat_records_one_fee_per_invoice_in_default(ledger):
    """`dun fee --flat`: a fee of 40.00 for RE-1 and one for RE-2; then nothing is left to charge."""
    ledger.case("c", TWO)
    result = ledger.run("fee", "c", "--flat", on="2026-11-02")
    assert result.exit_code == 0, result.output
    text = ledger.text("c")
    assert text.count("event: fee") == 2 and "invoice: RE-1" in text and "invoice: RE-2" in text
    assert text.count("amount: 40.00") == 2
    assert claimable(ledger) == "0.00"
    again = ledger.run("fee", "c", "--flat", on="2026-11-02")
    assert again.exit_code == 1 and "no flat fee is claimable" in again.stderr


def test_a_fee_named_to_one_invoice_leaves_the_other_claimable(ledger):
    ledger.case("c", TWO + "  - {at: 2026-10-01, event: fee, amount: 40.00, reason: flat fee, invoice: RE-2}\n")
    assert claimable(ledger) == "40.00"
    result = ledger.run("fee", "c", "--flat", on="2026-11-02")
    assert result.exit_code == 0 and "invoice: RE-1" in result.stdout
