"""The open invoices, amounts and customer names of a ledger, indexed once per statement.

A statement of thousands of entries is matched against thousands of cases: asking every case
about every entry (compiling each invoice number's pattern again, comparing every name) grows
with their product. The index answers the same questions from what an entry contains, and
every candidate it finds is still judged by the same rule, in the ledger's order.
"""

from __future__ import annotations

import re
from decimal import Decimal

from receivables_cli.imports.names import (
    _prefix_and_core,
    _same_word,
    digit_cores,
    name_words,
    number_pattern,
    resembles,
)
from receivables_cli.imports.reference import creditor_reference

_SEP = re.compile(r"[\s\-_/.]")  # the separators an invoice number's pattern lets pass between its characters
_DIGITS = re.compile(r"\d+")


class Numbers:
    """Every invoice number's pattern, compiled once, found by the digits of the text it must appear in."""

    def __init__(self, states: list) -> None:
        self.by_digits: dict[str, list] = {}  # core of digits -> [(order, state, number)]
        self.patterns: dict[str, re.Pattern] = {}  # compiled when a text first may name the number
        self.other: list = []  # numbers whose core holds letters: tried on every text
        self.parts: dict[str, tuple[str, str]] = {}  # a number whose core is digits -> (prefix, core)
        order = 0
        for s in states:
            for i in s.invoices:
                prefix, core = _prefix_and_core(i.number)
                if not core:
                    continue
                item = (order, s, i.number)
                order += 1
                if _DIGITS.fullmatch(core):
                    self.by_digits.setdefault(core, []).append(item)
                    self.parts[i.number] = (prefix, core)
                else:
                    self.other.append(item)
        self.lengths = sorted({len(core) for core in self.by_digits})

    def hits(self, haystack: str) -> list:
        """(state, number) of every invoice whose number the text names, in the ledger's order."""
        found = {item[0]: item for item in self.other}
        # a pattern's digits stand together in the text but for single separators: with the
        # separators gone, they are part of one run of digits
        for run in _DIGITS.findall(_SEP.sub("", haystack)):
            for n in self.lengths:
                for k in range(len(run) - n + 1):
                    for item in self.by_digits.get(run[k:k + n], ()):
                        found[item[0]] = item
        cores: dict[tuple[str, int], set[str]] = {}  # (prefix, length) -> the cores the text names
        return [(s, number) for _, (_, s, number) in sorted(found.items()) if self._names(number, haystack, cores)]

    def _names(self, number: str, haystack: str, cores: dict) -> bool:
        """`number_pattern(number).search(haystack)`; a core of digits without compiling its pattern."""
        if number not in self.parts:
            return bool(self._pattern(number).search(haystack))
        prefix, core = self.parts[number]
        key = (prefix, len(core))
        if key not in cores:
            cores[key] = digit_cores(prefix, len(core), haystack)
        return core in cores[key]

    def _pattern(self, number: str) -> re.Pattern:
        if number not in self.patterns:
            self.patterns[number] = number_pattern(number)
        return self.patterns[number]


class References:
    """Invoices and cases by the creditor reference dun would print for them, and by their plain text."""

    def __init__(self, states: list) -> None:
        self.rf: dict[str, list] = {}
        self.plain: dict[str, list] = {}
        invoices = [(s, i.number) for s in states for i in s.invoices]
        cases = [(s, None) for s in states]
        for s, number in invoices + cases:
            text = number or s.case.id
            ref = creditor_reference(text)
            if ref is not None:
                self.rf.setdefault(ref, []).append((s, number))
            self.plain.setdefault(plain(text), []).append((s, number))

    def by_rf(self, ref: str) -> list:
        return self.rf.get(ref, [])

    def by_plain(self, text: str) -> list:
        return self.plain.get(text, [])


def plain(text: str | None) -> str:
    return "".join(c for c in (text or "").upper() if c.isalnum())


class Amounts:
    """The live cases by every amount they may expect (a superset: each is still asked)."""

    def __init__(self, live: list) -> None:
        self.live = live
        self.by_amount: dict[Decimal, list[int]] = {}
        for n, s in enumerate(live):
            for amount in _expectable(s):
                self.by_amount.setdefault(amount, []).append(n)

    def expecting(self, amount: Decimal) -> list:
        """The live cases that may expect this amount, in their order."""
        return [self.live[n] for n in sorted(set(self.by_amount.get(amount, ())))]


def _expectable(state) -> set[Decimal]:
    """Every amount `expected_amounts` could find for the case, whatever the day."""
    amounts = {i.open for i in state.open_invoices} | {state.open}
    promise = state.promise
    if promise is not None:
        amounts |= {promise.amount, promise.amount - promise.paid_since}
    agreement = state.agreement
    if agreement is not None:
        covered = Decimal(0)
        for payable in agreement.schedule:
            amounts |= {payable.amount, payable.amount - max(Decimal(0), agreement.paid_since - covered)}
            covered += payable.amount
    return amounts


class Names:
    """The live cases by the words of their customers' names, for `resembles` on candidates only."""

    def __init__(self, live: list) -> None:
        self.live = live
        self.by_word: dict[str, set[int]] = {}
        for n, s in enumerate(live):
            for word in name_words(s.case.customer.name):
                self.by_word.setdefault(word, set()).add(n)
        self.by_length: dict[int, list[str]] = {}
        self.prefixes: dict[str, list[str]] = {}  # a prefix of four letters or more -> the words it begins
        self.deleted: dict[str, list[str]] = {}  # a word less one letter -> the words it came from
        for word in self.by_word:
            self.by_length.setdefault(len(word), []).append(word)
            for k in range(4, len(word) + 1):
                self.prefixes.setdefault(word[:k], []).append(word)
            for variant in _one_less(word):
                self.deleted.setdefault(variant, []).append(word)
        self.similar: dict[str, set[int]] = {}

    def alike(self, payer: str | None) -> list:
        """The live cases whose customer's name resembles the payer's, in their order."""
        if not payer:
            return []
        candidates: set[int] = set()
        for word in name_words(payer):
            candidates |= self._near(word)
        return [self.live[n] for n in sorted(candidates) if resembles(payer, self.live[n].case.customer.name)]

    def _near(self, word: str) -> set[int]:
        """The cases with a word that may count as this one, either way round (a name resembles
        another only if at least one word of one has a counterpart in the other)."""
        if word not in self.similar:
            near: set[int] = set()
            for other in self._words_near(word):
                near |= self.by_word[other]
            self.similar[word] = near
        return self.similar[word]

    def _words_near(self, word: str) -> set[str]:
        """The same word, a prefix either way, one letter more or less, and where the two words are
        long enough for difflib's 0.85 to allow more than one letter's difference, difflib's own say."""
        found = {word} & self.by_word.keys()
        if len(word) >= 4:
            found |= {word[:k] for k in range(4, len(word) + 1)} & self.by_word.keys()
            found.update(self.prefixes.get(word, ()))
        found |= _one_less(word) & self.by_word.keys()
        found.update(self.deleted.get(word, ()))
        for length, words in self.by_length.items():
            total = len(word) + length
            # ratio = 2M/T with M the letters of a common subsequence: the words differ by at most
            # 0.15T insertions or deletions, so below T = 14 by one at most, which is found above
            if total >= 14 and 200 * min(len(word), length) >= 85 * total:
                found.update(v for v in words if _same_word(word, v) or _same_word(v, word))
        return found


def _one_less(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}
