"""`dun import bank` on statements as banks write them: every camt, MT940 of several layouts, MT942, ZIPs.

Each fixture is written here, small, for one quirk of the standard (ISO 20022 camt.052/053/054,
SWIFT MT940/MT942 with the DFÜ-Abkommen Anlage 3 `:86:`)."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.test_import_bank import write_cases


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def run(book, *paths, record=False):
    args = ["import", "bank", *map(str, paths), "--json"] + (["--record"] if record else [])
    result = book.run(*args)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


def camt(kind: str, version: str, entries: str, container: str | None = None, report: str | None = None) -> str:
    body = container or {"052": "BkToCstmrAcctRpt", "053": "BkToCstmrStmt", "054": "BkToCstmrDbtCdtNtfctn"}[kind]
    item = report or {"052": "Rpt", "053": "Stmt", "054": "Ntfctn"}[kind]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{kind}.'
            f'{version}"><{body}><GrpHdr><MsgId>M1</MsgId></GrpHdr><{item}><Id>S1</Id><Acct><Id><IBAN>'
            f"DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>\n{entries}</{item}></{body}></Document>\n")


def ntry(amount="1190.00", text="RE-2026-017", status="<Sts><Cd>BOOK</Cd></Sts>",
         dates="<BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt>", ref="A1",
         payer="ACME GmbH", extra="") -> str:
    return (f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>{status}{dates}'
            f"<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls>{extra}<RltdPties><Dbtr><Pty><Nm>{payer}</Nm>"
            f"</Pty></Dbtr></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n")


def statuses(data) -> list[tuple]:
    return [(e["amount"], e["status"], e["case"]) for f in data["files"] for e in f["entries"]]


# camt --------------------------------------------------------------------------------------------

def test_camt052_report_reads_booked_entries_and_passes_over_pending_ones(book, tmp_path):
    path = tmp_path / "report.xml"
    path.write_text(camt("052", "001.08", ntry() + ntry("420.00", "RE-2026-033", ref="A2",
                                                            status="<Sts><Cd>PDNG</Cd></Sts>",
                                                            dates="")), encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert data["files"][0]["format"] == "camt.052.001.08"
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017"), ("420.00", "ignored", None)]
    assert data["files"][0]["entries"][1]["why"] == "not booked (pending)"


def test_camt052_version_01_with_its_suffixed_message_name(book, tmp_path):
    path = tmp_path / "v01.xml"
    path.write_text(camt("052", "001.01", ntry(status="<Sts>BOOK</Sts>"), container="BkToCstmrAcctRptV01"),
                    encoding="utf-8")
    _, data = run(book, path)
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017")]


@pytest.mark.parametrize("kind,version", [("053", "001.13"), ("054", "001.13"), ("053", "001.10")])
def test_camt_up_to_version_13(book, tmp_path, kind, version):
    path = tmp_path / "s.xml"
    path.write_text(camt(kind, version, ntry()), encoding="utf-8")
    _, data = run(book, path)
    assert data["files"][0]["format"] == f"camt.{kind}.{version}"
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017")]


def test_booking_date_as_date_and_time(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt("053", "001.08", ntry(dates="<BookgDt><DtTm>2026-11-19T23:10:00+01:00</DtTm></BookgDt>")),
                    encoding="utf-8")
    _, data = run(book, path)
    assert data["files"][0]["entries"][0]["date"] == "2026-11-19"


def test_entry_with_only_a_value_date_uses_it_and_says_so(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt("053", "001.02", ntry(dates="<ValDt><Dt>2026-11-18</Dt></ValDt>")), encoding="utf-8")
    _, data = run(book, path)
    e = data["files"][0]["entries"][0]
    assert (e["date"], e["status"]) == ("2026-11-18", "matched")
    assert e["why"].endswith("(no booking date: the value date is used)")


def test_undated_information_entry_is_passed_over_and_the_rest_is_read(book, tmp_path):
    path = tmp_path / "n.xml"
    undated = ntry("50.00", "Hinweis", status="<Sts><Cd>INFO</Cd></Sts>", dates="", ref="I1")
    no_date = ntry("70.00", "RE-2026-025", dates="", ref="I2")
    path.write_text(camt("054", "001.08", undated + no_date + ntry()), encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert statuses(data) == [("50.00", "ignored", None), ("70.00", "ignored", None),
                              ("1190.00", "matched", "acme-2026-017")]
    why = [e["why"] for e in data["files"][0]["entries"]]
    assert why[0] == "not booked (information)"
    assert why[1] == "no booking or value date: nothing says when the money arrived"


def test_amounts_with_up_to_five_decimals_are_exact(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt("053", "001.02", ntry("1190.000") + ntry("0.12345", "RE-2026-033", ref="A2")),
                    encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    found = data["files"][0]["entries"]
    assert [(e["amount"], e["status"]) for e in found] == [("1190.00", "matched"), ("0.12345", "unmatched")]
    assert "more than two decimals" in found[1]["why"]


def test_one_unreadable_entry_costs_only_itself(book, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(camt("053", "001.02", ntry("12,50", ref="B") + ntry()), encoding="utf-8")
    result, data = run(book, path, record=True)
    assert result.exit_code == 1
    assert f"{path}:3: entry 1: <Amt> '12,50' is not an amount" in result.stderr
    assert statuses(data)[1] == ("1190.00", "matched", "acme-2026-017")
    assert "event: payment" in book.text("acme-2026-017")


def test_empty_statement_says_no_entries(book, tmp_path):
    path = tmp_path / "empty.xml"
    path.write_text(camt("053", "001.02", ""), encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 0
    assert f"{path} (camt.053.001.02): no entries" in result.stdout


def test_xml_that_is_no_statement_says_what_to_do(book, tmp_path):
    path = tmp_path / "pain.xml"
    path.write_text('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/>'
                    "</Document>", encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 1
    assert "not a bank statement (root element Document); dun reads camt.052, camt.053 and camt.054" in result.stderr


def test_zip_of_statements_is_read_member_by_member(book, tmp_path):
    path = tmp_path / "konto.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("2026-11-19.xml", camt("052", "001.02", ntry()))
        z.writestr("2026-11-20.xml", camt("053", "001.02", ntry("420.00", "RE-2026-033", ref="A2")))
        z.writestr("readme.txt", "Kontoauszüge")
        z.writestr("__MACOSX/._2026-11-19.xml", "junk")
    result, data = run(book, path)
    assert result.exit_code == 1  # the text member is named
    assert data["files"][0]["format"] == "ZIP of 3 (camt.052.001.02, camt.053.001.02)"
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017"), ("420.00", "matched", "mueller-2026-033"),
                              ("0.00", "ignored", None)]
    assert "readme.txt: not a bank statement dun can read" in result.stderr


def test_zip_bomb_member_is_refused_without_unpacking_it(book, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.xml", b"<" + b" " * 60_000_000)
        z.writestr("ok.xml", camt("053", "001.02", ntry()))
    result, data = run(book, path)
    assert "too large" in result.stderr
    assert ("1190.00", "matched", "acme-2026-017") in statuses(data)


# MT940 / MT942 -----------------------------------------------------------------------------------

HEAD = ":20:STARTUMSE\n:25:12030000/0000202051\n:28C:00042/001\n:60F:C261119EUR12000,00\n"
TAIL = ":62F:C261121EUR14529,00\n-\n"


def mt940(body: str, head: str = HEAD, tail: str = TAIL) -> str:
    return head + body + tail


def test_german_structured_86_keeps_name_iban_and_purpose_apart(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(
        ":61:2611201120CR1190,00NTRFNONREF//4711\n"
        ":86:166?00GUTSCHR. UEBERWEISUNG?109310?20EREF+E2E-77 KREF+K-12?21SVWZ+Rechnung RE-2026-0?2217 vom 1\n"
        ".10.2026 ABWA+ACME Holding?30BYLADEM1001?31DE89370400440532013000?32ACME Gesellschaft fuer Soft?33ware mbH"
        "\n:61:2611201120CR420,00NTRFNONREF\n"
        ":86:166?00GUTSCHRIFT?20SVWZ+Danke?31DE02120300000000202051?32MUELLER, THOMAS\n"), encoding="utf-8")
    _, data = run(book, path)
    first, second = data["files"][0]["entries"]
    assert first["payer"] == "ACME Gesellschaft fuer Software mbH"
    assert first["account"] == "DE89370400440532013000"
    assert first["end_to_end"] == "E2E-77"
    assert "SVWZ+Rechnung RE-2026-017 vom 1.10.2026" in first["text"]
    assert (first["status"], first["case"]) == ("matched", "acme-2026-017")
    assert (second["payer"], second["status"], second["case"]) == ("MUELLER, THOMAS", "matched", "mueller-2026-033")


def test_dutch_86_name_and_remittance(book, tmp_path):
    path = tmp_path / "nl.sta"
    path.write_text(mt940(
        ":61:261120C1190,00N078NONREF\n"
        ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL20INGB0001234567/BIC/INGBNL2A/NAME/ACME GMBH/REMI/Factuur R\n"
        "E-2026-017/EREF/NOTPROVIDED\n"), encoding="utf-8")
    _, data = run(book, path)
    e = data["files"][0]["entries"][0]
    assert (e["payer"], e["account"], e["end_to_end"]) == ("ACME GMBH", "NL20INGB0001234567", None)
    assert (e["status"], e["case"]) == ("matched", "acme-2026-017")


def test_statement_line_with_an_iban_as_customer_reference_and_a_second_line(book, tmp_path):
    path = tmp_path / "asn.sta"
    path.write_text(mt940(":61:2611201120C1190,00NOVBNL47INGB0009999999\nACME GmbH\n"
                          ":86:NL47INGB0009999999 ACME GmbH RE-2026-017\n"), encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017")]


def test_mt942_interim_report_is_read(book, tmp_path):
    path = tmp_path / "intraday.sta"
    path.write_text(":20:INTRADAY\n:25:DE02120300000000202051\n:28C:1/1\n:34F:EURD0,00\n:34F:EURC0,00\n"
                    ":13D:2611201030+0100\n:61:2611201120CR1190,00NTRFNONREF//9\n"
                    ":86:166?00GUTSCHRIFT?20RE-2026-017?32ACME GmbH\n:90C:1EUR1190,00\n-\n", encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert data["files"][0]["format"] == "MT942"
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017")]


def test_february_30_value_date_of_german_banks(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(":61:2602300302CR1190,00NTRFNONREF\n:86:166?00GUTSCHRIFT?20RE-2026-017?32ACME GmbH\n"),
                    encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert data["files"][0]["entries"][0]["date"] == "2026-03-02"


def test_a_balance_that_does_not_read_costs_nothing(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(":61:2611201120CR1190,00NTRFNONREF\n:86:166?00GUTSCHRIFT?20RE-2026-017?32ACME GmbH\n",
                          tail=":62F:C261121EUR14529,00\n:65:Dnullnull7414,3\n-\n"), encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    assert statuses(data) == [("1190.00", "matched", "acme-2026-017")]


def test_mt940_fragment_is_never_told_to_map_csv_columns(book, tmp_path):
    path = tmp_path / "part.sta"
    path.write_text(":61:2611201120CR1190,00NTRFNONREF\n:86:166?00GUTSCHRIFT?20RE-2026-017\n", encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 1
    assert "not a whole MT940 statement (no :20: reference, no :25: account, no :60F: opening balance)" in \
        result.stderr
    assert "csv" not in result.stderr.lower()


def test_bank_reference_on_the_second_line_of_61(book, tmp_path):
    path = tmp_path / "s.sta"
    path.write_text(mt940(":61:2611201120CR1190,00NTRFNONREF\n//HVB-778899\nGUTSCHRIFT\n"
                          ":86:166?00GUTSCHRIFT?20RE-2026-017?32ACME GmbH\n"), encoding="utf-8")
    result, data = run(book, path)
    assert result.exit_code == 0, result.output
    e = data["files"][0]["entries"][0]
    assert (e["reference"], e["status"], e["case"]) == ("HVB-778899", "matched", "acme-2026-017")
