"""`dun legal --prepare` against careless targets and hostile case data."""

from __future__ import annotations

import csv
import os

import pytest

from tests.test_legal import ACME, prepared

WEIRD = """
customer:
  name: "=HYPERLINK(\\"http://evil.example\\",\\"x\\") GmbH & Co. KGaA i.L."
  kind: corporate
  address: "+cmd|' /C calc'!A0\\n@SUM(1+1)"
history:
  - at: 2026-01-01
    event: invoice
    number: "-2+3"
    amount: 100.00
"""


@pytest.mark.parametrize("target", ["dun.yaml", "cases/x.csv", "cases/acme.yaml", "letters/de/x.csv", "rates.csv",
                                    ".git/x.csv"])
def test_csv_never_lands_in_the_ledgers_own_files(ledger, target):
    """'--csv dun.yaml' overwrote the ledger's settings; '--csv cases/x.csv' put a file among the cases."""
    ledger.case("acme", ACME)
    (ledger.root / "letters" / "de").mkdir(parents=True)
    (ledger.root / ".git").mkdir()
    (ledger.root / "rates.csv").write_text("country,from,rate,source,confirmed\n", encoding="utf-8")
    before = ledger.snapshot()
    result = ledger.run("legal", "acme", "--prepare", "--csv", str(ledger.root / target))
    assert result.exit_code == 1
    assert "is part of the ledger" in result.stderr
    assert ledger.snapshot() == before


def test_csv_to_a_missing_folder_says_so(ledger, tmp_path):
    ledger.case("acme", ACME)
    result = ledger.run("legal", "acme", "--prepare", "--csv", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing' / 'x.csv'}: No such file or directory" in result.stderr


def test_csv_write_that_fails_leaves_the_old_file_whole(ledger, tmp_path):
    """A failed write left a truncated hand-over where the old one was."""
    ledger.case("acme", ACME)
    target = tmp_path / "handover.csv"
    target.write_text("the previous hand-over\n", encoding="utf-8")
    os.chmod(tmp_path, 0o500)  # the folder refuses the temp file: the old file must survive
    try:
        if os.access(tmp_path, os.W_OK):
            pytest.skip("running as a user that ignores permissions")
        result = ledger.run("legal", "acme", "--prepare", "--csv", str(target))
    finally:
        os.chmod(tmp_path, 0o700)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "the previous hand-over\n"


def test_csv_cells_cannot_be_formulas(ledger, tmp_path):
    """A debtor named '=HYPERLINK(...)' became a live formula in the agency's spreadsheet."""
    ledger.case("weird", WEIRD)
    target = tmp_path / "handover.csv"
    assert ledger.run("legal", "weird", "--prepare", "--csv", str(target)).exit_code == 0
    with target.open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["debtor"].startswith("'=HYPERLINK(")
    assert row["street"].startswith("'+cmd")
    assert row["invoice"] == "'-2+3"
    assert row["amount"] == "100.00"


def test_prepare_with_weird_legal_form_and_no_address(ledger):
    ledger.case("weird", WEIRD.replace("  address: \"+cmd|' /C calc'!A0\\n@SUM(1+1)\"\n", ""))
    data = prepared(ledger, "weird")
    assert data["currency"] == "EUR"


NO_ADDRESS = """
customer:
  name: Muster AG
  kind: business
history:
  - at: 2026-10-01
    event: invoice
    number: R-100
    amount: 1190.00
"""


@pytest.mark.parametrize("country", ["DE", "CH"])
def test_prepare_without_the_debtors_address_says_the_form_needs_one(ledger, country):
    """An empty 'address:' line was printed and nothing warned that the application cannot be filed so."""
    if country == "CH":
        dun_yaml = ledger.root / "dun.yaml"
        dun_yaml.write_text(dun_yaml.read_text(encoding="utf-8").replace("country: DE\nregion: BE\n",
                                                                          "country: CH\ncurrency: CHF\n"),
                            encoding="utf-8")
    ledger.case("muster", NO_ADDRESS)
    data = prepared(ledger, "muster")
    assert any("muster has no postal address" in n for n in data["notes"])
    result = ledger.run("legal", "muster", "--prepare")
    assert "warning: muster has no postal address" in result.stderr
