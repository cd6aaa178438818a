"""What a letter carries on its way out: a stable identity, the ledger's time, the Swiss QR-bill,
the company's register details, a copy of the invoice, the thanks after payment, and a payment
code no template can hide or imitate."""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import subprocess
import sys

import pytest

from tests.test_letters_trust import CREDITOR_CH, ONE

pypdf = pytest.importorskip("pypdf")

LONG_ID = "stadtwerke-musterstadt-kreditorenbuchhaltung-rechnung-2026-0001"
COMPANY = """\
creditor:
  name: Anna Beispiel Webdesign GmbH
  address: |
    Lindenweg 3
    10115 Berlin
  email: anna@example.org
  iban: DE02120300000000202051
  bic: BYLADEM1001
  register: {court: Amtsgericht Charlottenburg, number: HRB 123456 B}
  managing_directors: [Anna Beispiel, Ben Muster]
  vat_id: DE123456789
  tax_number: 27/123/45678
country: DE
"""


def _eml(ledger, *args, on="2026-11-20"):
    result = ledger.run("letter", *args, "--format", "eml", "--on", on)
    assert result.exit_code == 0, result.stderr
    return result.stdout, email.message_from_string(result.stdout, policy=email.policy.default)


# --- 10: sending identity ---------------------------------------------------------------------------------

def test_a_long_case_id_keeps_the_stable_message_id(ledger):
    ledger.case(LONG_ID, ONE)
    text, msg = _eml(ledger, LONG_ID, "dunning")
    assert msg["Message-ID"] == f"<{LONG_ID}.dunning.20261120@example.org>"
    assert f"Message-ID: <{LONG_ID}.dunning.20261120@example.org>\n" in text  # one line, never folded
    from receivables_cli.usecases.outbox import with_message_id

    assert with_message_id(text, LONG_ID, "dunning", __import__("datetime").date(2026, 11, 20)) == text


def test_the_date_header_is_in_the_ledgers_time_zone(ledger):
    ledger.case("one", ONE)
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": "2026-11-20", "TZ": "America/New_York"}
    done = subprocess.run([sys.executable, "-m", "receivables_cli.cli", "letter", "one", "dunning", "--format", "eml"],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0 and "No module named" in done.stderr:
        done = subprocess.run(["dun", "letter", "one", "dunning", "--format", "eml"], env=env, capture_output=True,
                              text=True)
    assert done.returncode == 0, done.stderr
    msg = email.message_from_string(done.stdout, policy=email.policy.default)
    assert msg["Date"].endswith("+0100")  # Berlin in November


def test_a_swiss_e_mail_carries_the_qr_bill(ledger):
    (ledger.root / "dun.yaml").write_text(CREDITOR_CH, encoding="utf-8")
    ledger.case("ch", ONE.replace("Hauptstraße 5", "Seestrasse 12a").replace("10115 Berlin", "8002 Zürich"))
    _, msg = _eml(ledger, "ch", "dunning")
    bills = [p for p in msg.walk() if p.get_filename() == "QR-Rechnung.pdf"]
    assert len(bills) == 1
    text = pypdf.PdfReader(io.BytesIO(bills[0].get_content())).pages[0].extract_text()
    assert "CH93 0076 2011 6238 5295 7" in text and "Zahlteil" in text


def test_check_reports_a_qr_iban_and_a_company_without_register(ledger):
    (ledger.root / "dun.yaml").write_text(CREDITOR_CH.replace("CH9300762011623852957", "CH4431999123000889012"),
                                          encoding="utf-8")
    result = ledger.run("check")
    assert result.exit_code == 1 and "QR-IBAN" in result.stderr + result.stdout
    (ledger.root / "dun.yaml").write_text(COMPANY.replace("  register: {court: Amtsgericht Charlottenburg, "
                                                          "number: HRB 123456 B}\n", ""), encoding="utf-8")
    result = ledger.run("check")
    assert result.exit_code == 1 and "register court" in result.stderr + result.stdout
    (ledger.root / "dun.yaml").write_text(COMPANY, encoding="utf-8")
    assert ledger.run("check").exit_code == 0


# --- the footer, our reference, the enclosure ----------------------------------------------------------------

def test_paper_and_e_mail_carry_the_company_details_and_our_reference(ledger):
    (ledger.root / "dun.yaml").write_text(COMPANY, encoding="utf-8")
    ledger.case("one", ONE.replace("  kind: business\n", "  kind: business\n  number: K-1042\n"))
    out = ledger.root / "one.pdf"
    result = ledger.run("letter", "one", "dunning", "--format", "pdf", "-o", str(out), "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    reader = pypdf.PdfReader(out)
    for page in reader.pages:
        text = " ".join(page.extract_text().replace("\xa0", " ").split())
        for part in ("Amtsgericht Charlottenburg, HRB 123456 B", "Anna Beispiel, Ben Muster", "DE123456789"):
            assert part in text
    first = reader.pages[0].extract_text()
    assert "one" in first and "K-1042" in first and "Unser Zeichen" in first
    _, msg = _eml(ledger, "one", "dunning")
    plain = msg.get_body(("plain",)).get_content()
    assert "HRB 123456 B" in plain and "Ihre Kundennummer: K-1042" in plain
    assert "HRB 123456 B" in msg.get_body(("html",)).get_content()


def _invoice_pdf(path):
    from receivables_cli.output.pdf import html_to_pdf

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html_to_pdf("<p>Rechnung RE-2026-031 ORIGINALBELEG</p>"))


def test_the_invoice_file_is_attached_to_the_e_mail_and_appended_to_the_print(ledger):
    ledger.case("one", ONE.replace("due: 2026-09-15}", "due: 2026-09-15, file: invoices/RE-2026-031.pdf}"))
    _invoice_pdf(ledger.root / "invoices" / "RE-2026-031.pdf")
    _, msg = _eml(ledger, "one", "dunning")
    attached = [p for p in msg.walk() if p.get_filename() == "RE-2026-031.pdf"]
    assert len(attached) == 1 and attached[0].get_content().startswith(b"%PDF")
    assert "Anhang: Kopie der Rechnung RE-2026-031" in msg.get_body(("plain",)).get_content()
    out = ledger.root / "one.pdf"
    result = ledger.run("letter", "one", "dunning", "--format", "pdf", "-o", str(out), "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    assert "ORIGINALBELEG" in pages[-1] and "Anlage: Kopie der Rechnung RE-2026-031" in " ".join(pages)


def test_a_missing_invoice_file_stops_the_letter(ledger):
    ledger.case("one", ONE.replace("due: 2026-09-15}", "due: 2026-09-15, file: invoices/none.pdf}"))
    result = ledger.run("letter", "one", "dunning", "--format", "eml", "--on", "2026-11-20")
    assert result.exit_code == 1 and "invoices/none.pdf" in result.stderr


# --- thanks after payment ----------------------------------------------------------------------------------------

PAID = ONE + """\
  - {at: 2026-10-01, event: letter, template: dunning}
  - {at: 2026-11-18, event: payment, amount: 1190.00}
"""


def _actions(ledger, on):
    result = ledger.run("today", "--json", "--on", on)
    assert result.exit_code == 0, result.stderr
    return [(a["case"], a["action"], a["template"]) for a in json.loads(result.stdout)]


def test_a_case_settled_after_a_dunning_letter_offers_the_thank_you_letter(ledger):
    ledger.case("paid", PAID)
    ledger.case("quiet", ONE + "  - {at: 2026-09-10, event: payment, amount: 1190.00}\n")
    assert _actions(ledger, "2026-11-20") == [("paid", "thank_customer", "payment-thanks")]
    text = ledger.run("letter", "paid", "--on", "2026-11-20").stdout
    assert "Vielen Dank" in text and "RE-2026-031" in text and "1.190,00 €" in text
    assert "nichts mehr offen" in text
    en = ledger.run("letter", "paid", "payment-thanks", "--lang", "en", "--on", "2026-11-20").stdout
    assert "Thank you" in en and "paid in full" in en
    assert ledger.run("sent", "paid", "payment-thanks", "--on", "2026-11-20").exit_code == 0
    assert _actions(ledger, "2026-11-21") == []


def test_thank_on_payment_false_turns_the_thanks_off(ledger):
    ledger.case("paid", PAID)
    ledger.config("letters: {thank_on_payment: false}\n")
    assert _actions(ledger, "2026-11-20") == []


# --- issue 26.5: the payment code is dun's ---------------------------------------------------------------------

HIDING = ("---\nsubject: Mahnung\n---\n<style>.qr,.segno,svg{display:none}</style>\n\n{{ salutation }},\n\n"
          "bitte zahlen Sie {{ to_pay|money }}.\n\n<img src=\"data:image/png;base64,iVBORw0KGgo=\">\n")


def test_a_template_that_hides_or_imitates_the_payment_code_is_refused(ledger):
    ledger.case("one", ONE)
    (ledger.root / "letters" / "de").mkdir(parents=True)
    (ledger.root / "letters" / "de" / "dunning.md").write_text(HIDING, encoding="utf-8")
    check = ledger.run("check")
    assert check.exit_code == 1 and "dunning.md" in check.stderr + check.stdout
    for fmt in ("pdf", "eml", "html"):
        result = ledger.run("letter", "one", "dunning", "--format", fmt, "-o", str(ledger.root / f"x.{fmt}"),
                            "--on", "2026-11-20")
        assert result.exit_code == 1 and "payment code" in result.stderr, fmt
