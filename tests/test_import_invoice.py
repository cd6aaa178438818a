"""`dun import invoice`: XRechnung UBL, CII and Factur-X PDF become cases; nothing is imported twice."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"
UBL, CII = DATA / "xrechnung-ubl.xml", DATA / "cii.xml"


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def facturx_pdf(tmp_path) -> Path:
    """A Factur-X PDF made here with the factur-x package from the CII invoice."""
    from facturx import generate_from_binary

    path = tmp_path / "RE-2026-051.pdf"
    path.write_bytes(generate_from_binary(blank_pdf(), CII.read_bytes()))
    return path


def show(ledger, case_id: str) -> dict:
    result = ledger.run("show", case_id, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def case_header(ledger, case_id: str) -> str:
    return ledger.text(case_id).split("history:")[0]


def test_xrechnung_ubl_creates_a_case(ledger):
    result = ledger.run("import", "invoice", str(UBL), "--record")
    assert result.exit_code == 0, result.output
    shown = show(ledger, "bergmann-2026-050")
    assert shown["customer"] == "Bergmann Logistik GmbH & Co. KG"
    invoice = shown["history"][0]
    assert invoice == {"at": "2026-11-02", "event": "invoice", "number": "RE-2026-050", "amount": "2380.00",
                       "due": "2026-11-30", "subject": "Sendungsverfolgung im Kundenportal"}
    header = case_header(ledger, "bergmann-2026-050")
    for line in ("kind: business", "contact: Jonas Bergmann", "email: buchhaltung@bergmann-logistik.example",
                 "phone: +49 40 5550123",
                 'address: |\n    Bergmann Logistik GmbH & Co. KG\n    Hafenstraße 12\n    Halle 4\n'
                 '    20457 Hamburg\n'):
        assert line in header


def test_cii_creates_a_private_case_with_due_date_from_the_terms_field(ledger):
    assert ledger.run("import", "invoice", str(CII), "--record").exit_code == 0
    shown = show(ledger, "vogt-2026-051")
    assert shown["customer"] == "Lena Vogt" and shown["open"] == "595.00"
    assert shown["history"][0]["number"] == "RE-2026-051" and shown["history"][0]["due"] == "2026-11-19"
    assert "kind: private" in case_header(ledger, "vogt-2026-051")


def test_factur_x_pdf(ledger, facturx_pdf):
    result = ledger.run("import", "invoice", str(facturx_pdf), "--record")
    assert result.exit_code == 0, result.output
    shown = show(ledger, "vogt-2026-051")
    assert shown["history"][0]["at"] == "2026-11-05" and shown["history"][0]["amount"] == "595.00"
    assert "email: lena.vogt@example.org" in case_header(ledger, "vogt-2026-051")


def test_second_import_is_refused(ledger, facturx_pdf):
    assert ledger.run("import", "invoice", str(CII), "--record").exit_code == 0
    before = ledger.snapshot()
    again = ledger.run("import", "invoice", str(facturx_pdf), "--record")
    assert again.exit_code == 1
    assert f"{facturx_pdf}: invoice RE-2026-051 was imported before: it is in case vogt-2026-051" in again.stderr
    assert ledger.snapshot() == before


def test_dry_run_prints_the_case_file_and_writes_nothing(ledger):
    before = ledger.snapshot()
    result = ledger.run("import", "invoice", str(UBL))
    assert result.exit_code == 0
    assert ("would create cases/bergmann-2026-050.yaml (no open case of this buyer; due 2026-11-30 as the invoice "
            "states it):\ncustomer:\n  name: Bergmann Logistik GmbH & Co. KG") in result.stdout
    assert "Dry run, nothing written" in result.stdout
    assert ledger.snapshot() == before


def test_an_invoice_for_an_open_case_of_the_same_customer_is_added_to_it(ledger):
    ledger.case("bergmann-2026-040", """
        customer:
          name: Bergmann Logistik GmbH
        history:
          - at: 2026-10-01
            event: invoice
            number: RE-2026-040
            amount: 500
        """)
    result = ledger.run("import", "invoice", str(UBL), "--record")
    assert result.exit_code == 0, result.output
    assert "appended to cases/bergmann-2026-040.yaml" in result.stdout
    assert show(ledger, "bergmann-2026-040")["invoiced"] == "2880.00"
    assert not (ledger.root / "cases" / "bergmann-2026-050.yaml").exists()


def test_case_option_and_kind_option(ledger):
    ledger.case("other", "customer:\n  name: Someone Else\nhistory:\n")
    assert ledger.run("import", "invoice", str(CII), "--case", "other", "--record").exit_code == 0
    assert show(ledger, "other")["history"][0]["number"] == "RE-2026-051"
    assert ledger.run("import", "invoice", str(UBL), "--kind", "public", "--record").exit_code == 0
    assert "kind: public" in case_header(ledger, "bergmann-2026-050")
    assert ledger.run("import", "invoice", str(UBL), "--kind", "firm").exit_code == 2


def test_case_id_is_unique(ledger):
    ledger.case("vogt-2026-051", "customer:\n  name: Someone Else\nhistory:\n")
    body = CII.read_text(encoding="utf-8").replace("RE-2026-051", "RE/2026/051")
    path = ledger.root / "x.xml"
    path.write_text(body, encoding="utf-8")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert "created cases/vogt-2026-051-2.yaml" in result.stdout


def test_a_folder_skips_what_was_imported_and_ends_with_one_summary(ledger, tmp_path, facturx_pdf):
    folder = tmp_path / "invoices"
    folder.mkdir()
    for source in (UBL, CII, facturx_pdf):
        shutil.copy(source, folder / source.name)
    result = ledger.run("import", "invoice", str(folder), "--record")
    assert result.exit_code == 0, result.output
    assert "skipped, invoice RE-2026-051 is also in" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == (
        "3 files: 2 cases created, 0 invoices added, 1 skipped (imported before), 0 refused.")
    again = ledger.run("import", "invoice", str(folder), "--record")
    assert again.exit_code == 0 and "0 cases created, 0 invoices added, 3 skipped" in again.stdout


def test_two_invoices_to_one_new_buyer_make_one_case(ledger, tmp_path):
    folder = tmp_path / "invoices"
    folder.mkdir()
    shutil.copy(CII, folder / "a.xml")
    (folder / "b.xml").write_text(CII.read_text(encoding="utf-8").replace("RE-2026-051", "RE-2026-052"),
                                  encoding="utf-8")
    result = ledger.run("import", "invoice", str(folder), "--record")
    assert "1 case created, 1 invoice added" in result.stdout
    assert show(ledger, "vogt-2026-051")["invoiced"] == "1190.00"


@pytest.mark.parametrize("name, body, message", [
    ("broken.xml", b"<rsm:CrossIndustryInvoice><unclosed>", "not well-formed XML"),
    ("plain.pdf", None, "a PDF without an embedded invoice"),
    ("order.xml", b'<Order xmlns="urn:example:order"/>', "XML, but not an invoice dun can read (root element Order"),
    ("notes.txt", b"Rechnung 17", "not an e-invoice: neither XML"),
    ("no-total.xml", "no-total", "no amount payable (ram:DuePayableAmount)"),
    ("no-buyer.xml", "no-buyer", "no buyer name (ram:BuyerTradeParty/ram:Name)"),
    ("laughs.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>',
     "refused: the XML declares a DTD or entities"),
])
def test_what_cannot_be_imported_is_a_clear_error_and_writes_nothing(ledger, tmp_path, name, body, message):
    if body is None:
        body = blank_pdf()
    elif body == "no-total":
        body = CII.read_bytes().replace(b"<ram:DuePayableAmount>595.00</ram:DuePayableAmount>", b"").replace(
            b"<ram:GrandTotalAmount>595.00</ram:GrandTotalAmount>", b"")
    elif body == "no-buyer":
        body = CII.read_bytes().replace(b"<ram:Name>Lena Vogt</ram:Name>", b"")
    path = tmp_path / name
    path.write_bytes(body)
    before = ledger.snapshot()
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: {message}"), result.stderr
    assert "Traceback" not in result.output
    assert ledger.snapshot() == before


def test_commit(ledger, monkeypatch):
    import subprocess

    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "t")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")
    subprocess.run(["git", "init", "-q", str(ledger.root)], check=True)
    assert ledger.run("import", "invoice", str(UBL), "--record", "--commit").exit_code == 0
    log = subprocess.run(["git", "-C", str(ledger.root), "log", "--format=%s"], capture_output=True, text=True)
    assert log.stdout.strip() == "bergmann-2026-050: new case, invoice RE-2026-050 (imported)"


@pytest.mark.parametrize("terms, due", [
    ("Zahlbar innerhalb von 14 Tagen ohne Abzug.", "2026-11-19"), ("Payable within 30 days net", "2026-12-05"),
    ("Sofort zahlbar", "2026-11-05"), (None, None),
])
def test_due_date_from_payment_terms(terms, due):
    from datetime import date

    from receivables_cli.imports.terms import read_terms

    found = read_terms(date(2026, 11, 5), None, [terms] if terms else []).due
    assert (found.isoformat() if found else None) == due


@pytest.mark.parametrize("name, company", [
    ("Bergmann Logistik GmbH & Co. KG", True), ("Hotel Seeblick AG", True), ("Kiosk Aydın e.K.", True),
    ("Nordwind Ltd", True), ("Lena Vogt", False), ("Agnes Kgosi", False),
])
def test_company_form_in_the_name(name, company):
    from receivables_cli.imports.fields import looks_like_company

    assert looks_like_company(name) is company


def test_buyer_with_several_open_cases_asks_which(ledger):
    for case_id in ("bergmann-a", "bergmann-b"):
        ledger.case(case_id, f"""
            customer:
              name: Bergmann Logistik GmbH
            history:
              - at: 2026-10-01
                event: invoice
                number: {case_id}
                amount: 500
            """)
    result = ledger.run("import", "invoice", str(UBL))
    assert result.exit_code == 1
    assert "has several open cases (bergmann-a, bergmann-b): say which with --case" in result.stderr


def test_a_credit_note_naming_no_invoice_is_refused(ledger, tmp_path):
    path = tmp_path / "credit.xml"
    path.write_bytes(CII.read_bytes().replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>"))
    result = ledger.run("import", "invoice", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}: a credit note (RE-2026-051) that names no invoice (BT-25): record it on its " \
                            "case with 'dun credit'\n"
