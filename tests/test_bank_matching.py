"""Matching that finds what a person would, and a payment recorded once whatever the statement format
and whatever runs at the same time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.test_bank_formats import camt, mt940, ntry
from tests.test_import_bank import payments, write_cases


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def add_case(book, case_id: str, name: str, number: str, amount: str, at: str = "2026-09-01") -> None:
    book.case(case_id, f"""
        customer:
          name: "{name}"
          kind: business
        history:
          - at: {at}
            event: invoice
            number: {number}
            amount: {amount}
        """)


def judged(book, tmp_path, text: str, name: str = "s.xml") -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = book.run("import", "bank", str(path), "--json")
    assert "Traceback" not in result.output and result.stdout, result.output
    return json.loads(result.stdout)["files"][0]["entries"]


def test_promised_amount_from_last_first_payer_is_matched(book, tmp_path):
    add_case(book, "hoffmann-2026-101", "Sabine Hoffmann", "RE-2026-101", "2400.00")
    assert book.run("promise", "hoffmann-2026-101", "800", "--by", "2026-11-30", on="2026-11-10").exit_code == 0
    [e] = judged(book, tmp_path, camt("053", "001.02", ntry("800.00", "Teilzahlung", payer="Hoffmann, Sabine")))
    assert (e["status"], e["case"], e["how"]) == ("matched", "hoffmann-2026-101", "amount_and_payer")
    assert e["why"] == "the amount is the amount promised by 2026-11-30; the payer resembles Sabine Hoffmann"


def test_umlauts_spelled_out_and_legal_forms_do_not_hide_the_customer(book, tmp_path):
    add_case(book, "bohnen-2026-102", "Kaffeerösterei Bohnenglück GmbH", "RE-2026-102", "1500.00")
    book.run("promise", "bohnen-2026-102", "600", "--by", "2026-11-30", on="2026-11-10")
    [e] = judged(book, tmp_path, camt("053", "001.02", ntry("600.00", "Abschlag",
                                                            payer="KAFFEEROESTEREI BOHNENGLUECK")))
    assert (e["status"], e["case"]) == ("matched", "bohnen-2026-102")


def test_down_payment_and_a_due_instalment_are_matched(book, tmp_path):
    add_case(book, "weber-2026-103", "Jonas Weber e.K.", "RE-2026-103", "1200.00")
    agreed = book.run("agree", "weber-2026-103", "--installments", "3", "--down-payment", "300",
                      "--down-payment-by", "2026-11-20", "--first", "2026-12-15", on="2026-11-12")
    assert agreed.exit_code == 0, agreed.output
    [down] = judged(book, tmp_path, camt("053", "001.02", ntry("300.00", "Anzahlung", payer="Weber, Jonas")))
    assert (down["status"], down["case"]) == ("matched", "weber-2026-103")
    assert down["why"].startswith("the amount is the agreed down payment due 2026-11-20")
    assert book.run("pay", "weber-2026-103", "300", "--at", "2026-11-20").exit_code == 0
    [rate] = judged(book, tmp_path, camt("053", "001.02", ntry(
        "300.00", "Rate", payer="Jonas Weber", dates="<BookgDt><Dt>2026-12-14</Dt></BookgDt>", ref="A9")), "r.xml")
    assert (rate["status"], rate["case"]) == ("matched", "weber-2026-103")
    assert rate["why"].startswith("the amount is instalment 1 of 3 due 2026-12-15")


def test_a_reference_dun_printed_matches_before_a_number_in_the_text(book, tmp_path):
    from receivables_cli.imports.reference import creditor_reference

    rf = creditor_reference("RE-2026-033")
    [e] = judged(book, tmp_path, camt("053", "001.02", ntry(
        "420.00", f"RE-2026-017 {rf[:4]} {rf[4:8]} {rf[8:]}", payer="Irgendwer")))
    assert (e["status"], e["case"], e["how"]) == ("matched", "mueller-2026-033", "creditor_reference")


def test_end_to_end_reference_that_is_an_invoice_number(book, tmp_path):
    [e] = judged(book, tmp_path, camt("053", "001.02", ntry(
        "100.00", "Danke", payer="Irgendwer", extra="<Refs><EndToEndId>RE-2026-025</EndToEndId></Refs>")))
    assert (e["status"], e["case"], e["how"]) == ("matched", "hotel-2026-025", "end_to_end")


def test_unmatched_names_the_closest_candidate_truthfully(book, tmp_path):
    [e] = judged(book, tmp_path, camt("053", "001.02", ntry("1000.00", "Teilzahlung", payer="ACME GmbH")))
    assert e["status"] == "unmatched"
    assert e["why"] == ("no invoice number in the text; closest: acme-2026-017 (ACME GmbH), whose name resembles "
                        "the payer, but 1000.00 is not what is open (1190.00), promised or due by agreement")


# a payment's identity across formats -----------------------------------------------------------

def test_the_same_booking_in_a_camt_and_then_an_mt940_is_recorded_once(book, tmp_path):
    first = tmp_path / "camt.xml"
    first.write_text(camt("053", "001.02", ntry(payer="ACME GmbH", text="RE-2026-017 Danke")), encoding="utf-8")
    assert book.run("import", "bank", str(first), "--record").exit_code == 0
    [e] = judged(book, tmp_path, mt940(":61:2611201120CR1190,00NTRFNONREF//99887766\n"
                                       ":86:166?00GUTSCHRIFT?20EREF+NOTPROVIDED?21SVWZ+RE-2026-017 Dank?22e"
                                       "?31DE89370400440532013000?32ACME GMBH\n"), "s.sta")
    assert (e["status"], e["why"]) == ("recorded_before", "recorded before in acme-2026-017")


def test_two_equal_credits_of_one_day_from_different_payers_are_both_matched(book, tmp_path):
    add_case(book, "klein-2026-050", "Beate Klein", "RE-2026-050", "420.00")
    found = judged(book, tmp_path, camt("053", "001.02", ntry("420.00", "RE-2026-033", ref="", payer="Thomas Müller")
                                        + ntry("420.00", "RE-2026-050", ref="", payer="Beate Klein")))
    assert [(e["status"], e["case"]) for e in found] == [("matched", "mueller-2026-033"),
                                                         ("matched", "klein-2026-050")]


def dun(ledger, *args: str) -> subprocess.Popen:
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-22")
    return subprocess.Popen([sys.executable, "-m", "receivables_cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_import_racing_a_typed_payment_records_it_once(book, tmp_path):
    """`dun pay` lands while `import bank --record` is reading: the import sees it under the case's lock."""
    slow = tmp_path / "a-debits.xml"  # read first: keeps the import busy between planning and recording
    slow.write_text(camt("053", "001.02", "".join(
        f'<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt>'
        f"</BookgDt><AcctSvcrRef>D{n}</AcctSvcrRef></Ntry>\n" for n in range(8000))), encoding="utf-8")
    credit = tmp_path / "b-credit.xml"
    credit.write_text(camt("053", "001.02", ntry(payer="ACME GmbH")), encoding="utf-8")
    for _ in range(2):
        case = book.case("acme-2026-017", book.text("acme-2026-017").split("  - at: 2026-11-20")[0])
        (book.root / ".dun" / "bank-imports").unlink(missing_ok=True)
        importing = dun(book, "import", "bank", str(slow), str(credit), "--record")
        time.sleep(1.5)
        paying = dun(book, "pay", "acme-2026-017", "1190", "--at", "2026-11-20")
        paying.communicate(timeout=60)
        still_reading = importing.poll() is None
        out, err = importing.communicate(timeout=120)
        assert "Traceback" not in err
        assert len(payments(book, "acme-2026-017")) == 1, case.read_text()
        if still_reading:
            assert "recorded meanwhile in acme-2026-017" in out or "recorded before" in out, out
