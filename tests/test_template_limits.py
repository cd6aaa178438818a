"""Hostile ledger templates: every one is a `path:line: message` in `letter` and `check`, never a hang or traceback.

The hang-prone cases run dun in a subprocess with a timeout, so a regression fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ACME

HOSTILE = {
    "nested-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "huge-range": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "recursive-macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "huge-string": "{{ 'x' * 10**11 }}",
    "huge-power": "{{ 2 ** (10 ** 9) }}",
    "string-loops": "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}",
    "big-output": "{% for i in range(90000) %}{{ 'y' * 100 }}{% endfor %}",
    "mutation": "{% set _ = creditor.update(iban='DE89370400440532013000') %}{{ creditor.iban }}",
}


def _write(ledger, body: str, *, front: str = "subject: Hello\n") -> str:
    path = ledger.root / "letters" / "de" / "reminder.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\nLine one\n{body}\n", encoding="utf-8")
    return str(path)


def _dun(ledger, *args: str, timeout: float = 30):
    env = dict(os.environ, DUN_LEDGER=str(ledger.root), DUN_TODAY="2026-11-22")
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def _assert_clean_failure(result, where: str) -> None:
    output = result.stdout + result.stderr  # check lists problems on stdout, letter on stderr
    assert result.returncode == 1, (result.returncode, output[-2000:])
    assert "Traceback" not in output, output[-2000:]
    assert where in output, output[-2000:]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_template_is_a_located_message_in_letter_and_check(ledger, name):
    ledger.case("acme", ACME)
    path = _write(ledger, HOSTILE[name])
    _assert_clean_failure(_dun(ledger, "letter", "acme", "reminder"), f"{path}:5: ")
    _assert_clean_failure(_dun(ledger, "check"), f"{path}:5: ")


def test_the_limits_say_what_was_exceeded(ledger):
    ledger.case("acme", ACME)
    _write(ledger, HOSTILE["nested-loops"])
    assert "loops ran more than 1,000,000 times" in _dun(ledger, "letter", "acme", "reminder").stderr
    _write(ledger, HOSTILE["string-loops"])  # no range(): only the clock stops it
    assert "took longer than 2 s" in _dun(ledger, "letter", "acme", "reminder").stderr
    _write(ledger, HOSTILE["big-output"])
    assert "longer than" in _dun(ledger, "letter", "acme", "reminder").stderr
    _write(ledger, HOSTILE["recursive-macro"])
    assert "recursion" in _dun(ledger, "letter", "acme", "reminder").stderr


def test_invalid_utf8_names_the_line(ledger):
    ledger.case("acme", ACME)
    path = ledger.root / "letters" / "de" / "reminder.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\nsubject: Hello\n---\nfine\nbroken \xff here\n")
    result = ledger.run("letter", "acme", "reminder")
    assert result.exit_code == 1 and f"{path}:5: " in result.stderr and "UTF-8" in result.stderr
    check = ledger.run("check")
    assert check.exit_code == 1 and f"{path}:5: " in check.stdout


@pytest.mark.parametrize("front", ["needs: [promise, [agreement]]\n", "needs: {a: b}\n", "subject: [a, b]\n",
                                   "needs: [\n"])
def test_bad_front_matter_is_a_located_message(ledger, front):
    ledger.case("acme", ACME)
    path = _write(ledger, "body", front=front if front.startswith("subject") else "subject: Hello\n" + front)
    for args in (("letter", "acme", "reminder"), ("check",)):
        result = ledger.run(*args)
        output = result.stdout + result.stderr
        assert result.exit_code == 1, output
        assert f"{path}:" in output and "front matter" in output, output


def test_a_fifo_template_is_refused_without_hanging(ledger):
    ledger.case("acme", ACME)
    path = ledger.root / "letters" / "de" / "reminder.md"
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    _assert_clean_failure(_dun(ledger, "check", timeout=20), f"{path}:")
    result = _dun(ledger, "letter", "acme", "reminder", timeout=20)
    _assert_clean_failure(result, f"{path}:")
    assert "not a regular file" in result.stderr


def test_a_template_cannot_change_the_context_of_the_next_format(ledger):
    """The Markdown and the HTML rendering each get their own copy, and the sandbox refuses mutation."""
    ledger.case("acme", ACME)
    path = _write(ledger, HOSTILE["mutation"])
    result = ledger.run("letter", "acme", "reminder", "--format", "html")
    assert result.exit_code == 1 and f"{path}:5: " in result.stderr
    assert "DE89370400440532013000" not in result.stdout


def test_a_well_behaved_override_still_renders(ledger):
    ledger.case("acme", ACME)
    _write(ledger, "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'ab' * 3 }} {{ 2 ** 10 }}")
    result = ledger.run("letter", "acme", "reminder")
    assert result.exit_code == 0, result.stderr
    assert "012 ababab 1024" in result.stdout
