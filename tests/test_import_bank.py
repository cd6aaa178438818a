"""`dun import bank`: statements in every format end in the right case, and nothing is recorded twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"

CASES = {
    "acme-2026-017": ("ACME GmbH", "business", "RE-2026-017", "1190.00", "2026-10-01"),
    "mueller-2026-033": ("Thomas Müller", "private", "RE-2026-033", "420.00", "2026-10-20"),
    "hotel-2026-025": ("Hotel Seeblick GmbH", "business", "RE-2026-025", "3570.00", "2026-09-15"),
    "stadtwerke-2026-022": ("Stadtwerke Beispielstadt", "public", "RE-2026-022", "5950.00", "2026-10-10"),
    "kiosk-2026-012": ("Kiosk am Markt, Inh. Selin Aydın", "private", "RE-2026-012", "800.00", "2026-06-01"),
    "studio-nord-2026-041": ("Studio Nord", "business", "RE-2026-041", "600.00", "2026-11-01"),
}


def write_cases(ledger) -> None:
    for case_id, (name, kind, number, amount, at) in CASES.items():
        ledger.case(case_id, f"""
            customer:
              name: "{name}"
              kind: {kind}
            history:
              - at: {at}
                event: invoice
                number: {number}
                amount: {amount}
            """)


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def entries(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [e for f in json.loads(result.stdout)["files"] for e in f["entries"]]


def outcome(found: list[dict]) -> list[tuple]:
    return [(e["amount"], e["status"], e["case"], e["how"]) for e in found]


def payments(ledger, case_id: str) -> list[str]:
    text = ledger.text(case_id)
    return [chunk for chunk in text.split("  - at: ")[1:] if "event: payment" in chunk]


def test_camt053_v02_each_credit_ends_where_it_should(book):
    found = entries(book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--json"))
    assert outcome(found) == [
        ("1190.00", "matched", "acme-2026-017", "invoice_number"),       # RE-2026-017 in the text
        ("420.00", "matched", "mueller-2026-033", "invoice_number"),     # re2026033: lower case, no dashes
        ("3570.00", "matched", "hotel-2026-025", "amount_and_payer"),    # no number: amount + name
        ("89.00", "ignored", None, None),                                # a debit, though it names RE-2026-017
        ("5950.00", "ignored", None, None),                              # reversal (RvslInd)
        ("800.00", "ignored", None, None),                               # pending (Sts PDNG)
        ("250.00", "unmatched", None, None),
    ]
    assert [e["why"] for e in found][3:6] == ["a debit", "a reversal or returned payment", "not booked (pending)"]
    assert found[0]["invoice"] == "RE-2026-017" and found[0]["payer"] == "ACME GmbH"


def test_camt053_v08_new_shapes_spaces_missing_prefix_and_rf_reference(book):
    found = entries(book.run("import", "bank", str(DATA / "camt053-v08.xml"), "--json"))
    assert outcome(found) == [
        ("5950.00", "matched", "stadtwerke-2026-022", "invoice_number"),  # RE 2026 022
        ("800.00", "matched", "kiosk-2026-012", "invoice_number"),        # 2026-012, prefix missing
        ("600.00", "matched", "studio-nord-2026-041", "creditor_reference"),  # RF77RE2026041
        ("1190.00", "ignored", None, None),                               # returned transfer (RRTN)
        ("420.00", "ignored", None, None),                                # pending (Sts/Cd PDNG)
        ("35.00", "ignored", None, None),                                 # debit
        ("123.45", "unmatched", None, None),
    ]
    assert found[0]["payer"] == "Stadtwerke Beispielstadt"  # Dbtr/Pty/Nm


def test_record_appends_payments_and_a_second_import_records_nothing(book):
    statement = str(DATA / "camt053-v02.xml")
    first = book.run("import", "bank", statement, "--record")
    assert first.exit_code == 0, first.output
    assert "appended to" in first.stdout and "3 payments recorded" in first.stdout
    assert payments(book, "acme-2026-017") == [
        "2026-11-19\n    event: payment\n    amount: 1190.00\n    invoice: RE-2026-017\n    reference: V02-0001\n"
        "    payer: ACME GmbH\n    note: Rechnung RE-2026-017 vom 01.10.2026\n"]
    shown = json.loads(book.run("show", "acme-2026-017", "--json").stdout)
    assert shown["status"] == "settled" and shown["history"][-1]["reference"] == "V02-0001"
    before = book.snapshot()
    again = book.run("import", "bank", statement, "--record")
    assert again.exit_code == 0 and "skipped, imported on 2026-11-22" in again.stdout
    assert book.snapshot() == before


def test_the_same_entries_in_another_file_are_recognised_by_their_reference(book, tmp_path):
    book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--record")
    copy = tmp_path / "again.xml"
    copy.write_bytes((DATA / "camt053-v02.xml").read_bytes() + b"\n<!-- downloaded twice -->\n")
    before = book.snapshot()
    found = entries(book.run("import", "bank", str(copy), "--record", "--json"))
    assert [e["status"] for e in found if e["status"] != "ignored"] == ["recorded_before"] * 3 + ["unmatched"]
    assert found[0]["why"] == "recorded before in acme-2026-017"
    changed = {k for k in book.snapshot() if book.snapshot()[k] != before.get(k)}
    assert changed == {".dun/bank-imports"}  # the log notes the import; no case changed


def test_dry_run_leaves_the_ledger_byte_identical(book):
    before = book.snapshot()
    result = book.run("import", "bank", str(DATA / "camt053-v02.xml"), str(DATA / "camt053-v08.xml"))
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written: add --record to record the 6 matched." in result.stdout
    assert book.snapshot() == before


def test_mt940(book):
    found = entries(book.run("import", "bank", str(DATA / "statement.sta"), "--json"))
    assert outcome(found) == [
        ("1190.00", "matched", "acme-2026-017", "invoice_number"),
        ("50.00", "ignored", None, None),
        ("420.00", "matched", "mueller-2026-033", "amount_and_payer"),  # THOMAS MUELLER ~ Thomas Müller
        ("999.00", "unmatched", None, None),
    ]
    assert found[0]["reference"] == "MT-0001" and found[2]["reference"] is None


def test_mt940_entry_without_reference_is_known_by_date_amount_and_text(book, tmp_path):
    book.run("import", "bank", str(DATA / "statement.sta"), "--record")
    assert "reference" not in payments(book, "mueller-2026-033")[0]
    other = tmp_path / "renamed.sta"
    other.write_bytes((DATA / "statement.sta").read_bytes().replace(b":28C:00042", b":28C:00043"))
    before = book.snapshot()
    found = entries(book.run("import", "bank", str(other), "--record", "--json"))
    assert [e["status"] for e in found] == ["recorded_before", "ignored", "recorded_before", "unmatched"]
    assert all(book.snapshot()[k] == v for k, v in before.items() if k.startswith("cases/"))


def test_csv_with_mapping_from_dun_yaml(book):
    book.config("""
        bank:
          csv: {date: Buchungstag, amount: Betrag (EUR), payer: Auftraggeber/Empfänger, text: Verwendungszweck}
        """)
    found = entries(book.run("import", "bank", str(DATA / "umsaetze.csv"), "--json"))
    assert outcome(found) == [
        ("3570.00", "matched", "hotel-2026-025", "invoice_number"),  # RG 2026-025: another prefix, the core
        ("85.00", "ignored", None, None),
        ("17.50", "unmatched", None, None),
    ]
    assert found[0]["date"] == "2026-11-20" and found[0]["payer"] == "Hotel Seeblick GmbH"


def test_csv_without_mapping_says_how_to_map_it(book):
    result = book.run("import", "bank", str(DATA / "umsaetze.csv"))
    assert result.exit_code == 1
    assert "umsaetze.csv: not a bank statement dun can read" in result.stderr and "bank: csv:" in result.stderr


def test_a_bad_file_does_not_stop_the_others(book, tmp_path):
    folder = tmp_path / "statements"
    folder.mkdir()
    shutil.copy(DATA / "camt053-v02.xml", folder / "a.xml")
    (folder / "b.xml").write_text("<Document><unclosed></Document>", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    result = book.run("import", "bank", str(folder), "--record")
    assert result.exit_code == 1
    assert "b.xml: not well-formed XML" in result.stderr
    assert "3 payments recorded" in result.stdout and "1 not read" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name, body", [
    ("laughs.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><Document>&c;</Document>'),
    ("external.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'),
])
def test_hostile_xml_is_refused(book, tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    before = book.snapshot()
    result = book.run("import", "bank", str(path), "--record")
    assert result.exit_code == 1
    assert f"{name}: refused: the XML declares a DTD or entities" in result.stderr
    assert book.snapshot() == before


def test_overpayment_is_recorded_as_it_came_and_reported(book, tmp_path):
    body = (DATA / "camt053-v02.xml").read_text(encoding="utf-8").replace(
        '<Amt Ccy="EUR">1190.00</Amt>', '<Amt Ccy="EUR">1300.00</Amt>')
    path = tmp_path / "over.xml"
    path.write_text(body, encoding="utf-8")
    result = book.run("import", "bank", str(path), "--record")
    assert "overpayment: acme-2026-017 received 1300.00, 110.00 more than was open" in result.stdout
    assert "amount: 1300.00" in payments(book, "acme-2026-017")[0]


def test_payer_who_does_not_resemble_the_customer_stays_unmatched(book, tmp_path):
    body = (DATA / "camt053-v02.xml").read_text(encoding="utf-8").replace("HOTEL SEEBLICK GMBH", "Thomas Schmidt")
    path = tmp_path / "other-payer.xml"
    path.write_text(body, encoding="utf-8")
    found = entries(book.run("import", "bank", str(path), "--json"))
    assert found[2]["status"] == "unmatched"
    assert found[2]["why"] == ("the amount fits hotel-2026-025 (Hotel Seeblick GmbH), but the payer 'Thomas Schmidt' "
                               "does not resemble the customer")


def test_a_payment_typed_in_by_hand_is_not_recorded_again(book):
    assert book.run("pay", "acme-2026-017", "1190", "--at", "2026-11-19").exit_code == 0
    found = entries(book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--json"))
    assert found[0]["status"] == "recorded_before"


def test_commit_commits_each_case_and_the_import_log(book, monkeypatch):
    import subprocess

    def git(*args):
        return subprocess.run(["git", "-C", str(book.root), *args], capture_output=True, text=True, check=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    for key, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                       "GIT_COMMITTER_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(key, value)
    result = book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--record", "--commit")
    assert result.exit_code == 0, result.output
    log = git("log", "--format=%s").stdout.splitlines()
    assert "acme-2026-017: payment 1190.00" in log and log[0] == "bank import: 3 payments from camt053-v02.xml"
    assert git("status", "--porcelain").stdout == ""


@pytest.mark.parametrize("text, found", [
    ("RE-2026-017", True), ("RE 2026 017", True), ("re2026017", True), ("2026-017", True),
    ("Rechnung Nr. RE-2026-017 vom 1.10.", True), ("1190.00 RE-2026-017", True),
    ("RE-2026-0171", False),  # a longer number is another invoice
    ("X2026017", False), ("12026-017", False), ("RE-2026-01", False),
])
def test_invoice_number_in_free_text(text, found):
    from receivables_cli.imports.names import number_pattern

    assert bool(number_pattern("RE-2026-017").search(text)) is found


def test_a_short_number_needs_a_word_like_rechnung():
    from receivables_cli.imports.names import number_pattern

    assert number_pattern("17").search("Rechnung 17, danke")
    assert not number_pattern("17").search("Kundennr 4711 17 Stueck")


@pytest.mark.parametrize("payer, customer, alike", [
    ("MUELLER THOMAS", "Thomas Müller", True), ("ACME GMBH", "ACME GmbH", True),
    ("Selin Aydin", "Kiosk am Markt, Inh. Selin Aydın", True), ("Thomas Schmidt", "Thomas Müller", False),
    ("GmbH", "ACME GmbH", False),
])
def test_payer_resembles_customer(payer, customer, alike):
    from receivables_cli.imports.names import resembles

    assert resembles(payer, customer) is alike


def test_creditor_reference_iso_11649():
    from receivables_cli.imports.reference import creditor_reference, valid_creditor_reference

    assert valid_creditor_reference("RF18 5390 0754 7034")  # the standard's own example
    assert not valid_creditor_reference("RF19539007547034")
    assert creditor_reference("RE-2026-041") == "RF77RE2026041"
    assert valid_creditor_reference(creditor_reference("re/2026/17"))
    assert creditor_reference("A" * 22) is None


def test_today_says_when_the_last_bank_import_is_stale(book):
    assert book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--record", on="2026-11-20").exit_code == 0
    assert "bank import" not in book.run("today", on="2026-11-23").stderr  # 3 days: still fresh
    stale = book.run("today", "--json", on="2026-11-24")
    assert stale.stderr.splitlines()[0] == ("The last bank import was on 2026-11-20, 4 days ago (more than 3): "
                                            "import a statement ('dun import bank FILE --record') before sending "
                                            "letters.")
    json.loads(stale.stdout)  # the JSON stays clean
    book.config("bank: {stale_days: 7}\n")
    assert "bank import" not in book.run("today", on="2026-11-24").stderr


def test_a_dry_run_is_not_an_import_and_an_import_without_matches_is(book, tmp_path):
    nothing = tmp_path / "nothing.xml"
    nothing.write_text((DATA / "camt053-v08.xml").read_text(encoding="utf-8").replace("CRDT", "DBIT"),
                       encoding="utf-8")
    book.run("import", "bank", str(nothing), on="2026-11-20")
    assert not (book.root / ".dun").exists()
    book.run("import", "bank", str(nothing), "--record", on="2026-11-20")
    assert (book.root / ".dun" / "bank-imports").read_text(encoding="utf-8").startswith("2026-11-20\t")
    assert "2026-11-20, 4 days ago" in book.run("today", on="2026-11-24").stderr


def test_ledgers_that_never_import_are_not_nagged_unless_bank_is_configured(book):
    assert book.run("today").stderr == ""
    book.config("bank:\n")
    assert book.run("today").stderr.startswith("No bank statement imported yet")


@pytest.mark.parametrize("yaml, message", [
    ("bank: {stale_days: soon}\n", "bank stale_days must be a whole number"),
    ("bank: {csv: {date: Tag}}\n", "bank csv needs 'amount'"),
    ("bank: {csv: {date: Tag, amount: Betrag, decimal: x}}\n", "bank csv decimal must be ',' or '.'"),
    ("bank: {stale: 3}\n", "unknown key 'stale' in bank; did you mean 'stale_days'?"),
])
def test_bank_settings_are_checked(book, yaml, message):
    book.config(yaml)
    result = book.run("check")
    assert result.exit_code == 1 and message in result.output


def test_camt054_notification(book, tmp_path):
    body = (DATA / "camt053-v02.xml").read_text(encoding="utf-8").replace("camt.053.001.02", "camt.054.001.02")
    body = body.replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn").replace("<Stmt>", "<Ntfctn>").replace(
        "</Stmt>", "</Ntfctn>")
    path = tmp_path / "notification.xml"
    path.write_text(body, encoding="utf-8")
    result = book.run("import", "bank", str(path), "--json")
    assert json.loads(result.stdout)["files"][0]["format"] == "camt.054.001.02"
    assert [e["case"] for e in entries(result) if e["status"] == "matched"] == [
        "acme-2026-017", "mueller-2026-033", "hotel-2026-025"]


def test_a_case_that_refuses_the_append_does_not_stop_the_others(book, tmp_path):
    path = book.root / "cases" / "acme-2026-017.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "evidence: strong\n", encoding="utf-8")  # history is no longer the last key
    result = book.run("import", "bank", str(DATA / "camt053-v02.xml"), "--record")
    assert result.exit_code == 1
    assert "'history:' must be the last key" in result.stderr
    assert "2 payments recorded" in result.stdout and "event: payment" in book.text("hotel-2026-025")
    path.write_text(good, encoding="utf-8")
    copy = tmp_path / "next-day.xml"
    copy.write_bytes((DATA / "camt053-v02.xml").read_bytes() + b"<!-- the next download -->")
    found = entries(book.run("import", "bank", str(copy), "--record", "--json"))
    assert [e["status"] for e in found[:3]] == ["matched", "recorded_before", "recorded_before"]
    assert "reference: V02-0001" in book.text("acme-2026-017")


def test_progress_bar_on_a_terminal_only(book, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.xml").write_bytes((DATA / "camt053-v08.xml").read_bytes())
    env = {**os.environ, "DUN_LEDGER": str(book.root), "DUN_TODAY": "2026-11-22"}
    command = [sys.executable, "-m", "receivables_cli", "import", "bank", str(folder)]
    main, secondary = pty.openpty()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=secondary, stdin=subprocess.DEVNULL)
    os.close(secondary)
    shown = os.read(main, 65536).decode()
    os.close(main)
    assert done.returncode == 0 and "reading statements" in shown and "6/6" not in done.stdout.decode()
    piped = subprocess.run(command, env=env, capture_output=True, text=True)
    assert "reading statements" not in piped.stderr and "reading statements" not in piped.stdout


def test_a_broken_case_file_is_left_out_with_a_warning(book):
    book.case("broken", "customer: {name: X}\nhistory:\n  - at: 2026-13-01\n    event: note\n    text: x\n")
    result = book.run("import", "bank", str(DATA / "camt053-v02.xml"))
    assert result.exit_code == 0
    assert "1 case file(s) with problems were left out of the matching; see 'dun check'" in result.stderr
    assert "3 matched" in result.stdout


def test_remittance_text_with_line_breaks_is_recorded_on_one_line(book, tmp_path):
    body = (DATA / "camt053-v02.xml").read_text(encoding="utf-8").replace(
        "<Ustrd>Rechnung RE-2026-017 vom 01.10.2026</Ustrd>",
        "<Ustrd>Rechnung RE-2026-017\n\tvom 01.10.2026: danke #1</Ustrd>")
    path = tmp_path / "lines.xml"
    path.write_text(body, encoding="utf-8")
    assert book.run("import", "bank", str(path), "--record").exit_code == 0
    assert '    note: "Rechnung RE-2026-017 vom 01.10.2026: danke #1"\n' in book.text("acme-2026-017")


def test_a_batch_booking_is_split_into_its_transactions(book, tmp_path):
    path = tmp_path / "batch.xml"
    path.write_text("""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
      <Ntry>
        <Amt Ccy="EUR">1610.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>BATCH-1</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">1190.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>ACME GmbH</Nm></Dbtr></RltdPties>
            <RmtInf><Ustrd>RE-2026-017</Ustrd></RmtInf></TxDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">420.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Thomas Mueller</Nm></Dbtr></RltdPties>
            <RmtInf><Ustrd>RE-2026-033</Ustrd></RmtInf></TxDtls>
        </NtryDtls>
      </Ntry>
    </Stmt></BkToCstmrStmt></Document>""", encoding="utf-8")
    found = entries(book.run("import", "bank", str(path), "--json"))
    assert [(e["amount"], e["status"], e["case"], e["reference"]) for e in found] == [
        ("1190.00", "matched", "acme-2026-017", "BATCH-1/1"), ("420.00", "matched", "mueller-2026-033", "BATCH-1/2")]


def test_the_same_entries_in_two_files_of_one_import_count_once(book, tmp_path):
    copy = tmp_path / "copy.xml"
    copy.write_bytes((DATA / "camt053-v02.xml").read_bytes() + b"<!-- copy -->")
    result = book.run("import", "bank", str(DATA / "camt053-v02.xml"), str(copy), "--json")
    second = json.loads(result.stdout)["files"][1]["entries"]
    assert [e["why"] for e in second[:3]] == ["the same entry came earlier in this import"] * 3


def test_csv_options_delimiter_decimal_date_format_and_reference(book, tmp_path):
    book.config("""
        bank:
          csv: {date: Date, amount: Amount, payer: Counterparty, text: Reference text, reference: Id,
                delimiter: ",", decimal: ".", date_format: "%Y-%m-%d"}
        """)
    path = tmp_path / "export.csv"
    path.write_text('Id,Date,Counterparty,Reference text,Amount\n'
                    'TX-9,2026-11-20,ACME GmbH,"Invoice RE-2026-017, thanks","1,190.00"\n'
                    'TX-10,2026-11-20,Shop,Cables,-12.50\n', encoding="utf-8")
    found = entries(book.run("import", "bank", str(path), "--json"))
    assert [(e["amount"], e["status"], e["case"], e["reference"]) for e in found] == [
        ("1190.00", "matched", "acme-2026-017", "TX-9"), ("12.50", "ignored", None, "TX-10")]


def test_csv_row_that_does_not_read_names_its_line(book, tmp_path):
    book.config("bank: {csv: {date: Tag, amount: Betrag}}\n")
    path = tmp_path / "bad.csv"
    path.write_text("Tag;Betrag\n20.11.2026;10,00\n31.11.2026;5,00\n", encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: '31.11.2026' in column Tag is not a date of the form %d.%m.%Y" in result.stderr
