"""Side-by-side timings in one run, printed as ratios: python bench/run.py [--quick] [--runs 5].

Every figure is the wall time of a whole process (start-up included), the median of
several runs with their min and max. The commands of one comparison run interleaved (A B
A B ...), so that a load that comes and goes on a shared machine falls on both sides alike:
compare ratios, not absolute times. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
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
BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "DUN_NO_CACHE")}
BASE_ENV["DUN_TODAY"] = "2026-11-22"

FLOOR = """
import sys, yaml, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).glob('cases/*.yaml')):
    yaml.load(p.read_text(), Loader=yaml.CSafeLoader)
"""
BYTES = """
import sys, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).glob('cases/*.yaml')):
    p.read_bytes()
"""
DUN = [PY, "-m", "receivables_cli"]


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-300:]}")
    return elapsed


def compare(commands: dict[str, tuple[list[str], dict]], runs: int) -> dict[str, list[float]]:
    """Each command once to warm up, then `runs` rounds of all of them in turn."""
    for argv, env in commands.values():
        timed(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            times[name].append(timed(argv, env))
    return times


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.goals: list[tuple[str, str, str]] = []

    def goal(self, what: str, value: float, limit: float, unit: str = "x") -> None:
        """A target of the speed issue: the measured median ratio (or ms) against its limit."""
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f} {unit}"
        self.goals.append((what, shown, "met" if value <= limit else "not met"))

    def add(self, name: str, times: list[float], base: list[float] | None = None, base_name: str = "") -> None:
        med = statistics.median(times)
        spread = f"{statistics.median(times) * 1000:.0f} ms ({min(times) * 1000:.0f}-{max(times) * 1000:.0f})"
        ratio = f"{med / statistics.median(base):.2f}x {base_name}" if base else ""
        self.rows.append((name, spread, ratio, ""))

    def note(self, name: str, text: str) -> None:
        self.rows.append((name, "", text, ""))

    def print(self) -> None:
        print("| what | median (min-max) | ratio |")
        print("| --- | --- | --- |")
        for name, spread, ratio, _ in self.rows:
            print(f"| {name} | {spread} | {ratio} |")
        if self.goals:
            print("\n| target | measured | |")
            print("| --- | --- | --- |")
            for what, shown, met in self.goals:
                print(f"| {what} | {shown} | {met} |")


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, {cpu or platform.processor()}, Python {platform.python_version()}"


def ledger(tmp: Path, count: int) -> Path:
    folder = tmp / f"l{count}"
    if not folder.exists():
        generate(folder, count)
        _age(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="1,000 cases only, 3 runs (while iterating)")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    sizes = [1000] if args.quick else [1000, 10000]
    scaling = [100, 1000] if args.quick else [100, 1000, 10000, 30000]
    table = Table()
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(BASE_ENV, DUN_CACHE_DIR=str(tmp / "cache"))
        cold = dict(env, DUN_NO_CACHE="1")
        start_up(table, tmp, env, runs)
        for count in sizes:
            folder = ledger(tmp, count)
            time.sleep(3.5)  # files whose inode changed within seconds are never cached (cache.RACY_SECONDS)
            today = [*DUN, "today", "--json", "--ledger", str(folder)]
            t = compare({"bytes": ([PY, "-c", BYTES, str(folder)], env),
                         "floor": ([PY, "-c", FLOOR, str(folder)], env),
                         "cold": ([*DUN, "--no-cache", *today[len(DUN):]], cold),
                         "warm": (today, env)}, runs)
            table.add(f"read the bytes of {count:,} cases", t["bytes"])
            table.add(f"CSafeLoader parse of {count:,} cases (the floor)", t["floor"])
            table.add(f"dun today --json --no-cache, {count:,} cases", t["cold"], t["floor"], "floor")
            table.add(f"dun today --json --no-cache, {count:,} cases", t["cold"], t["bytes"], "bytes")
            table.add(f"dun today --json warm, {count:,} cases", t["warm"], t["floor"], "floor")
            table.add(f"dun today --json warm, {count:,} cases", t["warm"], t["bytes"], "bytes")
            table.goal(f"cold today --json --no-cache, {count:,} cases, over the floor",
                       _ratio(t["cold"], t["floor"]), 0.5 if count >= 10000 else 0.8)
            if count >= 10000:
                table.goal(f"warm today --json, {count:,} cases, over the floor", _ratio(t["warm"], t["floor"]), 0.1)
        parallel(table, tmp, cold, runs)
        appends(table, tmp, env, runs)
        scale(table, tmp, cold, scaling, max(3, runs // 2))
    table.print()
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


def start_up(table: Table, tmp: Path, env: dict, runs: int) -> None:
    one = tmp / "one"
    long_case(one, "acme", 10)
    _age(one)
    t = compare({"bare": ([PY, "-c", "pass"], env), "typer": ([PY, "-c", "import typer"], env),
                 "help": ([*DUN, "--help"], env), "show": ([*DUN, "show", "acme", "--ledger", str(one)], env)},
                runs * 2)
    table.add("bare interpreter start", t["bare"])
    table.add("python -c 'import typer'", t["typer"], t["bare"], "bare")
    table.add("dun --help", t["help"], t["bare"], "bare")
    table.note("dun --help over a bare start", _over(t["help"], t["bare"]))
    table.add("dun show CASE (10 events)", t["show"], t["bare"], "bare")
    table.note("dun show over a bare start", _over(t["show"], t["bare"]))
    for what in ("help", "show"):
        over = (statistics.median(t[what]) - statistics.median(t["bare"])) * 1000
        table.goal(f"dun {'--help' if what == 'help' else 'show CASE'} over a bare interpreter", over, 60, "ms")


def _ratio(times: list[float], base: list[float]) -> float:
    return statistics.median(times) / statistics.median(base)


def _over(times: list[float], base: list[float]) -> str:
    return f"{(statistics.median(times) - statistics.median(base)) * 1000:.0f} ms"


def parallel(table: Table, tmp: Path, cold: dict, runs: int) -> None:
    """Where a second process pays: the same cold run with the workers forced on and off."""
    for count in (100, 1000, 10000):
        folder = ledger(tmp, count)
        today = [*DUN, "today", "--json", "--ledger", str(folder)]
        t = compare({"one": (today, dict(cold, DUN_PARALLEL_MIN="1000000000")),
                     "all": (today, dict(cold, DUN_PARALLEL_MIN="1"))}, runs)
        table.add(f"cold today, {count:,} cases, one process", t["one"])
        table.add(f"cold today, {count:,} cases, workers on every core", t["all"], t["one"], "one process")


def appends(table: Table, tmp: Path, env: dict, runs: int) -> None:
    folder = tmp / "long"
    for events in (10, 5000):
        long_case(folder, f"c{events}", events)
    _age(folder)
    time.sleep(3.5)
    note = [*DUN, "note", "{}", "a note", "--ledger", str(folder)]
    t = compare({n: ([a.format(f"c{n}") for a in note], env) for n in (10, 5000)}, runs)
    table.add("one append to a case of 10 events", t[10])
    table.add("one append to a case of 5,000 events", t[5000], t[10], "10 events")
    table.goal("one append on 5,000 events over one on 10", _ratio(t[5000], t[10]), 1.2)


def scale(table: Table, tmp: Path, cold: dict, sizes: list[int], runs: int) -> None:
    per_case = []
    for count in sizes:
        folder = ledger(tmp, count)
        t = compare({"floor": ([PY, "-c", FLOOR, str(folder)], cold),
                     "dun": ([*DUN, "--no-cache", "today", "--json", "--ledger", str(folder)], cold)}, runs)
        per_case.append(statistics.median(t["dun"]) / count)
        table.add(f"scaling: cold today, {count:,} cases", t["dun"], t["floor"], "floor")
        table.note(f"scaling: per case at {count:,}", f"{per_case[-1] * 1e6:.0f} us")
    if len(per_case) > 1:
        table.note("scaling: per case, largest over 1,000", f"{per_case[-1] / per_case[min(1, len(per_case) - 1)]:.2f}")


def _age(folder: Path) -> None:
    """Date the files an hour back, as a ledger of yesterday is (fresh files are never cached)."""
    past = time.time() - 3600
    for path in folder.rglob("*.yaml"):
        os.utime(path, (past, past))


if __name__ == "__main__":
    main()
