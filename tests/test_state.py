"""The fold: balance, allocation, status; pure and independent of file order."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from receivables_cli.domain.model import Case, Customer, Event, Payable
from receivables_cli.domain.state import fold

D = Decimal


def case(*events: Event, kind: str = "business") -> Case:
    return Case("c", Path("c.yaml"), Customer("X", kind=kind), history=events)


def ev(kind: str, day: str, **fields) -> Event:
    return Event(event=kind, at=datetime.fromisoformat(day), **fields)


def test_open_amount_and_oldest_invoice():
    s = fold(case(ev("invoice", "2026-09-01", number="A", amount=D("100.00"), due=date(2026, 9, 15)),
                  ev("invoice", "2026-10-01", number="B", amount=D("200.00")),
                  ev("payment", "2026-10-20", amount=D("150.00")),
                  ev("fee", "2026-10-21", amount=D("40.00"), reason="flat fee")), date(2026, 11, 22))
    assert (s.invoiced, s.paid, s.charged, s.open) == (D("300.00"), D("150.00"), D("40.00"), D("190.00"))
    # the payment settles the oldest invoice first (section 366 BGB)
    assert [(i.number, i.open) for i in s.invoices] == [("A", D("0.00")), ("B", D("150.00"))]
    assert s.oldest_open.number == "B"
    assert s.oldest_open.due == date(2026, 10, 15)  # default terms: 14 days
    assert s.overdue_days == 38


def test_payment_named_invoice_goes_there():
    s = fold(case(ev("invoice", "2026-09-01", number="A", amount=D("100")),
                  ev("invoice", "2026-10-01", number="B", amount=D("200")),
                  ev("payment", "2026-10-20", amount=D("200"), invoice="B")), date(2026, 11, 22))
    assert [(i.number, i.open) for i in s.invoices] == [("A", D("100")), ("B", D("0"))]


def test_events_after_the_day_are_not_folded():
    c = case(ev("invoice", "2026-09-01", number="A", amount=D("100")), ev("payment", "2026-10-20", amount=D("100")))
    assert fold(c, date(2026, 10, 19)).status == "open"
    assert fold(c, date(2026, 10, 20)).status == "settled"


def test_status_precedence():
    inv = ev("invoice", "2026-09-01", number="A", amount=D("100"))
    on = date(2026, 11, 22)
    assert fold(case(inv, ev("dispute", "2026-10-01", note="n")), on).status == "disputed"
    assert fold(case(inv, ev("dispute", "2026-10-01", note="n"), ev("resolved", "2026-10-05")), on).status == "open"
    assert fold(case(inv, ev("hold", "2026-10-01", until=date(2026, 12, 1), reason="r")), on).status == "on_hold"
    assert fold(case(inv, ev("hold", "2026-10-01", until=date(2026, 11, 22), reason="r")), on).status == "open"
    assert fold(case(inv, ev("legal", "2026-10-01", route="lawyer")), on).status == "legal"
    assert fold(case(inv, ev("written_off", "2026-10-01", reason="r")), on).status == "written_off"
    promised = ev("promise", "2026-11-20", amount=D("100"), by=date(2026, 11, 30))
    assert fold(case(inv, promised), on).status == "promised"
    assert fold(case(inv, promised), date(2026, 12, 1)).status == "open"
    agreement = ev("agreement", "2026-11-01", installments=(Payable(D("100"), date(2026, 12, 1)),))
    assert fold(case(inv, agreement), on).status == "agreement"


amounts = st.decimals(min_value="0.01", max_value="50000", places=2)
kinds = st.sampled_from(["invoice", "payment", "credit", "fee", "interest", "note"])


@st.composite
def histories(draw):
    n = draw(st.integers(1, 12))
    days = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n, unique=True))
    start = date(2025, 1, 1)
    events = []
    for i, offset in enumerate(days):
        kind = draw(kinds)
        at = datetime.combine(start + timedelta(days=offset), datetime.min.time())
        if kind == "invoice":
            events.append(Event("invoice", at, number=f"R{i}", amount=draw(amounts)))
        elif kind == "note":
            events.append(Event("note", at, text="x"))
        else:
            events.append(Event(kind, at, amount=draw(amounts), reason="r"))
    return events


@given(histories())
def test_open_is_invoiced_plus_charged_minus_paid_minus_credited(events):
    s = fold(case(*events), date(2026, 11, 22))
    assert s.open == s.invoiced + s.charged - s.paid - s.credited
    assert all(i.open >= 0 for i in s.invoices)
    assert sum(i.open for i in s.invoices) >= s.invoiced - s.paid - s.credited


@given(histories(), st.randoms(use_true_random=False))
def test_file_order_of_events_with_distinct_dates_does_not_matter(events, rnd):
    shuffled = list(events)
    rnd.shuffle(shuffled)
    on = date(2026, 11, 22)
    a, b = fold(case(*events), on), fold(case(*shuffled), on)
    assert (a.events, a.invoices, a.status, a.open, a.overdue_days) == (b.events, b.invoices, b.status, b.open,
                                                                        b.overdue_days)


def test_an_entry_without_time_follows_the_timed_ones_listed_before_it_that_day():
    call = Event("call", datetime(2026, 11, 17, 8, 40), timed=True, outcome="promised",
                 promise=Payable(D("100"), date(2026, 11, 30)))
    paid = ev("payment", "2026-11-17", amount=D("100"))
    early = Event("call", datetime(2026, 11, 17, 7, 0), timed=True, outcome="no_answer")
    c = case(ev("invoice", "2026-10-01", number="A", amount=D("500")), call, paid, early)
    assert [e.event + (e.outcome or "") for e in c.events] == ["invoice", "callno_answer", "callpromised", "payment"]
    assert fold(c, date(2026, 11, 20)).promise.kept  # the payment came after the promise
    assert [e.event for e in case(paid, call).events] == ["payment", "call"]  # listed before: stays before


def test_an_event_is_built_with_its_day_its_defaults_and_stays_frozen():
    import dataclasses
    import pickle
    from datetime import date, datetime

    import pytest

    from receivables_cli.domain.model import Event

    e = Event("call", datetime(2026, 1, 2, 10, 5), True, 5, outcome="reached")
    assert e.day == date(2026, 1, 2) and e.note is None and e.installments == () and e.fixed_due is False
    assert dataclasses.replace(e, at=datetime(2026, 3, 4)).day == date(2026, 3, 4)
    # the records' own __replace__ (written on first use) gives what dataclasses.replace gives
    for changes in ({"at": datetime(2026, 3, 4)}, {"note": "x", "line": 9}, {}):
        assert e.__replace__(**changes) == dataclasses.replace(e, **changes)
        assert e.__replace__(**changes).day == dataclasses.replace(e, **changes).day
    with pytest.raises(TypeError):
        e.__replace__(day=date(2026, 1, 1))
    assert pickle.loads(pickle.dumps(e)) == e and hash(pickle.loads(pickle.dumps(e))) == hash(e)
    assert e == Event(event="call", at=datetime(2026, 1, 2, 10, 5), timed=True, line=5, outcome="reached")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.line = 3
    with pytest.raises(TypeError):
        Event("call", datetime(2026, 1, 2), colour="red")


def test_an_unnamed_payment_is_shared_in_proportion_between_invoices_of_the_same_day_and_due():
    """§366(2) BGB: among debts alike (due the same day, issued the same day) in proportion: 900 : 300 takes
    600 as 450 : 150 (at 10:00 and 11:00 the same day: no older one). A later invoice waits its turn."""
    due = date(2026, 9, 30)
    s = fold(case(ev("invoice", "2026-09-01T10:00", number="A", amount=D("900.00"), due=due),
                  ev("invoice", "2026-09-01T11:00", number="B", amount=D("300.00"), due=due),
                  ev("invoice", "2026-09-02", number="C", amount=D("100.00"), due=due),
                  ev("payment", "2026-10-20", amount=D("600.00"))), date(2026, 11, 22))
    assert [(i.number, i.open) for i in s.invoices] == [("A", D("450.00")), ("B", D("150.00")), ("C", D("100.00"))]
    s = fold(case(ev("invoice", "2026-09-01", number="A", amount=D("100.00"), due=due),
                  ev("invoice", "2026-09-01", number="B", amount=D("200.00"), due=due),
                  ev("payment", "2026-10-20", amount=D("100.00"))), date(2026, 11, 22))
    # 33.333… : 66.666…: the cents are rounded on the running total, so the shares add up to the payment
    assert [(i.number, i.open) for i in s.invoices] == [("A", D("66.67")), ("B", D("133.33"))]


def test_a_state_replaced_is_the_state_dataclasses_would_make():
    import dataclasses

    s = fold(case(ev("invoice", "2026-09-01", number="A", amount=D("100.00")),
                  ev("payment", "2026-10-20", amount=D("30.00"))), date(2026, 11, 22))
    for record, changes in ((s, {"interest_owed": D("1.23")}), (s.invoices[0], {"open": D("5.00")}), (s, {})):
        made = record.__replace__(**changes)
        assert made == dataclasses.replace(record, **changes) and made is not record
        assert all(getattr(made, f.name) is getattr(dataclasses.replace(record, **changes), f.name)
                   for f in dataclasses.fields(record))
