"""E-mail as people read it: clean plain text, the GiroCode as an inline PNG, and payment data nobody can bend."""

from __future__ import annotations

import email
import email.policy
import re
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from receivables_cli.cli import app
from receivables_cli.output.payment import epc_payload, qr_png
from receivables_cli.output.plaintext import markdown_to_text

CASE = """
customer:
  name: Müller & Söhne KG
  kind: business
  contact: Erika Muster
  email: erika@mueller.example
  address: |
    Müller & Söhne KG
    Musterstraße 1
    10115 Berlin
  assistant: {name: Jana Beispiel, phone: "+49 30 1234568"}
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
    subject: Website relaunch
  - at: 2026-11-04
    event: agreement
    down_payment: {amount: 190.00, by: 2026-11-13}
    installments:
      - {amount: 500.00, by: 2026-12-15}
      - {amount: 500.00, by: 2027-01-15}
"""
IBAN = "DE02120300000000202051"
DOWN_PAYMENT_OVERDUE = Decimal("190.00")  # on 2026-11-20 the dunning letter asks for the agreed down payment


def _message(ledger, *args: str):
    result = ledger.run("letter", *args, "--format", "eml", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    return email.message_from_string(result.stdout, policy=email.policy.default)


def _plain(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def _png(msg) -> bytes:
    parts = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(parts) == 1
    return parts[0].get_content()


@pytest.mark.parametrize("name", ["installment-agreement", "statement", "dunning"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_plain_text_part_has_no_markdown(ledger, name, lang):
    ledger.case("mueller", CASE)
    text = _plain(_message(ledger, "mueller", name, "--lang", lang))
    assert "**" not in text and "\\_" not in text and "| ---" not in text and "---: |" not in text
    assert not re.search(r"^(?!-- $).* +$", text, re.M), "no trailing spaces (Markdown line breaks)"
    assert "RE-2026-017" in text and "DE02 1203 0000 0000 2020 51" in text


def test_tables_become_aligned_columns():
    text = markdown_to_text("Intro\n\n| date | amount |\n| --- | ---: |\n| 1 May | 5,00 € |\n| 12 June | 100,00 € |\n")
    rows = text.splitlines()[2:]
    assert rows[0].split() == ["date", "amount"] and set(rows[1]) <= {"-", " "}
    assert len({len(r) for r in rows}) == 1  # the amounts right-aligned in one column
    assert rows[2].endswith("  5,00 €") and rows[3].endswith("100,00 €")


def test_hard_breaks_and_soft_wraps():
    text = markdown_to_text("a long\nparagraph\n\nName  \nPhone 1  \nmail@x.example\n\n\\_\\_\\_ **bold** *it*\n")
    assert text == "a long paragraph\n\nName\nPhone 1\nmail@x.example\n\n___ bold it\n"


def test_girocode_is_an_inline_png_referenced_from_the_html(ledger):
    ledger.case("mueller", CASE)
    msg = _message(ledger, "mueller", "dunning")
    related = next(p for p in msg.walk() if p.get_content_type() == "multipart/related")
    html = related.get_body(preferencelist=("html",)).get_content()
    image = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert image.get_content().startswith(b"\x89PNG")
    expected = epc_payload("Anna Beispiel Webdesign", IBAN, DOWN_PAYMENT_OVERDUE, "RE-2026-017", "BYLADEM1001")
    assert _png(msg) == qr_png(expected)


def test_the_agreement_letter_asks_for_the_down_payment_then_the_next_instalment(ledger):
    ledger.case("mueller", CASE)
    down = epc_payload("Anna Beispiel Webdesign", IBAN, Decimal("190.00"), "RE-2026-017", "BYLADEM1001")
    assert _png(_message(ledger, "mueller", "installment-agreement")) == qr_png(down)
    ledger.case("mueller", CASE + "  - at: 2026-11-12\n    event: payment\n    amount: 190.00\n")
    first = epc_payload("Anna Beispiel Webdesign", IBAN, Decimal("500.00"), "RE-2026-017", "BYLADEM1001")
    assert _png(_message(ledger, "mueller", "installment-agreement")) == qr_png(first)


def test_a_template_cannot_change_the_payment_data(ledger):
    ledger.case("mueller", CASE)
    path = ledger.root / "letters" / "de" / "dunning.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nsubject: Mahnung\n---\n{% set creditor = {'iban': 'DE89370400440532013000'} %}"
                    "{{ creditor.iban }} {{ arrears_to_pay|money }}\n")
    msg = _message(ledger, "mueller", "dunning")
    expected = epc_payload("Anna Beispiel Webdesign", IBAN, DOWN_PAYMENT_OVERDUE, "RE-2026-017", "BYLADEM1001")
    assert _png(msg) == qr_png(expected)  # whatever the text says, the code pays the creditor of dun.yaml
    path.write_text("---\nsubject: Mahnung\n---\n{% set _ = creditor.update(iban='X') %}{{ creditor.iban }}\n")
    result = ledger.run("letter", "mueller", "dunning", "--format", "html")
    assert result.exit_code == 1 and f"{path}:4: " in result.stderr and "Traceback" not in result.stderr


def test_an_assistant_without_email_is_an_error_naming_her(ledger):
    ledger.case("mueller", CASE)
    result = ledger.run("letter", "mueller", "callback-request", "--format", "eml", "--to", "assistant")
    assert result.exit_code == 1 and "Jana Beispiel" in result.stderr and result.stdout == ""


def test_letters_refuse_the_example_creditor_of_dun_init(tmp_path):
    runner, book = CliRunner(), tmp_path / "book"
    assert runner.invoke(app, ["init", str(book)]).exit_code == 0
    env = {"DUN_LEDGER": str(book), "DUN_TODAY": "2026-11-20"}
    new = runner.invoke(app, ["new", "acme", "--customer", "ACME GmbH", "--invoice", "RE-1", "--amount", "100",
                              "--date", "2026-10-01", "--email", "a@acme.example"], env=env)
    assert new.exit_code == 0, new.stderr
    for fmt in ("md", "eml"):
        result = runner.invoke(app, ["letter", "acme", "dunning", "--format", fmt], env=env)
        assert result.exit_code == 1 and result.stdout == ""
        assert f"{book / 'dun.yaml'}:3: creditor name is still the example 'Your Name Webdesign'" in result.stderr
        assert "creditor iban is still the example" in result.stderr
    check = runner.invoke(app, ["check"], env=env)
    assert check.exit_code == 1 and "dun.yaml:7: creditor email is still the example" in check.stdout


def test_a_mistyped_iban_is_reported_by_check_and_stops_a_pdf(ledger):
    text = (ledger.root / "dun.yaml").read_text(encoding="utf-8")
    wrong = text.replace("DE02120300000000202051", "DE02120300000000202052")  # one digit off: the checksum fails
    (ledger.root / "dun.yaml").write_text(wrong, encoding="utf-8")
    ledger.case("mueller", CASE)
    check = ledger.run("check")
    assert check.exit_code == 1
    expected = "dun.yaml:7: creditor iban DE02120300000000202052 is not a valid IBAN (invalid checksum digits)"
    assert expected in check.stdout
    pdf = ledger.run("letter", "mueller", "dunning", "--format", "pdf", "-o", str(ledger.root / "x.pdf"))
    assert pdf.exit_code == 1 and "not a valid IBAN" in pdf.stderr
    md = ledger.run("letter", "mueller", "dunning")
    assert md.exit_code == 0 and "warning: creditor iban DE02120300000000202052 is not a valid IBAN" in md.stderr


def test_plain_text_never_wraps_an_amount_apart_from_its_currency():
    from receivables_cli.output.plaintext import markdown_to_text

    line = "- Verzugszinsen vom 20. November 2026 bis heute (§ 288 Abs. 2 BGB): 8,57 €"
    text = markdown_to_text(line + "\n\nBitte zahlen Sie CHF 2.50 und weitere Beträge, die hier stehen, CHF 811.49")
    assert "8,57 €" in text and "CHF 2.50" in text and "CHF 811.49" in text
    assert not any(x.strip() in ("€", "CHF") or x.rstrip().endswith(("CHF",)) for x in text.splitlines())
