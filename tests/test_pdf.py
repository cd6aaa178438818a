"""`dun letter --format pdf`: A4, the address in the envelope window, page numbers, the payment part.

The PDF is read back with pypdf; positions are in millimetres from the top-left corner of the page.
"""

from __future__ import annotations

import io
import subprocess
import textwrap

import pytest

from receivables_cli.usecases.agenda import desk_of

pypdf = pytest.importorskip("pypdf")

MM = 72 / 25.4

CASE = """
customer:
  name: Müller & Söhne KG
  kind: business
  contact: Erika Muster
  email: erika@mueller.example
  address: |
    Müller & Söhne KG
    Frau Erika Muster
    Musterstraße 1
    10115 Berlin
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
    subject: Website relaunch
"""
CH_CONFIG = """\
creditor:
  name: Anna Beispiel Webdesign
  address: |
    Bahnhofstrasse 1
    8001 Zürich
  email: anna@example.org
  iban: CH9300762011623852957
country: CH
currency: CHF
language: de
"""
CH_CASE = CASE.replace("Musterstraße 1", "Seestrasse 12a").replace("10115 Berlin", "8002 Zürich")


def _pdf(ledger, *args: str):
    result = ledger.run("letter", *args, "--format", "pdf", "-o", str(ledger.root / "out.pdf"))
    assert result.exit_code == 0, result.stderr
    return pypdf.PdfReader(ledger.root / "out.pdf")


def _words(page) -> list[tuple[str, float, float]]:
    """(text, x mm from the left, y mm from the top) of each piece of text on the page."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return found


def _where(page, text: str) -> tuple[float, float]:
    hits = [(x, y) for t, x, y in _words(page) if text in t]
    assert hits, f"{text!r} not on the page: {[t for t, _, _ in _words(page)]}"
    return hits[0]


def test_pdf_is_a4_with_the_recipient_in_the_din_5008_window(ledger):
    ledger.case("mueller", CASE)
    reader = _pdf(ledger, "mueller", "dunning", "--on", "2026-11-20")
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    x, y = _where(page, "Müller & Söhne KG")
    assert 20 <= x <= 105 and 62.7 <= y <= 90  # the address zone of form B, below the return line
    rx, ry = _where(page, "Anna Beispiel Webdesign · Lindenweg 3 · 10115 Berlin")  # the return address line
    assert 20 <= rx <= 105 and 45 <= ry <= 62.7
    gx, gy = _where(page, "GiroCode")  # the code's caption: in form B's information block, right of the window
    assert 125 <= gx <= 190 and 45 <= gy <= 100
    text = page.extract_text()
    assert "Berlin, 20. November 2026" in text and "Mahnung" in text


def test_a_long_letter_numbers_its_pages_from_page_two(ledger):
    history = "".join(f"""
  - at: 2026-{m:02d}-{d:02d}
    event: invoice
    number: RE-2026-{m:02d}{d:02d}
    amount: 100.00
    subject: Maintenance {m}/{d}""" for m in range(1, 10) for d in (1, 15))
    ledger.case("long", CASE.replace("history:", "history:" + history, 1))
    reader = _pdf(ledger, "long", "statement", "--on", "2026-11-20")
    assert len(reader.pages) >= 2
    assert "Seite 1" not in reader.pages[0].extract_text()
    assert "Seite 2 von" in reader.pages[1].extract_text()
    assert "GiroCode" in reader.pages[0].extract_text()  # the payment code in page 1's information block
    assert "GiroCode" not in "".join(p.extract_text() for p in reader.pages[1:])


def test_swiss_letter_uses_the_right_window_and_the_qr_bill(ledger):
    (ledger.root / "dun.yaml").write_text(CH_CONFIG, encoding="utf-8")
    ledger.case("mueller", CH_CASE)
    reader = _pdf(ledger, "mueller", "dunning", "--on", "2026-11-20")
    x, y = _where(reader.pages[0], "Müller & Söhne KG")
    assert x >= 118 and 60 <= y <= 85.5  # SN 010130, right-hand window
    last = reader.pages[-1].extract_text()
    assert "Zahlteil" in last and "Empfangsschein" in last and "CH93 0076 2011 6238 5295 7" in last
    assert "GiroCode" not in "".join(p.extract_text() for p in reader.pages)


def test_swiss_qr_bill_needs_structured_addresses(ledger):
    (ledger.root / "dun.yaml").write_text(CH_CONFIG, encoding="utf-8")
    ledger.case("vague", CH_CASE.replace("    Seestrasse 12a\n    8002 Zürich\n", "    somewhere in Zürich\n"))
    result = ledger.run("letter", "vague", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert result.exit_code == 1 and "QR-bill needs the customer's address" in result.stderr
    assert "Traceback" not in result.stderr and not (ledger.root / "x.pdf").exists()


def test_a_case_without_address_is_an_error_for_pdf_and_a_warning_otherwise(ledger):
    ledger.case("bare", CASE.split("  address:")[0] + "history:" + CASE.split("history:")[1])
    pdf = ledger.run("letter", "bare", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert pdf.exit_code == 1 and "bare has no postal address" in pdf.stderr
    md = ledger.run("letter", "bare", "dunning")
    assert md.exit_code == 0 and "warning: bare has no postal address" in md.stderr


def test_a_creditor_without_iban_is_an_error_for_pdf(ledger):
    text = (ledger.root / "dun.yaml").read_text().replace("  iban: DE02120300000000202051\n", "")
    (ledger.root / "dun.yaml").write_text(text)
    ledger.case("mueller", CASE)
    pdf = ledger.run("letter", "mueller", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert pdf.exit_code == 1 and "no creditor iban" in pdf.stderr


def test_pdf_is_refused_on_a_terminal_and_written_to_a_pipe(ledger):
    import os
    import pty
    import sys

    ledger.case("mueller", CASE)
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-20")
    cmd = [sys.executable, "-m", "receivables_cli", "letter", "mueller", "dunning", "--format", "pdf"]
    piped = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(piped.stdout)).pages) >= 1
    leader, follower = pty.openpty()
    try:
        tty = subprocess.run(cmd, env=env, stdout=follower, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert tty.returncode == 1 and b"a PDF is binary" in tty.stderr


def test_a_template_cannot_make_the_pdf_fetch_files(ledger):
    secret = ledger.root / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">TOPSECRET</text></svg>')
    path = ledger.root / "letters" / "de" / "dunning.md"
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent(f"""\
        ---
        subject: Mahnung
        ---
        <img src="file://{secret}"> <img src="{secret}">
        """))
    ledger.case("mueller", CASE)
    result = ledger.run("letter", "mueller", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert result.exit_code == 1 and "images" in result.stderr  # a template brings no pictures at all
    from receivables_cli.output.pdf import html_to_pdf  # and the page itself never fetches a file

    pdf = html_to_pdf(f'<p>x</p><img src="file://{secret}"> <img src="{secret}">')
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "TOPSECRET" not in "".join(p.extract_text() for p in reader.pages)


def test_html_shares_the_a4_layout_and_keeps_the_signature_lines_together(ledger):
    ledger.case("mueller", CASE + """  - at: 2026-11-04
    event: agreement
    installments:
      - {amount: 500.00, by: 2026-12-15}
      - {amount: 690.00, by: 2027-01-15}
""")
    result = ledger.run("letter", "mueller", "installment-agreement", "--format", "html", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert "@page { size: A4" in page and '<div class="window din">' in page
    closing = page.split('<div class="closing">', 1)[1]
    assert "____" in closing and ".closing { break-inside: avoid; }" in page
    assert "Mit freundlichen Grüßen" in page and "Mit freundlichen Grüßen" not in closing  # signatures come last


def test_render_letter_gives_bytes_for_pdf_and_text_for_the_rest(ledger):
    """The function the outbox calls: one entry point for every format."""
    from datetime import date

    from receivables_cli.output.correspondence import render_letter
    from receivables_cli.store.ledger import open_ledger
    from receivables_cli.usecases.agenda import state_of

    ledger.case("mueller", CASE)
    book = open_ledger(ledger.root)
    day = date(2026, 11, 20)
    state = state_of(book, book.load("mueller"), day)
    assert render_letter(desk_of(book), state, "dunning", "pdf", day).startswith(b"%PDF-")
    assert render_letter(desk_of(book), state, "dunning", "md", day).startswith("# ")
    assert render_letter(desk_of(book), state, "dunning", "html", day).startswith("<!DOCTYPE html>")
    assert render_letter(desk_of(book), state, "dunning", "eml", day).startswith("From: Anna Beispiel Webdesign <anna@")
