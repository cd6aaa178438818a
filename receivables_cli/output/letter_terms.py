"""What letters cite, per country and language: the legal route, its first step, the statutes.

Data only, so that a German letter never borrows an English phrase (or the other way round)
and an Austrian letter cites Austrian law. Sources: shared law.md; the consumer rules for
instalment agreements are in docs/letters.md.
"""

from __future__ import annotations

import re

# (country, language) -> what a letter may say about the law of that country
LEGAL = {
    ("DE", "de"): {
        "route": "das gerichtliche Mahnverfahren",
        "first_step": "beim zuständigen Mahngericht einen Mahnbescheid gegen Sie beantragen",
        "flat_fee_basis": "§ 288 Abs. 5 BGB",
        "interest_basis": {"consumer": "§ 288 Abs. 1 BGB", "business": "§ 288 Abs. 2 BGB"},
        "consumer_default": ("mit mindestens zwei aufeinanderfolgenden Raten ganz oder teilweise in Rückstand ist "
                             "und der Gläubiger ihm schriftlich erfolglos eine Frist von zwei Wochen gesetzt hat, "
                             "verbunden mit der Erklärung, dass sonst der gesamte Rest fällig wird"),
    },
    ("DE", "en"): {
        "route": "the court dunning procedure",
        "first_step": "apply to the competent court for a payment order against you",
        "flat_fee_basis": "section 288(5) of the German Civil Code (BGB)",
        "interest_basis": {"consumer": "section 288(1) of the German Civil Code (BGB)",
                           "business": "section 288(2) of the German Civil Code (BGB)"},
        "consumer_default": ("is behind with at least two consecutive instalments, in whole or in part, and has "
                             "not paid within a period of two weeks that the creditor set in writing, stating that "
                             "otherwise the whole rest falls due"),
    },
    ("AT", "de"): {
        "route": "das gerichtliche Mahnverfahren",
        "first_step": "beim zuständigen Bezirksgericht eine Mahnklage gegen Sie einbringen",
        "flat_fee_basis": "§ 458 UGB",
        "interest_basis": {"consumer": "§ 1000 Abs. 1 ABGB", "business": "§ 456 UGB"},
        "consumer_default": ("mit einer Rate seit mindestens sechs Wochen in Rückstand ist und der Gläubiger ihn "
                             "unter Androhung des Terminsverlusts schriftlich gemahnt und ihm erfolglos eine "
                             "Nachfrist von mindestens zwei Wochen gesetzt hat"),
    },
    ("AT", "en"): {
        "route": "the court dunning procedure",
        "first_step": "file a claim against you in the court dunning procedure at the competent district court",
        "flat_fee_basis": "section 458 of the Austrian Commercial Code (UGB)",
        "interest_basis": {"consumer": "section 1000(1) of the Austrian Civil Code (ABGB)",
                           "business": "section 456 of the Austrian Commercial Code (UGB)"},
        "consumer_default": ("is at least six weeks behind with an instalment and has not paid within a further "
                             "period of at least two weeks that the creditor set in a written reminder, stating "
                             "that otherwise the whole rest falls due"),
    },
    ("CH", "de"): {
        "route": "die Betreibung",
        "first_step": "beim zuständigen Betreibungsamt die Betreibung gegen Sie einleiten",
        "flat_fee_basis": None,
        "interest_basis": {"consumer": "Art. 104 OR", "business": "Art. 104 OR"},
        "consumer_default": ("mit mindestens zwei aufeinanderfolgenden Raten ganz oder teilweise in Rückstand ist "
                             "und der Gläubiger ihm schriftlich erfolglos eine Frist von zwei Wochen gesetzt hat, "
                             "verbunden mit der Erklärung, dass sonst der gesamte Rest fällig wird"),
    },
    ("CH", "en"): {
        "route": "debt enforcement",
        "first_step": "file a debt enforcement request against you with the competent debt enforcement office",
        "flat_fee_basis": None,
        "interest_basis": {"consumer": "article 104 of the Swiss Code of Obligations",
                           "business": "article 104 of the Swiss Code of Obligations"},
        "consumer_default": ("is behind with at least two consecutive instalments, in whole or in part, and has "
                             "not paid within a period of two weeks that the creditor set in writing, stating that "
                             "otherwise the whole rest falls due"),
    },
}

# The letters a history can name, as the customer reads them: (name, "of the ..." phrase, "with my ..." phrase)
LETTER_NAMES = {
    "de": {"reminder": ("Zahlungserinnerung", "der Zahlungserinnerung", "meiner Zahlungserinnerung"),
           "dunning": ("Mahnung", "der Mahnung", "meiner Mahnung"),
           "final-notice": ("letzte Mahnung", "der letzten Mahnung", "meiner letzten Mahnung"),
           "callback-request": ("Bitte um Rückruf", "der Bitte um Rückruf", "meiner Bitte um Rückruf")},
    "en": {"reminder": ("payment reminder", "the payment reminder", "my payment reminder"),
           "dunning": ("formal reminder", "the formal reminder", "my formal reminder"),
           "final-notice": ("final notice", "the final notice", "my final notice"),
           "callback-request": ("request to call back", "the request to call back", "my request to call back")},
}

LINE_WORDS = {
    "de": {"invoice": "Rechnung {text}", "payment": "Zahlung", "credit": "Gutschrift",
           "waiver": "Verzicht auf den Rest nach der Ratenzahlungsvereinbarung (alle Raten pünktlich)",
           "interest_period": "Verzugszinsen{invoice} vom {start} bis {end}, {rate} p. a.",
           "interest_charged": "Verzugszinsen, berechnet bis zum {end}",
           "flat_fee": "Verzugspauschale", "flat_fee_basis": "Verzugspauschale nach {basis}",
           "letter_fee": "Porto und Material {letter}", "invoice_of": " auf Rechnung {number}",
           "fee_on": "{text}, berechnet am {date}", "part_paid": "{text} ({charged}, davon bezahlt {paid})"},
    "en": {"invoice": "invoice {text}", "payment": "payment received", "credit": "credit",
           "waiver": "rest waived under the instalment agreement (all instalments on time)",
           "interest_period": "default interest{invoice} from {start} to {end}, {rate} a year",
           "interest_charged": "default interest, charged up to {end}",
           "flat_fee": "flat fee for late payment", "flat_fee_basis": "flat fee for late payment under {basis}",
           "letter_fee": "postage and material for {letter}", "invoice_of": " on invoice {number}",
           "fee_on": "{text}, charged on {date}", "part_paid": "{text} ({charged}, of which {paid} paid)"},
}

# Sentences a letter adds about its own figures.
NOTE_WORDS = {
    "de": {"unconfirmed_rate": "Für die Zeit ab dem {start} beruhen die Verzugszinsen auf einem Basiszinssatz, "
                               "der noch nicht amtlich bestätigt ist; der Betrag kann sich daher noch geringfügig "
                               "ändern.",
           "no_rate": "Für die Zeit vom {start} bis {end} liegt mir kein Basiszinssatz vor; für diese Tage "
                      "sind keine Verzugszinsen berechnet."},
    "en": {"unconfirmed_rate": "For the period from {start}, the default interest rests on a base rate that has not "
                               "yet been officially confirmed, so the figure may still change slightly.",
           "no_rate": "No base rate is on record for {start} to {end}; no default interest is counted for those "
                      "days."},
}

_LETTER_FEE = re.compile(r"(?P<template>[a-z-]+) letter, postage and material")


def legal_terms(country: str, lang: str, kind: str) -> dict:
    """The route, its first step and the statutes a letter cites, in the letter's language."""
    data = LEGAL.get((country, lang), LEGAL[("DE", lang)])
    basis = data["interest_basis"]["consumer" if kind == "private" else "business"]
    return {**data, "interest_basis": basis}


def letter_fee_reason(template: str) -> str:
    """The reason `dun sent` records with a letter's fee (read back by `fee_text`)."""
    return f"{template} letter, postage and material"


def fee_text(reason: str, lang: str, country: str) -> str:
    """A recorded fee's reason in the letter's language; a reason dun did not write stays as recorded."""
    from receivables_cli.money.statement import FLAT_FEE_REASON

    words = LINE_WORDS[lang]
    if reason.lower().startswith(FLAT_FEE_REASON):
        basis = LEGAL.get((country, lang), LEGAL[("DE", lang)])["flat_fee_basis"]
        return words["flat_fee_basis"].format(basis=basis) if basis else words["flat_fee"]
    m = _LETTER_FEE.fullmatch(reason.strip())
    if m and m["template"] in LETTER_NAMES[lang]:
        return words["letter_fee"].format(letter=LETTER_NAMES[lang][m["template"]][1])
    return reason
