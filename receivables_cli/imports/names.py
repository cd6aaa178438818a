"""Whether two names mean the same customer, and how a name and invoice number look in free text."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# legal forms and filler words say nothing about who it is
_FILLER = {
    "gmbh", "mbh", "ag", "ug", "kg", "ohg", "gbr", "ek", "ev", "eg", "co", "kgaa", "se", "haftungsbeschraenkt",
    "ltd", "limited", "inc", "llc", "plc", "sa", "sarl", "sas", "bv", "nv", "srl", "spa", "gesmbh",
    "und", "and", "the", "der", "die", "das", "inh", "inhaber", "inhaberin", "herr", "frau", "mr", "mrs", "ms",
}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe"})
_SEP = r"[\s\-_/.]"
_NUMBER_WORDS = r"(?:rechnungs?(?:nummer|nr)?|rg|re|invoice|inv|nr|no)\.?[\s:#-]*"


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, accents dropped: 'Müller' -> 'mueller'."""
    text = unicodedata.normalize("NFC", text.lower()).translate(_FOLD)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z0-9]+", fold(name)) if len(w) > 1 and w not in _FILLER)


def resembles(payer: str, customer: str) -> bool:
    """Every word of the shorter name has a counterpart in the other: the same word, a small
    misspelling (difflib ratio >= 0.85) or an abbreviation of at least four letters."""
    a, b = name_words(payer), name_words(customer)
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_same_word(w, v) for v in long_) for w in short)


@lru_cache(maxsize=65536)  # a statement compares the same few names again and again
def _same_word(w: str, v: str) -> bool:
    if w == v:
        return True
    if min(len(w), len(v)) >= 4 and (w.startswith(v) or v.startswith(w)):
        return True
    return SequenceMatcher(None, w, v).ratio() >= 0.85


def number_core(number: str) -> str:
    """The part of an invoice number its pattern always needs: from its first digits on (RE-2026-017: 2026017)."""
    return _prefix_and_core(number)[1]


def _prefix_and_core(number: str) -> tuple[str, str]:
    chunks = re.findall(r"[A-Za-z]+|\d+", number)
    split = next((i for i, c in enumerate(chunks) if not c.isalpha()), len(chunks))
    prefix, core = "".join(chunks[:split]), "".join(chunks[split:])
    if not core:
        prefix, core = "", "".join(chunks)
    return prefix, core


def number_pattern(number: str):
    """A regex that finds the invoice number in remittance text, whatever the case, spaces and
    dashes, with or without its letter prefix, but never inside a longer number (an object with
    `search` and `finditer`, as a compiled pattern has them)."""
    prefix, core = _prefix_and_core(number)
    if not core:
        return None
    core_re = f"{_SEP}?".join(map(re.escape, core)) + r"(?!\d)"
    if not core.isdigit():
        return _pattern(re.escape(prefix), core, core_re, re.I)
    return _DigitsPattern(prefix, core, core_re)


class _DigitsPattern:
    """The pattern of a number whose core is digits. Digits and separators have no case, so only
    the letters are matched case-insensitively: that compiles three times as fast as re.I (a
    statement naming a thousand invoices compiles a thousand). re.I would also take İ, ı, ſ and
    the Kelvin sign for letters next to the number; a text holding one is searched with re.I."""

    __slots__ = ("_args", "_fast", "_strict")

    def __init__(self, prefix: str, core: str, core_re: str) -> None:
        self._args = (prefix, core, core_re)
        self._fast = _pattern(f"(?i:{re.escape(prefix)})" if prefix else "", core, core_re, 0)
        self._strict = None

    def _for(self, text: str) -> re.Pattern:
        if not any(c in text for c in _FOLDED_LETTERS):
            return self._fast
        if self._strict is None:
            prefix, core, core_re = self._args
            self._strict = _pattern(re.escape(prefix), core, core_re, re.I)
        return self._strict

    def search(self, text: str):
        return self._for(text).search(text)

    def finditer(self, text: str):
        return self._for(text).finditer(text)


_FOLDED_LETTERS = "\u0130\u0131\u017f\u212a"  # with re.I, [A-Za-z] matches these too


def _pattern(prefix: str, core: str, core_re: str, flags: int) -> re.Pattern:
    return re.compile(_source(prefix, len(core), core_re), flags)


def _source(prefix: str, length: int, core_re: str) -> str:
    # what may stand before the core: the prefix, or (a core of five digits or more) nothing, or
    # (a shorter one) a word like 'Rechnung'. The core is written once after the alternatives:
    # `A(?:P|B)C` finds what `APC|ABC` finds, alternative for alternative, at half the compiling.
    before = [f"{prefix}{_SEP}*"] if prefix else []
    before.append(r"(?<!\d[\s\-_/.])" if length >= 5 else f"(?i:{_NUMBER_WORDS})")
    return f"(?<![A-Za-z0-9])(?:{'|'.join(before)}){core_re}"


def digit_cores(prefix: str, length: int, text: str) -> set[str]:
    """The cores of `length` digits that the patterns of numbers with this prefix find in the text:
    `number_pattern(number).search(text)` is true exactly when the number's core is among them.

    A statement naming a thousand invoices compiled a thousand patterns (a fifth of the import);
    this is one pattern for all numbers of one prefix and length. It holds because what stands
    before a core (a prefix, separators, a word like 'Rechnung') holds no digit: wherever a
    number's pattern may start, its core begins at the next digit, and the digits and single
    separators from there are the only ones it can match; so the pattern, its digits left open
    and captured, is tried at every place (a lookahead) and the digits it takes are compared."""
    pattern = _cores_pattern(prefix, length, any(c in text for c in _FOLDED_LETTERS))
    return {_SEPARATORS.sub("", m.group(1)) for m in pattern.finditer(text)}


_SEPARATORS = re.compile(_SEP)


@lru_cache(maxsize=1024)
def _cores_pattern(prefix: str, length: int, strict: bool) -> re.Pattern:
    """`_DigitsPattern`'s fast and strict patterns with any digits for the core's."""
    core_re = rf"(\d(?:{_SEP}?\d){{{length - 1}}})(?!\d)"
    if strict:
        return re.compile(f"(?={_source(re.escape(prefix), length, core_re)})", re.I)
    return re.compile(f"(?={_source(f'(?i:{re.escape(prefix)})' if prefix else '', length, core_re)})")
