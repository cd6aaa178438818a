"""Invented import files at scale for the bench: a camt.053 statement, CII e-invoices, an mbox of replies.

They refer to the cases of `generate.py` (invoice RE-00042 is case-00042 of customer c42@example.org),
so that the imports match, propose and skip as they would on a real ledger.
"""

from __future__ import annotations

import random
from pathlib import Path

CAMT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>BENCH-2026-12-04</MsgId><CreDtTm>2026-12-04T18:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>2026-12-04-001</Id>
      <Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
"""
CAMT_ENTRY = """      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-{day:02d}</Dt></BookgDt>
        <AcctSvcrRef>BENCH{n:08d}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>{payer}</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
"""
CAMT_TAIL = "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n"


def camt(path: Path, entries: int, cases: int, seed: int = 11) -> Path:
    """A day statement of `entries` bookings: credits naming an invoice, credits naming none, debits."""
    rng = random.Random(seed)
    parts = [CAMT_HEAD]
    for n in range(entries):
        i = rng.randrange(cases)
        kind = rng.random()
        if kind < 0.5:
            payer, text, side = f"Customer {i} GmbH", f"Rechnung RE-{i:05d} vielen Dank", "CRDT"
        elif kind < 0.8:
            payer, text, side = f"Somebody {n}", f"Auftrag {n} Danke", "CRDT"
        else:
            payer, text, side = f"Supplier {n}", f"Miete {n}", "DBIT"
        amount = f"{rng.randrange(10, 20000)}.{rng.randrange(100):02d}"
        parts.append(CAMT_ENTRY.format(amount=amount, side=side, day=1 + n % 4, n=n, payer=payer, text=text))
    parts.append(CAMT_TAIL)
    path.write_text("".join(parts))
    return path


CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{number}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20261105</udt:DateTimeString></ram:IssueDateTime>
    <ram:IncludedNote><ram:Content>{subject}</ram:Content></ram:IncludedNote>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>{reference}</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>Anna Beispiel Webdesign</ram:Name>
        <ram:PostalTradeAddress><ram:PostcodeCode>10115</ram:PostcodeCode><ram:LineOne>Lindenweg 3</ram:LineOne>
          <ram:CityName>Berlin</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE999999999</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{buyer}</ram:Name>
        <ram:DefinedTradeContact>
          <ram:PersonName>Contact {i}</ram:PersonName>
          <ram:EmailURIUniversalCommunication><ram:URIID>{email}</ram:URIID></ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>{postcode}</ram:PostcodeCode><ram:LineOne>Street {i}</ram:LineOne>
          <ram:CityName>Town</ram:CityName><ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Zahlbar innerhalb von 14 Tagen ohne Abzug.</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20261119</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{net}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{net}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">{tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{gross}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{gross}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def invoices(folder: Path, count: int, cases: int, seed: int = 13) -> Path:
    """`count` XRechnung (CII) files: half to customers of the ledger, half to new buyers."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        known = n % 2 == 0
        i = rng.randrange(cases) if known else 100000 + n
        buyer = f"Customer {i} GmbH" if known else f"New Buyer {n} GmbH"
        email = f"c{i}@example.org" if known else f"buyer{n}@example.net"
        net = rng.randrange(100, 10000)
        tax = net * 19 // 100
        text = CII.format(number=f"RE-B{n:05d}", subject=f"Web work {n}", reference=f"REF-{i}", buyer=buyer,
                          i=i, email=email, postcode=f"{10000 + n % 9000:05d}", net=f"{net}.00",
                          tax=f"{tax}.00", gross=f"{net + tax}.00")
        (folder / f"RE-B{n:05d}.xml").write_text(text)
    return folder


def mbox(path: Path, count: int, cases: int, seed: int = 17) -> Path:
    """`count` replies: from a customer's address, naming an invoice, or from nobody the ledger knows."""
    rng = random.Random(seed)
    bodies = ["Wir haben die Rechnung RE-{i:05d} heute bezahlt.", "Wir zahlen bis Ende des Monats.",
              "Können wir in Raten zahlen? Drei Raten wären gut.", "Die Leistung war mangelhaft, wir zahlen nicht.",
              "Bitte senden Sie uns die Rechnung RE-{i:05d} noch einmal.", "Ich bin bis 2026-12-20 nicht im Büro."]
    out = []
    for n in range(count):
        i = rng.randrange(cases)
        sender = f"c{i}@example.org" if n % 3 else f"stranger{n}@example.net"
        body = rng.choice(bodies).format(i=i)
        out.append(f"From {sender} Thu Dec  3 10:15:00 2026\nFrom: {sender}\nTo: anna@example.org\n"
                   f"Subject: Re: Rechnung RE-{i:05d}\nDate: Thu, 03 Dec 2026 10:{n % 60:02d}:00 +0100\n"
                   f"Message-ID: <bench{n}@example.net>\nMIME-Version: 1.0\n"
                   f"Content-Type: text/plain; charset=utf-8\n\n{body}\n\nMit freundlichen Grüßen\n\n")
    path.write_text("".join(out))
    return path
