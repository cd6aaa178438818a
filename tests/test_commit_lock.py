"""`--commit` under concurrency: each writer's entry in exactly one commit, the tree clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ACME

GIT_ENV = {"GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@example.org", "GIT_COMMITTER_NAME": "Anna",
           "GIT_COMMITTER_EMAIL": "anna@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "init.defaultBranch=main", *args], capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def dun_env(root: Path) -> dict:
    return {**os.environ, **GIT_ENV, "DUN_LEDGER": str(root), "DUN_TODAY": "2026-11-22"}


def repo(ledger, case_ids) -> Path:
    for case_id in case_ids:
        ledger.case(case_id, ACME)
    git(ledger.root, "init", "-q")
    git(ledger.root, "add", ".")
    git(ledger.root, "commit", "-qm", "start")
    return ledger.root


def run_writers(root: Path, case_ids: list[str], count: int) -> list[subprocess.CompletedProcess]:
    """`count` real dun processes at once, each recording one note with --commit."""
    procs = [subprocess.Popen([sys.executable, "-m", "receivables_cli", "--commit", "note",
                               case_ids[i % len(case_ids)], f"writer {i}"],
                              env=dun_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(count)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]


# 50 writers on one case take 20-30 s on a busy two-core machine: run with DUN_STRESS=1
STRESS = [(50, 1)] if os.environ.get("DUN_STRESS") else []


@pytest.mark.parametrize(("writers", "cases"), [(12, 1), (12, 5), (50, 5), *STRESS])
def test_parallel_writers_each_commit_exactly_their_own_entry(ledger, writers, cases):
    case_ids = [f"case-{k}" for k in range(cases)]
    root = repo(ledger, case_ids)
    results = run_writers(root, case_ids, writers)
    assert [r.returncode for r in results] == [0] * writers, [r.stderr for r in results if r.returncode]
    assert git(root, "status", "--porcelain") == ""
    commits = git(root, "log", "--format=%H", "HEAD~" + str(writers) + "..HEAD").split()
    assert len(commits) == writers
    seen = []
    for sha in commits:
        diff = git(root, "show", "--format=", sha).splitlines()
        added = [line for line in diff if line.startswith("+") and "text: writer" in line]
        assert len(added) == 1, git(root, "show", sha)  # one writer's entry, no other's
        seen.append(added[0].split("text: ")[1])
    assert sorted(seen) == sorted(f"writer {i}" for i in range(writers))
    notes = sum((root / "cases" / f"{c}.yaml").read_text().count("event: note") for c in case_ids)
    assert notes == writers


def test_a_stale_index_lock_is_reported_with_the_fix_and_nothing_is_written(ledger):
    root = repo(ledger, ["acme"])
    before = (root / "cases" / "acme.yaml").read_bytes()
    (root / ".git" / "index.lock").write_text("")  # a git killed mid-commit leaves this behind
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "--commit", "note", "acme", "x"],
                         env=dun_env(root), capture_output=True, text=True)
    assert run.returncode == 1
    assert "index.lock exists" in run.stderr and f"rm {root}/.git/index.lock" in run.stderr
    assert "nothing was written" in run.stderr
    assert (root / "cases" / "acme.yaml").read_bytes() == before


def test_a_failed_commit_says_the_entry_was_written_and_a_retry_appends_nothing(ledger):
    root = repo(ledger, ["acme"])
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n")
    hook.chmod(0o755)
    args = [sys.executable, "-m", "receivables_cli", "--commit", "pay", "acme", "100"]
    first = subprocess.run(args, env=dun_env(root), capture_output=True, text=True)
    assert first.returncode == 1
    assert "appended to" in first.stderr and "but git commit failed" in first.stderr
    assert "do not run the command again" in first.stderr and "git -C" in first.stderr
    retry = subprocess.run(args, env=dun_env(root), capture_output=True, text=True)
    assert retry.returncode == 1 and "not committed yet" in retry.stderr and "nothing was written" in retry.stderr
    assert (root / "cases" / "acme.yaml").read_text().count("event: payment") == 1


def test_commit_outside_a_repository_writes_nothing(ledger):
    ledger.case("acme", ACME)
    before = ledger.text("acme")
    result = ledger.run("--commit", "note", "acme", "x")
    assert result.exit_code == 1 and "not a git repository" in result.stderr and "nothing was written" in result.stderr
    assert ledger.text("acme") == before


def test_new_with_commit_commits_the_new_file(ledger):
    root = repo(ledger, ["acme"])
    run = subprocess.run([sys.executable, "-m", "receivables_cli", "new", "beta", "--customer", "Beta", "--invoice",
                          "R1", "--amount", "10", "--commit"], env=dun_env(root), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert git(root, "log", "-1", "--format=%s", "--name-only").split("\n")[:3] == [
        "beta: new case, invoice R1 10.00", "", "cases/beta.yaml"]
    assert git(root, "status", "--porcelain") == ""
