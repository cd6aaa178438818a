"""Invoices in UN/CEFACT Cross Industry syntax: XRechnung CII, ZUGFeRD 2, Factur-X, and ZUGFeRD 1.0.

ZUGFeRD 1.0 (`urn:ferd:CrossIndustryDocument:invoice:1p0`) is the older CII schema of 2013: the
same parties and amounts under other element names, so one reader serves both through a layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from receivables_cli.imports import fields as f
from receivables_cli.imports.records import Buyer, ImportProblem, InvoiceRecord
from receivables_cli.imports.safexml import find, find_all, text

NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD1_NAMESPACE = "urn:ferd:CrossIndustryDocument:invoice:1p0"
# UNTDID 1001 document types that credit rather than charge (EN 16931 uses 381; ZUGFeRD 1.0 allowed 81, 83)
CREDIT_TYPES = ("81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532")


@dataclass(frozen=True)
class Layout:
    """Where a CII schema version keeps each part of the invoice."""

    document: str
    agreement: str
    settlement: str
    summation: str
    line: str


CII = Layout("ExchangedDocument", "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement",
             "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement",
             "SpecifiedTradeSettlementHeaderMonetarySummation",
             "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem")
ZUGFERD1 = Layout("HeaderExchangedDocument", "SpecifiedSupplyChainTradeTransaction/ApplicableSupplyChainTradeAgreement",
                  "SpecifiedSupplyChainTradeTransaction/ApplicableSupplyChainTradeSettlement",
                  "SpecifiedTradeSettlementMonetarySummation",
                  "SpecifiedSupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem")


def read_cii(path, root, format: str = "CII", layout: Layout = CII) -> InvoiceRecord:
    """The invoice's number, dates, total, terms and buyer; ImportProblem naming the first missing field."""
    doc = find(root, layout.document)
    settlement = find(root, layout.settlement)
    agreement = find(root, layout.agreement)
    issued = f.iso_date(path, text(doc, "IssueDateTime/DateTimeString"), "issue date (ram:IssueDateTime)")
    terms = _terms(path, issued, settlement)
    summation = layout.summation
    credit = text(doc, "TypeCode") in CREDIT_TYPES
    return InvoiceRecord(
        source=str(path), format=format,
        number=f.required(path, text(doc, "ID"), f"invoice number (ram:{layout.document}/ram:ID)"),
        issued=issued, due=f.due_date(path, issued, terms.due),
        currency=f.required(path, text(settlement, "InvoiceCurrencyCode"), "currency (ram:InvoiceCurrencyCode)"),
        amount=f.amount(path, text(settlement, f"{summation}/DuePayableAmount")
                        or text(settlement, f"{summation}/GrandTotalAmount"), "amount payable (ram:DuePayableAmount)"),
        subject=text(root, f"{layout.line}/SpecifiedTradeProduct/Name") or text(doc, "IncludedNote/Content"),
        buyer=_buyer(path, find(agreement, "BuyerTradeParty") if agreement is not None else None,
                     text(agreement, "BuyerReference")),
        due_how=terms.how, discount=terms.discount, credit_note=credit,
        preceding=text(settlement, "InvoiceReferencedDocument/IssuerAssignedID"),
    )


def _terms(path, issued, settlement):
    from receivables_cli.imports.terms import Discount, read_terms

    if settlement is None:
        return read_terms(issued, None, [])
    all_terms = find_all(settlement, "SpecifiedTradePaymentTerms")
    stated = next((d for d in (text(t, "DueDateDateTime/DateTimeString") for t in all_terms) if d), None)
    due = f.iso_date(path, stated, "due date") if stated else None
    structured = None
    for t in all_terms:
        days, percent = text(t, "ApplicableTradePaymentDiscountTerms/BasisPeriodMeasure"), text(
            t, "ApplicableTradePaymentDiscountTerms/CalculationPercent")
        if structured is None and days and percent and days.isdigit() and f.is_percent(percent):
            structured = Discount(f.decimal(percent), int(days))
    return read_terms(issued, due, [f.lines_of(find(t, "Description")) for t in all_terms], structured)


def _buyer(path, party, reference: str | None) -> Buyer:
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
        vat_id=vat, id=text(party, "ID") or text(party, "GlobalID"), reference=reference,
    )
