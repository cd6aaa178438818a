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
    cache_files = list((__import__("pathlib").Path(os.environ["DUN_CACHE_DIR"])).glob("cases-*.marshal"))
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


def test_after_an_append_the_cache_holds_exactly_what_a_fresh_parse_gives(ledger, monkeypatch):
    from receivables_cli.store import cache
    from receivables_cli.store import ledger as ledger_module
    from receivables_cli.store.casefile import load_case

    monkeypatch.setattr(ledger_module, "BIG_FILE", 0)  # every file counts as big: appends use the cache

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


# --- issue 14 item 4: a cache that cannot lie or be abused ---

def edit_in_place_keeping_size_and_mtime(path, old: str, new: str) -> None:
    """What a careful tool (or an attacker) can do: same inode, same size, the old mtime put back."""
    import subprocess

    stat = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and old.encode() in data
    with open(path, "r+b") as f:  # in place: the inode stays
        f.write(data.replace(old.encode(), new.encode()))
    when = f"@{stat.st_mtime_ns // 10**9}.{stat.st_mtime_ns % 10**9:09d}"
    subprocess.run(["touch", "-d", when, str(path)], check=True)
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def test_an_in_place_edit_with_the_old_mtime_is_seen_by_every_command(ledger, monkeypatch):
    from receivables_cli.store import ledger as ledger_module

    monkeypatch.setattr(ledger_module, "BIG_FILE", 0)  # show and appends use the cache too
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    for args in (("list",), ("today",), ("show", "acme"), ("statement", "acme")):
        assert ledger.run(*args).exit_code == 0  # all cached
    edit_in_place_keeping_size_and_mtime(path, "1190.00", "1290.00")
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1290.00"
    assert json.loads(ledger.run("today", "--json").stdout)[0]["open"] == "1290.00"
    assert open_amount(ledger) == "1290.00"
    assert "1290.00" in ledger.run("statement", "acme").stdout


def test_a_note_after_an_in_place_edit_does_not_bring_the_old_parse_back(ledger, monkeypatch):
    from receivables_cli.store import ledger as ledger_module

    monkeypatch.setattr(ledger_module, "BIG_FILE", 0)
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    assert ledger.run("show", "acme").exit_code == 0
    edit_in_place_keeping_size_and_mtime(path, "1190.00", "1290.00")
    assert ledger.run("note", "acme", "called, no answer").exit_code == 0
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1290.00"
    assert open_amount(ledger) == "1290.00"


def test_the_cache_folder_is_created_private_and_holds_no_pickle(ledger, tmp_path, monkeypatch):
    folder = tmp_path / "new" / "dun"
    monkeypatch.setenv("DUN_CACHE_DIR", str(folder))
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    assert ledger.run("today").exit_code == 0
    assert folder.stat().st_mode & 0o777 == 0o700
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files and not any(p.suffix == ".pickle" or p.read_bytes().startswith(b"\x80") for p in files)
    assert all(p.stat().st_mode & 0o077 == 0 for p in files)


def test_a_pickle_payload_in_the_cache_is_never_executed(ledger, tmp_path):
    import pickle

    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    assert ledger.run("list").exit_code == 0
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    folder = __import__("pathlib").Path(os.environ["DUN_CACHE_DIR"])
    evil = pickle.dumps(Payload())
    # every cache file there is, and one where dun 0.1 kept its pickles
    for cached in [*folder.glob("*.marshal"), *folder.glob("*/*.pickle"), folder / "cases-x" / "acme.yaml.pickle"]:
        cached.parent.mkdir(exist_ok=True)
        cached.write_bytes(evil)
    for args in (("list", "--json"), ("today", "--json"), ("show", "acme", "--json")):
        result = ledger.run(*args)
        assert result.exit_code == 0 and "1190.00" in result.stdout
    assert not marker.exists()


def test_a_marshalled_code_object_is_refused_as_not_plain_data():
    import marshal

    from receivables_cli.store import cache

    code = compile("open('/tmp/x', 'w')", "x", "exec")
    assert cache.load_plain(marshal.dumps(("stamp", {"a.yaml": ((1, 2, 3, 4), b"d", code)}))) is None
    assert cache.load_plain(marshal.dumps(("stamp", {"a.yaml": ((1, 2, 3, 4), b"d", (None, []))}))) is not None
    assert cache.load_plain(b"\x80\x04garbage") is None


def test_a_cache_folder_others_may_write_to_is_refused_with_one_line(ledger, tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("DUN_CACHE_DIR", str(folder))
    ledger.case("acme", ACME)
    ledger.case("beta", ACME.replace("ACME", "Beta"))
    for path in (ledger.root / "cases").iterdir():
        os.utime(path, (OLD, OLD))
    for args in (("list", "--json"), ("today", "--json")):
        result = ledger.run(*args)
        assert result.exit_code == 0 and "1190.00" in result.stdout
        warnings = [line for line in result.stderr.splitlines() if "cache" in line]
        assert len(warnings) == 1 and "writable by others" in warnings[0] and str(folder) in warnings[0]
    assert list(folder.iterdir()) == []  # nothing written into it


def forge_amount(folder, amount: str) -> None:
    """Rewrite the cached parse so that it says `amount` (to see whether the entry is used)."""
    import marshal

    for cached in folder.glob("cases-*.marshal"):
        mode = cached.stat().st_mode & 0o777
        stamp, entries = marshal.loads(cached.read_bytes())
        data = marshal.dumps((stamp, entries)).replace(b"1190.00", amount.encode())
        cached.write_bytes(data)
        cached.chmod(mode)


def test_cache_entries_not_owned_by_the_user_or_writable_by_others_are_ignored(ledger):
    from pathlib import Path

    folder = Path(os.environ["DUN_CACHE_DIR"])
    path = ledger.case("acme", ACME)
    os.utime(path, (OLD, OLD))
    ledger.run("--no-cache", "list")
    assert ledger.run("show", "acme").exit_code == 0 and ledger.run("list").exit_code == 0
    forge_amount(folder, "9190.00")
    # a forged entry of the user's own is used (what makes the checks below meaningful)
    assert json.loads(ledger.run("--no-cache", "list", "--json").stdout)[0]["open"] == "1190.00"
    cached = next(folder.glob("cases-*.marshal"))
    for agenda in folder.glob("agenda-*"):
        agenda.unlink()
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "9190.00"
    cached.chmod(0o666)
    assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1190.00"
    forge_amount(folder, "9190.00")
    if os.geteuid() == 0:  # as root the test can hand the file to another user
        cached.chmod(0o600)
        os.chown(cached, 4321, 4321)
        assert json.loads(ledger.run("list", "--json").stdout)[0]["open"] == "1190.00"


def test_a_marshalled_cycle_or_an_explosion_of_shared_containers_is_refused_not_a_hang():
    import marshal

    from receivables_cli.store import cache

    loop: list = []
    loop.append(loop)
    assert cache.load_plain(marshal.dumps(loop)) is None
    shared: list = [[]]
    for _ in range(40):  # 2**40 paths through 40 lists: a walk that follows them would never end
        shared = [shared, shared]
    assert cache.load_plain(marshal.dumps(shared)) is None
    assert cache.load_plain(marshal.dumps(("stamp", {"a": [{"b": (1, 2.5, None, True, b"x")}]}))) is not None


def test_an_append_files_in_the_cache_exactly_what_parsing_the_new_file_gives(ledger):
    from receivables_cli.store import cache
    from receivables_cli.store.ledger import BIG_FILE, parse_case

    notes = "".join(f"  - at: 2026-10-{1 + i % 28:02d} 09:{i % 60:02d}\n    event: note\n    text: call {i}\n"
                    for i in range(2000))
    path = ledger.case("acme", ACME + notes)
    assert path.stat().st_size > BIG_FILE
    os.utime(path, (OLD, OLD))
    for _ in range(2):  # the first append parses the file, the second takes it from the cache the first left
        assert ledger.run("note", "acme", "rang back", "--on", "2026-11-02").exit_code == 0
    text = path.read_text()
    cached = cache.ParseCache(ledger.root).get_content(path, text.encode())
    assert cached is not None and cached == parse_case(path, text)
    assert cached[0].history[-1].text == "rang back" and len(cached[0].history) == 2003


def test_a_second_append_to_a_big_case_takes_the_record_the_first_left_and_parses_nothing(ledger, monkeypatch):
    """An append to a big case reads the case's record from the parse cache; only a miss parses
    the file (the record's shape once grew by a field and every append parsed 5,000 events again)."""
    from receivables_cli.store import ledger as store_ledger

    notes = "".join(f"  - at: 2026-10-{1 + i % 28:02d} 09:{i % 60:02d}\n    event: note\n    text: call {i}\n"
                    for i in range(2000))
    path = ledger.case("acme", ACME + notes)
    os.utime(path, (OLD, OLD))
    assert ledger.run("note", "acme", "first", "--on", "2026-11-02").exit_code == 0
    parsed: list[int] = []  # the length of each text parsed (the check after the append parses its seam)
    real = store_ledger.parse_case

    def counted(path, text, *rest, **named):
        parsed.append(len(text))
        return real(path, text, *rest, **named)

    monkeypatch.setattr(store_ledger, "parse_case", counted)
    assert ledger.run("note", "acme", "second", "--on", "2026-11-02").exit_code == 0
    assert parsed and max(parsed) < 1000, parsed  # the seam only, not the 2,000 events
    case, problems = real(path, path.read_text())
    assert not problems and [e.text for e in case.history[-2:]] == ["first", "second"]
    assert len(case.history) == 2003


def forge_whole_agenda(folder, old: str, new: str) -> None:
    """Rewrite the kept `today --json` text (to see whether it is what gets printed)."""
    import marshal

    for kept in folder.glob("today-*.marshal"):
        stamp, entries = marshal.loads(kept.read_bytes())
        signature, text, trouble = entries["agenda"]
        entries["agenda"] = (signature, text.replace(old, new), trouble)
        kept.write_bytes(marshal.dumps((stamp, entries)))


def test_a_warm_today_json_is_the_last_text_only_while_no_case_file_changed(ledger, monkeypatch):
    from pathlib import Path

    from receivables_cli.store import cache

    monkeypatch.setattr(cache, "RACY_SECONDS", 0)  # the files of a test are seconds old
    folder = Path(os.environ["DUN_CACHE_DIR"])
    path = ledger.case("acme", ACME)
    (ledger.root / "cases" / "broken.yaml").write_text("customer: [\n")

    def agenda():
        result = ledger.run("today", "--json", "--on", "2026-11-24")
        assert result.exit_code == 1 and "broken.yaml:" in result.stderr  # the problem, every time
        return json.loads(result.stdout)

    first = agenda()
    assert first and first[0]["customer"] == "ACME GmbH"
    forge_whole_agenda(folder, "ACME GmbH", "FORGED GmbH")
    assert agenda()[0]["customer"] == "FORGED GmbH"  # nothing changed: the kept text is the answer
    path.write_text(path.read_text().replace("1190.00", "1290.00"))  # same size, in place
    changed = agenda()
    assert changed[0]["customer"] == "ACME GmbH" and changed[0]["open"] == "1290.00"
    forge_whole_agenda(folder, "ACME GmbH", "FORGED GmbH")
    ledger.case("zeta", ACME)  # a new file
    assert [i["customer"] for i in agenda()].count("ACME GmbH") == 2 * len(changed)
    forge_whole_agenda(folder, "ACME GmbH", "FORGED GmbH")
    (ledger.root / "cases" / "zeta.yaml").unlink()  # a file gone
    assert agenda() == changed


def test_a_whole_agenda_is_not_kept_while_a_case_file_is_young(ledger):
    from pathlib import Path

    ledger.case("acme", ACME)
    assert ledger.run("today", "--json", "--on", "2026-11-24").exit_code == 0
    assert not list(Path(os.environ["DUN_CACHE_DIR"]).glob("today-*.marshal"))


def test_appends_to_a_big_cached_case_with_and_without_its_state_read_back_exactly(ledger):
    """A note takes the cached record as it is; a payment rebuilds the case from it (its guard
    needs the open amount); a record of the wrong shape is parsed from the text instead."""
    import marshal
    from pathlib import Path

    from receivables_cli.store import cache
    from receivables_cli.store.ledger import parse_case

    notes = "".join(f"  - at: 2026-10-{1 + i % 28:02d} 09:{i % 60:02d}\n    event: note\n    text: call {i}\n"
                    for i in range(2000))
    path = ledger.case("acme", ACME + notes)
    os.utime(path, (OLD, OLD))
    assert ledger.run("note", "acme", "first", "--on", "2026-11-02").exit_code == 0
    assert ledger.run("pay", "acme", "100", "--on", "2026-11-02").exit_code == 0
    assert ledger.run("pay", "acme", "5000", "--on", "2026-11-02").exit_code == 1  # the guard saw the state
    for kept in Path(os.environ["DUN_CACHE_DIR"]).glob("cases-*.marshal"):
        stamp, entries = marshal.loads(kept.read_bytes())
        key, data, (plain, problems) = entries["acme.yaml"]
        plain = (*plain[:3], (*plain[3][:-1], {"event": "note", "at": "not a moment"}))
        entries["acme.yaml"] = (key, data, (plain, problems))
        kept.write_bytes(marshal.dumps((stamp, entries)))
    assert ledger.run("note", "acme", "after the forgery", "--on", "2026-11-02").exit_code == 0
    text = path.read_text()
    case, problems = parse_case(path, text)
    assert not problems and [e.text or e.event for e in case.history[-3:]] == ["first", "payment", "after the forgery"]
    assert cache.ParseCache(ledger.root).get_content(path, text.encode()) == (case, [])


def test_a_named_pipe_in_the_cache_folder_is_passed_over_never_waited_for(ledger, tmp_path):
    """A FIFO where a cache file belongs (settings, parse cache, front matter) is not read: no hang,
    with the cache or without it."""
    from pathlib import Path

    ledger.case("acme", ACME)
    folder = Path(os.environ["DUN_CACHE_DIR"])
    assert ledger.run("today").exit_code == 0
    for kind in ("settings", "cases", "front-matter"):
        for path in folder.glob(f"{kind}-*.marshal"):
            path.unlink()
    names = {p.name.split("-", 1)[1] for p in folder.glob("today-*.marshal")} or {"x.marshal"}
    for kind in ("settings", "cases"):
        for name in names:
            os.mkfifo(folder / f"{kind}-{name}", 0o600)
    from receivables_cli.store.cache import _cache_file

    os.mkfifo(_cache_file("front-matter", Path("/")), 0o600)
    for args in (["show", "acme"], ["--no-cache", "show", "acme"], ["letter", "acme", "reminder"]):
        done = _dun(ledger, *args)
        assert "RE-2026-017" in done.stdout, (args, done.stderr)


def test_a_cache_path_that_is_a_file_is_named_as_such(ledger, tmp_path, monkeypatch):
    ledger.case("acme", ACME)
    plain = tmp_path / "not-a-folder"
    plain.write_text("x")
    monkeypatch.setenv("DUN_CACHE_DIR", str(plain))
    done = ledger.run("list")
    assert done.exit_code == 0 and "it is not a folder" in done.stderr and "writable by others" not in done.stderr


def test_a_kept_front_matter_of_another_shape_is_read_again(ledger):
    """An entry the letter cannot use (a hand-edited cache) sends the template to the YAML reader."""
    import marshal
    from pathlib import Path

    ledger.case("acme", ACME)
    (ledger.root / "dun.yaml").write_text("creditor: {name: Studio Nord, iban: DE02120300000000202051}\n"
                                          "language: en\n", encoding="utf-8")
    first = _dun(ledger, "letter", "acme", "reminder")  # a process of its own: the entry is kept at its end
    assert first.returncode == 0, first.stderr
    kept = next(Path(os.environ["DUN_CACHE_DIR"]).glob("front-matter-*.marshal"))
    stamp, entries = marshal.loads(kept.read_bytes())
    for bad in (5, ("x",), ("Subject", None), ("Subject", "ab"), ("Subject", ("not a name",))):
        kept.write_bytes(marshal.dumps((stamp, dict.fromkeys(entries, bad))))
        again = _dun(ledger, "letter", "acme", "reminder")
        assert again.returncode == 0 and again.stdout == first.stdout, (bad, again.stderr)


def _dun(ledger, *args: str):
    import subprocess
    import sys

    env = {**os.environ, "DUN_LEDGER": str(ledger.root), "DUN_TODAY": "2026-11-22"}
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env, capture_output=True, text=True,
                          timeout=60)
