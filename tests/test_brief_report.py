"""The brief, the interactive call and the portfolio report."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ACME

BUSINESS = ACME.replace("history:", """  assistant: {name: Jana Beispiel, phone: "+49 30 5551235"}
  manager: {name: Max Muster, role: CEO, phone: "+49 30 5551200"}
history:""") + """  - at: 2026-11-05 14:30
    event: call
    outcome: voicemail
    note: Asked for a call back.
"""
PRIVATE = """
customer:
  name: Thomas Müller
  kind: private
  relationship: new
  phone: "+49 30 5557733"
  language: en
history:
  - at: 2026-10-10
    event: invoice
    number: RE-33
    amount: 420.00
"""


def test_brief_for_a_business_case(ledger):
    ledger.case("acme", BUSINESS)
    ledger.case("other", PRIVATE.replace("1190", "420"))
    out = ledger.run("brief", "acme", "--on", "2026-11-24").stdout
    # 1190 of 1610 open in the ledger: 74 %
    assert "This claim is 74 % of everything your customers owe you." in out
    assert "  1. Full payment: 1190.00 by 2026-12-01" in out
    assert "dun agree acme --installments 3 --down-payment 238.00 --every 1m" in out  # 20 % down, then 3 x 317.33
    assert "then 3 x about 317.33 a month" in out
    assert "1071.00 (10 % off)" in out and "dun credit acme 119.00" in out
    assert "Schuldnerverzeichnis" in out
    assert "assistant: Jana Beispiel, +49 30 5551235" in out and "manager:   Max Muster (CEO), +49 30 5551200" in out
    assert "Guten Tag, hier ist Anna Beispiel Webdesign. Ich rufe wegen der offenen Rechnung RE-2026-017 an." in out
    assert "2026-11-05 call voicemail: Asked for a call back." in out
    assert "dun call acme promised --promise-amount 1190.00 --promise-by 2026-12-01" in out
    assert "default interest accrued 2.74" in out  # 1190 x 10.52 % x 8 / 365 (17..24 Nov) = 2.7439


def test_brief_for_a_private_case_in_switzerland(ledger):
    (ledger.root / "dun.yaml").write_text("creditor: {name: Anna Beispiel}\ncountry: CH\ncurrency: CHF\n")
    ledger.case("mueller", PRIVATE)
    out = ledger.run("brief", "mueller", "--on", "2026-11-24").stdout
    assert "Betreibungsregisterauszug" in out and "CHF 17" in out
    assert "Hello, this is Anna Beispiel. I am calling about the open invoice RE-33." in out
    assert "a new customer" in out and "flat fee claimable 0.00" in out
    assert "This claim is 100 %" in out


def record_call(ledger, answers: str):
    return ledger.run("call", "acme", "--on", "2026-11-24", input=answers)


@pytest.mark.parametrize(("answers", "expected"), [
    ("1\n1\nall fine\n", "    event: call\n    outcome: reached\n    note: all fine\n"),
    ("2\n6\n\n", "    event: call\n    outcome: no_answer\n    with: assistant\n"),
    ("3\n5\nwill not pay\n", "    event: call\n    outcome: refused\n    with: manager\n    note: will not pay\n"),
    ("1\n2\n\n500\n2026-12-01\n", "    outcome: promised\n    promise: {amount: 500.00, by: 2026-12-01}\n"),
    ("1\n2\n\n\n\n", "    outcome: promised\n    promise: {amount: 1190.00, by: 2026-12-01}\n"),
    ("1\n4\nwrong hours\n", "    outcome: disputed\n    note: wrong hours\n"),
    ("1\n7\n\n", "    outcome: voicemail\n"),
    ("1\n8\n\n", "    outcome: denied\n"),
    ("1\n3\n\n1\n", "    outcome: hardship\n"),
    ("1\n3\n\n2\n200\n2026-11-30\n", "    outcome: hardship\n  - at: 2026-11-24\n    event: promise\n"
     "    amount: 200.00\n    by: 2026-11-30\n    note: down payment\n"),
    ("1\n3\n\n3\n2\n190\n", "    event: agreement\n    installments:\n      - {amount: 500.00, by: 2026-12-24}\n"
     "      - {amount: 500.00, by: 2027-01-24}\n    down_payment: {amount: 190.00, by: 2026-12-01}\n"),
])
def test_interactive_call_appends_what_was_answered(ledger, answers, expected):
    path = ledger.case("acme", BUSINESS)
    before = path.read_text()
    result = record_call(ledger, answers)
    assert result.exit_code == 0, result.stdout + result.stderr
    added = path.read_text()[len(before):]
    assert expected in added
    assert "next: " in result.stdout


def test_interactive_promise_prints_the_confirmation_command(ledger):
    ledger.case("acme", BUSINESS)
    out = record_call(ledger, "1\n2\n\n500\n2026-12-01\n").stdout
    assert "next: confirm_promise on 2026-11-24" in out
    assert ("send it: dun letter acme promise-confirmation --on 2026-11-24 --format eml | msmtp -t && dun sent acme "
            "promise-confirmation --on 2026-11-24") in out


@pytest.mark.parametrize("answers", ["", "1\n", "1\n2\n\n500\n"])
def test_interactive_call_aborted_writes_nothing(ledger, answers):
    path = ledger.case("acme", BUSINESS)
    before = path.read_bytes()
    result = record_call(ledger, answers)
    assert result.exit_code == 1
    assert "nothing was written" in result.stdout
    assert path.read_bytes() == before


def test_report_json_for_a_ledger_built_here(ledger):
    ledger.case("a", ACME)  # 1190 due 15 Oct: 38 days overdue on 22 Nov -> 31-60
    ledger.case("b", ACME.replace("ACME GmbH", "Beta AG").replace("1190.00", "300.00").replace(
        "due: 2026-10-15", "due: 2026-11-30"))  # not due
    ledger.case("c", ACME.replace("ACME GmbH", "Gamma KG").replace("1190.00", "500.00").replace(
        "due: 2026-10-15", "due: 2026-07-01") + "  - at: 2026-11-02 10:00\n    event: call\n    outcome: promised\n"
        "    promise: {amount: 100, by: 2026-11-10}\n  - at: 2026-11-09\n    event: payment\n    amount: 100\n"
        "  - at: 2026-11-12 10:00\n    event: call\n    outcome: promised\n    promise: {amount: 400, by: 2026-11-15}\n"
        "  - at: 2026-11-20 10:00\n    event: call\n    outcome: promised\n"
        "    promise: {amount: 400, by: 2026-11-30}\n")  # 400 open, 144 days overdue -> 90+
    ledger.case("d", ACME.replace("ACME GmbH", "Delta").replace("2026-10-01", "2026-08-01").replace(
        "due: 2026-10-15", "due: 2026-08-15") + "  - at: 2026-08-21\n    event: payment\n    amount: 1190.00\n")
    data = json.loads(ledger.run("report", "--json", "--on", "2026-11-22").stdout)
    assert data["currencies"] == {"EUR": {"open": "1890.00", "overdue": "1590.00", "cases": 3, "ageing": {
        "not_due": "300.00", "1-30": "0.00", "31-60": "1190.00", "61-90": "0.00", "90+": "400.00"}}}
    # shares of 1890: 1190 -> 0.63, 400 -> 0.21, 300 -> 0.16
    assert data["concentration"] == [{"customer": "ACME GmbH", "open": "1190.00", "share": 0.63},
                                     {"customer": "Gamma KG", "open": "400.00", "share": 0.21},
                                     {"customer": "Beta AG", "open": "300.00", "share": 0.16}]
    assert data["warnings"] == ["ACME GmbH holds 63 % of the open receivables."]
    # 100 by 10 Nov: kept; 400 by 15 Nov (+2 grace): broken; 400 by 30 Nov: pending
    assert data["promises"] == {"made": 3, "kept": 1, "broken": 1, "pending": 1}
    assert data["statuses"] == {"open": 2, "promised": 1, "settled": 1}
    assert data["average_days_to_pay"] == 20.0  # Delta: invoiced 1 Aug, paid 21 Aug


def test_report_text_draws_bars(ledger):
    ledger.case("a", ACME)
    out = ledger.run("report", "--on", "2026-11-22").stdout
    assert "31-60 days       1190.00  ██████████████████████████████" in out
    assert "ACME GmbH" in out and "100 %" in out
