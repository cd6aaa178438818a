"""What the customer is asked to pay, and its payment codes: the GiroCode (EPC QR) and the Swiss QR-bill.

The payment data comes from dun.yaml and the case alone, never from a template's context, so a
ledger template cannot make the code pay someone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from receivables_cli.domain.errors import DunError
from receivables_cli.domain.state import CaseState
from receivables_cli.output.desk import LetterDesk

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class Payment:
    """What a payment slip or QR code carries: payee, IBAN, amount, reference."""
    name: str
    iban: str
    bic: str | None
    amount: Decimal
    currency: str
    reference: str


def payment_due(desk: LetterDesk, state: CaseState, template: str) -> Payment | None:
    """The transfer a letter asks for: the open total, or for an instalment agreement the next payment due."""
    creditor, invoice = desk.config.creditor, state.oldest_open
    if not creditor.iban or invoice is None:
        return None
    amount = state.open
    if template == "installment-agreement" and state.agreement is not None:
        amount = next_agreed_payment(state)
    if amount <= ZERO:
        return None
    return Payment(creditor.name or "", creditor.iban, creditor.bic, amount, state.currency, invoice.number)


def next_agreed_payment(state: CaseState) -> Decimal:
    """What is left of the first agreed payment (down payment, then each instalment) not yet covered."""
    agreement, covered = state.agreement, ZERO
    for payable in agreement.schedule:
        covered += payable.amount
        if covered > agreement.paid_since:
            return min(covered - agreement.paid_since, state.open)
    return ZERO


def epc_payload(name: str, iban: str, amount, reference: str, bic: str | None = None) -> str:
    """The EPC069-12 text of a SEPA credit transfer (GiroCode), version 002, UTF-8."""
    value = Decimal(str(amount))
    if not Decimal("0.01") <= value <= Decimal("999999999.99"):
        raise DunError("a payment code needs an amount between 0.01 and 999999999.99 EUR")
    lines = ["BCD", "002", "1", "SCT", bic or "", name[:70], iban.replace(" ", "").upper(), f"EUR{value:.2f}",
             "", "", reference[:140]]
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > 331:
        raise DunError("the payment code text is longer than the 331 bytes EPC069-12 allows")
    return payload


def girocode(payment: Payment | None) -> str | None:
    """The GiroCode payload, or None where there is none (no IBAN, nothing to pay, not EUR)."""
    if payment is None or payment.currency != "EUR":
        return None
    return epc_payload(payment.name, payment.iban, payment.amount, payment.reference, payment.bic)


def qr_svg(payload: str) -> str:
    """The payload as an inline SVG QR code, error correction M."""
    import segno

    return segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False).svg_inline(scale=3)


def qr_png(payload: str) -> bytes:
    """The payload as a PNG QR code (what mail clients show inline), error correction M."""
    import io

    import segno

    out = io.BytesIO()
    segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False).save(out, kind="png", scale=4, border=4)
    return out.getvalue()


# "Bahnhofstrasse 1a", "Rue du Lac 12-14"; and "8001 Zürich"
_STREET = re.compile(r"^(?P<street>.*?\S)\s+(?P<num>\d+\s?[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)$")
_TOWN = re.compile(r"^(?:(?P<country>[A-Z]{2})[- ])?(?P<pcode>\d{4,5})\s+(?P<city>\S.*)$")


def structured_address(name: str, address: str, whose: str, default_country: str = "CH") -> dict:
    """Name, street, house number, postcode and town from an address block, as the QR-bill requires."""
    lines = [line.strip() for line in (address or "").strip().splitlines() if line.strip()]
    if lines and lines[-1].isalpha() and lines[-1].isupper() and len(lines) > 2:  # a country line: SCHWEIZ
        lines = lines[:-1]
    town = _TOWN.match(lines[-1]) if lines else None
    street = _STREET.match(lines[-2]) if len(lines) >= 2 else None
    if not town or not street:
        raise DunError(f"the Swiss QR-bill needs the {whose}'s address as 'street number' and 'postcode town' "
                       f"lines (e.g. 'Bahnhofstrasse 1' / '8001 Zürich'); got {' / '.join(lines) or 'none'}")
    return {"name": name[:70], "street": street["street"][:70], "house_num": street["num"].replace(" ", ""),
            "pcode": town["pcode"], "city": town["city"][:35], "country": town["country"] or default_country}


def swiss_bill_svg(desk: LetterDesk, state: CaseState, payment: Payment, lang: str) -> str:
    """The QR-bill payment part (receipt and payment part, 210 x 105 mm) as SVG text."""
    import io

    import qrbill

    creditor, customer = desk.config.creditor, state.case.customer
    from receivables_cli.output.letters import swiss_spelling

    bill_creditor = structured_address(swiss_spelling(creditor.name or ""), swiss_spelling(creditor.address),
                                       "creditor (dun.yaml)")
    debtor = structured_address(swiss_spelling(customer.name), swiss_spelling(customer.address or ""), "customer")
    try:
        bill = qrbill.QRBill(account=payment.iban, creditor=bill_creditor, debtor=debtor,
                             amount=f"{payment.amount:.2f}", currency=payment.currency, language=lang,
                             additional_information=f"{payment.reference}"[:140])
    except ValueError as e:  # qrbill says what is wrong: an IBAN outside CH/LI, a currency, a field
        raise DunError(f"Swiss QR-bill: {e}") from None
    out = io.StringIO()
    bill.as_svg(out)
    return out.getvalue()


def iban_problem(iban: str | None) -> str | None:
    """Why an IBAN cannot be paid to (checksum, length, country format by schwifty), or None."""
    if not iban:
        return None
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        IBAN(iban)
    except SchwiftyException as e:
        return f"creditor iban {iban} is not a valid IBAN ({str(e).rstrip('.').lower()}); check it in dun.yaml"
    return None
