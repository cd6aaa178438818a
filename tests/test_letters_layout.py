"""The printed letter laid out as a professional's: read back from the PDF with pypdf (millimetres from
the top-left corner of the page, page counts), for DIN 5008 form B and the Swiss window."""

from __future__ import annotations

import re

import pytest

pypdf = pytest.importorskip("pypdf")

MM = 72 / 25.4
CH = """\
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
CASE = """
customer:
  name: Gruber Handel GmbH
  kind: business
  contact: Maria Gruber
  email: maria@gruber.example
  address: |
    Gruber Handel GmbH
    Mariahilfer Straße 10
    10115 Berlin
history:
  - {at: 2026-08-03, event: invoice, number: RE-2026-081, amount: 1190.00, due: 2026-08-17, subject: Website relaunch}
  - {at: 2026-09-01, event: invoice, number: RE-2026-090, amount: 595.00, due: 2026-09-15, subject: Wartung}
  - {at: 2026-09-01, event: letter, template: reminder}
  - {at: 2026-09-25, event: credit, amount: 95.00, reason: mobile layout}
  - {at: 2026-10-01, event: letter, template: dunning}
"""


def _pdf(ledger, *args: str, on: str = "2026-11-20"):
    out = ledger.root / "out.pdf"
    result = ledger.run("letter", *args, "--format", "pdf", "-o", str(out), "--on", on)
    assert result.exit_code == 0, result.stderr
    return pypdf.PdfReader(out)


def _runs(page) -> list[tuple[str, float, float, float, str]]:
    """(text, x mm, y mm from the top, font size pt, font name) of each piece of text on the page."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or 1
            name = str((font or {}).get("/BaseFont", "")).split("+")[-1]
            found.append((text.strip(), x / MM, (height - y) / MM, size * scale, name))

    page.extract_text(visitor_text=visit)
    return found


def _lines(reader) -> list[str]:
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def test_the_payment_proposal_form_starts_on_the_first_page(ledger):
    ledger.case("gruber", CASE)
    reader = _pdf(ledger, "gruber", "payment-proposal")
    first = reader.pages[0].extract_text()
    assert "Offen sind" in first and "Betrag" in first
    for page in reader.pages[:-1]:  # a sentence ending in a colon stays with what it introduces
        body = [line for line in page.extract_text().splitlines() if "·" not in line and "Seite" not in line]
        assert not body[-1].rstrip().endswith(":"), body[-1]


def test_the_greeting_never_stands_alone_on_a_page(ledger):
    ledger.case("gruber", CASE)
    for name in ("final-notice", "dunning", "statement"):
        for lang in ("de", "en"):
            reader = _pdf(ledger, "gruber", name, "--lang", lang)
            for page in reader.pages[1:]:
                text = page.extract_text().strip()
                if "Empfangsschein" in text or "Receipt" in text:
                    continue
                assert not text.startswith(("Mit freundlichen", "Kind regards")), (name, lang)


def _filler_template(ledger, lang: str = "de") -> None:
    """A callback request whose paragraphs put a date and an amount at every position of a line."""
    paragraphs = "\n\n".join(f"{'x' * k} bis zum {{{{ deadline|date }}}} offen {{{{ open|money }}}} Ende."
                             for k in range(55, 100, 2))
    folder = ledger.root / "letters" / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "callback-request.md").write_text(f"---\nsubject: Rückruf\n---\n{{{{ salutation }}}},\n\n{paragraphs}\n"
                                                "\nMit freundlichen Grüßen\n", encoding="utf-8")


@pytest.mark.parametrize("swiss", [False, True])
def test_dates_and_amounts_are_never_broken_across_lines(ledger, swiss):
    if swiss:
        (ledger.root / "dun.yaml").write_text(CH, encoding="utf-8")
    ledger.case("gruber", CASE.replace("10115 Berlin", "8002 Zürich") if swiss else CASE)
    _filler_template(ledger)
    lines = _lines(_pdf(ledger, "gruber", "callback-request"))
    for before, after in zip(lines, lines[1:], strict=False):
        assert not (re.search(r"\b\d{1,2}\.$", before) and re.match(r"(Dezember|Januar|November)", after)), before
        assert not before.endswith(("CHF", "€")), (before, after)  # "offen CHF" / "1'250.00"
        assert not (re.search(r"\d$", before) and after.startswith(("€", "CHF"))), (before, after)


def test_swiss_amounts_put_the_minus_after_the_currency(ledger):
    (ledger.root / "dun.yaml").write_text(CH, encoding="utf-8")
    ledger.case("gruber", CASE.replace("10115 Berlin", "8002 Zürich")
                + "  - {at: 2026-10-10, event: payment, amount: 1000.00}\n")
    text = " ".join(_lines(_pdf(ledger, "gruber", "statement"))).replace("\xa0", " ")
    assert "CHF-" not in text and "CHF -1'000.00" in text


def test_a_six_line_address_stays_inside_the_window(ledger):
    six = CASE.replace("""    Gruber Handel GmbH
    Mariahilfer Straße 10
    10115 Berlin""", """    Gruber Handel GmbH
    Buchhaltung
    z. Hd. Frau Maria Gruber
    Gebäude 3, 2. Stock
    Mariahilfer Straße 10
    10115 Berlin""")
    ledger.case("gruber", six)
    page = _pdf(ledger, "gruber", "dunning").pages[0]
    town = [y for text, _x, y, _s, _f in _runs(page) if "10115 Berlin" in text and "·" not in text]
    assert town and town[0] <= 45 + 45 - 0.5  # the window ends 90 mm from the top


def test_an_address_that_leaves_the_window_is_refused(ledger):
    seven = CASE.replace("    Mariahilfer Straße 10\n", "    A\n    B\n    C\n    D\n    Mariahilfer Straße 10\n")
    ledger.case("seven", seven)
    result = ledger.run("letter", "seven", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert result.exit_code == 1 and "7 lines" in result.stderr
    wide = CASE.replace("Mariahilfer Straße 10", "Kreditorenbuchhaltung zu Händen Frau Dr. Maria Gruber-Schmidt")
    ledger.case("wide", wide)
    result = ledger.run("letter", "wide", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert result.exit_code == 1 and "window" in result.stderr
    assert not (ledger.root / "x.pdf").exists()


def test_a_long_creditor_name_still_fits_the_return_line(ledger):
    text = (ledger.root / "dun.yaml").read_text(encoding="utf-8")
    (ledger.root / "dun.yaml").write_text(text.replace(
        "name: Anna Beispiel Webdesign", "name: Anna Beispiel-Schöneberger Webdesign und Kommunikationsberatung"),
        encoding="utf-8")
    ledger.case("gruber", CASE)
    page = _pdf(ledger, "gruber", "dunning").pages[0]
    from receivables_cli.output.letter_checks import text_width_mm

    back = [(t, x, s) for t, x, _y, s, _f in _runs(page) if "·" in t and "Lindenweg" in t]
    assert back, "no return line"
    for t, x, size in back:
        assert x + text_width_mm(t, size) <= 20 + 85 + 0.5, (t, size)


def test_page_numbers_are_set_in_the_body_font(ledger):
    ledger.case("gruber", CASE)
    ledger.case("gruber", CASE + "  - {at: 2026-11-10, event: agreement, installments: "
                                 "[{amount: 800.00, by: 2026-12-01}, {amount: 890.00, by: 2027-01-04}]}\n")
    reader = _pdf(ledger, "gruber", "installment-agreement")
    assert len(reader.pages) >= 2
    runs = _runs(reader.pages[1])
    label = [f for t, _x, _y, _s, f in runs if re.match(r"Seite \d", t)]
    body = [f for t, _x, _y, _s, f in runs if "Schuldner" in t and "Bold" not in f]
    assert label and body and label[0] == body[0]


def _rects(page) -> list[tuple[float, float, float, float]]:
    """Filled rectangles and lines on the page as (x, y from the top, width, height) in mm."""
    from pypdf.generic import ContentStream

    height = float(page.mediabox.height)
    stream = ContentStream(page.get_contents(), page.pdf)
    found, matrix = [], [1, 0, 0, 1, 0, 0]
    stack = []
    for operands, op in stream.operations:
        if op == b"q":
            stack.append(list(matrix))
        elif op == b"Q" and stack:
            matrix = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                      e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            px, py = x * matrix[0] + y * matrix[2] + matrix[4], x * matrix[1] + y * matrix[3] + matrix[5]
            pw, ph = w * matrix[0], h * matrix[3]
            top = py + min(ph, 0)
            found.append((px / MM, (height - top - abs(ph)) / MM, abs(pw) / MM, abs(ph) / MM))
    return found


def test_the_first_page_has_fold_and_hole_marks(ledger):
    ledger.case("gruber", CASE)
    marks = [(x, y, w) for x, y, w, h in _rects(_pdf(ledger, "gruber", "dunning").pages[0]) if x < 15 and h < 1]
    for at in (105, 148.5, 210):
        assert any(abs(y - at) < 1 for _x, y, _w in marks), (at, marks)
