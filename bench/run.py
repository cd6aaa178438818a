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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, long_case, post_case  # noqa: E402

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
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f} {unit}" if unit == "s" else f"{value:.0f} {unit}"
        self.goals.append((what, shown, "met" if value <= limit else "not met"))

    def add(self, name: str, times: list[float], base: list[float] | None = None, base_name: str = "",
            over: bool = False) -> None:
        """A row: median (min-max) and, given a base, the ratio to it (and with `over` the difference)."""
        med = statistics.median(times)
        spread = f"{statistics.median(times) * 1000:.0f} ms ({min(times) * 1000:.0f}-{max(times) * 1000:.0f})"
        ratio = f"{med / statistics.median(base):.2f}x {base_name}" if base else ""
        if base and over:
            ratio += f", +{_over_ms(times, base):.0f} ms"
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
    parser.add_argument("--quick", action="store_true",
                        help="3 runs, 1,000 cases, a tenth of the import sizes (while iterating)")
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)  # tiny sizes: does it run at all
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run this part only (may be given more than once; while iterating)")
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    size = Sizes.smoke() if args.smoke else Sizes.quick() if args.quick else Sizes()
    runs = 1 if args.smoke else 3 if args.quick else args.runs
    table = Table()
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(BASE_ENV, DUN_CACHE_DIR=str(tmp / "cache"))
        cold = dict(env, DUN_NO_CACHE="1")
        demo = dict(env, DUN_TODAY="2026-12-05")  # a day with a dunning letter due on the demo ledger
        if "demo" in parts:
            demo_ledger(table, tmp, demo, runs)
        if "pdf" in parts:
            pdf_batch(table, tmp, demo, runs, size.batch)
        if "large" in parts:
            large(table, tmp, env, cold, runs, size.cases)
        if "imports" in parts:
            imports(table, tmp, env, max(1, runs // 2), size)
        if not args.smoke:
            if "startup" in parts:
                start_up(table, tmp, env, runs)
            if "parallel" in parts:
                parallel(table, tmp, cold, runs, [c for c in (100, 1000, 10000) if c <= size.cases])
            if "appends" in parts:
                appends(table, tmp, env, runs)
            if "scale" in parts:
                scale(table, tmp, cold, size.scaling, max(3, runs // 2))
    table.print()
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


PARTS = ("demo", "pdf", "large", "imports", "startup", "parallel", "appends", "scale")


class Sizes:
    """How big each part of the bench is: the issue's sizes, a tenth of them (--quick), or tiny."""

    def __init__(self, cases: int = 10000, camt: int = 20000, invoices: int = 1000, mails: int = 10000,
                 batch: int = 20, scaling: tuple[int, ...] = (100, 1000, 10000)) -> None:
        self.cases, self.camt, self.invoices, self.mails, self.batch = cases, camt, invoices, mails, batch
        self.scaling = list(scaling)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(1000, 2000, 100, 1000, 10, (100, 1000))

    @classmethod
    def smoke(cls) -> Sizes:
        return cls(30, 20, 3, 10, 2, ())


DEMO = Path(__file__).resolve().parent.parent  # the repository: its cases/ and dun.yaml are the demo ledger
DEMO_CASE = "acme-2026-017"


def demo_ledger(table: Table, tmp: Path, env: dict, runs: int) -> None:
    """Every read command, check and the letters on the demo ledger, against a bare interpreter."""
    folder = tmp / "demo"
    shutil.copytree(DEMO / "cases", folder / "cases")
    shutil.copy(DEMO / "dun.yaml", folder / "dun.yaml")
    _age(folder)
    at = ["--ledger", str(folder)]
    pdf = str(tmp / "letter.pdf")
    commands = {
        "today": ["today", *at], "list": ["list", *at], "show": ["show", DEMO_CASE, *at],
        "why": ["why", DEMO_CASE, *at], "report": ["report", *at], "statement": ["statement", DEMO_CASE, *at],
        "check": ["check", *at], "letter": ["letter", DEMO_CASE, "dunning", *at],
        "pdf": ["letter", DEMO_CASE, "dunning", "--format", "pdf", "-o", pdf, *at],
    }
    # three times the rounds: each takes a tenth of a second, and a shared machine's noise is of the size measured
    here = dict(env, DUN_PRINT_AHEAD="0")  # weasyprint set up in this process, not ahead in a forked one
    t = compare({"bare": ([PY, "-c", "pass"], env), **{k: ([*DUN, *v], env) for k, v in commands.items()},
                 "pdf-here": ([*DUN, *commands["pdf"]], here)}, 3 * runs)
    table.add("bare interpreter start", t["bare"])
    for name in ("today", "list", "show", "why", "report", "statement"):
        table.add(f"demo: dun {name}", t[name], t["bare"], "bare", over=True)
        table.goal(f"demo: dun {name} over a bare interpreter", _over_ms(t[name], t["bare"]), 60, "ms")
    table.add("demo: dun check", t["check"], t["today"], "today")
    table.goal("demo: dun check over today", _ratio(t["check"], t["today"]), 1.5)
    table.add("demo: dun letter (Markdown)", t["letter"], t["today"], "today")
    table.goal("demo: Markdown letter over today", _ratio(t["letter"], t["today"]), 2)
    table.add("demo: dun letter --format pdf (the first letter)", t["pdf"], t["bare"], "bare")
    table.add("demo: the same, weasyprint set up in the one process (DUN_PRINT_AHEAD=0)", t["pdf-here"], t["bare"],
              "bare")
    table.goal("demo: PDF letter, whole process", statistics.median(t["pdf"]) * 1000, 400, "ms")


def pdf_batch(table: Table, tmp: Path, env: dict, runs: int, count: int) -> None:
    """`dun outbox --dir` with 1 and with `count` post letters due: what each further PDF costs."""
    t = compare({n: ([*DUN, "outbox", "--dir", str(tmp / f"out{n}"), "--ledger", str(_post_ledger(tmp, n))], env)
                 for n in (1, count)}, runs)
    table.add("outbox --dir, 1 post letter (PDF)", t[1])
    table.add(f"outbox --dir, {count} post letters (PDF)", t[count], t[1], "one letter")
    further = (statistics.median(t[count]) - statistics.median(t[1])) / (count - 1) * 1000
    table.note("outbox --dir: each further PDF letter", f"{further:.0f} ms")
    table.goal("each further PDF letter of a batch", further, 150, "ms")


def _post_ledger(tmp: Path, count: int) -> Path:
    """The demo ledger's dun.yaml and `count` public bodies owed a dunning letter by post."""
    folder = tmp / f"post{count}"
    (folder / "cases").mkdir(parents=True)
    shutil.copy(DEMO / "dun.yaml", folder / "dun.yaml")
    for n in range(count):
        text = post_case(n)
        (folder / "cases" / f"stadtwerke-{n:03d}.yaml").write_text(text)
    _age(folder)
    return folder




def large(table: Table, tmp: Path, env: dict, cold: dict, runs: int, count: int) -> None:
    """A big ledger: cold (workers as dun decides, and one process), warm and check, against the floor."""
    folder = ledger(tmp, count)
    time.sleep(3.5)  # files whose inode changed within seconds are never cached (cache.RACY_SECONDS)
    today = [*DUN, "today", "--json", "--ledger", str(folder)]
    one = dict(cold, DUN_PARALLEL_MIN="1000000000")
    workers = dict(cold, DUN_PARALLEL_MIN="1")
    t = compare({"bytes": ([PY, "-c", BYTES, str(folder)], env),
                 "floor": ([PY, "-c", FLOOR, str(folder)], env),
                 "cold": (today, workers), "one": (today, one), "warm": (today, env),
                 "check": ([*DUN, "check", "--ledger", str(folder)], env)}, runs)
    n = f"{count:,} cases"
    table.add(f"read the bytes of {n}", t["bytes"])
    table.add(f"CSafeLoader parse of {n} (the floor)", t["floor"])
    table.add(f"today --json --no-cache, {n}, workers", t["cold"], t["floor"], "floor")
    table.add(f"today --json --no-cache, {n}, one process", t["one"], t["floor"], "floor")
    table.add(f"today --json warm, {n}", t["warm"], t["floor"], "floor")
    table.add(f"dun check, {n}", t["check"], t["cold"], "cold today")
    table.goal(f"cold today, {n}, workers, over the floor", _ratio(t["cold"], t["floor"]), 0.5)
    table.goal(f"cold today, {n}, one process, over the floor", _ratio(t["one"], t["floor"]), 0.8)
    table.goal(f"warm today, {n}, over the floor", _ratio(t["warm"], t["floor"]), 0.1)
    table.goal(f"check, {n}, over cold today", _ratio(t["check"], t["cold"]), 1.5)


def imports(table: Table, tmp: Path, env: dict, runs: int, size: Sizes) -> None:
    """Dry runs of the three imports on a ledger of 1,000 cases: time and peak memory of the process."""
    from imports import camt, invoices, mbox

    cases = min(1000, size.cases)
    folder = ledger(tmp, cases)
    # the day after the statement's bookings (1 to 4 December): none of them is in the future
    env = {**env, "DUN_TODAY": "2026-12-05"}
    at = ["--ledger", str(folder)]
    jobs = {
        f"import bank: camt.053 of {size.camt:,} entries":
            (["import", "bank", str(camt(tmp / "statement.xml", size.camt, cases)), *at], 3, 300),
        f"import invoice: a folder of {size.invoices:,} XRechnung (CII) files":
            (["import", "invoice", str(invoices(tmp / "invoices", size.invoices, cases)), *at], 20, None),
        f"import mail: an mbox of {size.mails:,} messages":
            (["import", "mail", str(mbox(tmp / "replies.mbox", size.mails, cases)), *at], None, None),
    }
    for what, (argv, seconds, megabytes) in jobs.items():
        times, peaks = [], []
        for _ in range(runs):
            elapsed, peak = measured([*DUN, *argv], env)
            times.append(elapsed)
            peaks.append(peak)
        table.add(what, times)
        table.note(f"{what}: peak memory", f"{max(peaks):.0f} MB")
        if seconds and size.camt >= 20000:
            table.goal(f"{what}, seconds", statistics.median(times), seconds, "s")
        if megabytes and size.camt >= 20000:
            table.goal(f"{what}, peak memory", max(peaks), megabytes, "MB")


def measured(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one process, from its own resource usage."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(argv)} exited {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def start_up(table: Table, tmp: Path, env: dict, runs: int) -> None:
    """`dun --help` and `show` of a one-case ledger against a bare interpreter and typer alone."""
    one = tmp / "one"
    long_case(one, "acme", 10)
    _age(one)
    t = compare({"bare": ([PY, "-c", "pass"], env), "typer": ([PY, "-c", "import typer"], env),
                 "help": ([*DUN, "--help"], env), "show": ([*DUN, "show", "acme", "--ledger", str(one)], env)},
                runs * 2)
    table.add("python -c 'import typer'", t["typer"], t["bare"], "bare", over=True)
    table.add("dun --help", t["help"], t["bare"], "bare", over=True)
    table.add("dun show CASE (10 events)", t["show"], t["bare"], "bare", over=True)
    table.goal("dun --help over a bare interpreter", _over_ms(t["help"], t["bare"]), 60, "ms")


def _ratio(times: list[float], base: list[float]) -> float:
    return statistics.median(times) / statistics.median(base)


def _over_ms(times: list[float], base: list[float]) -> float:
    return (statistics.median(times) - statistics.median(base)) * 1000


def _over(times: list[float], base: list[float]) -> str:
    return f"{(statistics.median(times) - statistics.median(base)) * 1000:.0f} ms"


def parallel(table: Table, tmp: Path, cold: dict, runs: int, sizes: list[int]) -> None:
    """Where a second process pays: the same cold run with the workers forced on and off."""
    for count in sizes:
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
