"""`dun import invoice` against hostile e-invoices: safe case ids, one-line fields, clean messages."""

from __future__ import annotations

import re

import pytest

from tests.test_import_invoice import UBL

BUYER = "Bergmann Logistik GmbH &amp; Co. KG"


def ubl(tmp_path, buyer: str | None = None, amount: str | None = None, name: str = "i.xml"):
    body = UBL.read_text(encoding="utf-8")
    if buyer is not None:
        body = body.replace(BUYER, buyer).replace("<cbc:Name>Bergmann Logistik</cbc:Name>",
                                                  f"<cbc:Name>{buyer}</cbc:Name>")
    if amount is not None:
        body = re.sub(r"(<cbc:PayableAmount[^>]*>).*?(</cbc:PayableAmount>)", rf"\g<1>{amount}\2", body)
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_buyer_name_with_line_separators_and_yaml_characters_makes_a_valid_case(ledger, tmp_path):
    """A U+2028 in the buyer's name refused the whole invoice, pointing at a case file that did not exist."""
    path = ubl(tmp_path, "Evil\u2028Corp: #x &quot;q&quot; 'GmbH'&#10;- at: x\u0085")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 0, result.output
    assert ledger.run("check").exit_code == 0
    (case,) = (ledger.root / "cases").glob("*.yaml")
    assert case.name == "evil-2026-050.yaml"
    assert "name: \"Evil Corp: #x \\\"q\\\" 'GmbH' - at: x\"" in case.read_text(encoding="utf-8")


def test_a_buyer_name_longer_than_dun_keeps_is_named_by_the_invoice(ledger, tmp_path):
    path = ubl(tmp_path, "A" * 10000 + " GmbH")
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: the buyer's name is 10,005 characters long, more than dun keeps (500); "
                             "nothing written\n")
    assert not list((ledger.root / "cases").glob("*.yaml"))


@pytest.mark.parametrize("buyer", ["../../etc/passwd / GmbH", ".. GmbH", "/ GmbH", "A" * 400 + " GmbH"])
def test_buyer_names_never_leave_cases_folder(ledger, tmp_path, buyer):
    result = ledger.run("import", "invoice", str(ubl(tmp_path, buyer)), "--record")
    assert result.exit_code == 0, result.output
    (case,) = (ledger.root / "cases").glob("*.yaml")
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,60}\.yaml", case.name)
    assert ledger.run("check").exit_code == 0


@pytest.mark.parametrize("amount", ["NaN", "12345678901234567890123456789", "1e3", "1190.001"])
def test_invoice_amount_that_is_no_amount_is_named(ledger, tmp_path, amount):
    result = ledger.run("import", "invoice", str(ubl(tmp_path, amount=amount)))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"'{amount}' is not an amount" in result.stderr


@pytest.mark.parametrize("body", [b"%PDF-1.4 not really", b"%PDF-1.7\n" + bytes(range(256)) * 8])
def test_pdf_that_is_no_pdf_is_one_clean_line(ledger, tmp_path, body):
    """pypdf's own log lines ('EOF marker not found') leaked to stderr beside dun's message."""
    import os
    import subprocess
    import sys

    path = tmp_path / "x.pdf"
    path.write_bytes(body)
    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": "2026-11-22"}
    result = subprocess.run([sys.executable, "-m", "receivables_cli", "import", "invoice", str(path)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"{path}: a PDF that cannot be read (Stream has ended unexpectedly)"]


def test_encrypted_and_truncated_pdfs_are_refused_and_the_good_file_still_lands(ledger, tmp_path):
    from pypdf import PdfWriter

    enc, trunc = tmp_path / "a-enc.pdf", tmp_path / "b-trunc.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    writer.write(enc)
    plain = PdfWriter()
    plain.add_blank_page(200, 200)
    plain.write(trunc)
    trunc.write_bytes(trunc.read_bytes()[:300])
    good = ubl(tmp_path, name="c-good.xml")
    before = ledger.snapshot()
    result = ledger.run("import", "invoice", str(enc), str(trunc), str(good), "--record")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{enc}: a PDF that cannot be read" in result.stderr
    assert f"{trunc}: a PDF that cannot be read" in result.stderr
    assert len(ledger.snapshot()) == len(before) + 1  # the good invoice's case, nothing else


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_absurd_due_date_is_named_by_the_invoice_not_a_case_file_that_does_not_exist(ledger, tmp_path, due):
    """The message pointed at 'cases/bergmann-2026-050.yaml:16', a file a dry run never wrote."""
    path = tmp_path / "i.xml"
    path.write_text(re.sub(r"<cbc:DueDate>.*?</cbc:DueDate>", f"<cbc:DueDate>{due}</cbc:DueDate>",
                           UBL.read_text(encoding="utf-8")), encoding="utf-8")
    result = ledger.run("import", "invoice", str(path))
    assert result.exit_code == 1
    assert f"{path}: due date '{due}' is outside the dates dun handles" in result.stderr
    assert "cases/" not in result.stderr


def test_due_date_before_the_issue_date_is_refused(ledger, tmp_path):
    path = tmp_path / "i.xml"
    path.write_text(re.sub(r"<cbc:DueDate>.*?</cbc:DueDate>", "<cbc:DueDate>2020-01-01</cbc:DueDate>",
                           UBL.read_text(encoding="utf-8")), encoding="utf-8")
    result = ledger.run("import", "invoice", str(path))
    assert result.exit_code == 1
    assert f"{path}: due date 2020-01-01 is before the issue date" in result.stderr
