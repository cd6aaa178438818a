"""`dun import mail` on a Maildir, an mbox, .eml files and a real IMAP server (dovecot), with hostile mail."""

from __future__ import annotations

import json
import mailbox
import os
import shutil
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.mail_samples import CASES, samples, write_maildir, write_mbox

TODAY = "2026-12-05"
KEYS = ["source", "message_id", "from", "subject", "date", "case", "kind", "status", "why", "summary", "paid_on",
        "promise", "until"]


@pytest.fixture
def book(ledger):
    for case_id, text in CASES.items():
        ledger.case(case_id, text)
    return ledger


def run_json(book, *args) -> dict:
    result = book.run("import", "mail", *args, "--json", on=TODAY)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def by_id(found: dict) -> dict:
    return {m["message_id"]: m for m in found["messages"]}


def _message_id(data: bytes) -> str:
    from receivables_cli.imports.mailtext import read_message

    return read_message("x", data).message_id


def assert_each_lands_right(found: dict, dry: bool = True) -> None:
    messages = by_id(found)
    for sample in samples():
        got = messages[_message_id(sample.data)]
        status = sample.status if dry or sample.status != "matched" else "recorded"
        assert (got["case"], got["kind"], got["status"]) == (sample.case, sample.kind, status), (sample.name, got)


def test_maildir_dry_run_puts_each_message_on_its_case_with_its_kind_and_writes_nothing(book, tmp_path):
    folder = write_maildir(tmp_path / "Maildir", samples())
    before = book.snapshot()
    found = run_json(book, str(folder))
    assert_each_lands_right(found)
    assert found["recorded"] == 0 and book.snapshot() == before
    assert all(list(m) == KEYS for m in found["messages"])


def test_mbox_record_then_a_second_import_records_nothing(book, tmp_path):
    box = write_mbox(tmp_path / "replies.mbox", samples())
    found = run_json(book, str(box), "--record")
    assert_each_lands_right(found, dry=False)
    assert found["recorded"] == sum(s.status == "matched" for s in samples())
    assert "kind: paid" in book.text("acme-2026-017") and "paid_on: 2026-12-03" in book.text("acme-2026-017")
    assert "promise: {amount: 450.00, by: 2026-12-15}" in book.text("cafe-2026-030")
    assert "until: 2026-12-14" in book.text("dorn-2026-040")
    for case_id in CASES:  # the kind is a suggestion: no payment, promise or dispute is recorded from a reply
        assert not any(f"event: {e}\n" in book.text(case_id) for e in ("payment", "promise", "dispute", "agreement"))
    assert book.run("check", on=TODAY).exit_code == 0
    after = book.snapshot()
    again = run_json(book, str(box), "--record")
    assert again["recorded"] == 0 and book.snapshot() == after
    assert {m["status"] for m in again["messages"]} == {"recorded before", "doubtful", "unmatched", "skipped"}


def test_the_summary_is_the_new_text_without_quote_and_signature(book, tmp_path):
    box = write_mbox(tmp_path / "replies.mbox", samples())
    messages = by_id(run_json(book, str(box)))
    assert messages["m1@acme.example"]["summary"] == ("Guten Tag Frau Beispiel, wir haben die Rechnung bereits am "
                                                      "3. Dezember überwiesen.")
    assert messages["m2@bolt.example"]["summary"] == "Hi Anna, we already paid this on 1 December 2026, please check."
    assert messages["m15@acme.example"]["summary"] == "Wer ist bei Ihnen für die Rechnung zuständig?"  # HTML only
    assert messages["m12@elm.example"]["summary"].startswith("From now on")  # mbox's '>From ' is the sender's


def test_a_forged_reference_to_another_customers_letter_is_doubtful_and_never_recorded(book, tmp_path):
    forged = next(s for s in samples() if s.name == "forged_reference")
    path = tmp_path / "forged.eml"
    path.write_bytes(forged.data)
    found = run_json(book, str(path), "--record")
    (message,) = found["messages"]
    assert message["status"] == "doubtful" and "acme-2026-017" in message["why"] and "bolt-2026-021" in message["why"]
    assert "reply" not in book.text("acme-2026-017") and "reply" not in book.text("bolt-2026-021")


def test_hostile_mail_gives_a_line_per_message_and_records_nothing_wrongly(book, tmp_path):
    folder = tmp_path / "eml"
    folder.mkdir()
    for i, sample in enumerate(s for s in samples() if s.name in (
            "broken_mime", "unknown_charset", "header_injection", "huge_attachment")):
        (folder / f"{i}.eml").write_bytes(sample.data)
    (folder / "9.eml").write_bytes(b"\x00\xff\xfe not mail at all \x00")
    result = book.run("import", "mail", str(folder), "--record", on=TODAY)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "not an e-mail: no From, Date, Subject or Message-ID header" in result.stdout
    assert "5 messages: 0 matched, 4 recorded" in result.stdout
    text = book.text("elm-2026-050")
    assert 'subject: "hi Bcc: victim@evil.example"' in text and "\nBcc:" not in text
    assert "promise: {amount: 800.00, by: 2026-12-20}" in book.text("bolt-2026-021")
    assert "kind: paid" in book.text("cafe-2026-030")
    assert book.run("check", on=TODAY).exit_code == 0


def test_since_reads_only_newer_messages(book, tmp_path):
    box = write_mbox(tmp_path / "replies.mbox", samples())
    found = run_json(book, str(box), "--since", "2026-12-04")
    dates = [m["date"] for m in found["messages"] if m["date"]]
    assert dates and all(d >= "2026-12-04" for d in dates)
    assert "m1@acme.example" not in by_id(found)


def test_a_missing_source_is_exit_1_with_a_clear_line(book):
    result = book.run("import", "mail", "/nowhere/Maildir", on=TODAY)
    assert result.exit_code == 1 and "/nowhere/Maildir: no such file or folder" in result.stderr
    assert "Traceback" not in result.output


def test_imap_without_settings_says_where_they_go(book):
    result = book.run("import", "mail", "imap", on=TODAY)
    assert result.exit_code == 1 and "mail: {imap:" in result.stderr


def test_imap_settings_are_checked(book):
    book.config("mail: {imap: {host: mail.example, user: anna, tls: maybe, password_command: pass show mail}}\n")
    result = book.run("check")
    assert result.exit_code == 1 and "mail imap tls 'maybe' is not one of tls, starttls, none" in result.output
    book.config("mail: {imap: {host: mail.example, user: anna}}\n")
    assert "mail imap needs password_command" in book.run("check").output


def test_ten_thousand_messages_are_read_in_bounded_memory(book, tmp_path):
    import tracemalloc

    from receivables_cli.store.ledger import Ledger as Book
    from receivables_cli.usecases.mailimport import plan

    path = tmp_path / "big.mbox"
    with open(path, "wb") as f:
        for i in range(10_000):
            f.write(f"From someone@nowhere.example Thu Dec  3 10:00:00 2026\nFrom: person{i}@nowhere.example\n"
                    f"Message-ID: <n{i}@nowhere.example>\nSubject: hello {i}\n\n{'Do you build websites? ' * 20}\n\n"
                    .encode())
    os.environ["DUN_TODAY"] = TODAY
    try:
        tracemalloc.start()
        result = plan(Book(book.root), [str(path)], __import__("datetime").date(2026, 12, 5))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        del os.environ["DUN_TODAY"]
    assert len(result.verdicts) == 10_000 and result.counts()["unmatched"] == 10_000
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_a_progress_bar_shows_on_a_terminal_only(book, tmp_path):
    import pexpect

    path = tmp_path / "many.mbox"
    write_mbox(path, [s for s in samples() for _ in range(3)][:60])
    env = {**os.environ, "DUN_LEDGER": str(book.root), "DUN_TODAY": TODAY}
    child = pexpect.spawn(sys.executable, ["-m", "receivables_cli", "import", "mail", str(path)], env=env,
                          encoding="utf-8", timeout=60)
    child.expect("reading mail")
    child.expect(pexpect.EOF)
    piped = book.run("import", "mail", str(path), on=TODAY)
    assert "reading mail" not in piped.output


# --- a real IMAP server: Debian's dovecot-imapd, on 127.0.0.1 with a throw-away configuration and user ---

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dovecot_conf(root: Path, port: int, tls_port: int = 0) -> str:
    import grp
    import pwd

    if os.getuid() == 0:  # dovecot refuses to give mail access as root: the package's own user
        user = pwd.getpwnam("dovecot")
        uid, gid = user.pw_uid, user.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    for folder in (root / "home", root / "home" / "anna"):
        folder.mkdir(exist_ok=True)
        os.chown(folder, uid, gid)
    me = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    unprivileged = "" if os.getuid() == 0 else (f"default_internal_user = {me}\ndefault_login_user = {me}\n"
                                                f"default_internal_group = {group}\n")
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{_tls(root) if tls_port else "ssl = no"}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
{unprivileged}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _tls(root: Path) -> str:
    """A certificate for localhost, made here; the client trusts it through SSL_CERT_FILE."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(root / "key.pem"),
                    "-out", str(root / "cert.pem")], check=True, capture_output=True)
    return f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem"


@pytest.fixture
def imap_server():
    """dovecot started for the test, stopped after it; the user anna with the password 'secret'.

    Its folder is a temp folder of its own that dovecot's unprivileged processes can enter
    (pytest's tmp_path is private to the user running the tests)."""
    import tempfile

    if DOVECOT is None:
        pytest.skip("dovecot (Debian package dovecot-imapd) is not installed; .ci/run installs it")
    root = Path(tempfile.mkdtemp(prefix="dun-dovecot-"))
    root.chmod(0o755)
    for sub in ("run", "state"):
        (root / sub).mkdir(parents=True)
    port, tls_port = _free_port(), (_free_port() if shutil.which("openssl") else 0)
    (root / "passwd").write_text("anna:{PLAIN}secret\n")
    (root / "dovecot.conf").write_text(_dovecot_conf(root, port, tls_port))
    server = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        _wait_for(port, server, root)
        server.tls_port, server.cert = tls_port, root / "cert.pem"
        _servers[port] = server
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


_servers: dict = {}


def _wait_for(port: int, server, root: Path) -> None:
    for _ in range(100):
        if server.poll() is not None:
            pytest.fail(f"dovecot did not start: {server.stdout.read().decode()} "
                        f"{(root / 'dovecot.log').read_text() if (root / 'dovecot.log').exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("dovecot did not open its port")


def test_imap_reads_the_folder_read_only_and_records_each_reply_once(book, imap_server, tmp_path):
    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", port=imap_server, ssl=False)
    client.login("anna", "secret")
    client.create_folder("Kunden")
    for sample in samples():
        client.append("Kunden", sample.data)
    password = tmp_path / "pass-show-mail"
    password.write_text(f"#!{sys.executable}\nprint('secret')\nprint('second line: not part of the password')\n")
    password.chmod(0o700)
    book.config(f"mail: {{imap: {{host: 127.0.0.1, port: {imap_server}, user: anna, folder: Kunden, tls: none, "
                f"password_command: {password}}}}}\n")
    before = book.snapshot()
    assert_each_lands_right(run_json(book, "imap"))
    assert book.snapshot() == before
    found = run_json(book, "imap", "--record")
    assert_each_lands_right(found, dry=False)
    assert run_json(book, "imap", "--record")["recorded"] == 0
    client.select_folder("Kunden")
    assert not client.get_flags(client.search(["SEEN"]))  # read-only: nothing was marked as read
    client.logout()
    assert "secret" not in (book.root / "dun.yaml").read_text()


def test_imap_wrong_password_is_exit_1_without_a_traceback(book, imap_server, tmp_path):
    book.config(f"mail: {{imap: {{host: 127.0.0.1, port: {imap_server}, user: anna, tls: none, "
                f"password_command: echo wrong}}}}\n")
    result = book.run("import", "mail", "imap", on=TODAY)
    assert result.exit_code == 1 and "imap 127.0.0.1" in result.stderr and "Traceback" not in result.output


def test_imap_password_command_that_fails_is_named(book):
    book.config("mail: {imap: {host: 127.0.0.1, user: anna, password_command: 'false'}}\n")
    result = book.run("import", "mail", "imap", on=TODAY)
    assert result.exit_code == 1 and "password_command exited 1" in result.stderr


def test_a_message_without_message_id_is_known_the_second_time(book, tmp_path):
    msg = EmailMessage()
    msg["From"] = "erika@acme.example"
    msg["Subject"] = "Rechnung"
    msg["Date"] = "Fri, 04 Dec 2026 10:00:00 +0100"
    msg.set_content("Wir haben gestern bezahlt.")
    folder = write_maildir(tmp_path / "Maildir", [])
    mailbox.Maildir(str(folder), create=False).add(msg)
    first = run_json(book, str(folder), "--record")
    assert [m["status"] for m in first["messages"]] == ["recorded"]
    assert first["messages"][0]["paid_on"] == "2026-12-03"
    assert [m["status"] for m in run_json(book, str(folder), "--record")["messages"]] == ["recorded before"]


@pytest.mark.parametrize("tls", ["tls", "starttls"])
def test_imap_over_tls_and_starttls_verifies_the_certificate(book, imap_server, tls):
    server = _servers[imap_server]
    if not server.tls_port:
        pytest.skip("openssl is not installed: no certificate for the TLS test")
    port = server.tls_port if tls == "tls" else imap_server
    book.config(f"mail: {{imap: {{host: localhost, port: {port}, user: anna, tls: {tls}, "
                f"password_command: echo secret}}}}\n")
    untrusted = book.run("import", "mail", "imap", on=TODAY)
    assert untrusted.exit_code == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    os.environ["SSL_CERT_FILE"] = str(server.cert)
    try:
        trusted = book.run("import", "mail", "imap", "--json", on=TODAY)
    finally:
        del os.environ["SSL_CERT_FILE"]
    assert trusted.exit_code == 0, trusted.output
    assert json.loads(trusted.stdout) == {"messages": [], "recorded": 0}


def test_record_with_commit_commits_each_case_with_what_came(book, tmp_path, monkeypatch):
    git = ["git", "-C", str(book.root), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(book.root)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "T")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")
    box = write_mbox(tmp_path / "replies.mbox", [s for s in samples() if s.case == "dorn-2026-040"])
    assert book.run("import", "mail", str(box), "--record", "--commit", on=TODAY).exit_code == 0
    log = subprocess.run([*git, "log", "-1", "--format=%s"], capture_output=True, text=True).stdout.strip()
    assert log == "dorn-2026-040: reply instalments; reply dispute; reply out_of_office until 2026-12-14"
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout
    assert status == ""


def test_a_message_dated_after_today_is_recorded_today(book, tmp_path):
    msg = EmailMessage()
    msg["From"] = "erika@acme.example"
    msg["Date"] = "Wed, 30 Dec 2026 10:00:00 +0100"  # the sender's clock is wrong
    msg["Message-ID"] = "<late@acme.example>"
    msg.set_content("Bereits bezahlt.")
    path = tmp_path / "late.eml"
    path.write_bytes(bytes(msg))
    assert run_json(book, str(path), "--record")["recorded"] == 1
    assert "  - at: 2026-12-05\n    event: reply\n" in book.text("acme-2026-017")
    assert book.run("check", on=TODAY).exit_code == 0
