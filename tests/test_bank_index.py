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
