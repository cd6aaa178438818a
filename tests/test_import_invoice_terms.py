"""The due date an imported invoice states: BT-9, else the payment terms (BT-20), else payment_terms_days."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables_cli.imports.terms import Discount, read_terms

DATA = Path(__file__).parent / "data" / "import"
UBL, CII = DATA / "xrechnung-ubl.xml", DATA / "cii.xml"
ISSUED = date(2021, 7, 14)


@pytest.mark.parametrize("terms, due", [
    ("zahlbar bis 13.08.2021", "2021-08-13"),
    ("Zahlung ohne Abzug bis zum 13.08.2021 bei uns eingehend.", "2021-08-13"),
    ("innerhalb von 30 Tagen ohne Abzug", "2021-08-13"),
    ("14 Tage netto", "2021-07-28"),
    ("zahlbar sofort", "2021-07-14"),
    ("Rechnungsbetrag zahlbar sofort nach Erhalt der Rechnung.", "2021-07-14"),
    ("net 30", "2021-08-13"),
    ("Due on receipt", "2021-07-14"),
    ("Payable within 30 days net", "2021-08-13"),
    # a discount period is never the due date
    ("Innerhalb von 10 Tagen 2% Skonto, 30 Tage ohne Abzug", "2021-08-13"),
    ("2 % Skonto bei Zahlung innerhalb 10 Tagen oder 30 Tage netto", "2021-08-13"),
    ("Zahlbar innerhalb 30 Tagen netto bis 13.08.2021, 3% Skonto innerhalb 10 Tagen bis 24.07.2021", "2021-08-13"),
    ("2/10 net 30", "2021-08-13"),
    ("#SKONTO#TAGE=14#PROZENT=2.00#\n", None),
    ("#SKONTO#TAGE=7#PROZENT=3.00#\n#SKONTO#TAGE=14#PROZENT=2.00#\nZahlbar innerhalb von 30 Tagen", "2021-08-13"),
    ("2 % Skonto bei Zahlung innerhalb von 14 Tagen", None),
    ("Bei Zahlungsverzug nach 30 Tagen berechnen wir 5 % Verzugszinsen.", None),
    ("Vielen Dank für Ihren Auftrag.", None),
    ("Lieferung am 20.07.2021, zahlbar innerhalb von 30 Tagen", "2021-08-13"),
    ("Fällig am 13.08.2021", "2021-08-13"),
    ("Payment due on 2021-08-13", "2021-08-13"),
])
def test_due_date_from_the_terms(terms, due):
    found = read_terms(ISSUED, None, [terms])
    assert (found.due.isoformat() if found.due else None) == due


@pytest.mark.parametrize("terms, discount", [
    ("#SKONTO#TAGE=14#PROZENT=2.00#\n", Discount(Decimal("2.00"), 14)),
    ("#SKONTO#TAGE=7#PROZENT=3.00#BASISBETRAG=100.00#\n#SKONTO#TAGE=14#PROZENT=2.00#", Discount(Decimal("3.00"), 7)),
    ("Innerhalb von 10 Tagen 2,5% Skonto, 30 Tage ohne Abzug", Discount(Decimal("2.5"), 10)),
    ("2/10 net 30", Discount(Decimal("2"), 10)),
    ("30 Tage netto", None),
    ("Bei Zahlungsverzug nach 30 Tagen berechnen wir 5 % Verzugszinsen.", None),
])
def test_the_discount_is_kept_apart(terms, discount):
    assert read_terms(ISSUED, None, [terms]).discount == discount


def test_a_stated_due_date_wins_over_the_terms():
    found = read_terms(ISSUED, date(2021, 8, 1), ["14 Tage netto"])
    assert found.due == date(2021, 8, 1) and found.how == "as the invoice states it"


def ubl_with_terms(tmp_path, terms: str, due: bool = False) -> Path:
    body = UBL.read_text(encoding="utf-8")
    if not due:
        body = re.sub(r"\s*<cbc:DueDate>.*?</cbc:DueDate>[^\n]*", "", body)
    body = re.sub(r"<cac:PaymentTerms>.*?</cac:PaymentTerms>",
                  f"<cac:PaymentTerms><cbc:Note>{terms}</cbc:Note></cac:PaymentTerms>" if terms else "", body,
                  flags=re.S)
    path = tmp_path / "invoice.xml"
    path.write_text(body, encoding="utf-8")
    return path


def test_import_takes_the_due_date_from_the_terms_and_says_so(ledger, tmp_path):
    path = ubl_with_terms(tmp_path, "Zahlbar bis 13.12.2026 ohne Abzug.")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 0, result.output
    assert 'due 2026-12-13 by the payment terms "Zahlbar bis 13.12.2026 ohne Abzug."' in result.stdout
    assert "    due: 2026-12-13\n" in ledger.text("bergmann-2026-050")


def test_import_records_the_xrechnung_discount_and_not_as_due_date(ledger, tmp_path):
    path = ubl_with_terms(tmp_path, "#SKONTO#TAGE=14#PROZENT=2.00#\n")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 0, result.output
    text = ledger.text("bergmann-2026-050")
    assert "    discount: {percent: 2.00, days: 14}\n" in text and "due:" not in text
    shown = json.loads(ledger.run("show", "bergmann-2026-050", "--json").stdout)
    assert shown["history"][0]["discount"] == {"percent": "2.00", "days": 14}


def test_without_terms_the_import_names_payment_terms_days(ledger, tmp_path):
    path = ubl_with_terms(tmp_path, "")
    result = ledger.run("import", "invoice", str(path), "--json")
    assert result.exit_code == 0, result.output
    invoice = json.loads(result.stdout)["files"][0]["invoices"][0]
    assert invoice["due"] is None
    assert "no due date or payment terms in the invoice: due 14 days after it, the ledger's payment_terms_days" \
        in invoice["why"]


def test_a_case_file_with_a_bad_discount_is_a_problem(ledger):
    ledger.case("acme", """
        customer:
          name: Acme GmbH
        history:
          - at: 2026-10-01
            event: invoice
            number: RE-1
            amount: 100
            discount: {percent: 120, days: 14}
        """)
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "discount must be {percent: 2.00, days: 14}" in result.output
