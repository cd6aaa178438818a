"""The legal route: the cost estimate wherever decide_legal appears, and `dun legal --prepare`."""

from __future__ import annotations

import json
from decimal import Decimal


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
    # GebV SchKG Art. 16: a claim of 1500 (over 1000, up to 10000) -> 60.00; + 13.30 postage = 73.30
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\n")
    case(ledger, REFUSED.replace("flat fee for late payment (§288(5) BGB)", "postage"))
    item = decide_item(ledger)
    assert (item["route"], item["estimated_cost"]) == ("debt_enforcement", "73.30")
    assert "estimate: fee 60.00 (GebV SchKG Art. 16) + about 13.30 postage" in item["cost_basis"]


# ---- dun legal --prepare ------------------------------------------------------------------------

CREDITOR = ("creditor:\n  name: Anna Beispiel Webdesign\n  address: |\n    Lindenweg 3\n    10115 Berlin\n"
            "  iban: DE02120300000000202051\n")
ACME = """
customer:
  name: ACME GmbH
  kind: business
  address: |
    ACME GmbH
    Musterstr. 1
    10115 Berlin
history:
  - at: 2026-09-01
    event: invoice
    number: RE-1
    amount: 1500.00
    due: 2026-09-15
  - at: 2026-09-10
    event: invoice
    number: RE-2
    amount: 300.00
    due: 2026-09-24
  - at: 2026-10-05
    event: payment
    amount: 100.00
    invoice: RE-2
  - at: 2026-10-20
    event: letter
    template: final-notice
  - at: 2026-10-20
    event: fee
    amount: 1.00
    reason: final-notice letter, postage and material
  - at: 2026-10-21
    event: fee
    amount: 40.00
    reason: flat fee for late payment (§288(5) BGB)
  - at: 2026-10-22 10:00
    event: call
    outcome: refused
"""


def prepared(ledger, case_id: str, on: str = "2026-11-22") -> dict:
    before = ledger.snapshot()
    result = ledger.run("legal", case_id, "--prepare", "--json", "--on", on)
    assert result.exit_code == 0, result.stderr
    assert ledger.snapshot() == before  # nothing recorded, the ledger is byte-identical
    return json.loads(result.stdout)


def test_prepare_de_business_case(ledger):
    ledger.case("acme", ACME)
    data = prepared(ledger, "acme")
    assert (data["route"], data["currency"]) == ("dunning_court", "EUR")
    assert data["applicant"]["name"] == "Anna Beispiel Webdesign"
    assert (data["applicant"]["street"], data["applicant"]["postcode"], data["applicant"]["town"]) == \
        ("Lindenweg 3", "10115", "Berlin")
    # the name line the address block repeats is left out; the form comes from the name
    assert data["respondent"] | {"representatives": []} == {
        "kind": "company", "legal_form": "GmbH", "name": "ACME GmbH", "first_name": None, "last_name": None,
        "street": "Musterstr. 1", "postcode": "10115", "town": "Berlin", "country": "DE", "representatives": []}
    # RE-1: 30-day rule: later of due 15 Sep and receipt 4 Sep, + 30 = Thu 15 Oct, default from 16 Oct
    #       (the final notice of 20 Oct grants a deadline to 30 Oct: later); running interest from then on 1500
    # RE-2: 300 - 100 paid on 5 Oct (named, before default) = 200; 24 Sep + 30 = Sat 24 Oct -> Mon 26 Oct,
    #       default from 27 Oct; no payment after that: running from 27 Oct on 200, nothing calculated
    assert data["main_claims"] == [
        {"catalogue_number": "5", "claim_type": "Dienstleistungsvertrag", "invoice": "RE-1", "date": "2026-09-01",
         "principal": "1500.00", "running_interest": {"points_over_base_rate": "9", "fixed_rate": None,
                                                      "from": "2026-10-16", "on": "1500.00"}},
        {"catalogue_number": "5", "claim_type": "Dienstleistungsvertrag", "invoice": "RE-2", "date": "2026-09-10",
         "principal": "200.00", "running_interest": {"points_over_base_rate": "9", "fixed_rate": None,
                                                     "from": "2026-10-27", "on": "200.00"}}]
    assert data["principal"] == "1700.00"
    # the recorded dunning fee: a secondary claim (the form's Nebenforderungen, Mahnkosten), not the
    # "Auslagen des Antragstellers für dieses Verfahren", which are only the application's own costs
    secondary = data["secondary_claims"]
    assert (secondary["dunning_costs"], secondary["calculated_interest"]) == ("1.00", [])
    # the flat fee: charged once (40.00 covers one invoice); both are in default, so a second one is claimable
    assert secondary["other"] == [
        {"what": "flat fee (§288(5) BGB)", "amount": "40.00", "charged": True},
        {"what": "flat fee (§288(5) BGB), claimable, not charged yet", "amount": "40.00", "charged": False}]
    assert data["court_for_contested_proceedings"]["court"] == "Amtsgericht"
    assert data["counter_performance"].startswith("Der Anspruch hängt nicht von einer Gegenleistung ab")
    # §43(1) GKG: on the principal 1700 only: 40 + 3 x 21 = 103.00 (§34 GKG); half = 51.50
    assert data["court_fee_estimate"] == "51.50"


def test_prepare_de_private_case(ledger):
    ledger.case("max", """
customer:
  name: Max Muster
  kind: private
  address: |
    Hauptstr. 5
    10115 Berlin
history:
  - at: 2026-09-01
    event: invoice
    number: RE-7
    amount: 800.00
    due: 2026-09-15
  - at: 2026-10-06
    event: letter
    template: dunning
  - at: 2026-10-20
    event: fee
    amount: 1.00
    reason: final-notice letter, postage and material
""")
    data = prepared(ledger, "max")
    respondent = data["respondent"]
    assert (respondent["kind"], respondent["first_name"], respondent["last_name"]) == ("natural person", "Max",
                                                                                      "Muster")
    assert any("split from 'Max Muster'" in n for n in data["notes"])
    # no 30-day rule for a consumer without the notice; the dunning letter of Tue 6 Oct grants a deadline to
    # Fri 16 Oct: default from 17 Oct; 5 points over the base rate with a consumer (§288(1) BGB)
    assert data["main_claims"] == [
        {"catalogue_number": "5", "claim_type": "Dienstleistungsvertrag", "invoice": "RE-7", "date": "2026-09-01",
         "principal": "800.00", "running_interest": {"points_over_base_rate": "5", "fixed_rate": None,
                                                     "from": "2026-10-17", "on": "800.00"}}]
    secondary = data["secondary_claims"]
    assert (secondary["dunning_costs"], secondary["other"]) == ("1.00", [])  # no flat fee from a consumer
    assert data["court_fee_estimate"] == "38.00"  # 800: the full fee 61.00, half 30.50, at least 38.00


def test_prepare_claim_type_from_dun_yaml(ledger):
    ledger.config("legal:\n  claim_type: Werkvertrag\n")
    ledger.case("acme", ACME)
    data = prepared(ledger, "acme")
    assert {c["claim_type"] for c in data["main_claims"]} == {"Werkvertrag/Werklieferungsvertrag"}
    assert {c["catalogue_number"] for c in data["main_claims"]} == {None}  # not confirmed: the user looks it up
    assert any("take it from the form's published catalogue" in n for n in data["notes"])


def test_prepare_ch_betreibungsbegehren(ledger):
    (ledger.root / "dun.yaml").write_text(CREDITOR.replace("Lindenweg 3", "Bahnhofstr. 1").replace(
        "10115 Berlin", "8001 Zürich") + "country: CH\ncurrency: CHF\n", encoding="utf-8")
    ledger.case("muster", """
customer:
  name: Muster AG
  kind: business
  address: |
    Muster AG
    Seestr. 9
    8002 Zürich
history:
  - at: 2026-10-01
    event: invoice
    number: R-100
    amount: 1190.00
    due: 2026-10-15
  - at: 2026-10-20
    event: letter
    template: dunning
""")
    data = prepared(ledger, "muster")
    assert (data["route"], data["currency"]) == ("debt_enforcement", "CHF")
    assert (data["creditor"]["name"], data["creditor"]["street"], data["creditor"]["town"]) == \
        ("Anna Beispiel Webdesign", "Bahnhofstr. 1", "Zürich")
    assert (data["debtor"]["name"], data["debtor"]["legal_form"], data["debtor"]["postcode"]) == \
        ("Muster AG", "AG", "8002")
    # OR 102(1), cautious reading: the dunning letter of 20 Oct grants a deadline to Fri 30 Oct: 5 % (OR 104)
    # from 31 Oct; the ground in German, the ledger's language
    assert data["claims"] == [{"amount": "1190.00", "interest_rate": "5.00", "interest_from": "2026-10-31",
                               "ground": "Rechnung R-100 vom 01.10.2026"}]
    # GebV SchKG Art. 16: over 1000 up to 10000 -> 60; + 13.30 postage = 73.30 (an estimate)
    assert (data["fee_estimate"], data["fee_basis"]) == ("73.30", "estimate: fee 60.00 (GebV SchKG Art. 16) + "
                                                                  "about 13.30 postage")


def test_prepare_collection_agency_csv(ledger, tmp_path):
    import csv

    ledger.case("acme", ACME)
    target = tmp_path / "handover.csv"
    result = ledger.run("legal", "acme", "--prepare", "--csv", str(target), "--on", "2026-11-22")
    assert result.exit_code == 0, result.stderr
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["case", "debtor", "debtor_kind", "street", "postcode", "town", "country", "invoice",
                             "invoice_date", "due", "default_from", "currency", "amount", "credited",
                             "principal_paid", "principal_open", "interest", "interest_paid", "interest_open",
                             "costs", "costs_paid", "costs_open", "total_open", "history"]
    # RE-1: 16 Oct..22 Nov = 38 days: 1500 x 10.52 % x 38 / 365 = 16.4280 -> 16.43; costs 1.00 + 40.00
    # RE-2: 27 Oct..22 Nov = 27 days: 200 x 10.52 % x 27 / 365 = 1.5564 -> 1.56; 100.00 paid on principal
    assert [(r["invoice"], r["amount"], r["principal_paid"], r["principal_open"], r["interest"],
             r["interest_open"], r["costs_open"], r["total_open"]) for r in rows] == [
        ("RE-1", "1500.00", "0.00", "1500.00", "16.43", "16.43", "41.00", "1557.43"),
        ("RE-2", "300.00", "100.00", "200.00", "1.56", "1.56", "0.00", "201.56")]
    for r in rows:  # the columns reconcile
        d = {k: Decimal(v) for k, v in r.items() if k in ("amount", "credited", "principal_paid", "principal_open",
                                                           "interest", "interest_paid", "interest_open", "costs",
                                                           "costs_paid", "costs_open", "total_open")}
        assert d["amount"] - d["credited"] - d["principal_paid"] == d["principal_open"]
        assert d["interest"] - d["interest_paid"] == d["interest_open"]
        assert d["costs"] - d["costs_paid"] == d["costs_open"]
        assert d["principal_open"] + d["interest_open"] + d["costs_open"] == d["total_open"]
    assert (rows[0]["street"], rows[0]["postcode"], rows[0]["debtor"]) == ("Musterstr. 1", "10115", "ACME GmbH")
    assert rows[0]["history"] == ("1 call (last 2026-10-22: refused); 1 letter (last 2026-10-20: final-notice); "
                                  "1 payment (last 2026-10-05: 100.00)")
    assert not (ledger.root / "handover.csv").exists()


def test_prepare_text_and_the_route_still_records(ledger):
    ledger.case("acme", ACME)
    text = ledger.run("legal", "acme", "--prepare", "--on", "2026-11-22").stdout
    assert text.startswith("gerichtliches Mahnverfahren (court dunning procedure): what to fill in")
    assert "court fee estimate: 51,50" in text and "legal form: GmbH" in text and "from: 16.10.2026" in text
    result = ledger.run("legal", "acme", "--route", "dunning_court", "--reference", "26-1", "--on", "2026-11-23")
    assert result.exit_code == 0 and "route: dunning_court" in ledger.text("acme")


def test_prepare_refuses_settled_case_and_bad_combinations(ledger):
    ledger.case("acme", ACME + "  - at: 2026-11-01\n    event: payment\n    amount: 2000.00\n")
    result = ledger.run("legal", "acme", "--prepare", "--on", "2026-11-22")
    assert result.exit_code == 1 and "acme is settled on 2026-11-22: there is nothing to claim" in result.stderr
    assert ledger.run("legal", "acme").exit_code == 2
    assert ledger.run("legal", "acme", "--prepare", "--route", "lawyer").exit_code == 2
    assert ledger.run("legal", "acme", "--route", "lawyer", "--json").exit_code == 2


def test_legal_form_from_the_name():
    from receivables_cli.money.parties import legal_form

    assert [legal_form(n, "business") for n in ("Bau GmbH & Co. KG", "Klein UG (haftungsbeschränkt)", "X AG",
                                                 "Y OHG", "Z KG", "Praxis GbR", "Müller e.K.", "Sportverein e.V.")] \
        == ["GmbH & Co. KG", "UG (haftungsbeschränkt)", "AG", "OHG", "KG", "GbR", "e.K.", "e.V."]
    assert legal_form("Max Muster", "private") == "private person"


def test_prepare_austria_has_no_fee_figure_but_all_other_fields(ledger):
    (ledger.root / "dun.yaml").write_text("country: AT\n", encoding="utf-8")
    ledger.case("acme", ACME)
    data = prepared(ledger, "acme")
    assert (data["route"], data["court_fee_estimate"]) == ("dunning_court", None)
    assert data["main_claims"][0]["running_interest"]["points_over_base_rate"] == "9.2"
    assert data["secondary_claims"]["other"][0]["what"] == "flat fee (§458 UGB)"
