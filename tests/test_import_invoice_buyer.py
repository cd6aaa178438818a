"""`dun import invoice`: the right customer, ZUGFeRD 1.0, credit notes, and the JSON output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"
UBL, CII, ZF1 = DATA / "xrechnung-ubl.xml", DATA / "cii.xml", DATA / "zugferd1.xml"


def bergmann_case(ledger, case_id: str, name: str, email: str | None = None) -> None:
    mail = f"\n          email: {email}" if email else ""
    ledger.case(case_id, f"""
        customer:
          name: {name}{mail}
        history:
          - at: 2026-10-01
            event: invoice
            number: {case_id.upper()}
            amount: 500
        """)


def written(ledger, body: str, name: str = "invoice.xml") -> Path:
    path = ledger.root.parent / name
    path.write_text(body, encoding="utf-8")
    return path


def import_json(ledger, *args) -> dict:
    result = ledger.run("import", "invoice", *map(str, args), "--json")
    return json.loads(result.stdout)


def test_one_word_starting_like_another_is_not_the_same_customer(ledger):
    """'Bergmann Logistik Nord' once joined the case of 'Bergmann Logistik' (a word resembling another)."""
    bergmann_case(ledger, "bergmann-a", "Bergmann Logistik Nordhafen GmbH")
    body = UBL.read_text(encoding="utf-8").replace("Bergmann Logistik GmbH &amp; Co. KG", "Bergmann Logistik Nord KG")
    result = ledger.run("import", "invoice", str(written(ledger, body)))
    assert result.exit_code == 0, result.output
    assert "would create cases/bergmann-2026-050.yaml (considered bergmann-a (Bergmann Logistik Nordhafen GmbH): " \
           "the name 'Bergmann Logistik Nord KG' is not 'Bergmann Logistik Nordhafen GmbH' and no identifier" \
           in result.stdout


def test_the_whole_name_matches_without_legal_form_case_and_umlauts(ledger):
    bergmann_case(ledger, "bergmann-a", "BERGMANN LOGISTIK")
    invoice = import_json(ledger, UBL)["files"][0]["invoices"][0]
    assert invoice["case"] == "bergmann-a" and invoice["status"] == "added"
    assert invoice["why"].startswith("the same name as the open case bergmann-a")


def test_an_identifier_matches_whatever_the_name(ledger):
    bergmann_case(ledger, "bl-hamburg", "BL Hamburg", email="Buchhaltung@Bergmann-Logistik.example")
    invoice = import_json(ledger, UBL)["files"][0]["invoices"][0]
    assert invoice["case"] == "bl-hamburg"
    assert invoice["why"].startswith("the same e-mail buchhaltung@bergmann-logistik.example")


def test_a_person_written_last_name_first_is_the_same_customer(ledger):
    bergmann_case(ledger, "vogt-a", "Vogt, Lena")
    assert import_json(ledger, CII)["files"][0]["invoices"][0]["case"] == "vogt-a"


def test_two_invoices_to_one_new_buyer_are_matched_by_vat_id(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xml").write_text(UBL.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.xml").write_text(UBL.read_text(encoding="utf-8").replace("RE-2026-050", "RE-2026-052").replace(
        "Bergmann Logistik GmbH &amp; Co. KG", "BL Bergmann Logistik Hamburg"), encoding="utf-8")
    files = import_json(ledger, folder)["files"]
    assert [f["invoices"][0]["status"] for f in files] == ["created", "added"]
    assert files[1]["invoices"][0]["why"].startswith("the same VAT id DE123456789 as")


def test_a_different_vat_id_rules_out_the_same_name(ledger, tmp_path):
    first = UBL.read_text(encoding="utf-8")
    second = first.replace("RE-2026-050", "RE-2026-052").replace("DE123456789", "DE111222333")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xml").write_text(first, encoding="utf-8")
    (folder / "b.xml").write_text(second, encoding="utf-8")
    files = import_json(ledger, folder)["files"]
    assert [f["invoices"][0]["status"] for f in files] == ["created", "created"]


def test_json_has_the_contract_shape(ledger):
    out = import_json(ledger, UBL)
    assert out["recorded"] is False
    (f,) = out["files"]
    assert f["file"] == str(UBL) and f["format"] == "XRechnung UBL"
    (invoice,) = f["invoices"]
    assert {k: invoice[k] for k in ("number", "case", "status")} == {
        "number": "RE-2026-050", "case": "bergmann-2026-050", "status": "created"}
    assert invoice["due"] == "2026-11-30" and invoice["amount"] == "2380.00" and "why" in invoice


def test_json_of_a_refused_file(ledger, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Rechnung 17", encoding="utf-8")
    result = ledger.run("import", "invoice", str(path), "--json")
    assert result.exit_code == 1
    invoice = json.loads(result.stdout)["files"][0]["invoices"][0]
    assert invoice["status"] == "failed" and invoice["why"].startswith("not an e-invoice")


def test_zugferd_1_xml_is_read(ledger):
    result = ledger.run("import", "invoice", str(ZF1), "--record")
    assert result.exit_code == 0, result.output
    text = ledger.text("gaertnerei-2026-060")
    assert "name: Gärtnerei Rosenhag GmbH" in text
    assert "  - at: 2026-11-03\n" in text
    for line in ("number: RE-2026-060", "amount: 476.00", "due: 2026-12-03",
                 "discount: {percent: 2.00, days: 8}", "subject: Website-Wartung"):
        assert f"    {line}\n" in text


def test_zugferd_1_pdf_is_read(ledger, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("ZUGFeRD-invoice.xml", ZF1.read_bytes())
    path = tmp_path / "RE-2026-060.pdf"
    with path.open("wb") as out:
        writer.write(out)
    invoice = import_json(ledger, path)["files"][0]
    assert invoice["format"] == "ZUGFeRD 1.0 PDF"
    assert invoice["invoices"][0]["number"] == "RE-2026-060" and invoice["invoices"][0]["amount"] == "476.00"


def ubl_credit_note(number: str, invoice: str, amount: str) -> str:
    """A UBL CreditNote built from the invoice fixture: root, type code, lines and BT-25."""
    body = UBL.read_text(encoding="utf-8")
    body = body.replace("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
                        "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
    body = body.replace("<ubl:Invoice ", "<ubl:CreditNote ").replace("</ubl:Invoice>", "</ubl:CreditNote>")
    body = body.replace("cac:InvoiceLine>", "cac:CreditNoteLine>")
    body = body.replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
                        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>")
    body = body.replace("RE-2026-050", number)
    body = re.sub(r"(<cbc:BuyerReference>.*?</cbc:BuyerReference>)",
                  rf"\1<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{invoice}</cbc:ID>"
                  r"</cac:InvoiceDocumentReference></cac:BillingReference>", body)
    return re.sub(r"<cbc:PayableAmount([^>]*)>.*?</cbc:PayableAmount>", rf"<cbc:PayableAmount\1>{amount}"
                  r"</cbc:PayableAmount>", body)


def test_a_credit_note_for_an_invoice_of_the_ledger_is_recorded_as_credit(ledger):
    assert ledger.run("import", "invoice", str(UBL), "--record").exit_code == 0
    path = written(ledger, ubl_credit_note("GS-2026-004", "RE-2026-050", "380.00"), "credit.xml")
    dry = ledger.run("import", "invoice", str(path))
    assert dry.exit_code == 0, dry.output
    assert "would append to cases/bergmann-2026-050.yaml (credits invoice RE-2026-050 (BT-25)" in dry.stdout
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 0, result.output
    assert "1 credit note recorded" in result.stdout
    shown = json.loads(ledger.run("show", "bergmann-2026-050", "--json").stdout)
    assert shown["credited"] == "380.00" and shown["open"] == "2000.00"
    assert shown["history"][-1] == {"at": "2026-11-02", "event": "credit", "amount": "380.00",
                                    "reason": "credit note GS-2026-004", "invoice": "RE-2026-050"}
    again = ledger.run("import", "invoice", str(path), "--record")
    assert again.exit_code == 1 and "credit note GS-2026-004 was recorded before" in again.stderr


def test_a_credit_note_for_an_unknown_invoice_is_refused(ledger):
    path = written(ledger, ubl_credit_note("GS-2026-004", "RE-2026-999", "380.00"), "credit.xml")
    before = ledger.snapshot()
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: a credit note (GS-2026-004) for invoice RE-2026-999, which is not in the "
                             "ledger: record it with 'dun credit' on its case\n")
    assert ledger.snapshot() == before


@pytest.mark.parametrize("amount", ["2380.01"])
def test_a_credit_note_above_the_open_amount_is_refused(ledger, amount):
    assert ledger.run("import", "invoice", str(UBL), "--record").exit_code == 0
    path = written(ledger, ubl_credit_note("GS-2026-004", "RE-2026-050", amount), "credit.xml")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 1 and "is more than the 2380.00 open on case bergmann-2026-050" in result.stderr


def test_a_cii_credit_note_names_its_invoice(ledger):
    assert ledger.run("import", "invoice", str(CII), "--record").exit_code == 0
    body = CII.read_text(encoding="utf-8").replace("<ram:TypeCode>380</ram:TypeCode>",
                                                   "<ram:TypeCode>381</ram:TypeCode>")
    body = body.replace("<ram:ID>RE-2026-051</ram:ID>", "<ram:ID>GS-2026-001</ram:ID>")
    body = body.replace("<ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
                        "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>RE-2026-051</ram:IssuerAssignedID>"
                        "</ram:InvoiceReferencedDocument><ram:SpecifiedTradeSettlementHeaderMonetarySummation>")
    result = ledger.run("import", "invoice", str(written(ledger, body)), "--record")
    assert result.exit_code == 0, result.output
    assert json.loads(ledger.run("show", "vogt-2026-051", "--json").stdout)["open"] == "0.00"


@pytest.mark.parametrize("record", [False, True])
def test_a_credit_note_in_one_folder_with_its_invoice_follows_it(ledger, tmp_path, record):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "GS-2026-004.xml").write_text(ubl_credit_note("GS-2026-004", "RE-2026-050", "380.00"), encoding="utf-8")
    (folder / "RE-2026-050.xml").write_text(UBL.read_text(encoding="utf-8"), encoding="utf-8")
    out = json.loads(ledger.run("import", "invoice", str(folder), "--json", *(["--record"] if record else [])).stdout)
    assert [(f["invoices"][0]["status"], f["invoices"][0]["case"]) for f in out["files"]] == [
        ("created", "bergmann-2026-050"), ("credited", "bergmann-2026-050")]
    if record:
        assert json.loads(ledger.run("show", "bergmann-2026-050", "--json").stdout)["open"] == "2000.00"
