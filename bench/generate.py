"""Generate a ledger of realistic invented cases for benchmarks: python bench/generate.py DIR N."""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

KINDS = ["business"] * 6 + ["private"] * 3 + ["corporate", "public"]
OUTCOMES = ["reached", "no_answer", "voicemail", "denied", "reached"]


def case_text(rng: random.Random, i: int, events: int) -> str:
    start = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 300))
    amount = rng.randrange(100, 20000)
    lines = [
        "customer:",
        f"  name: Customer {i} GmbH",
        f"  kind: {rng.choice(KINDS)}",
        f"  contact: Contact {i}",
        f"  email: c{i}@example.org",
        f'  phone: "+49 30 555{i:04d}"',
        "  assistant: {name: Assistant, phone: \"+49 30 5550000\"}",
        "history:",
        f"  - at: {start}",
        "    event: invoice",
        f"    number: RE-{i:05d}",
        f"    amount: {amount}.{rng.randrange(100):02d}",
        "    subject: Web work",
    ]
    day = start
    for _ in range(max(0, events - 1)):
        day += timedelta(days=rng.randrange(1, 9))
        kind = rng.random()
        if kind < 0.5:
            lines += [f"  - at: {day} 10:{rng.randrange(60):02d}", "    event: call",
                      f"    outcome: {rng.choice(OUTCOMES)}", "    note: Talked about the invoice."]
        elif kind < 0.7:
            lines += [f"  - at: {day}", "    event: letter", f"    template: {rng.choice(['reminder', 'dunning'])}"]
        elif kind < 0.85:
            lines += [f"  - at: {day}", "    event: payment", f"    amount: {rng.randrange(10, 100)}.00"]
        else:
            lines += [f"  - at: {day}", "    event: note", "    text: Something worth keeping."]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 7, max_events: int = 15) -> None:
    """`count` cases of 1 to `max_events` events (an invoice first, then calls, letters, payments)."""
    rng = random.Random(seed)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "dun.yaml").write_text("country: DE\nregion: BE\n")
    for i in range(count):
        text = case_text(rng, i, rng.randrange(1, max_events + 1))
        (folder / "cases" / f"case-{i:05d}.yaml").write_text(text)


def post_case(n: int, amount: str = "5950.00") -> str:
    """A public body owed a dunning letter by post (channel: post, an address): one PDF a case."""
    return POST_CASE.format(n=n, amount=amount)


POST_CASE = """customer:
  name: Stadtwerke Beispielstadt {n}
  kind: public
  contact: Kreditorenbuchhaltung
  channel: post
  address: |
    Stadtwerke Beispielstadt {n}
    Am Wasserturm {n}
    14467 Potsdam
history:
  - at: 2026-10-05
    event: invoice
    number: RE-P{n:04d}
    amount: {amount}
    due: 2026-11-04
    subject: Intranet redesign, phase 1
  - at: 2026-11-09
    event: letter
    template: reminder
"""


def long_case(folder: Path, name: str, events: int) -> Path:
    """One case with exactly `events` events (for show and append timings)."""
    rng = random.Random(events)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    path = folder / "cases" / f"{name}.yaml"
    path.write_text(case_text(rng, 0, events))
    return path


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
