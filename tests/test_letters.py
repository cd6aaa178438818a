"""Letters: every template in both languages, formats, overrides, escaping, e-mail and the QR payload."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from receivables_cli.domain.model import TEMPLATES
from receivables_cli.output.payment import epc_payload

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
  assistant: {name: Jana Beispiel, email: jana@mueller.example}
  manager: {name: Max Muster, role: CEO}
history:
  - at: 2026-10-01
    event: invoice
    number: RE-2026-017
    amount: 1190.00
    due: 2026-10-15
    subject: Website relaunch
  - at: 2026-11-03 10:00
    event: call
    outcome: hardship
  - at: 2026-11-04
    event: agreement
    down_payment: {amount: 190.00, by: 2026-11-13}
    installments:
      - {amount: 500.00, by: 2026-12-15}
      - {amount: 500.00, by: 2027-01-15}
  - at: 2026-11-10
    event: credit
    amount: 0.50
    reason: goodwill for the late launch
  - at: 2026-11-11
    event: resolved
    note: The contact form was fixed on 10 November.
  - at: 2026-11-12 09:00
    event: call
    outcome: promised
    promise: {amount: 190.00, by: 2026-11-30}
"""


@pytest.fixture
def book(ledger):
    ledger.case("mueller", CASE)
    return ledger


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", [t for t in TEMPLATES if t != "payment-thanks"])
def test_every_template_renders_in_both_languages(book, name, lang):
    result = book.run("letter", "mueller", name, "--lang", lang, "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "None" not in text and "{{" not in text and "{%" not in text
    assert not re.search(r" [,.:]|\(\)|: \n", text), "an empty placeholder left a gap"
    assert "RE-2026-017" in text  # the invoice concerned
    if name in ("statement", "down-payment-request"):  # these ask for the total: open amount and interest accrued
        from receivables_cli.output.letters import format_money

        total = book.run("statement", "mueller", "--json", "--on", "2026-11-20").stdout.split('"total": "')[1][:7]
        assert format_money(total, "EUR", "de_DE" if lang == "de" else "en_GB") in text
    elif name in ("dunning", "final-notice"):  # the down payment is overdue: they ask for it, not for the rest
        assert ("**190,00 €**" if lang == "de" else "**€190.00**") in text
    else:
        assert ("1.189,50 €" if lang == "de" else "€1,189.50") in text  # the open amount
    # the deadline, a working day (the agreed down payment's 13 November has passed: the deadline instead)
    assert ("30. November 2026" if lang == "de" else "30 November 2026") in text
    assert "DE02 1203 0000 0000 2020 51" in text  # the bank details


def test_money_and_dates_per_language(book):
    book.case("plain", CASE.split("  - at: 2026-11-03")[0])
    de = book.run("letter", "plain", "reminder", "--on", "2026-11-10").stdout
    en = book.run("letter", "plain", "reminder", "--lang", "en", "--on", "2026-11-10").stdout
    assert "1.190,00 €" in de and "20. November 2026" in de
    assert "€1,190.00" in en and "20 November 2026" in en


def test_default_letter_is_the_one_due(book):
    book.case("pub", CASE.split("  - at: 2026-11-03")[0].replace("kind: business", "kind: public"))
    result = book.run("letter", "pub", "--on", "2026-10-18")
    assert result.stdout.startswith("# Zahlungserinnerung: Rechnung RE-2026-017")  # the formal one: public
    none = book.run("letter", "pub", "--on", "2026-10-02")
    assert none.exit_code == 1 and "no letter is due for pub on 2026-10-02; name one: reminder, dunning" in none.stderr


def test_ledger_override_wins(book):
    (book.root / "letters" / "de").mkdir(parents=True)
    (book.root / "letters" / "de" / "reminder.md").write_text(
        "---\nsubject: Eigene Erinnerung\n---\nHallo {{ customer.name }}, bitte {{ open|money }}.\n")
    out = book.run("letter", "mueller", "reminder", "--on", "2026-11-20").stdout
    assert out == "# Eigene Erinnerung\n\nHallo Müller & Söhne KG, bitte 1.189,50 €.\n"
    assert "A quick reminder" in book.run("letter", "mueller", "reminder", "--lang", "en").stdout


def test_missing_placeholder_names_it_with_path_and_line(book):
    path = book.root / "letters" / "en" / "dunning.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nsubject: Overdue\n---\nDear {{ customer.name }},\n\nplease pay {{ amout|money }}.\n")
    result = book.run("letter", "mueller", "dunning", "--lang", "en")
    assert result.exit_code == 1
    assert f"{path}:6: 'amout' is undefined" in result.stderr
    check = book.run("check")
    assert check.exit_code == 1 and f"{path}:6: 'amout' is undefined" in check.stdout


def test_html_is_a_complete_page_with_escaped_customer_data_and_a_qr_code(book):
    book.case("evil", CASE.replace("Müller & Söhne KG", "<script>alert(1)</script> GmbH"))
    page = book.run("letter", "evil", "installment-agreement", "--format", "html", "--on", "2026-11-20").stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; GmbH" in page
    assert "<svg" in page and "GiroCode" in page
    assert "Anna Beispiel Webdesign" in page  # letterhead


def test_epc_payload_follows_epc069_12():
    text = epc_payload("Anna Beispiel Webdesign", "DE02 1203 0000 0000 2020 51", "1189.50", "RE-2026-017",
                       "BYLADEM1001")
    fields = text.split("\n")
    assert fields == ["BCD", "002", "1", "SCT", "BYLADEM1001", "Anna Beispiel Webdesign",
                      "DE02120300000000202051", "EUR1189.50", "", "", "RE-2026-017"]
    assert len(text.encode()) <= 331


def parse(raw: str) -> email.message.EmailMessage:
    return email.message_from_string(raw, policy=email.policy.default)


def test_eml_parses_with_headers_parts_and_unicode_intact(book):
    raw = book.run("letter", "mueller", "dunning", "--format", "eml", "--on", "2026-11-20").stdout
    msg = parse(raw)
    assert msg["From"].addresses[0].display_name == "Anna Beispiel Webdesign"
    assert msg["To"].addresses[0].addr_spec == "erika@mueller.example"
    assert msg["Subject"] == "Mahnung: fällige Zahlung zu Rechnung RE-2026-017"  # the down payment
    assert msg["Date"] and msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.org>")
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "190,00 €" in plain and plain.startswith("Guten Tag Erika Muster,")
    assert "Müller &amp; Söhne KG" in html  # the address block, escaped, non-ASCII intact


def test_eml_to_assistant(book):
    msg = parse(book.run("letter", "mueller", "callback-request", "--format", "eml", "--to", "assistant").stdout)
    assert msg["To"].addresses[0].addr_spec == "jana@mueller.example"
    assert "Guten Tag Jana Beispiel," in msg.get_body(("plain",)).get_content()


def test_no_assistant_is_a_clear_error(book):
    book.case("solo", CASE.replace("  assistant: {name: Jana Beispiel, email: jana@mueller.example}\n", ""))
    result = book.run("letter", "solo", "dunning", "--to", "assistant")
    assert result.exit_code == 1 and "solo has no assistant" in result.stderr


def test_a_line_break_in_a_name_cannot_add_a_header(book):
    book.case("inj", CASE.replace("contact: Erika Muster", 'contact: "Erika\\nBcc: all@victims.example"'))
    result = book.run("letter", "inj", "dunning", "--format", "eml")
    # refused where it enters: a name is one line (an address or a note may have more)
    assert result.exit_code == 1 and result.stdout == ""
    assert "customer contact contains a control character U+000A" in result.stderr


@pytest.mark.parametrize("address", ['"erika@mueller.example\\nBcc: all@victims.example"', "not-an-address"])
def test_header_injection_is_refused(book, address):
    book.case("inj", CASE.replace("email: erika@mueller.example", f"email: {address}"))
    result = book.run("letter", "inj", "dunning", "--format", "eml")
    assert result.exit_code == 1
    assert ("is not a valid address; nothing was rendered" in result.stderr
            or "customer email contains a control character U+000A" in result.stderr)
    assert result.stdout == ""


def test_eml_is_delivered_by_a_real_smtp_server(book):
    import smtplib

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    import socket

    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        raw = book.run("letter", "mueller", "dunning", "--format", "eml", "--on", "2026-11-20").stdout
        msg = parse(raw)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(msg)
    finally:
        controller.stop()
    assert len(received) == 1
    got = received[0]
    assert got["To"] == "Erika Muster <erika@mueller.example>"
    assert "RE-2026-017" in str(email.header.make_header(email.header.decode_header(got["Subject"])))


def test_outbox_writes_due_letters_and_records_nothing(book, tmp_path):
    book.case("pub", CASE.split("  - at: 2026-11-03")[0].replace("kind: business", "kind: public"))
    before = book.text("pub")
    result = book.run("outbox", "--dir", str(tmp_path / "out"), "--on", "2026-10-19")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "pub--reminder.eml").is_file()
    assert book.text("pub") == before


def test_unknown_format_is_a_usage_error(book):
    result = book.run("letter", "mueller", "--format", "docx")
    assert result.exit_code == 2 and "--format must be one of md, html, eml, pdf" in result.stderr


def test_templates_are_sandboxed(book):
    path = book.root / "letters" / "de" / "reminder.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nsubject: x\n---\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = book.run("letter", "mueller", "reminder")
    assert result.exit_code == 1
    assert f"{path}:4: " in result.stderr and "unsafe" in result.stderr


def test_markdown_in_customer_data_stays_text_in_html(book):
    evil = "[click](javascript:alert(1)) *KG*"
    book.case("md", CASE.replace("name: Müller & Söhne KG", f'name: "{evil}"').replace("Müller & Söhne KG", evil))
    page = book.run("letter", "md", "installment-agreement", "--format", "html", "--on", "2026-11-20").stdout
    assert "<a " not in page and "<em>" not in page.split("<body>")[1].split("Vereinbarung")[0]
    assert "javascript:alert" in page  # shown as text
    assert "&#91;click&#93;&#40;javascript:alert&#40;1&#41;&#41; &#42;KG&#42;" in page
