"""The statement's index finds exactly what asking every case finds: invoice numbers in a text, names alike."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from receivables_cli.imports.matchindex import Names, Numbers
from receivables_cli.imports.names import number_pattern, resembles

WORDS = ["Müller", "Mueller", "Muller", "Bäckerei", "Baeckerei", "Korn", "Söhne", "Sohne", "GmbH", "ACME", "Acme",
         "Stadtwerke", "Stadtwerk", "Beispielstadt", "Verlag", "Lindenblatt", "Lindenbaltt", "Hotel", "Meyer",
         "Meier", "Maier", "Photography", "Fotografie", "Schmidt", "Schmitt", "Inh.", "und", "Kiosk", "Kiosc"]
NUMBERS = ["RE-2026-017", "RE 2026/018", "2026-019", "INV-77", "77", "A-12345", "re2026017", "RG 4711", "X-Y",
           "2026.020.1", "R-١٢٣٤٥", "RE-2026-017A"]
TEXTS = ["Rechnung RE-2026-017 danke", "re 2026 018", "Rg. 4711 und 77", "invoice inv-77", "12345 A-12345",
         "2026020 1", "RE2026017A", "Nr ١٢٣٤٥", "RE-2026-0170", "Zahlung 2026-019/1", "nothing here"]


def _state(n: int, name: str, numbers: list[str]):
    customer = SimpleNamespace(name=name)
    case = SimpleNamespace(id=f"case-{n}", customer=customer)
    return SimpleNamespace(case=case, invoices=[SimpleNamespace(number=x) for x in numbers])


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
ledgers = st.lists(st.tuples(names, st.lists(st.sampled_from(NUMBERS), max_size=3)), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(ledgers, st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3).map(" ".join))
def test_numbers_in_a_text_as_asking_every_invoice(ledger, text):
    states = [_state(n, name, numbers) for n, (name, numbers) in enumerate(ledger)]
    every = [(s, i.number) for s in states for i in s.invoices
             if (p := number_pattern(i.number)) is not None and p.search(text)]
    assert Numbers(states).hits(text) == every


@settings(max_examples=150, deadline=None)
@given(ledgers, names)
def test_names_alike_as_asking_every_customer(ledger, payer):
    states = [_state(n, name, []) for n, (name, _) in enumerate(ledger)]
    every = [s for s in states if resembles(payer, s.case.customer.name)]
    assert Names(states).alike(payer) == every


def _reference_pattern(number: str):
    """The number's pattern as one regex under re.I, as dun compiled it before digit cores were
    compiled without re.I: what the faster one must find, position for position."""
    import re

    from receivables_cli.imports import names

    prefix, core = names._prefix_and_core(number)
    core_re = f"{names._SEP}?".join(map(re.escape, core)) + r"(?!\d)"
    alternatives = [f"(?<![A-Za-z0-9]){re.escape(prefix)}{names._SEP}*{core_re}"] if prefix else []
    alternatives.append(rf"(?<![A-Za-z0-9])(?<!\d[\s\-_/.]){core_re}" if len(core) >= 5 else
                        f"(?<![A-Za-z0-9]){names._NUMBER_WORDS}{core_re}")
    return re.compile("|".join(alternatives), re.I)


NUMBERS = ["RE-2026-0017", "INV-12", "2026-A-17", "123", "Rg 45", "K-7", "IS-99", "KS-123456", "20260001"]
AROUND = st.text(alphabet="0123456789 -_/.reRgInvoiceNr#:aAsSkKſKİı١\u00a0", max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMBERS), AROUND, st.sampled_from(["", "Rechnung ", "rg. ", "INVOICE#"]),
       st.sampled_from(["", " ", "-", "/", "\u00a0"]), st.sampled_from([str, str.lower, str.upper]), AROUND)
def test_a_number_is_found_where_the_case_insensitive_pattern_finds_it(number, before, word, sep, case, after):
    """Letters next to a number count whatever their case, including İ, ı, ſ and the Kelvin sign,
    which re.I folds to i, s and k: the faster pattern finds exactly what re.I found."""
    text = before + word + case(number).replace("-", sep) + after
    assert [m.span() for m in number_pattern(number).finditer(text)] == \
        [m.span() for m in _reference_pattern(number).finditer(text)]
    assert number_pattern("RE-2026-0017").search("Zahlung RE 2026 0017 danke")


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(NUMBERS + ["RE-١٢٣٤٥", "re 2026 0017", "17"]), AROUND,
       st.sampled_from(["", "Rechnung ", "rg. ", "INVOICE#", "re", "RE-", "Nr.: "]),
       st.sampled_from(["", " ", "-", "/", "\u00a0", ".", "--"]), st.sampled_from([str, str.lower, str.upper]),
       AROUND, st.sampled_from(["", " 2026 0017", " RE 123", "K-7"]))
def test_a_core_of_digits_is_named_where_its_pattern_finds_it(number, before, word, sep, case, after, more):
    """digit_cores, one pattern for every number of a prefix and length, finds a number's core
    exactly where the number's own pattern finds the number."""
    from receivables_cli.imports import names

    prefix, core = names._prefix_and_core(number)
    if not core.isdigit():
        return
    text = before + word + case(number).replace("-", sep) + after + more
    assert (core in names.digit_cores(prefix, len(core), text)) is bool(number_pattern(number).search(text)), text
