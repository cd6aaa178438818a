"""A letter's items add up to what it asks for, and each figure is the statement's.

With `interest: {claim: accrued}` (the default) each invoice's open amount carries the interest it
bears; a letter that lists the interest as an item of its own must list the invoice with its
principal only, or the customer adding the lines gets more than the letter asks for. Payments
pay costs, then interest, then principal (§367 BGB), so a fee paid by a payment is no longer
open and the interest still owed runs from the payment on.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from tests.test_letter_text import use_country

DAY = "2026-12-05"
ACCRUED = "interest: {claim: accrued}\n"
CHARGED = "interest: {claim: charged}\n"
LETTER_FEE = "fees: {dunning: 5.00}\n"
BASIS_EN = "section 288(2) of the German Civil Code (BGB)"

CUSTOMER = """
customer:
  name: Muster KG
  kind: business
  contact: Erika Muster
  email: erika@muster.example
  address: |
    Muster KG
    Musterstraße 1
    10115 Berlin
history:
  - at: 2026-09-01
    event: invoice
    number: RE-2026-031
    amount: 1190.00
    due: 2026-09-15
    subject: Webdesign
"""
# nothing paid: the invoice, and the interest since default
UNPAID = CUSTOMER
# a fee, then a payment that pays it, the interest accrued up to the day before, and part of the principal
PART_PAID = CUSTOMER + """\
  - {at: 2026-10-14, event: letter, template: dunning}
  - {at: 2026-10-14, event: fee, amount: 2.50, reason: "dunning letter, postage and material"}
  - {at: 2026-11-02, event: payment, amount: 300.00}
"""
# a payment that pays the fee and only part of the interest accrued before it
INTEREST_PART_PAID = CUSTOMER + """\
  - {at: 2026-10-14, event: letter, template: dunning}
  - {at: 2026-10-14, event: fee, amount: 2.50, reason: "dunning letter, postage and material"}
  - {at: 2026-11-02, event: payment, amount: 5.00}
"""
# two invoices, a fee that stays open, a payment to the older one
TWO = CUSTOMER + """\
  - at: 2026-09-20
    event: invoice
    number: RE-2026-036
    amount: 476.00
    due: 2026-10-04
  - {at: 2026-10-20, event: payment, amount: 1250.00}
  - {at: 2026-11-10, event: fee, amount: 3.00, reason: "dunning letter, postage and material"}
"""
# a payment that pays only part of the fee
FEE_PART_PAID = CUSTOMER + """\
  - {at: 2026-10-14, event: letter, template: dunning}
  - {at: 2026-10-14, event: fee, amount: 2.50, reason: "dunning letter, postage and material"}
  - {at: 2026-10-15, event: payment, amount: 1.00}
"""
# interest fixed by `dun charge-interest`, then a payment that pays it and part of the principal
INTEREST_CHARGED = CUSTOMER + """\
  - {at: 2026-10-31, event: interest, amount: 10.00}
  - {at: 2026-11-10, event: payment, amount: 200.00}
"""
CASES = {"unpaid": UNPAID, "part-paid": PART_PAID, "interest-part-paid": INTEREST_PART_PAID, "two": TWO,
         "fee-part-paid": FEE_PART_PAID, "interest-charged": INTEREST_CHARGED}
LETTERS = ("reminder", "dunning", "final-notice", "statement", "callback-request", "payment-proposal",
           "settlement-offer")
ASKS_TO_PAY = ("dunning", "final-notice")  # the total plus this letter's fee


def money(text: str, lang: str) -> Decimal:
    """'1.196,52 €' or '€1,196.52' (a minus sign or hyphen in front: negative)."""
    sign = -1 if text.strip()[:1] in "-−" else 1
    digits = text.strip().lstrip("-−").replace("€", "").replace("\u00a0", "").strip()
    digits = digits.replace(".", "").replace(",", ".") if lang == "de" else digits.replace(",", "")
    return sign * Decimal(digits)


MONEY = {"de": r"-?−?[\d.]+,\d\d\s?€", "en": r"-?−?€[\d,]+\.\d\d"}


def items(text: str, lang: str) -> list[tuple[str, Decimal]]:
    """The itemised lines ('- Rechnung …: offen 898,33 €', '- default interest …: €8.80')."""
    pattern = re.compile(r"^- (.*): (?:offen )?(" + MONEY[lang] + r")(?: open)?$", re.M)
    return [(m[1], money(m[2], lang)) for m in pattern.finditer(text)]


def table_rows(text: str, lang: str) -> list[Decimal]:
    """The statement letter's booking lines (not the sum)."""
    rows = re.findall(r"^\| [\d.A-Za-z ]+ \| (?!\*\*)(.*) \| (" + MONEY[lang] + r") \|$", text, re.M)
    return [money(amount, lang) for _, amount in rows]


def kind_of(what: str) -> str:
    """An item is an invoice, the default interest accrued, this letter's fee, or a fee or interest charged."""
    if what.startswith(("Rechnung", "invoice")):
        return "invoice"
    if what.startswith(("Verzugszinsen vom", "default interest from")):
        return "interest"
    if what.endswith(("für diese Mahnung", "for this reminder", "for this notice")):
        return "fee"
    return "charge"


def stated(text: str, lang: str) -> list[Decimal]:
    """The amounts a letter states outside its itemised lines (what it asks for among them)."""
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("- "))
    return [money(x, lang) for x in re.findall(MONEY[lang], prose)]


def statement(ledger, case: str) -> dict:
    return {k: v if not isinstance(v, str) or not re.fullmatch(r"-?\d+\.\d\d", v) else Decimal(v)
            for k, v in json.loads(ledger.run("statement", case, "--json", on=DAY).stdout).items()}


def letter(ledger, case: str, name: str, lang: str) -> str:
    result = ledger.run("letter", case, name, "--lang", lang, on=DAY)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("mode", [ACCRUED, CHARGED], ids=["accrued", "charged"])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_items_of_a_letter_add_up_to_what_it_asks_and_are_the_statements(ledger, mode, case, lang):
    use_country(ledger, "DE", mode + LETTER_FEE)
    ledger.case(case, CASES[case])
    st = statement(ledger, case)
    accrued = mode == ACCRUED
    for name in LETTERS:
        text = letter(ledger, case, name, lang)
        if name == "statement":
            assert sum(table_rows(text, lang)) == st["total"], (name, text)
            assert st["total"] in stated(text, lang), (name, text)
            continue
        kinds = {"invoice": [], "interest": [], "fee": [], "charge": []}
        for what, amount in items(text, lang):
            kinds[kind_of(what)].append(amount)
        invoices, interest, fee, charges = (kinds[k] for k in ("invoice", "interest", "fee", "charge"))
        # the invoices are listed with their principal, the fees and interest charged with what is open of them
        assert sum(invoices) == st["principal_open"], (name, text)
        assert sum(charges) == st["charged_open"], (name, text)
        # the interest accrued is listed where the letter asks for it: always with claim: accrued
        lists_interest = accrued or name in ASKS_TO_PAY + ("settlement-offer",)
        assert sum(interest) == (st["interest_accrued"] if lists_interest else 0), (name, text)
        asked = sum(invoices) + sum(charges) + sum(interest) + sum(fee)
        wanted = st["principal_open"] + st["charged_open"] + (st["interest_accrued"] if lists_interest else 0)
        assert asked == wanted + (Decimal("5.00") if name in ASKS_TO_PAY else 0), (name, text)
        assert asked in stated(text, lang), (name, asked, text)
        # "interest continues to run on …": the principal the invoice lines name
        runs = re.search(r"(?:laufen auf\s|continues to run on\s)(" + MONEY[lang] + ")", text)
        if runs:
            assert money(runs[1], lang) == sum(invoices), (name, text)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_dunning_letter_lists_the_invoice_without_the_interest_listed_beside_it(ledger, lang):
    use_country(ledger, "DE", ACCRUED)
    ledger.case("acme", CUSTOMER.replace("2026-09-15", "2026-10-15").replace("2026-09-01", "2026-10-01"))
    text = letter(ledger, "acme", "dunning", lang)
    if lang == "de":
        assert "fällig am 15. Oktober 2026: offen 1.190,00 €\n" in text
        assert "- Verzugszinsen vom 17. November 2026 bis heute (§ 288 Abs. 2 BGB): 6,52 €" in text
        assert "Bitte überweisen Sie **1.196,52 €**" in text
    else:
        assert "due 15 October 2026: €1,190.00 open\n" in text
        assert f"- default interest from 17 November 2026 to today under {BASIS_EN}: €6.52" in text
        assert "Please transfer **€1,196.52**" in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_interest_still_owed_runs_from_the_payment_that_paid_the_earlier_interest(ledger, lang):
    use_country(ledger, "DE", ACCRUED)
    ledger.case("p", PART_PAID)
    for name in ("reminder", "dunning", "final-notice"):
        text = letter(ledger, "p", name, lang)
        if lang == "de":
            assert "fällig am 15. September 2026: offen 898,33 €\n" in text, (name, text)
            assert "- Verzugszinsen vom 2. November 2026 bis heute (§ 288 Abs. 2 BGB): 8,80 €\n" in text, (name, text)
            assert "Porto und Material der Mahnung" not in text, (name, text)  # the payment paid it (§367 BGB)
        else:
            assert "due 15 September 2026: €898.33 open\n" in text, (name, text)
            assert f"- default interest from 2 November 2026 to today under {BASIS_EN}: €8.80\n" in text, (name, text)
            assert "postage and material for the formal reminder" not in text, (name, text)
    # and the letter says where the rest of the payment went: 1,190.00 - (300.00 - 2.50 - 5.83) = 898.33
    de, en = letter(ledger, "p", "dunning", "de"), letter(ledger, "p", "final-notice", "en")
    assert "abgezogen (davon zuerst 2,50 € auf die Kosten und 5,83 € auf die Zinsen), danke." in de
    assert "thank you; €2.50 of it went first to costs and €5.83 to interest. Still open:" in en


@pytest.mark.parametrize("lang", ["de", "en"])
def test_interest_paid_in_part_says_what_was_paid_of_it(ledger, lang):
    use_country(ledger, "DE", ACCRUED)
    ledger.case("q", INTEREST_PART_PAID)
    st = statement(ledger, "q")
    # 5.00 paid the fee of 2.50 and 2.50 of the 5.83 accrued from 16 October to 1 November
    assert st["principal_open"] == Decimal("1190.00") and st["charged_open"] == 0
    text = letter(ledger, "q", "dunning", lang)
    if lang == "de":
        assert ("- Verzugszinsen vom 16. Oktober 2026 bis heute (§ 288 Abs. 2 BGB), abzüglich bereits gezahlter "
                "2,50 €: " in text), text
    else:
        assert f"- default interest from 16 October 2026 to today under {BASIS_EN}, less €2.50 already paid: " in text


@pytest.mark.parametrize("mode", [ACCRUED, CHARGED], ids=["accrued", "charged"])
def test_a_fee_paid_in_part_is_listed_with_what_is_left_of_it(ledger, mode):
    use_country(ledger, "DE", mode)
    ledger.case("f", FEE_PART_PAID)
    de = letter(ledger, "f", "final-notice", "de")
    en = letter(ledger, "f", "final-notice", "en")
    assert "- Porto und Material der Mahnung, berechnet am 14.10.2026 (2,50 €, davon bezahlt 1,00 €): 1,50 €\n" in de
    assert "fällig am 15. September 2026: offen 1.190,00 €\n" in de
    assert ("- postage and material for the formal reminder, charged on 14 Oct 2026 (€2.50, of which €1.00 paid): "
            "€1.50\n") in en
