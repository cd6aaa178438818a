"""The parse cache: faster second runs, never a stale answer, never a byte in the ledger."""

from __future__ import annotations

import json
import os
import time

from tests.conftest import ACME

OLD = time.time() - 3600


def open_amount(ledger, *flags) -> str:
    return json.loads(ledger.run(*flags, "show", "acme", "--json").stdout)["open"]


def test_an_edited_file_is_never_served_stale(ledger):
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    assert ledger.run("list").exit_code == 0  # parsed and cached
    cache_files = list((__import__("pathlib").Path(os.environ["DUN_CACHE_DIR"])).glob("cases-*/*.pickle"))
    assert cache_files, "the cache was written"
    path.write_text(path.read_text().replace("1190.00", "1290.00"))  # same size, new mtime
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1290.00"
    path.write_text(path.read_text().replace("1290.00", "1390.00"))  # again, within the same second
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1390.00"


def test_a_file_replaced_with_the_same_size_and_mtime_is_caught_by_its_inode(ledger):
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    ledger.run("list")
    replacement = path.with_name("acme.new")
    replacement.write_text(path.read_text().replace("1190.00", "1290.00"))
    os.utime(replacement, (OLD, OLD))
    os.replace(replacement, path)  # what an editor's atomic save does
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1290.00"


def test_cached_problems_are_still_reported(ledger):
    path = ledger.case("bad", "customer:\n  name: X\n  kind: nope\n")
    os.utime(path, (OLD, OLD))
    first, second = ledger.run("list"), ledger.run("list")
    assert first.stderr == second.stderr and "bad.yaml:3:" in second.stderr


def test_no_cache_flag_and_nothing_written_into_the_ledger(ledger, monkeypatch, tmp_path):
    monkeypatch.setenv("DUN_CACHE_DIR", str(tmp_path / "c"))
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    before = ledger.snapshot()
    ledger.run("--no-cache", "list")
    assert not (tmp_path / "c").exists()
    ledger.run("list")
    assert (tmp_path / "c").exists()
    assert ledger.snapshot() == before


def test_after_an_append_the_cache_holds_exactly_what_a_fresh_parse_gives(ledger):
    from receivables_cli import cache
    from receivables_cli.casefile import load_case

    path = ledger.case("acme", ACME + "  - at: 2026-11-01\n    event: note\n    text: |\n      two\n      lines\n")
    assert ledger.run("call", "acme", "promised", "--promise-by", "2026-12-01", "--note", "half: now").exit_code == 0
    cached = cache.ParseCache(ledger.root).get(path, path.stat())
    fresh = load_case(path, path.read_text())
    assert cached == fresh and cached[0].history[-1].line == 18


def test_a_fresh_file_changed_within_the_same_second_is_read_again(ledger):
    path = ledger.case("acme", ACME)
    ledger.run("list")  # cached with a hash of its content, as the file is fresh
    stat = path.stat()
    path.write_text(path.read_text().replace("1190.00", "1290.00"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime, same inode
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1290.00"
