"""Files dun writes and reads that are not files: devices, named pipes and links to /dev/zero."""

from __future__ import annotations

import os
import stat
import sys
import textwrap
import time

import pytest

from tests.conftest import ACME
from tests.sendkit import dun
from tests.test_legal import ACME as OVERDUE

FAST = 20  # seconds: what hung for ever, or read gigabytes, must end well within this


def max_rss_mb(ledger, *args: str) -> tuple[int, float, str]:
    """Run dun in a child process; its exit code, its peak memory in MB and its stderr."""
    import json
    import subprocess

    probe = textwrap.dedent(f"""
        import json, os, resource, subprocess, sys
        env = dict(os.environ, DUN_LEDGER={str(ledger.root)!r}, DUN_TODAY="2026-11-22")
        try:
            done = subprocess.run([sys.executable, "-m", "receivables_cli", *{list(args)!r}], env=env,
                                  capture_output=True, text=True, timeout={FAST})
            code, err = done.returncode, done.stderr
        except subprocess.TimeoutExpired:
            code, err = "timeout", ""
        print(json.dumps([code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, err]))
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=FAST + 30)
    return tuple(json.loads(out.stdout))


@pytest.fixture
def acme(ledger):
    ledger.case("acme", ACME)
    (ledger.root / ".dun").mkdir()
    return ledger


@pytest.mark.parametrize("command", [("today",), ("import", "bank", "--record", "STATEMENT"), ("undo", "acme"),
                                     ("outbox",)])
@pytest.mark.parametrize("planted", ["zero", "fifo"])
def test_a_planted_import_log_neither_hangs_nor_fills_the_memory(acme, tmp_path, command, planted):
    """A link to /dev/zero at .dun/bank-imports took `today` to 2.9 GB; a FIFO there hung it."""
    log = acme.root / ".dun" / "bank-imports"
    log.symlink_to("/dev/zero") if planted == "zero" else os.mkfifo(log)
    statement = tmp_path / "s.csv"
    statement.write_text("Buchungstag;Betrag\n", encoding="utf-8")
    acme.run("note", "acme", "something to undo")
    code, rss, err = max_rss_mb(acme, *[str(statement) if a == "STATEMENT" else a for a in command])
    assert code != "timeout" and rss < 300, (code, rss)
    assert "Traceback" not in err


def test_rates_import_of_dev_zero_or_a_pipe_is_refused_unread(ledger, tmp_path):
    """`rates import /dev/zero` reached 3.3 GB."""
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    for source in ("/dev/zero", str(pipe)):
        code, rss, err = max_rss_mb(ledger, "rates", "import", source)
        assert code == 1 and rss < 200, (code, rss)
        assert "not a file" in err and not (ledger.root / "rates.csv").exists()


def test_an_undo_record_that_is_a_pipe_is_no_undo_record(acme):
    acme.run("note", "acme", "something to undo")
    journal = acme.root / ".dun" / "undo" / "acme.json"
    journal.unlink()
    os.mkfifo(journal)
    result = dun(acme, "undo", "acme", timeout=FAST)
    assert result.returncode == 1 and "nothing to undo" in result.stderr
    assert "something to undo" in acme.text("acme")


def test_an_append_to_a_case_file_that_became_a_pipe_is_refused(acme):
    """A pipe swapped in for the case file after dun looked: the append must not wait on it for ever."""
    import subprocess

    path = acme.root / "cases" / "acme.yaml"
    path.unlink()
    os.mkfifo(path)
    append = ("import datetime, pathlib, sys\nfrom receivables_cli.store.append import append_event\n"
              "from receivables_cli.domain.errors import DunError\n"
              "try:\n    append_event(pathlib.Path(sys.argv[1]), {'at': datetime.date(2026, 11, 1), 'event': 'note'})\n"
              "except DunError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", append, str(path)], capture_output=True, text=True, timeout=FAST)
    assert "a named pipe, not a file" in done.stdout, done.stderr


# `dun legal --prepare --csv PATH`

@pytest.fixture
def overdue(ledger):
    ledger.case("acme", OVERDUE)
    return ledger


def test_csv_never_replaces_a_named_pipe(overdue, tmp_path):
    pipe = tmp_path / "handover.csv"
    os.mkfifo(pipe)
    result = dun(overdue, "legal", "acme", "--prepare", "--csv", str(pipe), "--force", timeout=FAST)
    assert result.returncode == 1 and "a named pipe, not a file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_csv_never_replaces_a_device(overdue, tmp_path):
    """As root, `--csv /dev/full` replaced the real device node with a regular file."""
    device = tmp_path / "full"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a /dev/full of our own
    result = overdue.run("legal", "acme", "--prepare", "--csv", str(device), "--force")
    assert result.exit_code == 1 and "a device, not a file" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_csv_does_not_overwrite_a_file_without_force(overdue, tmp_path):
    target = tmp_path / "thesis.csv"
    target.write_text("my thesis data\n", encoding="utf-8")
    result = overdue.run("legal", "acme", "--prepare", "--csv", str(target))
    assert result.exit_code == 1 and "exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "my thesis data\n"
    forced = overdue.run("legal", "acme", "--prepare", "--csv", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("debtor") or "RE-" in target.read_text(encoding="utf-8")


def test_csv_through_a_link_writes_the_file_and_keeps_the_link(overdue, tmp_path):
    real = tmp_path / "shared" / "handover.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "handover.csv"
    link.symlink_to(real)
    assert overdue.run("legal", "acme", "--prepare", "--csv", str(link), "--force").exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") != "old\n"


# `dun edit`

@pytest.fixture
def editor(tmp_path):
    """A real $EDITOR doing what the test says to the file it is given."""

    def use(body: str) -> dict:
        script = tmp_path / "editor.py"
        script.write_text("import os, sys\npath = sys.argv[1]\n" + textwrap.dedent(body))
        return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}

    return use


def test_edit_does_not_hang_when_the_editor_leaves_a_pipe(acme, editor):
    """`dun edit` hung when the editor left a FIFO where the copy was."""
    env = editor("os.unlink(path)\nos.mkfifo(path)\n")
    start = time.monotonic()
    result = dun(acme, "edit", "acme", timeout=FAST, **env)
    assert time.monotonic() - start < FAST
    assert result.returncode == 1 and "a named pipe, not a file" in result.stderr
    assert acme.text("acme") == ACME.lstrip("\n")


def test_edit_refuses_a_result_larger_than_a_case_file_can_be(acme, editor):
    """The editor saved a 6 MB file that every command then refused."""
    env = editor("""
        with open(path, "a") as f:
            f.write("".join(f"  - at: 2026-11-01\\n    event: note\\n    text: line {i}\\n" for i in range(150_000)))
    """)
    result = dun(acme, "edit", "acme", timeout=FAST + 40, **env)
    assert result.returncode == 1 and "more than a case file can be" in result.stderr
    assert acme.text("acme") == ACME.lstrip("\n")


def test_edit_refuses_a_new_text_longer_than_dun_keeps(acme, editor):
    env = editor("""
        with open(path, "a") as f:
            f.write("  - at: 2026-11-01\\n    event: note\\n    text: " + "x" * 20_000 + "\\n")
    """)
    result = dun(acme, "edit", "acme", timeout=FAST, **env)
    assert result.returncode == 1 and "text is 20,000 characters long, more than dun keeps (10,000)" in result.stderr
    assert acme.text("acme") == ACME.lstrip("\n")


@pytest.mark.parametrize("planted", ["zero", "fifo"])
def test_an_import_over_a_planted_log_records_and_writes_a_real_log(ledger, tmp_path, planted):
    from tests.test_attack_bank import camt, ntry
    from tests.test_import_bank import write_cases

    write_cases(ledger)
    (ledger.root / ".dun").mkdir()
    log = ledger.root / ".dun" / "bank-imports"
    log.symlink_to("/dev/zero") if planted == "zero" else os.mkfifo(log)
    statement = tmp_path / "s.xml"
    statement.write_text(camt(ntry("1190.00")), encoding="utf-8")
    result = dun(ledger, "import", "bank", str(statement), "--record", timeout=FAST, DUN_TODAY="2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "event: payment" in ledger.text("acme-2026-017")
    assert stat.S_ISREG(os.lstat(log).st_mode) and "s.xml" in log.read_text(encoding="utf-8")
