"""Words that agree with their numbers, for every layer that writes a sentence."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases``, ``0 cases``; `many` for irregular words (``entry``, ``entries``)."""
    return f"{n} {word if n == 1 else many or word + 's'}"
