"""XRechnung and Peppol invoices and credit notes in UBL 2.1 syntax (`...:xsd:Invoice-2`, `...:xsd:CreditNote-2`)."""

from __future__ import annotations

from receivables_cli.imports import fields as f
from receivables_cli.imports.cii import CREDIT_TYPES
from receivables_cli.imports.records import Buyer, ImportProblem, InvoiceRecord
from receivables_cli.imports.safexml import find, find_all, local, text

NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"


def read_ubl(path, root) -> InvoiceRecord:
    """The invoice's number, dates, total, terms and buyer; ImportProblem naming the first missing field."""
    from receivables_cli.imports.terms import read_terms

    credit = local(root.tag) == "CreditNote" or text(root, "InvoiceTypeCode") in CREDIT_TYPES
    issued = f.iso_date(path, text(root, "IssueDate"), "issue date (cbc:IssueDate)")
    stated = text(root, "DueDate") or text(root, "PaymentMeans/PaymentDueDate")
    due = f.iso_date(path, stated, "due date") if stated else None
    terms = read_terms(issued, due, [f.lines_of(n) for n in find_all(root, "PaymentTerms/Note")])
    payable = find(root, "LegalMonetaryTotal/PayableAmount")
    currency = text(root, "DocumentCurrencyCode") or (payable.get("currencyID") if payable is not None else None)
    return InvoiceRecord(
        source=str(path), format="UBL credit note" if local(root.tag) == "CreditNote" else "XRechnung UBL",
        number=f.required(path, text(root, "ID"), "invoice number (cbc:ID)"), issued=issued,
        due=f.due_date(path, issued, terms.due),
        currency=f.required(path, currency, "currency (cbc:DocumentCurrencyCode)"),
        amount=f.amount(path, text(root, "LegalMonetaryTotal/PayableAmount"),
                        "amount payable (cac:LegalMonetaryTotal/cbc:PayableAmount)"),
        subject=text(root, "InvoiceLine/Item/Name") or text(root, "CreditNoteLine/Item/Name") or text(root, "Note"),
        buyer=_buyer(path, find(root, "AccountingCustomerParty/Party"), text(root, "BuyerReference")),
        due_how=terms.how, discount=terms.discount, credit_note=credit,
        preceding=text(root, "BillingReference/InvoiceDocumentReference/ID"),
    )


def _buyer(path, party, reference: str | None) -> Buyer:
    if party is None:
        raise ImportProblem(path, "no buyer (cac:AccountingCustomerParty)")
    name = text(party, "PartyLegalEntity/RegistrationName") or text(party, "PartyName/Name")
    postal = find(party, "PostalAddress")
    city = " ".join(filter(None, (text(postal, "PostalZone"), text(postal, "CityName"))))
    country = text(postal, "Country/IdentificationCode")
    return Buyer(
        name=f.required(path, name, "buyer name (cac:PartyLegalEntity/cbc:RegistrationName)"),
        address=f.address(name, text(postal, "StreetName"), text(postal, "AdditionalStreetName"),
                          text(postal, "AddressLine/Line"), city, country if country not in (None, "DE") else None),
        contact=text(party, "Contact/Name"), email=text(party, "Contact/ElectronicMail"),
        phone=text(party, "Contact/Telephone"), vat_id=text(party, "PartyTaxScheme/CompanyID"),
        id=text(party, "PartyIdentification/ID"), reference=reference,
    )
