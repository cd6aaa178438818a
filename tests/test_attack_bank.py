"""`dun import bank` against hostile and careless statements: clear messages, no wrong payments."""

from __future__ import annotations

import json

import pytest

from tests.test_import_bank import write_cases

HEADER = "Buchungstag;Auftraggeber;Verwendungszweck;Betrag\n"
CSV_MAPPING = "bank: {csv: {date: Buchungstag, amount: Betrag, payer: Auftraggeber, text: Verwendungszweck}}\n"

MT940_HEAD = ":20:STARTUMSE\n:25:12030000/0000202051\n:28C:00042/001\n:60F:C261119EUR12000,00\n"
MT940_LINE = ":61:2611201120CR{amount}NTRFNONREF//MT-{n:04d}\n:86:166?00GUTSCHRIFT?20{text}?32ACME GMBH\n"
MT940_TAIL = ":62F:C261121EUR14529,00\n-\n"


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def camt(*entries: str, account_ccy: str = "EUR") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
            f'<Acct><Ccy>{account_ccy}</Ccy></Acct>{"".join(entries)}</Stmt></BkToCstmrStmt></Document>')


def ntry(amount: str, text: str = "RE-2026-017", ccy: str = "EUR", day: str = "2026-11-20", ref: str = "R1",
         details: str | None = None) -> str:
    tx = details if details is not None else (
        f"<TxDtls><RltdPties><Dbtr><Nm>ACME GmbH</Nm></Dbtr></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
        "</TxDtls>")
    return (f'<Ntry><Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls>{tx}</NtryDtls></Ntry>")


def run_json(book, path):
    result = book.run("import", "bank", str(path), "--json")
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)["files"][0] if result.stdout else None


def found(result_file) -> list[tuple]:
    return [(e["amount"], e["status"], e["case"]) for e in result_file["entries"]]


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "12345678901234567890123456789", "1E+400",
                                    "1190.000001", "1e3", "0x10", "١٠٠"])
def test_camt_amount_that_is_no_amount_is_a_message_naming_the_entry(book, tmp_path, amount):
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("1190.00", ref="A"), ntry(amount, ref="B")), encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert f"{path}:2: entry 2: <Amt> '{amount}' is not an amount" in result.stderr
    assert "(the other entries were read)" in result.stderr


def test_camt_negative_amount_is_refused_not_turned_into_a_credit(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("-1190.00")), encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert "entry 1: <Amt> '-1190.00' is negative; <CdtDbtInd> tells credit from debit" in result.stderr


def test_zero_credit_is_passed_over_never_recorded(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("0.00")), encoding="utf-8")
    result, f = run_json(book, path)
    assert result.exit_code == 0
    assert found(f) == [("0.00", "ignored", None)] and f["entries"][0]["why"] == "a zero amount"
    book.run("import", "bank", str(path), "--record")
    assert "event: payment" not in book.text("acme-2026-017")


def test_camt_impossible_booking_date_is_named(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("1190.00", day="2026-02-30")), encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert f"{path}:2: entry 1: booking date '2026-02-30' is not a date" in result.stderr


def test_usd_transactions_in_a_batch_never_pay_eur_invoices(book, tmp_path):
    """A batch booking whose details are in another currency (or do not add up) stays one entry."""
    details = ('<TxDtls><Amt Ccy="USD">1190.00</Amt><RmtInf><Ustrd>RE-2026-017</Ustrd></RmtInf></TxDtls>'
               '<TxDtls><Amt Ccy="USD">420.00</Amt><RmtInf><Ustrd>RE-2026-033</Ustrd></RmtInf></TxDtls>')
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("15.00", details=details)), encoding="utf-8")
    result, f = run_json(book, path)
    assert [(e["amount"], e["currency"]) for e in f["entries"]] == [("15.00", "EUR")]
    assert all(e["status"] != "matched" or e["amount"] == "15.00" for e in f["entries"])


def test_batch_details_that_do_not_add_up_stay_one_entry(book, tmp_path):
    details = ('<TxDtls><Amt Ccy="EUR">1190.00</Amt><RmtInf><Ustrd>RE-2026-017</Ustrd></RmtInf></TxDtls>'
               '<TxDtls><Amt Ccy="EUR">420.00</Amt><RmtInf><Ustrd>RE-2026-033</Ustrd></RmtInf></TxDtls>')
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("5.00", details=details)), encoding="utf-8")
    _, f = run_json(book, path)
    assert [e["amount"] for e in f["entries"]] == ["5.00"]


def test_entry_without_any_currency_is_not_matched(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("1190.00").replace(' Ccy="EUR"', ""), account_ccy=""), encoding="utf-8")
    _, f = run_json(book, path)
    assert found(f) == [("1190.00", "unmatched", None)] and "names no currency" in f["entries"][0]["why"]


def test_yaml_breaking_remittance_text_is_recorded_and_the_case_stays_valid(book, tmp_path):
    nasty = ("RE-2026-017: &quot;x&quot; # y 'z' &#10;- at: 1 \u2028 \u0085 | &gt;- &amp;a *a "
             "!!python/object {x: [ %foo @bar `b &#9; ---")
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("100.00", text=nasty, ref="ref: #x 'y' \u2028")), encoding="utf-8")
    result = book.run("import", "bank", str(path), "--record")
    assert result.exit_code == 0, result.output
    assert book.run("check").exit_code == 0
    shown = json.loads(book.run("show", "acme-2026-017", "--json").stdout)["history"][-1]
    assert shown["amount"] == "100.00" and shown["note"].startswith("RE-2026-017: \"x\" # y 'z' - at: 1")
    assert shown["reference"] == "ref: #x 'y'"


def test_long_camt_reads_every_entry(book, tmp_path):
    """18,000 entries took 94 s: every entry rescanned the whole statement for its currency."""
    one = ntry("17.00", text="Miete Dezember", ref="")
    path = tmp_path / "s.xml"
    path.write_text(camt(*[one] * 5000), encoding="utf-8")
    result, f = run_json(book, path)
    assert result.exit_code == 0 and len(f["entries"]) == 5000


def test_statement_with_absurdly_many_entries_is_refused_before_parsing(book, tmp_path):
    path = tmp_path / "s.csv"
    book.config(CSV_MAPPING)
    path.write_text(HEADER + "20.11.2026;Someone;Miete;17,00\n" * 200_001, encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 1
    assert f"{path}: more than 100000 entries" in result.stderr


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "12345678901234567890123456789", "1e5", "1.190,001",
                                    "1190.00", "1,19,0"])
def test_csv_amount_that_does_not_fit_the_decimal_mapping_is_named(book, tmp_path, amount):
    """'1190.00' with decimal ',' was read as 119000.00; '1e5' as 100000."""
    book.config(CSV_MAPPING)
    path = tmp_path / "s.csv"
    path.write_text(HEADER + f"20.11.2026;ACME GmbH;RE-2026-017;{amount}\n", encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert f"{path}:2: '{amount}' is not an amount" in result.stderr


@pytest.mark.parametrize(("amount", "expected"), [("1.190,00", "1190.00"), ("1190,5", "1190.50"), ("-85,00", None),
                                                  ("85,00-", None), ("1190", "1190.00"), ("€ 1.190,00", "1190.00")])
def test_csv_amounts_banks_write_still_read(book, tmp_path, amount, expected):
    book.config(CSV_MAPPING)
    path = tmp_path / "s.csv"
    path.write_text(HEADER + f"20.11.2026;ACME GmbH;RE-2026-017;{amount}\n", encoding="utf-8")
    result, f = run_json(book, path)
    assert result.exit_code == 0, result.stderr
    entry = f["entries"][0]
    assert (entry["amount"] if entry["status"] != "ignored" else None) == expected


def test_csv_row_line_counts_physical_lines(book, tmp_path):
    book.config(CSV_MAPPING)
    path = tmp_path / "s.csv"
    path.write_text(HEADER + '20.11.2026;"ACME\nGmbH";"RE-2026-017\nthanks";1.190,00\n20.11.2026;B;C;x\n',
                    encoding="utf-8")
    result, _ = run_json(book, path)
    assert f"{path}:5: 'x' is not an amount" in result.stderr


def mt940(*lines: str, tail: str = MT940_TAIL) -> str:
    return MT940_HEAD + "".join(lines) + tail


def test_mt940_line_the_parser_cannot_read_is_not_dropped_silently(book, tmp_path):
    """A 29-digit amount made the parser skip the line: the credit vanished without a word."""
    path = tmp_path / "s.sta"
    path.write_text(mt940(MT940_LINE.format(amount="12345678901234567890123456789,00", n=1, text="RE-2026-017"),
                          MT940_LINE.format(amount="420,00", n=2, text="RE-2026-033")), encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert f"{path}: 2 statement lines (:61:), but only 1 could be read" in result.stderr


def test_mt940_broken_field_is_one_clean_line(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(MT940_LINE.format(amount="abc,00", n=1, text="x")), encoding="utf-8")
    result, _ = run_json(book, path)
    assert result.exit_code == 1
    assert "no match for" not in result.stderr and "object at 0x" not in result.stderr
    assert f"{path}:5: the statement line ':61:2611201120CRabc,00" in result.stderr


def test_mt940_without_closing_balance_is_read_and_says_so(book, tmp_path):
    """Banks send MT940 without :62F: (a day's part of a statement): the lines there are read."""
    path = tmp_path / "s.sta"
    path.write_text(mt940(MT940_LINE.format(amount="1190,00", n=1, text="RE-2026-017"), tail="-\n"),
                    encoding="utf-8")
    result, f = run_json(book, path)
    assert result.exit_code == 0
    assert f["format"] == "MT940 (no closing balance :62F:)"
    assert found(f) == [("1190.00", "matched", "acme-2026-017")]


def test_mt940_zero_credit_is_passed_over(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(MT940_LINE.format(amount="0,00", n=1, text="RE-2026-017")), encoding="utf-8")
    _, f = run_json(book, path)
    assert found(f) == [("0.00", "ignored", None)]


def test_one_bad_statement_does_not_stop_the_others(book, tmp_path):
    bad, good = tmp_path / "a.xml", tmp_path / "b.xml"
    bad.write_text(camt(ntry("NaN")), encoding="utf-8")
    good.write_text(camt(ntry("1190.00")), encoding="utf-8")
    result = book.run("import", "bank", str(bad), str(good), "--record")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "event: payment" in book.text("acme-2026-017")


def test_dry_run_on_hostile_files_writes_nothing(book, tmp_path):
    files = []
    for n, body in enumerate([b"", bytes(range(256)) * 10, camt(ntry("NaN")).encode(),
                              b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>']):
        files.append(tmp_path / f"f{n}.xml")
        files[-1].write_bytes(body)
    before = book.snapshot()
    result = book.run("import", "bank", *map(str, files))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert book.snapshot() == before


def test_invoice_number_that_is_a_prefix_of_another_pays_only_its_own(book, tmp_path):
    book.case("acme2", """
        customer:
          name: ACME Zwei GmbH
        history:
          - at: 2026-10-01
            event: invoice
            number: RE-2026-0171
            amount: 500.00
        """)
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("500.00", text="RE-2026-0171", ref="A"), ntry("1190.00", text="RE-2026-017", ref="B")),
                    encoding="utf-8")
    _, f = run_json(book, path)
    assert found(f) == [("500.00", "matched", "acme2"), ("1190.00", "matched", "acme-2026-017")]


def test_a_device_is_named_as_such_and_never_read(ledger):
    result = ledger.run("import", "bank", "/dev/zero")
    assert result.exit_code == 1 and "/dev/zero: not a regular file or folder" in result.stderr
