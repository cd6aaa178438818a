"""Whether an invoice's buyer is the customer of a case: by an identifier, or by the whole name.

A loose resemblance is good enough to suggest a bank payment to a person, not to put an invoice
into someone's case: "Bergmann Logistik" and "Bergmann Logistik Nord" are two customers. So an
invoice joins a case only when an identifier matches (buyer id, VAT id, buyer reference, e-mail) or
the names are equal once case, umlauts, punctuation, word order and legal forms are set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from receivables_cli.imports.names import name_words
from receivables_cli.imports.records import Buyer

# identifiers that name one customer: a difference rules the customer out even when the names agree
_DECISIVE = ("vat_id", "id")
_LABEL = {"id": "buyer id", "vat_id": "VAT id", "reference": "buyer reference", "email": "e-mail"}


@dataclass(frozen=True)
class Verdict:
    """Whether an invoice's buyer is a case's customer, and why."""
    same: bool
    why: str  # "the same VAT id DE123456789", "the name differs ...", ...
    related: bool = True  # worth naming in the dry run as a case that was considered


@lru_cache(maxsize=65536)  # a folder of invoices compares each buyer with every open case's customer
def normal_name(name: str) -> tuple[str, ...]:
    """The words of a name that say who it is, in order-free form: 'Vogt, Lena' == 'Lena Vogt'."""
    return tuple(sorted(name_words(name)))


def identifiers(buyer: Buyer) -> dict[str, str]:
    found = {key: _normal_id(getattr(buyer, key)) for key in _LABEL}
    return {key: value for key, value in found.items() if value}


def customer_identifiers(customer) -> dict[str, str]:
    """What a case's customer record holds of the same identifiers (fields it lacks are passed over)."""
    found = {"id": getattr(customer, "number", None), "vat_id": getattr(customer, "vat_id", None),
             "reference": getattr(customer, "buyer_reference", None), "email": getattr(customer, "email", None)}
    return {key: _normal_id(value) for key, value in found.items() if _normal_id(value)}


def compare(buyer: Buyer, name: str, ids: dict[str, str]) -> Verdict:
    """The buyer against a customer of that name and those identifiers."""
    mine = identifiers(buyer)
    shared = [key for key in _LABEL if key in mine and key in ids]
    for key in shared:
        if key in _DECISIVE and mine[key] != ids[key]:
            return Verdict(False, f"the {_LABEL[key]} differs ({getattr(buyer, key)} here)")
    for key in shared:
        if mine[key] == ids[key]:
            return Verdict(True, f"the same {_LABEL[key]} {getattr(buyer, key)}")
    words, theirs = normal_name(buyer.name), normal_name(name)
    if words and words == theirs:
        return Verdict(True, "the same name")
    related = bool(set(words) & set(theirs))
    return Verdict(False, f"the name '{buyer.name}' is not '{name}' and no identifier ({', '.join(_LABEL.values())}) "
                          "matches", related)


@lru_cache(maxsize=65536)
def _normal_id(value: str | None) -> str | None:
    """Identifiers compared without case, spaces, dots and dashes: 'DE 123.456.789' == 'de123456789'."""
    return re.sub(r"[\s.\-/]", "", value).casefold() or None if value else None
