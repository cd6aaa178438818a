"""Two people, one ledger: appends from two git clones merge without a conflict."""

from __future__ import annotations

import os
import subprocess

from typer.testing import CliRunner

from receivables_cli.cli import app
from tests.conftest import DUN_YAML

GIT_ENV = {"GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@example.org", "GIT_COMMITTER_NAME": "Anna",
           "GIT_COMMITTER_EMAIL": "anna@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV})


def dun(ledger, *args):
    result = CliRunner().invoke(app, [*args], env={"DUN_LEDGER": str(ledger), "DUN_TODAY": "2026-11-24", **GIT_ENV})
    assert result.exit_code == 0, result.stderr
    return result


def test_two_clones_record_calls_on_one_case_and_merge_cleanly(tmp_path):
    origin, seed, anna, ben = (tmp_path / n for n in ("origin.git", "seed", "anna", "ben"))
    assert git(tmp_path, "init", "--bare", str(origin)).returncode == 0
    dun(seed, "init", str(seed))
    (seed / "dun.yaml").write_text(DUN_YAML, encoding="utf-8")  # a real creditor, so that check is silent
    dun(seed, "new", "acme", "--customer", "ACME GmbH", "--invoice", "RE-1", "--amount", "1190", "--date",
        "2026-10-01")
    for args in (("init",), ("add", "."), ("commit", "-qm", "ledger"), ("push", "-q", str(origin), "HEAD:main")):
        assert git(seed, *args).returncode == 0
    for person in (anna, ben):
        assert git(tmp_path, "clone", "-q", str(origin), str(person)).returncode == 0

    dun(anna, "--commit", "call", "acme", "reached", "--at", "2026-11-24 10:00", "--note", "Anna: pays Friday")
    assert git(anna, "push", "-q").returncode == 0
    dun(ben, "--commit", "call", "acme", "no_answer", "--at", "2026-11-24 10:05", "--with", "assistant")
    merged = git(ben, "pull", "-q", "--no-rebase", "--no-edit")
    assert merged.returncode == 0, merged.stdout + merged.stderr

    text = (ben / "cases" / "acme.yaml").read_text()
    assert "<<<<<<<" not in text
    assert "Anna: pays Friday" in text and "with: assistant" in text
    check = CliRunner().invoke(app, ["check"], env={"DUN_LEDGER": str(ben), "DUN_TODAY": "2026-11-24"})
    assert (check.exit_code, check.stdout) == (0, "")
    history = dun(ben, "show", "acme", "--json").stdout
    assert history.count('"event": "call"') == 2
