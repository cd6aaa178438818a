"""A header smuggled in through an imported e-invoice: an RFC 2047 encoded word that decodes to a line break."""

from __future__ import annotations

import base64
from pathlib import Path

UBL = Path(__file__).parent / "data" / "import" / "xrechnung-ubl.xml"
HIDDEN = "=?utf-8?b?" + base64.b64encode(b"Jonas\r\nBcc: spy@evil.example").decode() + "?="
HARMLESS = "=?utf-8?q?J=C3=B6rg_Bergmann?="


def with_contact(tmp_path, name: str) -> Path:
    path = tmp_path / "invoice.xml"
    path.write_text(UBL.read_text(encoding="utf-8").replace("<cbc:Name>Jonas Bergmann</cbc:Name>",
                                                            f"<cbc:Name>{name}</cbc:Name>"), encoding="utf-8")
    return path


def test_an_encoded_line_break_in_a_contact_name_is_refused_on_import(ledger, tmp_path):
    before = ledger.snapshot()
    path = with_contact(tmp_path, HIDDEN)
    result = ledger.run("import", "invoice", str(path), "--record")
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: the buyer's contact holds an encoded word (RFC 2047) that hides a line break: "
                             "refused, it could add a header to the e-mails dun writes; nothing written\n")
    assert ledger.snapshot() == before


def test_a_harmless_encoded_word_is_decoded_on_import(ledger, tmp_path):
    result = ledger.run("import", "invoice", str(with_contact(tmp_path, HARMLESS)), "--record")
    assert result.exit_code == 0, result.output
    assert "  contact: Jörg Bergmann\n" in ledger.text("bergmann-2026-050")


CASE = f"""
customer:
  name: Bergmann Logistik GmbH
  contact: "{HIDDEN}"
  email: buchhaltung@bergmann-logistik.example
history:
  - at: 2026-10-01
    event: invoice
    number: "RE-2026-040 {HIDDEN}"
    amount: 500
    due: 2026-10-15
"""


def test_check_flags_an_encoded_line_break_already_in_a_case_file(ledger):
    ledger.case("bergmann", CASE)
    result = ledger.run("check")
    assert result.exit_code == 1
    path = ledger.root / "cases" / "bergmann.yaml"
    for line in (3, 8):
        assert (f"{path}:{line}: an encoded word (RFC 2047) that hides a line break; write the value as plain text"
                in result.output), result.output


def test_the_mail_writer_never_emits_a_header_from_a_case_value(ledger):
    import email
    import email.policy

    ledger.case("bergmann", CASE.replace("name: Bergmann Logistik GmbH", f'name: "{HIDDEN}"'))
    result = ledger.run("letter", "bergmann", "reminder", "--format", "eml", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    head = result.stdout.split("\n\n", 1)[0]
    assert "Bcc" not in [line.split(":", 1)[0] for line in head.splitlines()]
    msg = email.message_from_string(result.stdout, policy=email.policy.default)
    assert msg["Bcc"] is None and "\n" not in str(msg["To"]) and "\n" not in str(msg["Subject"])
    assert "spy@evil.example" in str(msg["To"])  # kept as text of the display name, not as a header


def test_an_encoded_word_in_an_e_mail_address_is_refused_not_a_traceback(ledger):
    ledger.case("bergmann", CASE.replace("email: buchhaltung@bergmann-logistik.example",
                                         f'email: "{HIDDEN}@bergmann-logistik.example"'))
    result = ledger.run("letter", "bergmann", "reminder", "--format", "eml", "--on", "2026-11-20")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "is not a valid address; nothing was rendered" in result.stderr
