"""SWIFT MT940 statements and MT942 interim reports, read with the `mt-940` package.

The package reads the fields; dun sets its options (the counterparty IBAN `?31` apart from
the name, details of any length, a byte-order mark, lower-case marks), relaxes one tag and
adds three things it lacks (see docs/formats-bank.md): a `:61:` customer reference longer
than SWIFT's 16 characters (Dutch banks put an IBAN there), the whole German purpose
(`?20`-`?29`, `?60`-`?63`) with its SEPA keywords, beside the keywords the package splits
(`EREF+`, `KREF+`, `MREF+`, `SVWZ+`, `ABWA+`), and the Dutch `/NAME/`, `/EREF/`, `/REMI/`
details. A `:61:` line the package cannot read costs that line, not the statement.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from receivables_cli.imports.records import BankEntry, ImportProblem

_MARKERS = re.compile(r"^:(\d\d[A-Z]?|NS):", re.M)
_RETURN_WORDS = ("RETOURE", "RUECKUEBERWEISUNG", "RÜCKÜBERWEISUNG", "RUECKBUCHUNG", "RÜCKBUCHUNG", "STORNO")
_LINE = re.compile(r"^:61:", re.M)
_GERMAN = re.compile(r"^\d{3}\?\d{2}")
_SUBFIELD = re.compile(r"\?(\d\d)")
_DUTCH_CODES = ("TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "ORDP", "BENM", "ADDR", "CDTRREFTP",
                "CDTRREF", "ISDT", "PURP", "RTRN", "ULTC", "ULTD", "CNTP", "ID", "USTD", "STRD", "SVCL")
_DUTCH = re.compile("/(" + "|".join(_DUTCH_CODES) + ")/")


def tags_of(content: str) -> set[str]:
    return {m.group(1) for m in _MARKERS.finditer(content)}


def kind_of(content: str) -> str | None:
    """'MT940', 'MT942', 'fragment' (SWIFT fields, but not a whole statement) or None."""
    found = tags_of(content)
    if not found:
        return None
    if {"20", "25"} <= found and found & {"60F", "60M"}:
        return "MT940"
    if {"20", "25"} <= found and found & {"34F", "13D", "13"}:
        return "MT942"
    return "fragment"


def fragment_problem(path, content: str) -> ImportProblem:
    found = tags_of(content)
    missing = [name for tag, name in (("20", ":20: reference"), ("25", ":25: account"),
                                      ("60F", ":60F: opening balance")) if tag not in found
               and not (tag == "60F" and "60M" in found)]
    return ImportProblem(path, f"SWIFT fields, but not a whole MT940 statement (no {', no '.join(missing)}): "
                               "download the statement again from online banking as MT940 (or camt.053)")


def read_mt94x(path, content: str) -> list[BankEntry]:
    """Every :61: line with its :86: details; a line that does not read is an entry with its problem."""
    from receivables_cli.imports.records import too_many

    lines = len(_LINE.findall(content))
    too_many(path, lines)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    problems: list[BankEntry] = []
    original = content
    for _ in range(lines + 1):
        try:
            transactions = _parse(content)
            break
        except Exception as e:  # the parser raises bare exceptions of several kinds on bad input
            content = _without_bad_line(path, content, original, e, problems)
    else:  # pragma: no cover - every round removes a line
        raise ImportProblem(path, "not a readable MT940 statement")
    if len(transactions) + len(problems) != lines:
        raise ImportProblem(path, f"{lines} statement lines (:61:), but only {len(transactions)} could be read; "
                                  "a line with a broken amount or date is in the file")
    raws = _raw_details(content)
    entries = [_entry(path, n, t.data, raws[n - 1] if n <= len(raws) else "")
               for n, t in enumerate(transactions, 1)]
    return entries + problems


def _parse(content: str):
    import logging

    import mt940

    logging.getLogger("mt940").setLevel(logging.CRITICAL)  # it logs every field it fails on to stderr
    options = mt940.Options(applicant_iban=True, merge_keeps_values=True, unbounded_details=True,
                            strip_bom=True, case_insensitive_marks=True, gvc_leading_text=True,
                            non_swift_free_text=True)
    statement = _long_reference_tag()()
    return mt940.parse(content, options=options, tags={statement.id: statement},
                       processors={"post_transaction_details": [_details]})


def _without_bad_line(path, content: str, original: str, e: Exception, problems: list[BankEntry]) -> str:
    """The content without the :61: line (and its :86:) the parser refused; anything else ends the file."""
    import mt940

    tag, value = (e.args[1], e.args[2]) if len(e.args) >= 3 else (None, None)
    if type(tag).__name__ in _BALANCE_TAGS and isinstance(value, str) and value.strip():
        return _without_balance(path, content, value, tag)
    if not isinstance(tag, mt940.tags.Statement) or not isinstance(value, str):
        raise ImportProblem(path, f"not a readable MT940 statement ({_why(e)})") from None
    head = ":61:" + value.split("\n", 1)[0]
    start = content.find(head)
    if start < 0 or not value.strip():
        raise ImportProblem(path, f"not a readable MT940 statement ({_why(e)})") from None
    nxt = re.compile(r"^:(61|62[FM]|64|65|9\d[A-Z]?):|^-", re.M).search(content, start + 4)
    end = nxt.start() if nxt else len(content)
    line = original.count("\n", 0, max(original.find(head), 0)) + 1
    problems.append(BankEntry(source=str(path), position=0, booked=None, amount=Decimal(0), currency="",
                              credit=False, line=line,
                              problem=f"the statement line '{head[:44]}' is not a SWIFT :61: "
                                      "(date, mark C/D, amount); passed over"))
    return content[:start] + content[end:]


_BALANCE_TAGS = {"ClosingBalance", "FinalClosingBalance", "AvailableBalance", "ForwardAvailableBalance",
                 "IntermediateClosingBalance", "FloorLimitIndicator", "SumCreditEntries", "SumDebitEntries",
                 "SumEntries"}  # fields no payment depends on


def _without_balance(path, content: str, value: str, tag) -> str:
    """The content without a closing or available balance that does not read (`Dnullnull7414,3`)."""
    field = re.compile(r"^:(?:6[02345][FM]?|34F|90[CD]):" + re.escape(value.split("\n", 1)[0]) + ".*\n?", re.M)
    found = field.search(content)
    if found is None:
        raise ImportProblem(path, f"not a readable MT940 statement (a {type(tag).__name__} that does not read)")
    return content[:found.start()] + content[found.end():]


def _why(e: Exception) -> str:
    """The parser's complaint in one line, without its object reprs: 'Unable to parse ... from X'."""
    first = e.args[0] if e.args else e
    found = re.search(r"Unable to parse <mt940\.tags\.(\w+) object at 0x[0-9a-f]+> from '(.{0,60})", str(first))
    if found:
        return f"cannot read the {found.group(1)} field '{found.group(2)}'"
    return f"{type(e).__name__}: {str(e)[:200]}"


def _long_reference_tag():
    import mt940

    class Statement(mt940.tags.Statement):  # the class name is the slug the package's processors look up
        """`:61:` with a customer reference of up to 34 characters (an IBAN), not SWIFT's 16, and the
        bank reference (`//...`) also at the start of the second line, where some banks put it."""

        pattern = (mt940.tags.Statement.pattern.replace("[^\\n]){0,16}", "[^\\n]){0,34}")
                   .replace("(//(?P<bank_reference>", "(\\n?//(?P<bank_reference>"))

    return Statement


def _details(transactions, tag, tag_dict, result):
    """The package's :86: reading, also of a field with a space before its code (' 020?00...')."""
    from mt940.processors import transaction_details_post_processor

    tag_dict["transaction_details"] = (tag_dict.get("transaction_details") or "").lstrip()
    return transaction_details_post_processor(transactions, tag, tag_dict, result)


_FIELD = re.compile(r"^:(\d\d[A-Z]?|NS):", re.M)


def _raw_details(content: str) -> list[str]:
    """The :86: text after each :61: as the file has it (the package strips and splits it)."""
    found: list[str] = []
    marks = list(_FIELD.finditer(content))
    for i, m in enumerate(marks):
        body = content[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(content)]
        if m.group(1) == "61":
            found.append("")
        elif m.group(1) == "86" and found and not found[-1]:
            found[-1] = body.split("\n-}")[0].split("\n-\n")[0].rstrip("\n") or " "
    return [f.strip("\n") if f != " " else "" for f in found]


def _entry(path, position: int, data: dict, raw: str) -> BankEntry:
    amount = data.get("amount")
    if amount is None or not isinstance(data.get("date"), date):
        return BankEntry(source=str(path), position=position, booked=None, amount=Decimal(0), currency="",
                         credit=False, problem=f"statement line {position} (:61:) has no amount or date")
    mark = str(data.get("status") or "").upper()
    posting = str(data.get("posting_text") or "").upper()
    booked = data.get("entry_date") or data["date"]
    details = _details_of(raw, data)
    value = abs(Decimal(amount.amount))
    return BankEntry(
        source=str(path), position=position, booked=date(booked.year, booked.month, booked.day),
        amount=value, currency=amount.currency or data.get("currency") or "",
        credit=mark in ("C", "RD"), reversal=mark.startswith("R") or any(w in posting for w in _RETURN_WORDS),
        reference=_reference(data), payer=details["payer"], text=details["text"],
        creditor_ref=details["creditor_ref"], end_to_end=details["end_to_end"], account=details["account"],
    )


def _details_of(raw: str, data: dict) -> dict:
    """Payer, account, remittance text and references of one :86: field, whatever its layout."""
    joined = "".join(line.strip("\r") for line in raw.splitlines())
    if _GERMAN.match(joined):
        return _german(joined, data)
    if _GERMAN.match(joined.lstrip()):  # a space before the code: the name is read, the text kept whole
        return {**_german(joined.lstrip(), data), "text": _clean(joined) or ""}
    if _DUTCH.search(joined) and joined.lstrip().startswith("/"):
        return _dutch(joined)
    return {"payer": _clean(data.get("applicant_name")), "text": _clean(joined) or _clean(data.get("purpose")) or "",
            "account": _clean(data.get("applicant_iban")), "end_to_end": None, "creditor_ref": None}


def _german(joined: str, data: dict) -> dict:
    """DFÜ-Abkommen Anlage 3: ?20-?29 and ?60-?63 the purpose, ?31 the account, ?32-?33 the name."""
    parts = _SUBFIELD.split(joined)[1:]
    fields = list(zip(parts[::2], parts[1::2], strict=False))
    purpose = "".join(v for k, v in fields if k[0] == "2" or k in ("60", "61", "62", "63"))
    end_to_end = _clean(data.get("end_to_end_reference"))
    return {"payer": _clean(data.get("applicant_name")), "text": _clean(purpose) or "",
            "account": _clean(data.get("applicant_iban")),
            "end_to_end": end_to_end if end_to_end and end_to_end.upper() != "NOTPROVIDED" else None,
            "creditor_ref": _clean(data.get("customer_reference")) if data.get("customer_reference") != "NONREF"
            else None}


def _dutch(joined: str) -> dict:
    """`/EREF/.../NAME/.../REMI/...`: the layout of Dutch banks (and others after them)."""
    pieces = _DUTCH.split(joined)[1:]
    found: dict[str, str] = {}
    for code, value in zip(pieces[::2], pieces[1::2], strict=False):
        found.setdefault(code, value.strip("/ "))
    ref = found.get("CDTRREF") or None
    eref = found.get("EREF")
    return {"payer": _clean(found.get("NAME")), "text": _clean(joined) or "", "account": _clean(found.get("IBAN")),
            "end_to_end": eref if eref and eref.upper() != "NOTPROVIDED" else None, "creditor_ref": _clean(ref)}


def _reference(data: dict) -> str | None:
    ref = _clean(data.get("bank_reference"))
    return ref if ref and ref.upper() != "NONREF" else None


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
