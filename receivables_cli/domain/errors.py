"""Problems in user data (values) and operational failures (exceptions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a file, printed as ``path:line: message``."""

    path: Path | str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def as_json(self) -> dict:
        return {"path": str(self.path), "line": self.line, "message": self.message}


class DunError(Exception):
    """A command could not do its work (exit 1): something named is not there, or the data does not allow it.

    The exit-code rule for every command: 0 done, 1 could not do its work, 2 usage error.
    """

    exit_code = 1


class UsageError(DunError):
    """The command line itself is wrong (exit 2, as click's own errors): a value outside a fixed list,
    text that is no date or amount, options that need each other."""

    exit_code = 2


class InvalidData(DunError):
    """One or more files hold problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class WriteRefused(DunError):
    """An append was refused to keep the file safe."""


def did_you_mean(word: str, choices) -> str:
    """Suffix like ``; did you mean 'amount'?`` or the list of choices."""
    choices = sorted(choices)
    import difflib  # only when a word is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; expected one of: " + ", ".join(choices)
