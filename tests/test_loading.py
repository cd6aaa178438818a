"""Bad input gives `path:line: message`, never a traceback, and spares the other cases."""

from __future__ import annotations

import pytest

from tests.conftest import ACME

GOOD = ACME

# (name, case text, line, part of the message)
BAD = [
    ("malformed-yaml", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n   event: invoice\n", 5,
     "not valid YAML"),
    ("unknown-key", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: invoice\n"
     "    number: R1\n    amont: 10\n", 7, "unknown key 'amont' in the invoice event; did you mean 'amount'?"),
    ("bad-enum", "customer:\n  name: X\n  kind: buisness\n", 3,
     "customer kind 'buisness' is not one of private, business, corporate, public; did you mean 'business'?"),
    ("impossible-date", "customer:\n  name: X\nhistory:\n  - at: 2026-02-30\n    event: note\n    text: hi\n", 4,
     "2026-02-30 is not a real date"),
    ("month-13", "customer:\n  name: X\nhistory:\n  - at: 2026-13-01\n    event: note\n    text: hi\n", 4,
     "2026-13-01 is not a real date"),
    ("three-decimals", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: invoice\n"
     "    number: R1\n    amount: 10.001\n", 7, "more than two decimal places"),
    ("negative", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: payment\n    amount: -5\n", 6,
     "amount must be positive"),
    ("zero", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: payment\n    amount: 0\n", 6,
     "amount must be more than zero"),
    ("python-tag", "customer:\n  name: !!python/object:os.system X\n", 2, "tag !!python/object:os.system"),
    ("duplicate-key", "customer:\n  name: X\n  name: Y\n", 3, "duplicate key 'name' (first on line 2)"),
    ("promised-no-promise", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: call\n"
     "    outcome: promised\n", 4, "outcome 'promised' needs 'promise:"),
    ("unknown-event", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: paymnet\n    amount: 5\n",
     5, "did you mean 'payment'?"),
    ("missing-field", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: invoice\n    amount: 5\n",
     4, "invoice event is missing 'number'"),
    ("alias", "customer: &c\n  name: X\nevidence: strong\nhistory:\n  - at: 2026-10-01\n    event: note\n"
     "    text: *c\n", 1, "aliases"),
    ("float-comma", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: payment\n    amount: 1.190,00\n",
     6, "is not an amount"),
    ("bad-time", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01 25:00\n    event: note\n    text: hi\n",
     4, "not a real date or time"),
    ("no-customer", "history: []\n", 1, "missing 'customer:'"),
    ("two-currencies", "customer:\n  name: X\nhistory:\n  - at: 2026-10-01\n    event: invoice\n    number: R1\n"
     "    amount: 5\n    currency: EUR\n  - at: 2026-10-02\n    event: invoice\n    number: R2\n    amount: 5\n"
     "    currency: CHF\n", 9, "a case has one currency"),
    ("empty", "", 1, "the file has no content"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_case_file_gives_path_line_message(ledger, name, text, line, message):
    ledger.case("acme-2026-017", GOOD)
    path = ledger.case(name, text)
    result = ledger.run("check")
    assert result.exit_code == 1
    assert f"{path}:{line}: " in result.stdout
    assert message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(("name", "text", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_does_not_stop_the_others(ledger, name, text, line, message):
    ledger.case("acme-2026-017", GOOD)
    ledger.case(name, text)
    result = ledger.run("list")
    assert result.exit_code == 1
    assert "acme-2026-017" in result.stdout
    assert f"{name}.yaml:{line}: " in result.stderr


def test_check_json_lists_problems(ledger):
    ledger.case("bad", "customer:\n  name: X\n  kind: buisness\n")
    result = ledger.run("check", "--json")
    assert result.exit_code == 1
    assert '"line": 3' in result.stdout


def test_check_is_silent_when_clean(ledger):
    ledger.case("acme-2026-017", GOOD)
    result = ledger.run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("case_id", ["../etc/passwd", "a/b", "x..y", "Upper", ".hidden"])
def test_case_ids_with_paths_are_refused(ledger, case_id):
    result = ledger.run("new", case_id, "--customer", "X", "--invoice", "R1", "--amount", "10")
    assert result.exit_code == 1
    assert "not a valid case id" in result.stderr
    assert not list(ledger.root.rglob("passwd"))


def test_file_name_that_is_no_case_id_is_a_problem(ledger):
    ledger.case("Bad Name", "customer:\n  name: X\n")
    result = ledger.run("check")
    assert "not a valid case id" in result.stdout


def test_bom_and_crlf_load(ledger):
    path = ledger.root / "cases" / "crlf.yaml"
    path.write_bytes("\ufeff".encode() + GOOD.lstrip().replace("\n", "\r\n").encode())
    result = ledger.run("show", "crlf", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"invoiced": "1190.00"' in result.stdout


def test_date_time_and_exact_amounts(ledger):
    ledger.case("t", """
        customer: {name: X}
        history:
          - at: 2026-10-15 10:20
            event: invoice
            number: R1
            amount: 0.10
          - at: 2026-10-15 10:21
            event: invoice
            number: R2
            amount: 0.20
        """)
    result = ledger.run("show", "t", "--json")
    assert '"at": "2026-10-15 10:20"' in result.stdout
    assert '"invoiced": "0.30"' in result.stdout  # a float would give 0.30000000000000004


def test_bad_dun_yaml_is_reported(ledger):
    ledger.config("policy:\n  collection_call_dy: 28\n")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "dun.yaml:" in result.stdout and "did you mean 'collection_call_day'?" in result.stdout


def test_bad_call_window_is_reported_on_its_line(ledger):
    ledger.case("w", "customer:\n  name: X\n  call_window: \"tuesday 9-16\"\n")
    result = ledger.run("check")
    assert "w.yaml:3: call window 'tuesday 9-16' is not like 'tue-thu 09:00-16:00'" in result.stdout


def test_unknown_region_is_reported(ledger):
    (ledger.root / "dun.yaml").write_text("country: DE\nregion: BX\n")
    result = ledger.run("check")
    assert "region 'BX' is not a subdivision of DE" in result.stdout


def test_unknown_law_key_is_reported_with_a_suggestion(ledger):
    ledger.config("law:\n  limitaton_years: 4\n  flat_fee: lots\n")
    result = ledger.run("check")
    assert "unknown key 'limitaton_years' in law; did you mean 'limitation_years'?" in result.stdout
    assert "law flat_fee must be a number, not 'lots'" in result.stdout


def test_bad_ledger_currency_is_reported(ledger):
    (ledger.root / "dun.yaml").write_text("currency: euro\n")
    result = ledger.run("check")
    assert "dun.yaml:1: currency 'euro' is not a three-letter code such as EUR or CHF" in result.stdout
