"""Every letter checked before it leaves: what it demands, where its address sits, what its template may do.

A letter that fails refuses to render as PDF or e-mail (exit 1, the reason); `dun check` runs the
template and creditor checks over the ledger without a case.
"""

from __future__ import annotations

import re
from decimal import Decimal

from receivables_cli.domain.errors import DunError, Problem

# Letters that ask for the open total (or, after a missed instalment, the arrears): the figure must be stated.
DEMANDING = ("reminder", "dunning", "final-notice", "statement")
# DIN 5008 form B: the recipient zone holds 6 lines of 10 pt; 80 mm wide (85 mm window, 5 mm inset).
# SN 010130 (Swiss, right window): 67 mm.
ADDRESS_LINES = 6
WINDOW_WIDTH_MM = {"din": 80.0, "sn": 67.0}
ADDRESS_PT = 10.0
# What a template may not carry: its own pictures, styles or scripts could hide the payment code dun
# places, or show another one.
_FORBIDDEN = re.compile(r"<\s*(style|img|svg|image|object|embed|iframe|canvas|picture|link|script|video|base)\b"
                        r"|\bstyle\s*=|\bdata:|!\[[^\]]*\]\(", re.I)


class LetterRefused(DunError):
    """A letter that must not leave as it is (exit 1, with the reason)."""


# Letters that ask the customer to pay what is due (or to propose how): pointless, and wrong on paper
# ("0,00 €"), when nothing is due on the letter's day. An instalment agreement may be made before the
# due date; it needs only something open.
ASKING = ("reminder", "dunning", "final-notice", "statement", "callback-request", "settlement-offer",
          "payment-proposal", "down-payment-request")
# Letters that chase: an unresolved dispute and a hold pause them, as they pause the ladder (contract).
CHASING = ("reminder", "dunning", "final-notice", "callback-request")


def refuse_out_of_place(name: str, state, ctx: dict) -> None:
    """A letter whose premise the ledger contradicts is not written, in any format: one that asks for
    money when nothing is due, chases a disputed claim or one on hold, confirms a promise that is over,
    or asks to sign an agreement that is signed. (A down payment agreed and paid is not asked for again:
    letter_offers.down_payment proposes a new one.)"""
    day, case = ctx["today"], state.case.id
    if name in ASKING and ctx["total"] <= 0:
        later = ", ".join(f"{i['number']} falls due on {i['due']}" for i in ctx.get("not_due", []))
        why = f"nothing of {case} is due on {day}" + (f" ({later})" if later else " (nothing is open)")
        raise LetterRefused(f"no {name} letter: {why}; a letter asks only for what is due")
    if name in CHASING and state.hold is not None:
        raise LetterRefused(f"no {name} letter: {case} is on hold until {state.hold.until} ({state.hold.reason}); "
                            "dunning resumes after that day")
    if name in CHASING and state.dispute_since is not None:
        raise LetterRefused(f"no {name} letter: {case} is disputed since {state.dispute_since}; settle the dispute "
                            f"first (dun resolve {case}, or the dispute-resolution letter once it is resolved)")
    promise = state.promise
    if name == "promise-confirmation" and promise is not None and (promise.kept or promise.by < day):
        what = "was kept" if promise.kept else f"ran out on {promise.by} without the money"
        raise LetterRefused(f"no promise-confirmation letter: the promise of {promise.amount} {state.currency} by "
                            f"{promise.by} {what}; a confirmation is written when a promise is made")
    agreed = state.agreement
    if name == "down-payment-request" and ctx.get("down_payment") is None:
        raise LetterRefused(f"no down-payment-request letter: nothing of {case} is due on {day}")
    if name == "installment-agreement" and ctx["open_all"] <= 0:
        raise LetterRefused(f"no installment-agreement letter: nothing of {case} is open on {day}")
    if name == "installment-agreement" and agreed is not None and agreed.signed:
        raise LetterRefused(f"no installment-agreement letter: the agreement of {agreed.made} is signed; "
                            f"`dun show {case}` shows its schedule and `dun letter {case} statement` where it stands")


def refuse_unpaid_later(ctx: dict, body: str, format_day) -> None:
    """An invoice that falls due after the letter's date may be named only together with that due date."""
    for i in ctx.get("not_due", []):
        if i["number"] in body and format_day(i["due"], ctx["locale"]) not in body:
            raise LetterRefused(f"the letter names invoice {i['number']} as unpaid, but it falls due only on "
                                f"{i['due']}, after the letter's date {ctx['today']}; a letter asks only for what is "
                                "due (say when it falls due, or leave it out)")


def refuse_wrong_total(name: str, ctx: dict, body: str, format_money) -> None:
    """A demanding letter states the amount the payment code carries, which is `dun statement`'s figure."""
    due = ctx.get("payment_due")
    if name not in DEMANDING or not due:
        return
    wanted = format_money(due["amount"], ctx["currency"], ctx["locale"])
    plain = f"{due['amount']:.2f}"  # a template of the ledger may write the bare figure
    if not any(form in body for form in (wanted, plain, plain.replace(".", ","))):
        raise LetterRefused(f"the {name} letter does not state {wanted}, the amount due by `dun statement` "
                            f"({_statement_words(ctx)}); its total differs from the statement, so it is not sent")


def _statement_words(ctx: dict) -> str:
    later = sum((i["open"] for i in ctx.get("not_due", [])), Decimal("0"))
    text = f"total {ctx['total_all']:.2f} {ctx['currency']}"
    if later:
        text += f", of which {later:.2f} not yet due"
    return text


def refuse_address_outside(address: str, window: str) -> None:
    """The recipient's block must fit the envelope window: at most 6 lines, none wider than the window."""
    lines = [line.strip() for line in address.strip().splitlines() if line.strip()]
    if len(lines) > ADDRESS_LINES:
        raise LetterRefused(f"the address has {len(lines)} lines; the envelope window holds {ADDRESS_LINES}: "
                            "shorten the customer's address in the case file")
    room = WINDOW_WIDTH_MM[window]
    for n, line in enumerate(lines, 1):
        width = text_width_mm(line, ADDRESS_PT)
        if width > room:
            raise LetterRefused(f"line {n} of the address ('{line}') is {width:.0f} mm wide; the envelope window "
                                f"is {room:.0f} mm: break it into two lines or shorten it in the case file")


def text_width_mm(text: str, size_pt: float) -> float:
    """The width of a line in Arial/Liberation Sans, from the font's advance widths by character class."""
    em = 0.0
    for ch in text:
        if ch in "iIjl.,:;!|'":
            em += 0.25
        elif ch in "ftr()[]-/ ":
            em += 0.31
        elif ch in "mwMW@":
            em += 0.86
        elif ch.isupper():
            em += 0.69
        else:
            em += 0.56
    return em * size_pt * 25.4 / 72


def template_hides_payment(source: str) -> str | None:
    """Why a template's text could hide or imitate the payment code, or None."""
    m = _FORBIDDEN.search(source)
    if not m:
        return None
    return (f"the template carries '{m.group(0).strip()}': a letter may not bring its own images, styles or "
            "scripts (they could hide the payment code dun places, or show another); write plain Markdown")


_TABLE_ALIGN = re.compile(r' style="text-align: (?:left|right|center);"')  # what Markdown writes for `|--:|`


def refuse_hidden_payment(source: str, rendered_html: str) -> None:
    # a Markdown table's column alignment is Markdown's own markup, not a style the template brought
    why = template_hides_payment(source) or template_hides_payment(_TABLE_ALIGN.sub("", rendered_html))
    if why:
        raise LetterRefused(why)


def creditor_problems(path, config) -> list[Problem]:
    """Creditor data that would make letters fail or break the law on company letters (for `dun check`)."""
    c, found = config.creditor, []
    if config.country == "CH" and is_qr_iban(c.iban):
        found.append(Problem(path, 0, f"creditor iban {c.iban} is a QR-IBAN: it takes only a QR reference, and dun "
                                      "writes the invoice number as the payment's message; give the account's "
                                      "ordinary IBAN under creditor iban"))
    registered = c.register and c.register.get("court") and c.register.get("number")
    if config.country in ("DE", "AT") and company_form(c.name) and not registered:
        found.append(Problem(path, 0, f"creditor '{c.name}' is a company: its letters must name the register court "
                                      "and number; add 'register: {court: ..., number: ...}' under creditor"))
    if company_form(c.name) in ("GmbH", "UG") and not c.managing_directors:
        found.append(Problem(path, 0, f"creditor '{c.name}': letters of a GmbH name its managing directors "
                                      "(§ 35a GmbHG); add 'managing_directors: [...]' under creditor"))
    return found


def is_qr_iban(iban: str | None) -> bool:
    """A Swiss QR-IBAN: its institution id (positions 5-9) lies in 30000-31999."""
    compact = (iban or "").replace(" ", "").upper()
    return compact[:2] in ("CH", "LI") and compact[4:9].isdigit() and 30000 <= int(compact[4:9]) <= 31999


_FORMS = re.compile(r"\b(GmbH|UG|AG|KG|OHG|SE|KGaA|eG|GesmbH|Ges\.m\.b\.H\.)(?:\s*&\s*Co\.?\s*KG)?\b|e\.K\.|e\.U\.")


def company_form(name: str | None) -> str | None:
    """The legal form a creditor's name shows ("GmbH", "AG", "e.K."), or None for a freelancer's name."""
    m = _FORMS.search(name or "")
    return m.group(1) or m.group(0) if m else None
