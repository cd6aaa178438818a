"""Letters sent twice: `dun work` racing `outbox --send`, mail commands that hang or fork, two senders at once."""

from __future__ import annotations

import json
import time

import pytest

from tests.sendkit import ON, Mailer, dun, five_letters, letters, markers, public, spawn_work, start_dun


@pytest.fixture
def mailer(tmp_path):
    found = Mailer(tmp_path)
    yield found
    found.stop_children()


@pytest.fixture
def book(ledger):
    return five_letters(ledger)


def test_work_answering_send_after_outbox_sent_the_letter_sends_nothing(ledger, mailer):
    """While `work` showed the letter, `outbox --send` sent it; answering 'send' sent and recorded it again."""
    import pexpect

    ledger.case("amt", public("amt"))
    ledger.config(f'mail:\n  command: "{mailer.command}"\n')
    child = spawn_work(ledger)
    child.expect(r"\(s\) send by e-mail")
    other = dun(ledger, "outbox", "--send")
    assert other.returncode == 0, other.stderr
    child.sendline("s")
    child.expect("recorded as sent on 2026-10-19 already")
    child.expect("done: 0 answers recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert mailer.ids() == ["amt.reminder.20261019@example.org"]
    assert letters(ledger, "amt") == 1


def test_a_mail_command_that_hands_the_letter_on_then_hangs_is_never_sent_again(ledger, mailer):
    """dun cleared its marker after the timeout, recorded nothing, and the next run sent the letter again;
    the hanging mail command kept running."""
    ledger.case("amt", public("amt"))
    ledger.case("bau", public("bau"))
    mailer.set("hang")
    start = time.monotonic()
    first = dun(ledger, "outbox", "--send", "--json", "--command", mailer.command, DUN_SEND_TIMEOUT="2")
    assert time.monotonic() - start < 20
    assert first.returncode == 1
    rows = json.loads(first.stdout)
    assert [r["status"] for r in rows] == ["unconfirmed", "failed"]  # after a letter in doubt nothing more goes
    assert "did not finish within 2 s" in rows[0]["error"] and "dun sent amt reminder" in rows[0]["error"]
    assert mailer.left_running() == []  # its process group was killed
    assert markers(ledger) == ["amt--reminder--20261019.json"] and letters(ledger, "amt") == 0
    mailer.set("deliver")
    again = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert again.returncode == 1 and "dun sent amt reminder --at 2026-10-19" in again.stderr
    assert mailer.ids() == ["amt.reminder.20261019@example.org"]
    # the user looked in the sent mail and records it; then the rest goes out
    assert ledger.run("sent", "amt", "reminder", on=ON).exit_code == 0
    rest = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert rest.returncode == 0, rest.stderr
    assert mailer.ids() == ["amt.reminder.20261019@example.org", "bau.reminder.20261019@example.org"]
    assert markers(ledger) == []


def test_a_mail_command_that_exits_but_leaves_a_child_holding_its_output_is_sent_and_recorded_once(ledger, mailer):
    """A child of the mail command kept its pipes open: dun waited the full timeout and recorded nothing."""
    ledger.case("amt", public("amt"))
    mailer.set("fork")
    start = time.monotonic()
    result = dun(ledger, "outbox", "--send", "--command", mailer.command, timeout=60)
    assert time.monotonic() - start < 15
    assert result.returncode == 0, result.stderr
    assert letters(ledger, "amt") == 1 and mailer.ids() == ["amt.reminder.20261019@example.org"]
    assert markers(ledger) == []


def test_a_mail_command_killed_by_a_signal_leaves_the_letter_in_doubt(ledger, mailer):
    ledger.case("amt", public("amt"))
    mailer.set("deliver-die")
    result = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert result.returncode == 1 and "killed (signal 9)" in result.stdout
    assert markers(ledger) == ["amt--reminder--20261019.json"] and letters(ledger, "amt") == 0


def test_a_mail_command_that_says_no_is_a_plain_failure_sent_again_later(ledger, mailer):
    ledger.case("amt", public("amt"))
    mailer.set("fail")
    result = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert result.returncode == 1 and "451 try again later" in result.stdout
    assert markers(ledger) == []
    mailer.set("deliver")
    assert dun(ledger, "outbox", "--send", "--command", mailer.command).returncode == 0
    assert mailer.ids() == ["amt.reminder.20261019@example.org"] and letters(ledger, "amt") == 1


def test_two_outbox_sends_at_once_send_and_record_each_letter_once(book, mailer):
    """Both runs sent and recorded all five letters, or one said 'an earlier run stopped', or crashed on
    outbox-pending.tmp."""
    mailer.set("slow")
    runs = [start_dun(book, "outbox", "--send", "--command", mailer.command) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "earlier" not in err and "Traceback" not in err
    assert sorted(mailer.ids()) == sorted(f"{n}.reminder.20261019@example.org" for n in
                                          ("amt", "bau", "forst", "hafen", "zoll"))
    assert all(letters(book, n) == 1 for n in ("amt", "bau", "forst", "hafen", "zoll"))
    assert sum(out.count("skipped") for out, _ in outputs) == 5  # what the other run had sent
    assert markers(book) == []


def test_a_run_waiting_for_the_lock_leaves_the_sending_runs_marker_alone(ledger, mailer, tmp_path):
    """One run's cleanup deleted the marker of the run still sending."""
    ledger.case("amt", public("amt"))
    seen = tmp_path / "seen"
    script = tmp_path / "look-later.py"
    script.write_text(
        "import pathlib, sys, time\nsys.stdin.read()\ntime.sleep(2)\n"
        f"m = sorted(p.name for p in pathlib.Path({str(ledger.root / '.dun' / 'sending')!r}).glob('*.json'))\n"
        f"pathlib.Path({str(seen)!r}).write_text(' '.join(m))\n")
    import sys

    first = start_dun(ledger, "outbox", "--send", "--command", f"{sys.executable} {script}")
    time.sleep(1)
    second = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert first.wait(timeout=60) == 0
    assert second.returncode == 0, second.stderr
    assert "another dun is sending" in second.stderr and "earlier" not in second.stderr
    assert seen.read_text() == "amt--reminder--20261019.json"
    assert letters(ledger, "amt") == 1 and mailer.ids() == []


def test_sent_refuses_the_same_letter_twice_on_a_day_unless_forced(ledger):
    ledger.case("amt", public("amt"))
    assert ledger.run("sent", "amt", "reminder", on=ON).exit_code == 0
    again = ledger.run("sent", "amt", "reminder", on=ON)
    assert again.exit_code == 1
    assert "a reminder letter is recorded on 2026-10-19 already" in again.stderr and "--force" in again.stderr
    assert letters(ledger, "amt") == 1
    assert ledger.run("sent", "amt", "reminder", on="2026-10-20").exit_code == 0  # another day: another letter
    assert ledger.run("sent", "amt", "reminder", "--force", "--at", ON, on="2026-10-20").exit_code == 0
    assert letters(ledger, "amt") == 3


def test_a_marker_of_0_3_is_still_honoured(ledger, mailer):
    ledger.case("amt", public("amt"))
    old = ledger.root / ".dun" / "outbox-pending"
    old.parent.mkdir()
    old.write_text(json.dumps({"case": "amt", "template": "reminder", "day": ON}))
    result = dun(ledger, "outbox", "--send", "--command", mailer.command)
    assert result.returncode == 1 and "remove .dun/outbox-pending" in result.stderr
    assert mailer.ids() == []


def test_outbox_dir_refuses_the_ledgers_private_folder(ledger):
    """`outbox --dir .dun` was accepted."""
    ledger.case("amt", public("amt"))
    (ledger.root / ".dun").mkdir()
    for folder in (".dun", ".dun/x", "letters", ".git"):
        result = ledger.run("outbox", "--dir", str(ledger.root / folder), on=ON)
        assert result.exit_code == 1 and "ledger's own folders" in result.stderr, folder
    assert not (ledger.root / ".dun" / "x").exists()
