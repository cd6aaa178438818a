"""Customers' replies written for the tests (German and English, each kind, and the hostile ones),
with the case, kind and status each must get. All names and addresses are invented."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

DUN_YAML_EXTRA = ""

CASES = {
    "acme-2026-017": """
        customer:
          name: ACME GmbH
          contact: Erika Muster
          email: erika@acme.example
          assistant: {name: Jana Beispiel, email: jana@acme.example}
          language: de
        history:
          - at: 2026-10-01
            event: invoice
            number: RE-2026-017
            amount: 1190.00
            due: 2026-10-15
          - at: 2026-11-20
            event: letter
            template: reminder
        """,
    "bolt-2026-021": """
        customer:
          name: Bolt Ltd
          contact: Tom Baker
          email: tom@bolt.example
          language: en
        history:
          - at: 2026-10-05
            event: invoice
            number: INV-2026-021
            amount: 800.00
            due: 2026-10-19
        """,
    "cafe-2026-030": """
        customer:
          name: Café Sonne
          contact: Uwe Sonne
          email: info@cafe-sonne.example
        history:
          - at: 2026-10-10
            event: invoice
            number: RE-2026-030
            amount: 450.00
            due: 2026-10-24
        """,
    "dorn-2026-040": """
        customer:
          name: Dorn & Söhne KG
          contact: Petra Dorn
          email: petra@dorn.example
          manager: {name: Karl Dorn, role: Inhaber, email: karl@dorn.example}
        history:
          - at: 2026-10-12
            event: invoice
            number: RE-2026-040
            amount: 2380.00
            due: 2026-10-26
        """,
    "elm-2026-050": """
        customer:
          name: Elm Studio
          contact: Ann Elm
          email: ann@elm.example
          language: en
        history:
          - at: 2026-10-14
            event: invoice
            number: INV-2026-050
            amount: 600.00
            due: 2026-10-28
        """,
}


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    case: str | None
    kind: str | None
    status: str  # in a dry run: matched, doubtful, unmatched, skipped


def _mail(mid: str, sender: str, subject: str, body: str, *, date: str = "Thu, 03 Dec 2026 10:15:00 +0100",
          reply_to: str | None = None, html: str | None = None, headers: dict | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Anna Beispiel <anna@example.org>"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{mid}>"
    if reply_to:
        msg["In-Reply-To"] = f"<{reply_to}>"
        msg["References"] = f"<{reply_to}>"
    for key, value in (headers or {}).items():
        msg[key] = value
    if html is not None and not body:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    return bytes(msg)


REMINDER_ID = "acme-2026-017.reminder.20261120@example.org"
QUOTE_DE = """
Am 20.11.2026 um 09:00 schrieb Anna Beispiel <anna@example.org>:
> Sehr geehrte Frau Muster,
> wir werden die Rechnung RE-2026-017 über 1.190,00 € bis 15.12.2026 anmahnen müssen,
> falls Sie nicht zahlen.
"""


def samples() -> list[Sample]:
    """Every test message, with what the import must make of it."""
    s = [
        Sample("paid_de", _mail("m1@acme.example", "Erika Muster <erika@acme.example>", "AW: Zahlungserinnerung",
                                "Guten Tag Frau Beispiel,\n\nwir haben die Rechnung bereits am 3. Dezember "
                                "überwiesen.\n\nMit freundlichen Grüßen\nErika Muster\nACME GmbH\n" + QUOTE_DE,
                                reply_to=REMINDER_ID),
               "acme-2026-017", "paid", "matched"),
        Sample("paid_en", _mail("m2@bolt.example", "Tom Baker <tom@bolt.example>", "Re: INV-2026-021",
                                "Hi Anna,\n\nwe already paid this on 1 December 2026, please check.\n\n"
                                "Best regards\nTom\n\nOn Fri, 20 Nov 2026, Anna wrote:\n> please pay by 30 Nov"),
               "bolt-2026-021", "paid", "matched"),
        Sample("promise_de", _mail("m3@cafe-sonne.example", "info@cafe-sonne.example", "Ihre Rechnung RE-2026-030",
                                   "Hallo,\nwir werden 450,00 € bis zum 15.12.2026 überweisen.\n-- \nCafé Sonne, "
                                   "Marktplatz 1"),
               "cafe-2026-030", "promise", "matched"),
        Sample("promise_en", _mail("m4@elm.example", "Ann Elm <ann@elm.example>", "Invoice INV-2026-050",
                                   "Dear Anna,\nI will transfer EUR 600 by 18 December 2026.\nSent from my phone"),
               "elm-2026-050", "promise", "matched"),
        Sample("instalments_de", _mail("m5@dorn.example", "Petra Dorn <petra@dorn.example>", "Rechnung",
                                       "Können wir die Summe in drei Raten zahlen? Das Geschäft läuft gerade schwer."),
               "dorn-2026-040", "instalments", "matched"),
        Sample("instalments_en", _mail("m6@bolt.example", "tom@bolt.example", "payment",
                                       "Could we pay in three instalments? Cash is tight this month.",
                                       date="Fri, 04 Dec 2026 08:00:00 +0000"),
               "bolt-2026-021", "instalments", "matched"),
        Sample("dispute_de", _mail("m7@dorn.example", "Karl Dorn <karl@dorn.example>", "Widerspruch RE-2026-040",
                                   "Wir widersprechen der Rechnung: Position 3 wurde nicht erbracht."),
               "dorn-2026-040", "dispute", "matched"),
        Sample("dispute_en", _mail("m8@elm.example", "ann@elm.example", "Re: your invoice",
                                   "We dispute item 3, the logo was never delivered as agreed.",
                                   date="Fri, 04 Dec 2026 09:00:00 +0000"),
               "elm-2026-050", "dispute", "matched"),
        Sample("invoice_request_de", _mail("m9@acme.example", "Jana Beispiel <jana@acme.example>", "Rechnung?",
                                           "Die Rechnung haben wir nie erhalten. Bitte schicken Sie sie an "
                                           "buchhaltung@acme.example.", date="Fri, 04 Dec 2026 11:00:00 +0100"),
               "acme-2026-017", "invoice_request", "matched"),
        Sample("invoice_request_en", _mail("m10@bolt.example", "tom@bolt.example", "invoice",
                                           "We never received the invoice, could you resend it?",
                                           date="Fri, 04 Dec 2026 10:00:00 +0000"),
               "bolt-2026-021", "invoice_request", "matched"),
        Sample("address_change_de", _mail("m11@cafe-sonne.example", "info@cafe-sonne.example", "Neue Anschrift",
                                          "Unsere Anschrift hat sich geändert: Café Sonne, Hafenstraße 4, "
                                          "20457 Hamburg.", date="Fri, 04 Dec 2026 12:00:00 +0100"),
               "cafe-2026-030", "address_change", "matched"),
        Sample("address_change_en", _mail("m12@elm.example", "ann@elm.example", "New billing address",
                                          "From now on, please send invoices to billing@elm.example.",
                                          date="Fri, 04 Dec 2026 12:00:00 +0000"),
               "elm-2026-050", "address_change", "matched"),
        Sample("ooo_de", _mail("m13@dorn.example", "petra@dorn.example", "Abwesenheitsnotiz: Rechnung",
                               "Ich bin bis zum 14.12.2026 nicht im Büro. In dringenden Fällen wenden Sie sich an "
                               "Karl Dorn.", headers={"Auto-Submitted": "auto-replied"},
                               date="Fri, 04 Dec 2026 07:00:00 +0100"),
               "dorn-2026-040", "out_of_office", "matched"),
        Sample("ooo_en", _mail("m14@bolt.example", "tom@bolt.example", "Automatic reply: INV-2026-021",
                               "I am out of the office and back on 9 December.", headers={"X-Autoreply": "yes"},
                               date="Fri, 04 Dec 2026 07:00:00 +0000"),
               "bolt-2026-021", "out_of_office", "matched"),
        Sample("other_html_only", _mail("m15@acme.example", "erika@acme.example", "Frage",
                                        "", html="<html><head><style>p{color:red}</style></head><body><p>Wer ist "
                                        "bei Ihnen f&uuml;r die Rechnung zust&auml;ndig?</p></body></html>",
                                        date="Fri, 04 Dec 2026 13:00:00 +0100"),
               "acme-2026-017", "other", "matched"),
        Sample("unknown_sender_number", _mail("m16@freemail.example", "buchhaltung@freemail.example",
                                              "Zahlung RE-2026-030", "Wir haben bereits überwiesen.",
                                              date="Fri, 04 Dec 2026 14:00:00 +0100"),
               "cafe-2026-030", "paid", "matched"),
        Sample("forged_reference", _mail("m17@bolt.example", "tom@bolt.example", "Re: Zahlungserinnerung",
                                         "Already paid, stop writing.", reply_to=REMINDER_ID,
                                         date="Fri, 04 Dec 2026 15:00:00 +0000"),
               None, "paid", "doubtful"),
        Sample("stranger", _mail("m18@nowhere.example", "someone@nowhere.example", "Hello",
                                 "Do you build websites?"),
               None, "other", "unmatched"),
        Sample("own_message", _mail("acme-2026-017.dunning.20261201@example.org", "anna@example.org",
                                    "Mahnung", "Bitte zahlen Sie."),
               None, None, "skipped"),
        Sample("bounce", _mail("m20@mx.example", "MAILER-DAEMON@mx.example", "Undelivered Mail",
                               "This is the mail system."), None, None, "skipped"),
    ]
    return s + hostile()


def hostile() -> list[Sample]:
    """Broken MIME, an unknown charset, a header injection, a huge attachment."""
    broken = (b"From: erika@acme.example\r\nMessage-ID: <h1@acme.example>\r\nSubject: kaputt\r\n"
              b"Content-Type: multipart/mixed; boundary=\"nowhere\"\r\n\r\n--else\r\nno parts here\r\n")
    charset = (b"From: tom@bolt.example\r\nMessage-ID: <h2@bolt.example>\r\nSubject: =?x-unknown?q?hallo?=\r\n"
               b"Date: Fri, 04 Dec 2026 16:00:00 +0000\r\n"
               b"Content-Type: text/plain; charset=x-klingon\r\n\r\nWe will pay \xe4 EUR 800 by 20 December 2026.\r\n")
    injection = (b"From: ann@elm.example\r\nMessage-ID: <h3@elm.example>\r\n"
                 b"Subject: =?utf-8?q?hi=0D=0ABcc:_victim@evil.example?=\r\nDate: Fri, 04 Dec 2026 17:00:00 +0000\r\n"
                 b"\r\nthanks\r\n")
    huge = EmailMessage()
    huge["From"] = "info@cafe-sonne.example"
    huge["Message-ID"] = "<h4@cafe-sonne.example>"
    huge["Subject"] = "Beleg"
    huge["Date"] = "Fri, 04 Dec 2026 18:00:00 +0100"
    huge.set_content("Anbei der Beleg, die Zahlung ist gestern erfolgt.")
    huge.add_attachment(b"\0" * (3 * 1024 * 1024), maintype="application", subtype="pdf", filename="beleg.pdf")
    return [
        Sample("broken_mime", broken, "acme-2026-017", "other", "matched"),
        Sample("unknown_charset", charset, "bolt-2026-021", "promise", "matched"),
        Sample("header_injection", injection, "elm-2026-050", "other", "matched"),
        Sample("huge_attachment", bytes(huge), "cafe-2026-030", "paid", "matched"),
    ]


def write_maildir(folder: Path, items: list[Sample]) -> Path:
    box = mailbox.Maildir(str(folder), create=True)
    for item in items:
        box.add(item.data)
    box.close()
    return folder


def write_mbox(path: Path, items: list[Sample]) -> Path:
    box = mailbox.mbox(str(path), create=True)
    for item in items:
        box.add(item.data)
    box.close()
    return path
