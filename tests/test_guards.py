"""Guard rails: the likely typo is refused (exit 1, nothing written), with --force where it can be legitimate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ACME


@pytest.fixture
def acme(ledger):
    ledger.case("acme", ACME)
    return ledger


def refused(ledger, *args, message: str, on: str = "2026-11-22"):
    before = ledger.snapshot()
    result = ledger.run(*args, on=on)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert ledger.snapshot() == before
    return result


def test_a_payment_larger_than_what_is_open_is_refused_and_can_be_forced(acme):
    result = refused(acme, "pay", "acme", "5000", message="5000.00 is more than the 1190.00 open")
    assert "--force" in result.stderr
    forced = acme.run("pay", "acme", "5000", "--force")
    assert forced.exit_code == 0 and "amount: 5000.00" in acme.text("acme")


def test_paying_exactly_what_is_open_is_fine(acme):
    assert acme.run("pay", "acme", "1190").exit_code == 0


def test_a_credit_larger_than_what_is_open_is_refused(acme):
    refused(acme, "credit", "acme", "1500", "--reason", "typo", message="1500.00 is more than the 1190.00 open")
    assert acme.run("credit", "acme", "1500", "--reason", "refund", "--force").exit_code == 0


@pytest.mark.parametrize("args", [
    ("pay", "acme", "100"), ("note", "acme", "hello"), ("call", "acme", "reached"), ("sent", "acme", "dunning"),
    ("promise", "acme", "100", "--by", "2026-12-24"), ("signed", "acme"), ("dispute", "acme", "--note", "x"),
    ("write-off", "acme", "--reason", "gone"), ("credit", "acme", "10", "--reason", "x"),
    ("fee", "acme", "2.50", "--reason", "postage"), ("agree", "acme", "--installments", "2"),
])
def test_a_date_in_the_future_is_refused_on_every_writing_command(acme, args):
    refused(acme, *args, "--at", "2026-12-01", message="--at 2026-12-01 is in the future (today is 2026-11-22)")


def test_the_future_is_relative_to_on(acme):
    refused(acme, "pay", "acme", "100", "--at", "2026-11-10", "--on", "2026-11-01",
            message="in the future (today is 2026-11-01)")
    assert acme.run("pay", "acme", "100", "--at", "2026-11-10").exit_code == 0


def test_a_future_invoice_date_is_refused(acme):
    refused(acme, "invoice", "acme", "--number", "RE-9", "--amount", "10", "--date", "2027-01-05",
            message="in the future")
    refused(acme, "new", "x", "--customer", "X", "--invoice", "1", "--amount", "10", "--date", "2027-01-05",
            message="--date 2027-01-05 is in the future")


def test_a_hold_until_a_past_date_is_refused(acme):
    refused(acme, "hold", "acme", "--until", "2026-11-01", "--reason", "x", message="--until 2026-11-01 is in the past")
    assert acme.run("hold", "acme", "--until", "2026-12-01", "--reason", "holiday").exit_code == 0


def test_a_due_date_before_the_invoice_date_is_refused_and_can_be_forced(acme):
    args = ("invoice", "acme", "--number", "RE-9", "--amount", "10", "--date", "2026-11-10", "--due", "2026-11-01")
    result = refused(acme, *args, message="--due 2026-11-01 is before the invoice date 2026-11-10")
    assert "--force" in result.stderr
    assert acme.run(*args, "--force").exit_code == 0
    refused(acme, "new", "x", "--customer", "X", "--invoice", "1", "--amount", "10", "--date", "2026-11-10",
            "--due", "2026-11-01", message="before the invoice date")


@pytest.mark.parametrize("bad", ["notanemail", "a@b", "a b@c.de", "a@@c.de", "a@c.de\nBcc: x@y.z", "a@c."])
def test_an_invalid_email_is_refused(ledger, bad):
    refused(ledger, "new", "x", "--customer", "X", "--invoice", "1", "--amount", "10", "--email", bad,
            message="is not an e-mail address")


def test_a_valid_email_is_accepted(ledger):
    result = ledger.run("new", "x", "--customer", "X", "--invoice", "1", "--amount", "10", "--email", "a.b@c.example")
    assert result.exit_code == 0, result.stderr


def test_check_reports_future_dated_entries_relative_to_today(ledger):
    ledger.case("acme", ACME + "  - at: 2026-12-01\n    event: note\n    text: typo in the year\n")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "acme.yaml:13: entry dated 2026-12-01 is in the future" in result.output
    assert ledger.run("check", on="2026-12-01").exit_code == 0


@pytest.mark.parametrize("address, lines", [
    (["Kiosk Ali", "Hauptstr. 5", "12043 Berlin"], ["Kiosk Ali", "Hauptstr. 5", "12043 Berlin"]),
    (["Kiosk Ali\\nHauptstr. 5\\n12043 Berlin"], ["Kiosk Ali", "Hauptstr. 5", "12043 Berlin"]),
])
def test_new_writes_the_address_as_a_block(ledger, address, lines):
    args = [a for line in address for a in ("--address", line)]
    result = ledger.run("new", "kiosk", "--customer", "Kiosk Ali", "--invoice", "1", "--amount", "10", *args)
    assert result.exit_code == 0, result.stderr
    assert "  address: |\n" + "".join(f"    {x}\n" for x in lines) in ledger.text("kiosk")
    shown = ledger.run("letter", "kiosk", "reminder", "--format", "html", on="2026-12-21")  # once it is due
    assert "Hauptstr. 5\n12043 Berlin" in shown.stdout


def test_an_address_a_block_could_not_keep_exactly_is_quoted(tmp_path):
    from datetime import date
    from decimal import Decimal

    from receivables_cli.store.casefile import load_case
    from receivables_cli.store.newcase import case_text

    first = {"at": date(2026, 11, 2), "event": "invoice", "number": "1", "amount": Decimal("10")}
    for address in ("Kiosk \nHauptstr. 5", "  Kiosk\nHauptstr. 5", "Kiosk\n\nHauptstr. 5"):
        text = case_text({"name": "Kiosk", "address": address}, first)
        assert "address: |" not in text
        case, problems = load_case(tmp_path / "k.yaml", text)
        assert problems == [] and case.customer.address == address


def _long_fields_walked(values, key: str = "") -> list:
    """long_fields as it was before dicts of short scalars were let through unwalked."""
    from dataclasses import fields, is_dataclass

    from receivables_cli.domain.guards import too_long

    if isinstance(values, str):
        return [(key, values)] if too_long(key, values) else []
    if values is None or isinstance(values, (int, Decimal, date)):
        return []
    if isinstance(values, dict):
        items = values.items()
    elif isinstance(values, (list, tuple)):
        items = ((key, v) for v in values)
    elif is_dataclass(values) and not isinstance(values, type):
        items = ((f.name.rstrip("_"), getattr(values, f.name)) for f in fields(values))
    else:
        return []
    return [found for k, v in items for found in _long_fields_walked(v, k)]


_texts = st.sampled_from([0, 1, 499, 500, 501, 9_999, 10_000, 10_001]).map(lambda n: "x" * n)
_scalars = st.one_of(st.none(), st.integers(), st.booleans(), st.just(Decimal("1.50")), st.dates(),
                     st.datetimes(), _texts)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["note", "payer", "text", "name"]), inner,
                                                 max_size=4)), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["at", "event", "note", "payer", "reference", "invoice", "text", "amount",
                                        "history"]), _values, max_size=7))
def test_long_fields_finds_what_walking_every_value_finds(entry):
    from receivables_cli.domain.guards import long_fields

    assert long_fields(entry) == _long_fields_walked(entry)
