"""Follow one command through the layers: every call from a module of one layer into another.

    DUN_LEDGER=. python -m tests.layer_walk letter acme-2026-017 dunning --on 2026-12-05

prints how many calls went down from each layer to each lower one, and every call that climbed to
a higher layer (there should be none, but for the ports a lower layer defines and a higher one
fills in: the holiday table the store keeps in the cache). The exit status is the number of climbs.
"""

from __future__ import annotations

import sys
from collections import Counter

ORDER = {"cli": 0, "usecases": 1, "output": 2, "imports": 2, "playbook": 3, "money": 4, "store": 5, "domain": 6}
COUNTED = {("receivables_cli.output.desk", "__init__"), ("receivables_cli.money.lawbook", "__init__")}  # built once
PORTS = {("receivables_cli.store.holidays", "cached_holidays")}  # called by domain.calendar.Calendar.holiday


def layer(module: str | None) -> str | None:
    parts = (module or "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "receivables_cli" and parts[1] in ORDER else None


def walk(argv: list[str]) -> tuple[Counter, list[str], Counter]:
    """Run `dun argv` in this process; (calls per (from, to) layer, climbs, calls per function of interest)."""
    from receivables_cli.cli import main

    moves: Counter = Counter()
    climbs: list[str] = []
    counted: Counter = Counter()

    def profile(frame, event, arg):
        if event != "call":
            return
        to = layer(frame.f_globals.get("__name__"))
        if to is None:
            return
        name = frame.f_code.co_name
        if (frame.f_globals["__name__"], name) in COUNTED:
            counted[f"{frame.f_globals['__name__']}.{name}"] += 1
        caller = frame.f_back
        while caller is not None and layer(caller.f_globals.get("__name__")) is None:
            caller = caller.f_back  # through the standard library and third-party code (jinja2's filters...)
        if caller is None:
            return
        frm = layer(caller.f_globals.get("__name__"))
        if frm == to:
            return
        moves[(frm, to)] += 1
        if ORDER[to] < ORDER[frm] and (frame.f_globals["__name__"], name) not in PORTS:
            climbs.append(f"{caller.f_globals['__name__']}.{caller.f_code.co_name} -> "
                          f"{frame.f_globals['__name__']}.{name}")

    sys.argv = ["dun", *argv]
    sys.setprofile(profile)
    try:
        main()
    except SystemExit:
        pass
    finally:
        sys.setprofile(None)
    return moves, climbs, counted


def report(argv: list[str]) -> int:
    import io

    shown, sys.stdout = sys.stdout, io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # the letter itself
    try:
        moves, climbs, counted = walk(argv)
    finally:
        sys.stdout = shown
    print(f"dun {' '.join(argv)}")
    for (frm, to), n in sorted(moves.items(), key=lambda x: (ORDER[x[0][0]], ORDER[x[0][1]])):
        print(f"  {frm:>9} -> {to:<9} {n:6d} call(s){'   CLIMBS' if ORDER[to] < ORDER[frm] else ''}")
    for name, n in sorted(counted.items()):
        print(f"  {name}: {n}")
    print(f"climbs: {len(climbs)}")
    for line in dict.fromkeys(climbs):
        print(f"  {line}")
    return len(climbs)


if __name__ == "__main__":
    sys.exit(min(report(sys.argv[1:]), 100))
