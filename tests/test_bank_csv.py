"""CSV exports of online banks without a mapping: the bank is known by its header line, or named in dun.yaml.

Header lines as the banks write them (the rows are invented)."""

from __future__ import annotations

import json

import pytest

from tests.test_import_bank import write_cases


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def run(book, path):
    result = book.run("import", "bank", str(path), "--json")
    assert "Traceback" not in result.output
    assert result.stdout, result.stderr
    return result, json.loads(result.stdout)["files"][0]


def rows(f) -> list[tuple]:
    return [(e["date"], e["amount"], e["currency"], e["status"], e["case"]) for e in f["entries"]]


DKB = ('"Girokonto";"DE02120300000000202051"\n"Kontostand vom 22.11.2026:";"12.345,67 €"\n\n'
       '"Buchungsdatum";"Wertstellung";"Status";"Zahlungspflichtige*r";"Zahlungsempfänger*in";"Verwendungszweck";'
       '"Umsatztyp";"IBAN";"Betrag (€)";"Gläubiger-ID";"Mandatsreferenz";"Kundenreferenz"\n'
       '"20.11.26";"20.11.26";"Gebucht";"ACME GmbH";"Anna Beispiel";"RE-2026-017";"Eingang";"DE89370400440532013000";'
       '"1.190,00";"";"";""\n'
       '"21.11.26";"21.11.26";"Vorgemerkt";"Thomas Müller";"Anna Beispiel";"RE-2026-033";"Eingang";"";"420,00";"";'
       '"";""\n')


def test_dkb_export_without_any_mapping(book, tmp_path):
    path = tmp_path / "dkb.csv"
    path.write_text(DKB, encoding="utf-8")
    result, f = run(book, path)
    assert result.exit_code == 0, result.output
    assert f["format"] == "CSV (dkb)"
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017"),
                       ("2026-11-21", "420.00", "EUR", "ignored", None)]  # pending: Vorgemerkt
    assert f["entries"][1]["why"] == "not booked (pending)"


SPARKASSE = ('"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";"Glaeubiger ID";'
             '"Mandatsreferenz";"Kundenreferenz (End-to-End)";"Sammlerreferenz";"Lastschrift Ursprungsbetrag";'
             '"Auslagenersatz Ruecklastschrift";"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";'
             '"BIC (SWIFT-Code)";"Betrag";"Waehrung";"Info"\n'
             '"DE02120300000000202051";"20.11.26";"20.11.26";"GUTSCHR. UEBERWEISUNG";"RE-2026-017";"";"";"";"";"";"";'
             '"ACME GmbH";"DE89370400440532013000";"COBADEFFXXX";"1190,00";"EUR";"Umsatz gebucht"\n'
             '"DE02120300000000202051";"21.11.26";"21.11.26";"GUTSCHR. UEBERWEISUNG";"RE-2026-025";"";"";"";"";"";'
             '"";"Hotel Seeblick GmbH";"";"";"3570,00";"USD";"Umsatz gebucht"\n'
             '"DE02120300000000202051";"22.11.26";"22.11.26";"GUTSCHR. UEBERWEISUNG";"RE-2026-033";"";"";"";"";"";'
             '"";"Thomas Müller";"";"";"420,00";"EUR";"Umsatz vorgemerkt"\n')


def test_sparkasse_status_and_currency_columns(book, tmp_path):
    path = tmp_path / "umsaetze.csv"
    path.write_bytes(SPARKASSE.encode("cp1252"))
    _, f = run(book, path)
    assert f["format"] == "CSV (sparkasse)"
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017"),
                       ("2026-11-21", "3570.00", "USD", "unmatched", None),
                       ("2026-11-22", "420.00", "EUR", "ignored", None)]


def test_status_and_currency_are_read_with_a_mapping_that_does_not_name_them(book, tmp_path):
    book.config("bank: {csv: {date: Buchungstag, amount: Betrag, payer: Beguenstigter/Zahlungspflichtiger, "
                "text: Verwendungszweck, date_format: '%d.%m.%y'}}\n")
    path = tmp_path / "umsaetze.csv"
    path.write_bytes(SPARKASSE.encode("cp1252"))
    _, f = run(book, path)
    assert [(r[2], r[3]) for r in rows(f)] == [("EUR", "matched"), ("USD", "unmatched"), ("EUR", "ignored")]


ING = ("Umsatzanzeige;Datei erstellt am: 22.11.2026 08:00\n\nIBAN;DE02 1203 0000 0000 2020 51\n"
       "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;Betrag;Währung\n"
       "20.11.2026;20.11.2026;ACME GmbH;Gutschrift;RE-2026-017;13.190,00;EUR;1.190,00;EUR\n")


def test_ing_named_in_dun_yaml_and_its_two_currency_columns(book, tmp_path):
    book.config("bank: {csv: ing}\n")
    path = tmp_path / "ing.csv"
    path.write_bytes(ING.encode("cp1252"))
    _, f = run(book, path)
    assert f["format"] == "CSV (ing)"
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017")]


def test_a_preset_name_dun_does_not_know_is_a_check_problem(book):
    book.config("bank: {csv: fantasiebank}\n")
    result = book.run("check")
    assert result.exit_code == 1
    assert "bank csv 'fantasiebank' is not a bank dun knows (sparkasse, dkb, ing" in result.stdout + result.stderr


PAYPAL = ('"Datum","Uhrzeit","Zeitzone","Name","Typ","Status","Währung","Brutto","Gebühr","Netto",'
          '"Absender E-Mail-Adresse","Empfänger E-Mail-Adresse","Transaktionscode","Betreff"\n'
          '"20.11.2026","10:00:00","CET","ACME GmbH","Zahlung","Abgeschlossen","EUR","1.190,00","-23,10",'
          '"1.166,90","buchhaltung@acme.example","anna@example.org","7AB12345CD678901E","RE-2026-017"\n'
          '"21.11.2026","10:00:00","CET","Thomas Müller","Zahlung","Ausstehend","EUR","420,00","-8,50","411,50",'
          '"t.mueller@example.org","anna@example.org","8AB12345CD678901E","RE-2026-033"\n')


def test_paypal_export_with_pending_payment(book, tmp_path):
    path = tmp_path / "paypal.csv"
    path.write_text(PAYPAL, encoding="utf-8-sig")
    _, f = run(book, path)
    assert f["format"] == "CSV (paypal)"
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017"),
                       ("2026-11-21", "420.00", "EUR", "ignored", None)]


def test_headerless_export_mapped_by_column_number(book, tmp_path):
    book.config("bank: {csv: {date: '1', amount: '4', payer: '2', text: '3'}}\n")
    path = tmp_path / "export.csv"
    path.write_text("20.11.2026;ACME GmbH;RE-2026-017;1.190,00\n21.11.2026;Hotel Seeblick GmbH;Danke;3.570,00\n",
                    encoding="utf-8")
    result, f = run(book, path)
    assert result.exit_code == 0, result.output
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017"),
                       ("2026-11-21", "3570.00", "EUR", "matched", "hotel-2026-025")]


def test_unknown_csv_says_how_to_name_the_bank(book, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Tag;Wer;Wieviel\n20.11.2026;ACME;1190,00\n", encoding="utf-8")
    result = book.run("import", "bank", str(path))
    assert result.exit_code == 1
    assert "name the bank in dun.yaml (bank: csv: sparkasse|dkb|ing" in result.stderr


@pytest.mark.parametrize("name,header,row", [
    ("commerzbank", "Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;Auftraggeberkonto;"
     "Bankleitzahl Auftraggeberkonto;IBAN Auftraggeberkonto;Kategorie",
     "20.11.2026;20.11.2026;Gutschrift;ACME GmbH RE-2026-017;1190,00;EUR;;;DE89370400440532013000;"),
    ("comdirect", '"Buchungstag";"Wertstellung (Valuta)";"Vorgang";"Buchungstext";"Umsatz in EUR";',
     '"20.11.2026";"20.11.2026";"Übertrag / Überweisung";"Auftraggeber: ACME GmbH Buchungstext: RE-2026-017";'
     '"1.190,00";'),
    ("postbank", "Buchungstag;Wert;Umsatzart;Begünstigter / Auftraggeber;Verwendungszweck;IBAN / Kontonummer;BIC;"
     "Kundenreferenz;Mandatsreferenz ;Gläubiger ID;Fremde Gebühren;Betrag;Abweichender Empfänger;"
     "Anzahl der Aufträge;Anzahl der Schecks;Soll;Haben;Währung",
     "20.11.2026;20.11.2026;Gutschrift;ACME GmbH;RE-2026-017;DE89370400440532013000;;;;;;1.190,00 €;;;;;;EUR"),
    ("vr", "Bezeichnung Auftragskonto;IBAN Auftragskonto;BIC Auftragskonto;Bankname Auftragskonto;Buchungstag;"
     "Valutadatum;Name Zahlungsbeteiligter;IBAN Zahlungsbeteiligter;BIC (SWIFT-Code) Zahlungsbeteiligter;"
     "Buchungstext;Verwendungszweck;Betrag;Waehrung;Saldo nach Buchung;Bemerkung;Kategorie;Steuerrelevant;"
     "Glaeubiger ID;Mandatsreferenz",
     "Giro;DE02120300000000202051;GENODEF1XXX;VR Bank;20.11.2026;20.11.2026;ACME GmbH;DE89370400440532013000;;"
     "Gutschrift;RE-2026-017;1190,00;EUR;13190,00;;;;;"),
    ("sparda", "Buchungstag;Wertstellungstag;Verwendungszweck;Umsatz;Währung",
     "20.11.2026;20.11.2026;ACME GmbH RE-2026-017;1.190,00;EUR"),
    ("n26", '"Booking Date","Value Date","Partner Name","Partner Iban","Type","Payment Reference","Account Name",'
     '"Amount (EUR)","Original Amount","Original Currency","Exchange Rate"',
     '"2026-11-20","2026-11-20","ACME GmbH","DE89370400440532013000","Credit Transfer","RE-2026-017",'
     '"Main Account","1190.00","","",""'),
    ("erste", "Buchungsdatum;Partnername;Partner IBAN;Partner BIC;Partner Kontonummer;Partner Bank-Code (BLZ);"
     "Betrag;Währung;Buchungs-Info;Buchungsreferenz;Notiz;Valutadatum",
     "20.11.2026;ACME GmbH;AT611904300234573201;;;;1.190,00;EUR;RE-2026-017;2026112012345;;20.11.2026"),
])
def test_each_preset_is_known_by_its_header(book, tmp_path, name, header, row):
    path = tmp_path / f"{name}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result, f = run(book, path)
    assert result.exit_code == 0, result.output
    assert f["format"] == f"CSV ({name})"
    assert rows(f) == [("2026-11-20", "1190.00", "EUR", "matched", "acme-2026-017")]
