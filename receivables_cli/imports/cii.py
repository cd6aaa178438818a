"""Invoices in UN/CEFACT Cross Industry Invoice syntax: XRechnung CII, ZUGFeRD 2 and Factur-X."""

from __future__ import annotations

from receivables_cli.imports import fields as f
from receivables_cli.imports.records import Buyer, ImportProblem, InvoiceRecord
from receivables_cli.imports.safexml import find, find_all, text

NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_TRADE = "SupplyChainTradeTransaction"


def read_cii(path, root, format: str = "CII") -> InvoiceRecord:
    """The invoice's number, dates, total and buyer; ImportProblem naming the first missing field."""
    doc = find(root, "ExchangedDocument")
    if text(doc, "TypeCode") in ("381", "261", "262", "296", "308", "396", "420", "458", "532"):
        raise ImportProblem(path, "a credit note, not an invoice: record it with 'dun credit'")
    settlement = find(root, f"{_TRADE}/ApplicableHeaderTradeSettlement")
    issued = f.iso_date(path, text(doc, "IssueDateTime/DateTimeString"), "issue date (ram:IssueDateTime)")
    due_text = text(settlement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")
    due = (f.iso_date(path, due_text, "due date") if due_text
           else f.due_from_terms(issued, text(settlement, "SpecifiedTradePaymentTerms/Description")))
    summation = "SpecifiedTradeSettlementHeaderMonetarySummation"
    return InvoiceRecord(
        source=str(path), format=format,
        number=f.required(path, text(doc, "ID"), "invoice number (rsm:ExchangedDocument/ram:ID)"),
        issued=issued, due=f.due_date(path, issued, due),
        currency=f.required(path, text(settlement, "InvoiceCurrencyCode"), "currency (ram:InvoiceCurrencyCode)"),
        amount=f.amount(path, text(settlement, f"{summation}/DuePayableAmount")
                        or text(settlement, f"{summation}/GrandTotalAmount"), "amount payable (ram:DuePayableAmount)"),
        subject=text(root, f"{_TRADE}/IncludedSupplyChainTradeLineItem/SpecifiedTradeProduct/Name")
        or text(doc, "IncludedNote/Content"),
        buyer=_buyer(path, find(root, f"{_TRADE}/ApplicableHeaderTradeAgreement/BuyerTradeParty")),
    )


def _buyer(path, party) -> Buyer:
    if party is None:
        raise ImportProblem(path, "no buyer (ram:BuyerTradeParty)")
    name = f.required(path, text(party, "Name"), "buyer name (ram:BuyerTradeParty/ram:Name)")
    postal = find(party, "PostalTradeAddress")
    city = " ".join(filter(None, (text(postal, "PostcodeCode"), text(postal, "CityName"))))
    country = text(postal, "CountryID")
    vat = next((t.text.strip() for t in find_all(party, "SpecifiedTaxRegistration/ID")
                if t.get("schemeID") == "VA" and t.text and t.text.strip()), None)
    return Buyer(
        name=name,
        address=f.address(name, text(postal, "LineOne"), text(postal, "LineTwo"), text(postal, "LineThree"), city,
                          country if country not in (None, "DE") else None),
        contact=text(party, "DefinedTradeContact/PersonName"),
        email=text(party, "DefinedTradeContact/EmailURIUniversalCommunication/URIID")
        or text(party, "URIUniversalCommunication/URIID"),
        phone=text(party, "DefinedTradeContact/TelephoneUniversalCommunication/CompleteNumber"),
        vat_id=vat,
    )
