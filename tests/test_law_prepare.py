"""`dun legal --prepare`: never more than is owed, and a Mahnantrag that can be typed in as it stands."""

from __future__ import annotations

import json

PARTY = ["kind", "legal_form", "name", "first_name", "last_name", "street", "postcode", "town", "country",
         "representatives"]
FORM = ["case", "on", "country", "route", "route_name", "currency", "attorney", "applicant", "respondent",
        "main_claims", "principal", "secondary_claims", "court_for_contested_proceedings", "counter_performance",
        "your_reference", "court_fee_estimate", "court_fee_basis", "notes"]


def prepared(ledger, case: str, on: str) -> dict:
    result = ledger.run("legal", case, "--prepare", "--json", on=on)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


PAID_INTEREST = """
    customer: {name: Muster GmbH, address: "Muster GmbH\\nMusterstr. 1\\n10115 Berlin"}
    history:
      - {at: 2026-09-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-09-30, fixed_due: true}
      - {at: 2026-10-31, event: payment, amount: 500.00}
    """


def test_after_a_payment_that_paid_interest_interest_runs_from_the_next_day_on_what_is_open(ledger):
    """Default from 2026-10-01 (fixed due Wed 2026-09-30). The payment of 2026-10-31 pays the interest to 30 Oct
    (30 x 1000 x 10.52 % / 365 = 8.65, §367 BGB) and 491.35 of the principal: 508.65 open from 31 Oct.
    Owed: 31 Oct on 508.65 = 508.65 x 10.52 % / 365 = 0.1466 -> 0.15 (calculated, 31.10.-31.10.), then running
    interest from 1 Nov on 508.65. Today's main put running interest from 1 Oct on 508.65 beside calculated
    interest of 4.54 for 31 Oct..30 Nov: the same days twice, and October on money already paid."""
    (ledger.root / "dun.yaml").write_text("country: DE\n")
    ledger.case("c", PAID_INTEREST)
    data = prepared(ledger, "c", "2026-11-30")
    (claim,) = data["main_claims"]
    assert (claim["principal"], claim["running_interest"]["from"], claim["running_interest"]["on"]) == \
        ("508.65", "2026-11-01", "508.65")
    assert data["secondary_claims"]["calculated_interest"] == [
        {"invoice": "RE-1", "amount": "0.15", "from": "2026-10-31", "to": "2026-10-31"}]


def test_a_fully_paid_invoice_gives_no_default_date_only_its_unpaid_interest(ledger):
    """interest: {claim: charged}: RE-1 (default from 2026-10-01) is paid in full on 2026-10-31, its interest is
    not: 1..30 Oct, 30 x 1000 x 10.52 % / 365 = 8.6466 -> 8.65, claimed with that period and nothing running.
    RE-2 (fixed due Fri 2026-10-30, default from 31 Oct) runs from 31 Oct on 700. Today's main listed RE-1 with
    a default date and running interest on the whole case from 1 Oct."""
    (ledger.root / "dun.yaml").write_text("interest: {claim: charged}\n")
    ledger.case("c", """
        customer: {name: Muster GmbH}
        history:
          - {at: 2026-09-01, event: invoice, number: RE-1, amount: 1000.00, due: 2026-09-30, fixed_due: true}
          - {at: 2026-10-01, event: invoice, number: RE-2, amount: 700.00, due: 2026-10-30, fixed_due: true}
          - {at: 2026-10-31, event: payment, amount: 1000.00, invoice: RE-1}
        """)
    data = prepared(ledger, "c", "2026-11-30")
    assert [c["invoice"] for c in data["main_claims"]] == ["RE-2"]
    assert data["main_claims"][0]["running_interest"]["from"] == "2026-10-31"
    assert data["secondary_claims"]["calculated_interest"] == [
        {"invoice": "RE-1", "amount": "8.65", "from": "2026-10-01", "to": "2026-10-31"}]
    assert data["principal"] == "700.00"


GMBH = """
    customer:
      name: ACME GmbH
      kind: business
      manager: {name: Max Muster, role: Geschäftsführer, phone: "+49 30 1234500"}
      address: |
        ACME GmbH
        Musterstr. 1
        10117 Berlin
    history:
      - {at: 2026-09-01, event: invoice, number: RE-2026-101, amount: 1500.00, due: 2026-09-15}
      - {at: 2026-09-10, event: invoice, number: RE-2026-108, amount: 300.00, due: 2026-09-24, claim_type: Kaufvertrag}
      - {at: 2026-10-21, event: fee, amount: 40.00, reason: flat fee for late payment, invoice: RE-2026-101}
    """


def test_mahnantrag_for_a_gmbh_with_its_managing_director(ledger):
    """Every field of the online form, in its order; the GmbH's legal representative with his function;
    catalogue 5 (Dienstleistungsvertrag) from dun.yaml's default, 11 (Kaufvertrag) named on the invoice."""
    ledger.case("acme", GMBH)
    data = prepared(ledger, "acme", "2026-11-22")
    assert list(data) == FORM
    assert list(data["applicant"]) == PARTY and list(data["respondent"]) == PARTY
    assert data["respondent"] == {"kind": "company", "legal_form": "GmbH", "name": "ACME GmbH", "first_name": None,
                                  "last_name": None, "street": "Musterstr. 1", "postcode": "10117", "town": "Berlin",
                                  "country": "DE",
                                  "representatives": [{"function": "Geschäftsführer", "name": "Max Muster"}]}
    assert [(c["catalogue_number"], c["claim_type"]) for c in data["main_claims"]] == [
        ("5", "Dienstleistungsvertrag"), ("11", "Kaufvertrag")]
    assert list(data["main_claims"][0]) == ["catalogue_number", "claim_type", "invoice", "date", "principal",
                                            "running_interest"]
    assert list(data["secondary_claims"]) == ["dunning_costs", "calculated_interest", "calculated_interest_total",
                                              "other"]
    assert data["court_for_contested_proceedings"]["place"] == "10117 Berlin"
    text = ledger.run("legal", "acme", "--prepare", on="2026-11-22").stdout
    assert "date: 01.09.2026" in text and "principal: 1500,00" in text and "from: 16.10.2026" in text
    assert "2026-09-01" not in text and "1500.00" not in text.split("court fee basis")[0]


def test_mahnantrag_for_a_consumer_with_structured_names(ledger):
    ledger.case("eva", """
        customer:
          name: Eva Maria Muster
          kind: private
          first_name: Eva Maria
          last_name: Muster
          street: Hauptstr. 5
          postcode: "80331"
          town: München
        history:
          - {at: 2026-09-01, event: invoice, number: RE-7, amount: 800.00, due: 2026-09-15}
          - {at: 2026-10-06, event: letter, template: dunning}
        """)
    data = prepared(ledger, "eva", "2026-11-22")
    assert list(data) == FORM
    assert data["respondent"] == {"kind": "natural person", "legal_form": None, "name": None,
                                  "first_name": "Eva Maria", "last_name": "Muster", "street": "Hauptstr. 5",
                                  "postcode": "80331", "town": "München", "country": "DE", "representatives": []}
    assert data["main_claims"][0]["running_interest"] == {"points_over_base_rate": "5", "fixed_rate": None,
                                                          "from": "2026-10-17", "on": "800.00"}
    assert not any("split from" in n or "read from the address block" in n for n in data["notes"])


def test_a_company_without_a_representative_is_named_in_the_notes(ledger):
    manager = '      manager: {name: Max Muster, role: Geschäftsführer, phone: "+49 30 1234500"}\n'
    ledger.case("acme", GMBH.replace(manager, ""))
    data = prepared(ledger, "acme", "2026-11-22")
    assert any("legal representative of ACME GmbH" in n for n in data["notes"])


def test_betreibungsbegehren_with_the_unpaid_interest_of_a_paid_invoice(ledger):
    """CH, interest: {claim: charged}: R-90 (agreed day 2026-08-31, OR 102(2): default from 1 Sep) is paid in
    full on 2026-10-01 without its interest: 1 Sep..30 Sep, 30 x 500 x 5 % / 360 = 2.0833 -> 2.08 (on 1 Oct the
    principal is 0). It is claimed as interest, not listed as a ground of its own; R-100 runs at 5 % from the day
    after its dunning letter's deadline (Tue 20 Oct + 10 = Fri 30 Oct): 31 Oct."""
    (ledger.root / "dun.yaml").write_text("country: CH\ncurrency: CHF\ninterest: {claim: charged}\n")
    ledger.case("muster", """
        customer:
          name: Muster AG
          representative: {name: Hans Muster, role: Verwaltungsratspräsident}
          street: Seestr. 9
          postcode: "8002"
          town: Zürich
        history:
          - {at: 2026-08-01, event: invoice, number: R-90, amount: 500.00, due: 2026-08-31, fixed_due: true}
          - {at: 2026-10-01, event: invoice, number: R-100, amount: 1190.00, due: 2026-10-15}
          - {at: 2026-10-01, event: payment, amount: 500.00, invoice: R-90}
          - {at: 2026-10-20, event: letter, template: dunning}
        """)
    data = prepared(ledger, "muster", "2026-11-22")
    assert list(data)[6:] == ["creditor", "debtor", "claims", "total", "fee_estimate", "fee_basis", "notes"]
    assert data["claims"] == [
        {"amount": "2.08", "interest_rate": None, "interest_from": None,
         "ground": "Verzugszins auf Rechnung R-90 vom 01.08.2026 bis 01.10.2026"},
        {"amount": "1190.00", "interest_rate": "5.00", "interest_from": "2026-10-31",
         "ground": "Rechnung R-100 vom 01.10.2026"}]
    assert data["total"] == "1192.08"
    assert data["debtor"]["representatives"] == [{"function": "Verwaltungsratspräsident", "name": "Hans Muster"}]


def test_a_public_authority_and_a_letter_address_built_from_the_fields(ledger):
    """A `public` customer is a public authority on the form; without `address:` the letter's address block is
    built from street, postcode and town (contract section 8)."""
    ledger.case("amt", """
        customer:
          name: Stadt Musterstadt, Bauamt
          kind: public
          representative: {name: Dr. Eva Amtmann, role: Oberbürgermeisterin}
          street: Rathausplatz 1
          postcode: "12345"
          town: Musterstadt
        history:
          - {at: 2026-09-01, event: invoice, number: RE-9, amount: 900.00, due: 2026-09-15, fixed_due: true}
        """)
    data = prepared(ledger, "amt", "2026-11-22")
    assert (data["respondent"]["kind"], data["respondent"]["representatives"]) == \
        ("public authority", [{"function": "Oberbürgermeisterin", "name": "Dr. Eva Amtmann"}])
    from receivables_cli.store.casefile import load_case

    path = ledger.root / "cases" / "amt.yaml"
    case, problems = load_case(path, path.read_text(encoding="utf-8"))
    assert problems == []
    assert case.customer.postal_address == "Stadt Musterstadt, Bauamt\nRathausplatz 1\n12345 Musterstadt"
