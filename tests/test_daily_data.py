"""The data forms of what is printed: `dun why --json`, `dun brief --json`, `dun list --csv` (issue 22, item 5).
Users script against them: the keys are pinned here."""

from __future__ import annotations

import csv
import io
import json

from tests.test_daily_agenda import ACME

BRIEF_CASE = ACME.replace("  email: erika@acme.example\n", "  email: erika@acme.example\n  phone: \"+49 30 1\"\n"
                          "  assistant: {name: Jana Beispiel, phone: \"+49 30 2\"}\n")


def test_why_json(ledger):
    ledger.case("acme", ACME)
    result = ledger.run("why", "acme", "--json", on="2026-11-03")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["case", "customer", "on", "status", "open", "currency", "overdue_days", "window", "rules",
                          "actions"]
    assert (data["case"], data["status"], data["open"], data["window"]) == ("acme", "open", "1190.00",
                                                                             "Tue-Thu 09:00-16:00")
    fired = [r for r in data["rules"] if r["fired"]]
    assert [r["rule"] for r in fired] == ["collection_call"] == [a["action"] for a in data["actions"]]
    assert list(fired[0]) == ["rule", "channel", "fired", "done", "due", "scheduled", "template", "why"]
    assert fired[0]["due"] == "2026-11-01" and fired[0]["scheduled"] == "2026-11-03"
    assert all(isinstance(r["why"], str) and r["why"] for r in data["rules"])


def test_brief_json(ledger):
    ledger.case("acme", BRIEF_CASE)
    result = ledger.run("brief", "acme", "--json", on="2026-11-03")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["case", "on", "status", "currency", "open", "paid", "interest_accrued",
                          "flat_fee_claimable", "share", "customer", "invoices", "goals", "opening_line", "notes",
                          "actions"]
    assert data["customer"]["assistant"] == {"name": "Jana Beispiel", "role": None, "phone": "+49 30 2"}
    assert data["customer"]["manager"] is None and data["share"] == "1.00"
    assert data["invoices"] == [{"number": "RE-2026-017", "date": "2026-10-01", "due": "2026-10-15",
                                 "open": "1190.00", "overdue_days": 19, "subject": None}]
    assert [g["command"].split()[:2] for g in data["goals"]] == [["dun", "call"], ["dun", "call"], ["dun", "agree"],
                                                                ["dun", "credit"]]
    assert "RE-2026-017" in data["opening_line"]


def test_list_csv(ledger):
    ledger.case("acme", ACME)
    ledger.case("beta", ACME.replace("ACME GmbH", "Beta, Gamma & Co"))
    result = ledger.run("list", "--csv", on="2026-11-03")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == "case,customer,open,currency,overdue_days,status,next"
    assert rows[1] == {"case": "beta", "customer": "Beta, Gamma & Co", "open": "1190.00", "currency": "EUR",
                       "overdue_days": "19", "status": "open", "next": "collection_call"}
    as_json = json.loads(ledger.run("list", "--json", on="2026-11-03").stdout)
    assert [r["case"] for r in rows] == [r["case"] for r in as_json]
