"""A newcomer's morning: statements of two banks (camt.053 and MT940), a DKB CSV with no mapping in dun.yaml,
a promise and an instalment paid. Everything is matched, recorded once, and the agenda is clean."""

from __future__ import annotations

import json

from tests.test_bank_csv import DKB
from tests.test_bank_formats import camt, mt940, ntry
from tests.test_bank_matching import add_case
from tests.test_import_bank import payments


def test_a_newcomers_morning(ledger, tmp_path):
    add_case(ledger, "acme-2026-017", "ACME GmbH", "RE-2026-017", "1190.00", "2026-10-01")
    add_case(ledger, "mueller-2026-033", "Thomas Müller", "RE-2026-033", "420.00", "2026-10-01")
    add_case(ledger, "hoffmann-2026-101", "Sabine Hoffmann", "RE-2026-101", "2400.00", "2026-09-15")
    add_case(ledger, "weber-2026-103", "Jonas Weber e.K.", "RE-2026-103", "1200.00", "2026-09-15")
    assert ledger.run("promise", "hoffmann-2026-101", "2400", "--by", "2026-11-30", on="2026-11-10").exit_code == 0
    assert ledger.run("agree", "weber-2026-103", "--installments", "3", "--down-payment", "300",
                      "--down-payment-by", "2026-11-19", "--first", "2026-12-15", on="2026-11-12").exit_code == 0
    ledger.run("pay", "hoffmann-2026-101", "1600", "--at", "2026-11-12")  # most of it came early
    busy = json.loads(ledger.run("today", "--json").stdout)
    assert {i["case"] for i in busy} >= {"acme-2026-017", "mueller-2026-033"}  # chased until the bank is read

    sparkasse = tmp_path / "camt053_2026-11-21.xml"
    sparkasse.write_text(camt("053", "001.08", ntry(payer="ACME GmbH", text="Rechnung RE-2026-017")
                              + ntry("800.00", "Restzahlung", payer="Hoffmann, Sabine", ref="S2")), encoding="utf-8")
    volksbank = tmp_path / "MT940_20261121.sta"
    volksbank.write_text(mt940(":61:2611191119CR300,00NTRFNONREF//VB-1\n"
                               ":86:166?00GUTSCHRIFT?20SVWZ+Anzahlung?31DE12500105170648489890?32WEBER, JONAS\n"
                               ":61:2611201120CR1190,00NTRFNONREF//VB-2\n"
                               ":86:166?00GUTSCHRIFT?20SVWZ+Rechnung RE-2026-017?32ACME GMBH\n"), encoding="utf-8")
    dkb = tmp_path / "dkb.csv"
    dkb.write_text(DKB.replace("ACME GmbH", "Jonas Weber").replace("RE-2026-017", "Anzahlung")
                   .replace('"20.11.26";"20.11.26"', '"18.11.26";"18.11.26"').replace("1.190,00", "100,00"),
                   encoding="utf-8")  # a credit for nobody's case, and RE-2026-033 pending

    result = ledger.run("import", "bank", str(sparkasse), str(volksbank), str(dkb), "--record", "--json")
    assert result.exit_code == 0, result.output
    found = [(e["amount"], e["status"], e["case"]) for f in json.loads(result.stdout)["files"] for e in f["entries"]]
    assert found == [("1190.00", "matched", "acme-2026-017"), ("800.00", "matched", "hoffmann-2026-101"),
                     ("300.00", "matched", "weber-2026-103"), ("1190.00", "recorded_before", None),
                     ("100.00", "unmatched", None), ("420.00", "ignored", None)]
    assert [len(payments(ledger, c)) for c in ("acme-2026-017", "hoffmann-2026-101", "weber-2026-103")] == [1, 2, 1]

    dkb.write_text(DKB.replace("Vorgemerkt", "Gebucht"), encoding="utf-8")  # the next morning it is booked
    again = ledger.run("import", "bank", str(sparkasse), str(volksbank), str(dkb), "--record", on="2026-11-23")
    assert again.exit_code == 0, again.output
    assert [len(payments(ledger, c)) for c in ("acme-2026-017", "mueller-2026-033")] == [1, 1]
    agenda = json.loads(ledger.run("today", "--json", on="2026-11-23").stdout)
    left = [(i["case"], i["action"]) for i in agenda]
    assert left == [("weber-2026-103", "confirm_agreement")]  # the agreement's own letter; nobody who paid is chased
