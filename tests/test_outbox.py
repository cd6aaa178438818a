"""`dun outbox`: dry run, --dir, --send through a real mail command, exactly once, letters for print."""

from __future__ import annotations

import email
import email.policy
import json
import sys
import textwrap

import pytest

ON = "2026-10-19"  # a public customer's reminder is due (T + 3, a working day)


def public(name: str, email_line: str = "") -> str:
    return f"""
customer:
  name: {name}
  kind: public
  contact: Erika Muster
{email_line}
history:
  - at: 2026-10-01
    event: invoice
    number: RE-{name[:3].upper()}
    amount: 1190.00
    due: 2026-10-15
"""


@pytest.fixture
def book(ledger):
    ledger.case("amt", public("Amt", "  email: post@amt.example"))
    ledger.case("bau", public("Bauamt", "  email: info@bau.example"))
    return ledger


@pytest.fixture
def mailer(tmp_path):
    """A real mail command: appends its stdin to a file; fails for the recipients named in FAIL_FOR."""
    box, fails = tmp_path / "mailbox", tmp_path / "fail-for"
    fails.write_text("")
    script = tmp_path / "fake-msmtp.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        message = sys.stdin.read()
        if any(who and who in message for who in open({str(fails)!r}).read().split()):
            print("550 mailbox unavailable", file=sys.stderr)
            sys.exit(1)
        with open({str(box)!r}, "a") as f:
            f.write(message + "\\n=====\\n")
    """))

    class Mailer:
        command = f"{sys.executable} {script}"

        def fail_for(self, *who):
            fails.write_text(" ".join(who))

        def messages(self):
            text = box.read_text() if box.exists() else ""
            return [email.message_from_string(m, policy=email.policy.default) for m in text.split("\n=====\n")
                    if m.strip()]

    return Mailer()


def letters(ledger, case):
    return ledger.text(case).count("event: letter")


def test_dry_run_lists_what_would_go_out_and_writes_nothing(book):
    before = book.snapshot()
    result = book.run("outbox", on=ON)
    assert result.exit_code == 0, result.stderr
    assert "amt" in result.stdout and "bau" in result.stdout and "reminder" in result.stdout
    assert "dry run" in result.stdout
    assert book.snapshot() == before


def test_nothing_due_says_so(book):
    result = book.run("outbox", on="2026-10-05")
    assert result.exit_code == 0 and result.stdout.strip() == "nothing due today"


def test_send_sends_each_due_letter_once_and_records_it(book, mailer):
    result = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert result.exit_code == 0, result.stderr
    sent = mailer.messages()
    assert sorted(m["To"].addresses[0].addr_spec for m in sent) == ["info@bau.example", "post@amt.example"]
    assert book.text("amt").endswith("  - at: 2026-10-19\n    event: letter\n    template: reminder\n")
    assert letters(book, "bau") == 1
    assert {m["Message-ID"] for m in sent} == {"<amt.reminder.20261019@example.org>",
                                                "<bau.reminder.20261019@example.org>"}
    again = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert again.exit_code == 0 and again.stdout.strip() == "nothing due today"
    assert len(mailer.messages()) == 2
    assert not list((book.root / ".dun" / "sending").glob("*.json"))


def test_a_failing_send_records_nothing_for_that_letter_and_a_rerun_sends_only_the_rest(book, mailer):
    mailer.fail_for("info@bau.example")
    result = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert result.exit_code == 1
    assert "550 mailbox unavailable" in result.stdout
    assert letters(book, "amt") == 1 and letters(book, "bau") == 0
    assert len(mailer.messages()) == 1
    mailer.fail_for()
    rerun = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert rerun.exit_code == 0, rerun.stderr
    got = mailer.messages()
    assert [m["To"].addresses[0].addr_spec for m in got] == ["post@amt.example", "info@bau.example"]
    assert letters(book, "amt") == 1 and letters(book, "bau") == 1


def test_the_mail_command_comes_from_dun_yaml(book, mailer):
    book.config(f'mail:\n  command: "{mailer.command}"\n')
    assert book.run("outbox", "--send", on=ON).exit_code == 0
    assert len(mailer.messages()) == 2


def test_send_without_a_mail_command_is_refused(book):
    result = book.run("outbox", "--send", on=ON)
    assert result.exit_code == 1 and "mail: {command:" in result.stderr
    assert letters(book, "amt") == 0


def test_a_missing_mail_program_fails_each_letter_and_records_none(book):
    result = book.run("outbox", "--send", "--command", "/nonexistent/msmtp -t", on=ON)
    assert result.exit_code == 1 and "not found" in result.stdout
    assert letters(book, "amt") == 0 and letters(book, "bau") == 0


def test_a_send_interrupted_before_recording_is_detected_on_the_next_run(book, mailer):
    marker = book.root / ".dun" / "outbox-pending"
    marker.parent.mkdir()
    marker.write_text(json.dumps({"case": "amt", "template": "reminder", "day": ON}))
    result = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert result.exit_code == 1
    assert "dun sent amt reminder" in result.stderr and "sent mail" in result.stderr
    assert mailer.messages() == [] and letters(book, "amt") == 0
    # the user looked: it went out, so they record it; the marker is then reconciled by itself
    assert book.run("sent", "amt", "reminder", on=ON).exit_code == 0
    rerun = book.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert rerun.exit_code == 0, rerun.stderr
    assert [m["To"].addresses[0].addr_spec for m in mailer.messages()] == ["info@bau.example"]
    assert not marker.exists()


def test_the_marker_names_the_letter_while_the_mail_command_runs(book, tmp_path):
    seen = tmp_path / "seen"
    script = tmp_path / "peek.py"
    script.write_text(f"import sys, pathlib\nsys.stdin.read()\n"
                      f"p = pathlib.Path({str(book.root / '.dun' / 'sending')!r})\n"
                      f"open({str(seen)!r}, 'a').write(''.join(m.read_text() for m in p.glob('*.json')))\n")
    assert book.run("outbox", "--send", "--command", f"{sys.executable} {script}", on=ON).exit_code == 0
    assert seen.read_text().count('"template": "reminder"') == 2


def test_dir_writes_eml_files_and_removes_its_earlier_ones(book, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old-case--dunning.eml").write_text("yesterday's letter")
    result = book.run("outbox", "--dir", str(out), on=ON)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["amt--reminder.eml", "bau--reminder.eml"]
    assert letters(book, "amt") == 0
    empty = book.run("outbox", "--dir", str(out), on="2026-10-05")
    assert empty.exit_code == 0 and list(out.iterdir()) == []


def test_dir_refuses_a_folder_holding_anything_else(book, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    (out / "old-case--dunning.eml").write_text("yesterday's letter")
    result = book.run("outbox", "--dir", str(out), on=ON)
    assert result.exit_code == 1 and "thesis.docx" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["old-case--dunning.eml", "thesis.docx"]


def test_dir_refuses_the_cases_folder(book):
    result = book.run("outbox", "--dir", str(book.root / "cases"), on=ON)
    assert result.exit_code == 1 and "ledger's own folders" in result.stderr
    assert sorted(p.name for p in (book.root / "cases").iterdir()) == ["amt.yaml", "bau.yaml"]


POSTAL = "  address: |\n    {name}\n    Amtsweg 1\n    10115 Berlin"


def test_letters_without_an_email_or_for_post_are_printed_as_pdf_and_not_recorded(ledger, mailer):
    from pypdf import PdfReader

    ledger.case("amt", public("Amt", "  email: post@amt.example"))
    ledger.case("ohne", public("Ohne", POSTAL.format(name="Ohne Mail GmbH")))
    ledger.case("post", public("Post", "  email: x@post.example\n  channel: post\n" + POSTAL.format(name="Post AG")))
    result = ledger.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert result.exit_code == 0, result.stderr
    assert [m["To"].addresses[0].addr_spec for m in mailer.messages()] == ["post@amt.example"]
    printed = sorted(p.name for p in (ledger.root / "print").iterdir())
    assert printed == ["ohne--reminder.pdf", "post--reminder.pdf"]
    page = PdfReader(ledger.root / "print" / "ohne--reminder.pdf").pages[0]
    assert "Ohne Mail GmbH" in page.extract_text() and "Amtsweg 1" in page.extract_text()
    assert "no e-mail address" in result.stdout and "customer channel: post" in result.stdout
    assert letters(ledger, "ohne") == 0 and letters(ledger, "post") == 0 and letters(ledger, "amt") == 1
    assert "dun sent CASE TEMPLATE" in result.stdout


def test_a_letter_for_print_without_a_postal_address_is_a_problem(ledger, mailer):
    ledger.case("amt", public("Amt", "  email: post@amt.example"))
    ledger.case("ohne", public("Ohne"))
    result = ledger.run("outbox", "--send", "--command", mailer.command, on=ON)
    assert result.exit_code == 1
    assert "no postal address" in result.stdout
    assert letters(ledger, "amt") == 1 and letters(ledger, "ohne") == 0
    assert not (ledger.root / "print").exists()


def test_a_template_can_choose_post(book, mailer):
    path = book.root / "letters" / "de" / "reminder.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nsubject: Erinnerung\nchannel: post\n---\nBitte zahlen Sie {{ open | money }}.\n")
    result = book.run("outbox", "--json", on=ON)
    assert {r["route"] for r in json.loads(result.stdout)} == {"print"}


def test_json_lists_each_letter(book, mailer):
    result = book.run("outbox", "--send", "--json", "--command", mailer.command, on=ON)
    rows = json.loads(result.stdout)
    assert [(r["case"], r["template"], r["route"], r["status"]) for r in rows] == [
        ("amt", "reminder", "mail", "sent"), ("bau", "reminder", "mail", "sent")]


def test_commit_is_an_option_of_outbox(book, mailer, monkeypatch):
    import subprocess

    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "t")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")

    def git(*args):
        return subprocess.run(["git", "-C", str(book.root), *args], capture_output=True, text=True, check=True)

    git("init", "-q")
    git("add", "cases")
    git("commit", "-q", "-m", "start")
    # an edit in the middle (entries only appended since the last commit would go with the next commit)
    (book.root / "cases" / "bau.yaml").write_text(book.text("bau").replace("history:", "# edited\nhistory:"))
    result = book.run("outbox", "--send", "--commit", "--command", mailer.command, on=ON)
    assert result.exit_code == 1
    assert "not committed yet" in result.stdout and "nothing was sent" in result.stdout
    assert git("log", "--format=%s").stdout.splitlines()[:2] == ["amt: letter reminder", "start"]
    assert [m["To"].addresses[0].addr_spec for m in mailer.messages()] == ["post@amt.example"]


def test_record_is_refused_with_the_way_forward(book, tmp_path):
    result = book.run("outbox", "--dir", str(tmp_path / "o"), "--record", on=ON)
    assert result.exit_code == 2 and "--send" in result.stderr
    assert letters(book, "amt") == 0


def test_mail_config_is_checked(ledger):
    ledger.config('mail:\n  comand: "msmtp -t"\n')
    result = ledger.run("check")
    assert result.exit_code == 1 and "dun.yaml:" in result.output and "command" in result.output


def test_a_kill_between_sending_and_recording_never_sends_twice(book, tmp_path):
    """The mail command hands the letter over, then dun is killed before it can record it."""
    import os
    import subprocess

    box = tmp_path / "mailbox"
    script = tmp_path / "deliver-then-kill-dun.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, sys
        open({str(box)!r}, "a").write(sys.stdin.read() + "\\n=====\\n")
        os.kill(os.getppid(), signal.SIGKILL)
    """))
    env = {**os.environ, "DUN_LEDGER": str(book.root), "DUN_TODAY": ON}
    argv = [sys.executable, "-m", "receivables_cli", "outbox", "--send", "--command", f"{sys.executable} {script}"]
    killed = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9
    assert box.read_text().count("\n=====\n") == 1 and letters(book, "amt") == 0
    assert json.loads((book.root / ".dun" / "sending" / "amt--reminder--20261019.json").read_text())["case"] == "amt"
    rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 1 and "dun sent amt reminder" in rerun.stderr
    assert box.read_text().count("\n=====\n") == 1  # the letter that may have gone out was not sent again


def test_outbox_says_when_the_bank_statement_is_old(book):
    book.config("bank:\n  stale_days: 3\n")
    result = book.run("outbox", on=ON)
    assert result.exit_code == 0, result.stderr
    assert "No bank statement imported yet" in result.stderr
    assert "amt" in result.stdout
