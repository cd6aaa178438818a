"""The CSV exports of common German and Austrian online banks, known without a mapping in dun.yaml.

Each preset names, per role, the column headers its bank writes (several where the bank changed
its export over the years). A file is recognised by its header line: the first preset whose
date, amount and signature columns are all in it. A preset is also named in dun.yaml
(`bank: {csv: dkb}`). Dates are tried in each of the preset's formats.
"""

from __future__ import annotations

from dataclasses import dataclass

PENDING_WORDS = ("vorgemerkt", "umsatz vorgemerkt", "pending", "ausstehend", "offen", "nicht gebucht",
                 "in bearbeitung", "vorgemerkte umsätze", "vormerkung")


@dataclass(frozen=True, slots=True)
class Preset:
    """A bank's CSV export: how dun recognises it and which columns hold what."""
    name: str
    bank: str
    date: tuple[str, ...]
    amount: tuple[str, ...]
    signature: tuple[str, ...] = ()   # further columns that must be there, so similar exports are told apart
    payer: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    delimiter: str = ";"
    decimal: str = ","
    date_formats: tuple[str, ...] = ("%d.%m.%Y", "%d.%m.%y")


_CCY = ("Währung", "Waehrung", "Currency")
_SEPA = ("Verwendungszweck",)

PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("sparkasse", "Sparkasse (CSV-CAMT and CSV-MT940)", ("Buchungstag",), ("Betrag",),
           ("Beguenstigter/Zahlungspflichtiger",), ("Beguenstigter/Zahlungspflichtiger",), _SEPA,
           ("Kundenreferenz (End-to-End)",), ("Info",), _CCY),
    Preset("dkb", "DKB", ("Buchungsdatum", "Buchungstag"), ("Betrag (€)", "Betrag (EUR)"), ("Wertstellung",),
           ("Zahlungspflichtige*r", "Auftraggeber / Begünstigter", "Auftraggeber/Begünstigter"), _SEPA,
           ("Kundenreferenz",), ("Status",), ()),
    Preset("ing", "ING Deutschland", ("Buchung",), ("Betrag",), ("Auftraggeber/Empfänger",),
           ("Auftraggeber/Empfänger",), _SEPA, (), (), _CCY),
    Preset("commerzbank", "Commerzbank", ("Buchungstag",), ("Betrag",), ("Umsatzart", "Auftraggeberkonto"),
           (), ("Buchungstext",), (), (), _CCY),
    Preset("comdirect", "comdirect", ("Buchungstag",), ("Umsatz in EUR",), ("Vorgang",), (),
           ("Buchungstext",), (), ("Buchungstag",), ()),
    Preset("postbank", "Postbank", ("Buchungstag", "Buchungsdatum"), ("Betrag",),
           ("Begünstigter / Auftraggeber",), ("Begünstigter / Auftraggeber",), _SEPA, ("Kundenreferenz",), (), _CCY),
    Preset("gls", "GLS Bank (and every Volksbank export of the same layout)", ("Buchungstag",), ("Betrag",),
           ("Name Zahlungsbeteiligter", "Bezeichnung Auftragskonto"), ("Name Zahlungsbeteiligter",), _SEPA, (),
           (), _CCY),
    Preset("vr", "Volksbanken Raiffeisenbanken", ("Buchungstag",), ("Betrag",), ("Name Zahlungsbeteiligter",),
           ("Name Zahlungsbeteiligter",), _SEPA, (), (), _CCY),
    Preset("sparda", "Sparda-Bank", ("Buchungstag",), ("Umsatz", "Betrag"), ("Wertstellungstag",),
           (), _SEPA, (), (), _CCY),
    Preset("n26", "N26", ("Booking Date", "Date", "Datum"), ("Amount (EUR)", "Betrag (EUR)"),
           ("Payment Reference", "Payment reference", "Verwendungszweck"),
           ("Partner Name", "Payee", "Empfänger"), ("Payment Reference", "Payment reference", "Verwendungszweck"),
           (), (), (), ",", ".", ("%Y-%m-%d",)),
    Preset("paypal", "PayPal", ("Datum", "Date"), ("Brutto", "Gross"), ("Transaktionscode", "Transaction ID"),
           ("Name",), ("Betreff", "Subject", "Hinweis", "Note"), ("Transaktionscode", "Transaction ID"),
           ("Status",), _CCY, ",", ",", ("%d.%m.%Y", "%d/%m/%Y")),
    Preset("erste", "Erste Bank and Sparkassen Austria (George)", ("Buchungsdatum",), ("Betrag",),
           ("Partnername",), ("Partnername",), ("Buchungs-Info", "Verwendungszweck", "Zahlungsreferenz"),
           ("Buchungsreferenz",), (), _CCY),
)}

# the order a header is tried in: the more particular exports first (vr and gls share a layout)
_ORDER = ("sparkasse", "dkb", "comdirect", "postbank", "n26", "paypal", "erste", "ing", "commerzbank", "vr",
          "sparda", "gls")


def recognise(cells: list[str]) -> Preset | None:
    """The preset whose columns this header line holds, or None."""
    have = set(cells)
    for name in _ORDER:
        p = PRESETS[name]
        if (have & set(p.date) and have & set(p.amount)
                and (not p.signature or have & set(p.signature))):
            return p
    return None


def pick(cells: list[str], names: tuple[str, ...]) -> str | None:
    """The first of the names that is a column of this header."""
    return next((n for n in names if n in cells), None)
