"""Values too big or from the future: limits per field and per case on every write path."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ACME
from tests.test_attack_bank import camt, ntry
from tests.test_attack_files import max_rss_mb
from tests.test_import_bank import write_cases


@pytest.fixture
def acme(ledger):
    ledger.case("acme", ACME)
    return ledger


def test_a_note_longer_than_dun_keeps_is_refused_naming_the_field(acme):
    """Two large `dun note`s made the case larger than every command reads."""
    before = acme.text("acme")
    result = acme.run("note", "acme", "x" * 100_000)
    assert result.exit_code == 1
    assert "text is 100,000 characters long, more than dun keeps (10,000); nothing was written" in result.stderr
    assert acme.text("acme") == before
    assert acme.run("note", "acme", "y" * 10_000).exit_code == 0  # a long note within the limit


@pytest.mark.parametrize("args", [("new", "big", "--customer", "N" * 600, "--invoice", "R1", "--amount", "10"),
                                  ("pay", "acme", "10", "--note", "n" * 10_001),
                                  ("call", "acme", "reached", "--with", "w" * 501),
                                  ("invoice", "acme", "--number", "R" * 501, "--amount", "10")])
def test_every_field_on_the_command_line_has_a_limit(acme, args):
    before = acme.snapshot()
    result = acme.run(*args)
    assert result.exit_code == 1 and "characters long, more than dun keeps" in result.stderr, result.stderr
    assert acme.snapshot() == before


def test_an_append_that_would_make_the_case_too_big_to_read_is_refused(acme):
    path = acme.root / "cases" / "acme.yaml"
    entry = "  - at: 2026-11-01\n    event: note\n    text: {}\n"
    filler = "".join(entry.format("z" * 60) for _ in range(4_190_000 // 106))
    path.write_text(ACME.lstrip("\n") + filler, encoding="utf-8")
    assert 4_100_000 < path.stat().st_size < 4 * 1024 * 1024
    before = path.read_bytes()
    result = acme.run("note", "acme", "w" * 9_000)
    assert result.exit_code == 1 and "more than a case file can be" in result.stderr
    assert path.read_bytes() == before
    assert acme.run("show", "acme").exit_code == 0


def test_a_huge_case_is_refused_before_it_is_read(acme):
    """`dun note` read a 429 MB case whole before refusing it."""
    path = acme.root / "cases" / "acme.yaml"
    with path.open("ab") as f:
        f.truncate(400_000_000)  # sparse: no disk, but 400 MB to read
    code, rss, err = max_rss_mb(acme, "note", "acme", "hello")
    assert code == 1 and rss < 150, (code, rss)
    assert "more than a case file can be" in err
    assert os.path.getsize(path) == 400_000_000


@pytest.fixture
def book(ledger):
    write_cases(ledger)
    return ledger


def test_a_statement_entry_with_a_huge_payer_is_named_and_not_recorded(book, tmp_path):
    """A 24 MB payer and text were recorded, and the case file grew to 45.8 MB."""
    details = (f"<TxDtls><RltdPties><Dbtr><Nm>{'ACME GmbH ' * 60_000}</Nm></Dbtr></RltdPties>"
               "<RmtInf><Ustrd>RE-2026-017</Ustrd></RmtInf></TxDtls>")
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("1190.00", details=details)), encoding="utf-8")
    before = book.text("acme-2026-017")
    result = book.run("import", "bank", str(path), "--record")
    assert result.exit_code == 1
    assert f"{path}: entry 1:" in result.stderr and "not recorded" in result.stderr
    assert book.text("acme-2026-017") == before


def test_a_payment_booked_in_the_far_future_is_refused_and_the_corrected_statement_recorded(book, tmp_path):
    """A payment booked 2099-12-31 was recorded; the corrected statement was then skipped as recorded before."""
    wrong, right = tmp_path / "wrong.xml", tmp_path / "right.xml"
    wrong.write_text(camt(ntry("1190.00", day="2099-12-31", ref="B-1")), encoding="utf-8")
    right.write_text(camt(ntry("1190.00", day="2026-11-20", ref="B-1")), encoding="utf-8")
    result = book.run("import", "bank", str(wrong), "--record", on="2026-11-22")
    assert result.exit_code == 1
    assert f"{wrong}: entry 1: booked on 2099-12-31 is after tomorrow (today is 2026-11-22); not recorded" \
        in result.stderr
    assert "event: payment" not in book.text("acme-2026-017")
    fixed = book.run("import", "bank", str(right), "--record", on="2026-11-22")
    assert fixed.exit_code == 0, fixed.output
    assert "event: payment" in book.text("acme-2026-017")


def test_a_booking_dated_tomorrow_is_accepted(book, tmp_path):
    """A day's grace: the bank's day may be ahead of the user's clock."""
    path = tmp_path / "s.xml"
    path.write_text(camt(ntry("1190.00", day="2026-11-23")), encoding="utf-8")
    result = book.run("import", "bank", str(path), "--record", on="2026-11-22")
    assert result.exit_code == 0, result.output


def test_an_imported_invoice_with_a_huge_buyer_name_is_refused_naming_the_field(ledger, tmp_path):
    from tests.test_attack_invoice import ubl

    result = ledger.run("import", "invoice", str(ubl(tmp_path, "A" * 10_000 + " GmbH")), "--record")
    assert result.exit_code == 1
    assert "name is 10,005 characters long, more than dun keeps (500); nothing" in result.output
    assert list((ledger.root / "cases").glob("*")) == []
