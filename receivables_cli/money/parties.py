"""The parties of a court form, field by field: natural person or company, address, legal representatives.

From the customer's structured keys (contract section 8) where the case has them, else read from the
name and the address block, with a note that says what was guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Company forms as they end a German, Austrian or Swiss name; the first match wins (GmbH & Co. KG is a KG)
LEGAL_FORMS = (
    (r"GmbH\s*&\s*Co\.?\s*KG", "GmbH & Co. KG"), (r"\bUG\b", "UG (haftungsbeschränkt)"), (r"\bGmbH\b", "GmbH"),
    (r"\bAG\b", "AG"), (r"\bOHG\b", "OHG"), (r"\bKG\b", "KG"), (r"\bGbR\b", "GbR"), (r"\be\.\s?K\.?", "e.K."),
    (r"\be\.\s?V\.?", "e.V."), (r"\bSE\b", "SE"), (r"\beG\b", "eG"), (r"\bSàrl\b|\bSarl\b", "Sàrl"),
    (r"\bSA\b", "SA"),
)
# Who represents a company by law, when the case names a person without a function (§35 GmbHG, §78 AktG, ...)
FUNCTIONS = {"GmbH": "Geschäftsführer", "UG (haftungsbeschränkt)": "Geschäftsführer", "AG": "Vorstand",
             "SE": "Vorstand", "e.V.": "Vorstand", "eG": "Vorstand", "e.K.": "Inhaber",
             "GmbH & Co. KG": "Geschäftsführer der Komplementär-GmbH", "KG": "persönlich haftender Gesellschafter",
             "OHG": "Gesellschafter", "GbR": "Gesellschafter"}
_POSTCODE_TOWN = re.compile(r"(?:([A-Z]{1,2})-)?(\d{4,5})\s+(.+)")


@dataclass(frozen=True)
class Party:
    """A party to a court form, field by field."""
    kind: str                  # natural person | company | public authority
    legal_form: str | None
    name: str | None           # a company's or authority's name; a natural person's trading name
    first_name: str | None
    last_name: str | None
    street: str | None
    postcode: str | None
    town: str | None
    country: str | None
    representatives: tuple[dict, ...] = ()

    def as_json(self) -> dict:
        return {"kind": self.kind, "legal_form": self.legal_form, "name": self.name, "first_name": self.first_name,
                "last_name": self.last_name, "street": self.street, "postcode": self.postcode, "town": self.town,
                "country": self.country, "representatives": list(self.representatives)}

    @property
    def address(self) -> str:
        """One line: street, postcode town."""
        town = " ".join(x for x in (self.postcode, self.town) if x)
        return ", ".join(x for x in (self.street, town) if x)


def legal_form(name: str, kind: str) -> str:
    """The legal form a name shows; a private customer is a natural person."""
    if kind == "private":
        return "private person"
    return form_in(name) or ("no company form in the name: a sole trader (natural person) or check the "
                             "commercial register")


def form_in(name: str) -> str | None:
    for pattern, form in LEGAL_FORMS:
        if re.search(pattern, name):
            return form
    return None


def address_fields(name: str, block: str | None) -> tuple[str | None, str | None, str | None]:
    """(street, postcode, town) read from an address block; the lines naming the party are left out."""
    lines = [x.strip() for x in (block or "").splitlines() if x.strip()]
    if lines and lines[0] == name:
        lines = lines[1:]
    if not lines:
        return None, None, None
    found = _POSTCODE_TOWN.fullmatch(lines[-1])
    if not found:
        return (lines[-1] if len(lines) == 1 else lines[-2]), None, None
    return (lines[-2] if len(lines) > 1 else None), found[2], found[3]


def one_line(name: str, block: str | None) -> str:
    lines = [x.strip() for x in (block or "").splitlines() if x.strip()]
    if lines and lines[0] == name:
        lines = lines[1:]
    return ", ".join(lines)


def customer_party(customer, country: str, notes: list[str], case_id: str) -> Party:
    """The respondent (or debtor) as the form asks for it."""
    c = customer
    street, postcode, town = c.street, c.postcode, c.town
    if not (street and postcode and town):
        guessed = address_fields(c.name, c.address)
        street, postcode, town = street or guessed[0], postcode or guessed[1], town or guessed[2]
        if c.address and any(guessed):
            notes.append(f"{case_id}: street, postcode and town read from the address block; add street:, "
                         "postcode: and town: under customer: to be sure")
    form = c.legal_form or (form_in(c.name) if c.kind != "private" else None)
    where = dict(street=street, postcode=postcode, town=town, country=c.country or country)
    if c.kind == "private" or (form is None and c.first_name and c.last_name):
        first, last = _names(c, notes, case_id)
        trading = None if c.kind == "private" else c.name
        return Party("natural person", None, trading, first, last, **where)
    kind = "public authority" if c.kind == "public" else "company"
    people = _representatives(c, form, notes, case_id, kind)
    if form is None and kind == "company":
        notes.append(f"{case_id}: no legal form in '{c.name}': a sole trader is a natural person (add first_name: "
                     "and last_name:), a company needs legal_form: under customer:")
    return Party(kind, form, c.name, None, None, **where, representatives=people)


def _names(c, notes: list[str], case_id: str) -> tuple[str | None, str | None]:
    if c.first_name and c.last_name:
        return c.first_name, c.last_name
    parts = c.name.split()
    notes.append(f"{case_id}: first and last name split from '{c.name}'; add first_name: and last_name: under "
                 "customer: to be sure")
    return (" ".join(parts[:-1]) or None), parts[-1]


def _representatives(c, form: str | None, notes: list[str], case_id: str, kind: str) -> tuple[dict, ...]:
    person = c.representative or c.manager
    if person is None:
        notes.append(f"{case_id}: the form asks for the legal representative of {c.name} with function; add "
                     "representative: {name: ..., role: Geschäftsführer} under customer:")
        return ()
    role = person.role if c.representative is not None or person.role else None
    function = role or FUNCTIONS.get(form or "", "Leiter" if kind == "public authority" else None)
    if function is None:
        notes.append(f"{case_id}: the function of {person.name} is not known; add role: to the representative")
    return ({"function": function, "name": person.name},)


def creditor_party(creditor, country: str, notes: list[str]) -> Party:
    """The applicant (or creditor): the ledger's own details from dun.yaml."""
    street, postcode, town = address_fields(creditor.name, creditor.address)
    form = form_in(creditor.name)
    where = dict(street=street, postcode=postcode, town=town, country=country)
    if form is None:  # a freelancer not in the commercial register applies as a natural person
        notes.append("you apply as a natural person (no company form in your name): enter your first and last "
                     f"name as in your ID; '{creditor.name}' is the trading name")
        return Party("natural person", None, creditor.name, None, None, **where)
    directors = tuple({"function": FUNCTIONS.get(form, "Geschäftsführer"), "name": name}
                      for name in _directors(creditor))
    return Party("company", form, creditor.name, None, None, **where, representatives=directors)


def _directors(creditor) -> list[str]:
    found = getattr(creditor, "managing_directors", None) or []
    return [found] if isinstance(found, str) else list(found)
