"""The legal route: the cost estimate wherever decide_legal appears, and `dun legal --prepare`."""

from __future__ import annotations

import json


def case(ledger, events: str, kind: str = "business", extra: str = "", case_id: str = "c") -> None:
    body = "\n".join("  " + line for line in events.strip("\n").splitlines())
    ledger.case(case_id, f"customer:\n  name: X GmbH\n  kind: {kind}\n{extra}history:\n{body}\n")


# 1500 principal, the flat fee charged (40.00) and interest charged (3.38), then a refusal: decide_legal
REFUSED = """
- at: 2026-09-01
  event: invoice
  number: RE-1
  amount: 1500.00
  due: 2026-09-15
- at: 2026-10-20
  event: fee
  amount: 40.00
  reason: flat fee for late payment (§288(5) BGB)
- at: 2026-10-20
  event: interest
  amount: 3.38
- at: 2026-10-21 10:00
  event: call
  outcome: refused
"""
ADVICE = ("Recommended: legal route (dunning_court), estimated cost 41.00 EUR (half a fee under §34 GKG, at least "
          "38.00, on the principal 1500.00 (interest and costs do not count, §43(1) GKG)).")


def decide_item(ledger, on: str = "2026-10-22") -> dict:
    items = json.loads(ledger.run("today", "--json", "--on", on).stdout)
    return next(i for i in items if i["action"] == "decide_legal")


def test_court_fee_estimate_on_the_principal_only(ledger):
    # §43(1) GKG: the value is the principal 1500.00; the 40.00 fee and 3.38 interest do not count.
    # §34 GKG: 40.00 up to 500, + 21.00 per started 500 up to 2000: 1500 -> 40 + 2 x 21 = 82.00; half = 41.00
    # (on everything open, 1543.38, it would be 40 + 3 x 21 = 103.00; half = 51.50)
    case(ledger, REFUSED)
    item = decide_item(ledger)
    assert (item["open"], item["recommendation"], item["route"]) == ("1543.38", "legal", "dunning_court")
    assert item["estimated_cost"] == "41.00"
    assert item["reason"].endswith(ADVICE)


def test_advice_shown_in_today_why_show_and_brief(ledger):
    case(ledger, REFUSED)
    assert "decide_legal (legal: dunning_court ~41.00)" in ledger.run("today", "--on", "2026-10-22").stdout
    for args in (["why", "c"], ["show", "c"], ["brief", "c"]):
        result = ledger.run(*args, "--on", "2026-10-22")
        assert result.exit_code == 0, result.stderr
        flat = " ".join(result.stdout.split())
        assert "Recommended: legal route (dunning_court), estimated cost 41.00 EUR" in flat, args


def test_swiss_estimate_adds_postage(ledger):
    # GebV SchKG Art. 16: a claim of 1500 (over 1000, up to 10000) -> 60.00; + about 13.00 postage = 73.00
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, REFUSED.replace("flat fee for late payment (§288(5) BGB)", "postage"))
    item = decide_item(ledger)
    assert (item["route"], item["estimated_cost"]) == ("debt_enforcement", "73.00")
    assert "estimate: fee 60.00 (GebV SchKG Art. 16) + about 13.00 postage" in item["cost_basis"]
