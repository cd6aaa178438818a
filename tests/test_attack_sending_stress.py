"""Stress (DUN_STRESS=1 only): `outbox --send` twice, `work` and an unreliable mail command, 100 rounds.

Each round: three letters due; two `dun outbox --send` and one `dun work` answering 'send' start
together, against a mail command that at random delivers, delivers slowly, hangs after delivering,
forks a child and exits, refuses, dies before delivering or dies after. Then, as a user would, each
letter left in doubt is resolved by looking in the mailbox ('dun sent' if it is there, else the
marker is removed) and `outbox --send` runs until nothing is due. Every letter must be in the
mailbox once and recorded once.
"""

from __future__ import annotations

import collections
import json
import os
import time

import pytest

from tests.conftest import Ledger
from tests.sendkit import BEHAVIOURS, ON, Mailer, dun, public, spawn_work, start_dun

pytestmark = pytest.mark.skipif(os.environ.get("DUN_STRESS") != "1", reason="a stress test: set DUN_STRESS=1")
ROUNDS = int(os.environ.get("DUN_STRESS_ROUNDS", "100"))
NAMES = ("amt", "bau", "zoll")
FAST = {"DUN_SEND_TIMEOUT": "1.5"}


def test_every_letter_is_sent_once_and_recorded_once_whatever_the_mail_command_does(tmp_path):
    figures = collections.Counter()
    start = time.monotonic()
    for n in range(ROUNDS):
        figures.update(_round(tmp_path / f"round-{n}"))
    figures["seconds"] = round(time.monotonic() - start)
    print("\nstress figures:", json.dumps(dict(sorted(figures.items()))))
    assert figures["sent twice"] == 0 and figures["recorded twice"] == 0 and figures["never sent"] == 0


def _round(folder) -> collections.Counter:
    folder.mkdir(parents=True)
    ledger = Ledger(folder / "ledger")
    for name in NAMES:
        ledger.case(name, public(name))
    mailer = Mailer(folder)
    ledger.config(f'mail:\n  command: "{mailer.command}"\n')
    mailer.set(*BEHAVIOURS)
    try:
        statuses = _race(ledger)
        statuses.update(_resolve(ledger, mailer))
    finally:
        mailer.stop_children()
    return statuses + _verdict(ledger, mailer)


def _race(ledger) -> collections.Counter:
    """Two outbox runs and a work session at once; the statuses the outbox runs reported."""
    runs = [start_dun(ledger, "outbox", "--send", "--json", **FAST) for _ in range(2)]
    _walk(spawn_work(ledger, **FAST))
    statuses = collections.Counter()
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert "Traceback" not in err, err
        for row in json.loads(out) if out.strip().startswith("[") else []:
            statuses[f"outbox {row['status']}"] += 1
    return statuses


def _walk(child) -> None:
    import pexpect

    while True:
        found = child.expect([r"\(s\) send by e-mail[^\n]*: ", r"\(k\) skip[^\n]*: ", "done: ", pexpect.EOF],
                             timeout=120)
        if found >= 2:
            break
        child.sendline("s" if found == 0 else "k")
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert "Traceback" not in (child.before or "")


def _resolve(ledger, mailer) -> collections.Counter:
    """As the user: look in the sent mail for each letter in doubt, then send the rest until done."""
    done = collections.Counter()
    mailer.set("deliver")
    for _ in range(10):
        for marker in sorted((ledger.root / ".dun" / "sending").glob("*.json")):
            pending = json.loads(marker.read_text())
            mid = f"{pending['case']}.{pending['template']}.{pending['day'].replace('-', '')}@example.org"
            if mid in mailer.ids():
                assert dun(ledger, "sent", pending["case"], pending["template"], "--at", pending["day"]).returncode == 0
                done["in doubt, had gone out"] += 1
            else:
                marker.unlink()
                done["in doubt, had not gone out"] += 1
        again = dun(ledger, "outbox", "--send", **FAST)
        if again.returncode == 0 and "nothing due today" in again.stdout:
            return done
    raise AssertionError(f"still not done: {again.stdout}{again.stderr}")


def _verdict(ledger, mailer) -> collections.Counter:
    ids = collections.Counter(mailer.ids())
    result = collections.Counter(rounds=1, letters=len(NAMES), deliveries=sum(ids.values()))
    for name in NAMES:
        mid = f"{name}.reminder.{ON.replace('-', '')}@example.org"
        result["sent twice"] += ids[mid] > 1
        result["never sent"] += ids[mid] == 0
        result["recorded twice"] += ledger.text(name).count("event: letter") > 1
    for behaviour in mailer.log.read_text().split() if mailer.log.exists() else []:
        result[f"mail command: {behaviour}"] += 1
    return result
