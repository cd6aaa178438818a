"""Share a list of work between this process and forked workers that send back plain data.

Only for work that pays for a fork: the caller decides by a threshold of items. Results
travel as marshal of plain values (lists, dicts, str, int) over a pipe, never as code. A
worker that fails leaves its share to be done here, so a result never goes missing.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parts_for(count: int, default: int) -> int:
    """How many processes share `count` items: every core from `default` items on, if a core is idle.

    A worker only pays when a core has nothing else to do (measured by bench/run.py: on a
    busy machine the workers were slower at every size); $DUN_PARALLEL_MIN sets the threshold
    and skips the idle check (for tests and measuring).
    """
    forced = os.environ.get("DUN_PARALLEL_MIN", "")
    if forced.isdigit():
        return cores() if count >= int(forced) else 1
    return cores() if count >= default and idle_core() else 1


def idle_core() -> bool:
    """Whether another core has nothing to run now.

    Linux counts the tasks that are running or ready to run at this moment (the fourth field of
    /proc/loadavg, this process included); the one-minute load average elsewhere, which also
    counts what dun itself ran a moment ago.
    """
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            runnable = int(f.read().split()[3].split("/")[0])
        return runnable - 1 < cores() - 1
    except (OSError, ValueError, IndexError):
        return cores() - os.getloadavg()[0] >= 1


CHILD_SHARE = 0.88  # a worker's share against this process's: it also sends its results, and this one waits


def split_run(work: Callable[[list], list], items: list, parts: int) -> list:
    """work(items) as the concatenation of work on `parts` contiguous shares, the first one done here."""
    if parts < 2 or len(items) < 2 or not hasattr(os, "fork"):
        return work(items)
    first = round(len(items) / (1 + CHILD_SHARE * (parts - 1)))
    size = -(-(len(items) - first) // (parts - 1))
    shares = [items[:first]] + [items[i:i + size] for i in range(first, len(items), size)]
    children = [(_fork(work, share), share) for share in shares[1:]]
    result = work(shares[0])
    for (pid, fd), share in children:
        result.extend(_collect(pid, fd, work, share))
    return result


def _fork(work: Callable[[list], list], share: list) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: compute, send, leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read)
            data = marshal.dumps(work(share))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(pid: int, fd: int, work: Callable[[list], list], share: list) -> list:
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0:
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            pass
    return work(share)  # the worker died or sent nothing readable: do its share here
