"""Side-by-side timings: python bench/run.py [--cases 1000 10000] [--runs 5].

Each figure is the median CPU time (user + system) of a child process over several runs,
which is steadier than wall time on a shared machine. Not a test: figures depend on the
machine; compare the rows of one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, long_case  # noqa: E402

PY = sys.executable


# bytecode caches as a user has them (this machine may set PYTHONDONTWRITEBYTECODE)
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def median_seconds(argv: list[str], runs: int, env: dict | None = None) -> float:
    """Median wall time of `runs` runs after one warm-up run."""
    env = env or BASE_ENV
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times)


FLOOR = """
import sys, yaml, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).glob('cases/*.yaml')):
    yaml.load(p.read_text(), Loader=yaml.CSafeLoader)
"""
LOAD = """
import sys, pathlib
from receivables_cli.ledger import open_ledger
open_ledger(pathlib.Path(sys.argv[1])).load_all()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = [("bare interpreter start", median_seconds([PY, "-c", "pass"], args.runs)),
            ("dun --help", median_seconds([PY, "-m", "receivables_cli", "--help"], args.runs))]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(BASE_ENV, DUN_TODAY="2026-11-22", DUN_CACHE_DIR=str(Path(tmp) / "cache"))
        cold = dict(env, DUN_NO_CACHE="1")
        for count in args.cases:
            folder = Path(tmp) / f"l{count}"
            generate(folder, count)
            _age(folder)
            rows.append((f"CSafeLoader parse of {count} cases (floor)",
                         median_seconds([PY, "-c", FLOOR, str(folder)], args.runs)))
            rows.append((f"dun: load {count} cases, no cache", median_seconds([PY, "-c", LOAD, str(folder)],
                                                                             args.runs, cold)))
            today = [PY, "-m", "receivables_cli", "today", "--ledger", str(folder)]
            rows.append((f"dun today on {count} cases, no cache", median_seconds(today, args.runs, cold)))
            rows.append((f"dun today on {count} cases, second run", median_seconds(today, args.runs, env)))
            rows.append((f"dun today --json on {count} cases, second run",
                         median_seconds([*today, "--json"], args.runs, env)))
        folder = Path(tmp) / "long"
        for events in (10, 5000):
            long_case(folder, f"c{events}", events)
        _age(folder)
        rows.append(("dun show, a case of 5,000 events",
                     median_seconds([PY, "-m", "receivables_cli", "show", "c5000", "--ledger", str(folder)],
                                    args.runs, env)))
        for events in (10, 5000):
            note = [PY, "-m", "receivables_cli", "note", f"c{events}", "x", "--ledger", str(folder)]
            rows.append((f"one append to a case of {events} events", median_seconds(note, args.runs, env)))
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.1f} ms")


def _age(folder: Path) -> None:
    """Date the files an hour back, as a ledger of yesterday is (fresh files are never cached)."""
    past = time.time() - 3600
    for path in folder.rglob("*.yaml"):
        os.utime(path, (past, past))


if __name__ == "__main__":
    main()
