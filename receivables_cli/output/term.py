"""The terminal: its width, colour and the pager.

On a terminal, output fits its width, has colour and long texts go through a pager.
Piped or redirected, output is plain and whole, so scripts and grep get everything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys

switched_off_pager = False  # set by --no-pager

# what each kind of thing looks like on a terminal (typer.style's names)
# the ANSI colours (SGR codes) of each style, as click.style writes them
STYLES = {
    "overdue": "\x1b[31m",  # red
    "warning": "\x1b[33m",  # yellow
    "error": "\x1b[31m\x1b[1m",  # red, bold
    "fired": "\x1b[1m",  # bold
    "call": "\x1b[36m",  # cyan
    "letter": "\x1b[34m",  # blue
    "meeting": "\x1b[36m",  # cyan
    "decision": "\x1b[35m",  # magenta
}
_RESET = "\x1b[0m"


def is_terminal(stream=None) -> bool:
    """Whether the stream (stdout by default) is a terminal rather than a pipe or a file."""
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def width(stream=None) -> int | None:
    """The columns to fit into: the terminal's ($COLUMNS wins), or None when piped (no limit)."""
    if not is_terminal(stream):
        return None
    return max(shutil.get_terminal_size().columns, 20)


def wrap(text: str, stream=None) -> str:
    """The text fitted to the terminal's width, broken between words only (a word longer than a line
    stays whole); each line's own indent is kept on its continuation lines. Piped: as it is."""
    columns = width(stream)
    if columns is None:
        return text
    import textwrap

    lines = []
    for line in text.split("\n"):
        indent = line[:len(line) - len(line.lstrip(" "))]
        if line.lstrip().startswith(("- ", "* ")):
            indent += "  "  # a list item's lines hang under its text
        lines.extend(textwrap.wrap(line, columns, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False, drop_whitespace=True) or [""])
    return "\n".join(lines)


@contextlib.contextmanager
def progress(count: int, label: str, at_least: int = 5):
    """A progress bar on stderr while `count` things are worked through; yields the function to call
    after each (with how many were done, default one). Only on a terminal and for `at_least` things:
    piped or redirected, and for a few files, nothing is drawn. The bar goes away when done."""
    if count < at_least or not is_terminal(sys.stderr):
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=sys.stderr, no_color=not colour_on(sys.stderr))
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=count)
        yield lambda done=1: bar.advance(task, done)


def _nothing(done: int = 1) -> None:
    pass


def height() -> int:
    return shutil.get_terminal_size().lines


def colour_on(stream=None) -> bool:
    """Colour on a terminal, unless NO_COLOR is set to anything (no-color.org) or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def paint(text: str, style: str, on: bool) -> str:
    """The text in the style's colour when `on`, else as it is."""
    if not on or not text or style not in STYLES:
        return text
    return STYLES[style] + text + _RESET  # not typer.style: importing typer would cost a read command ~30 ms


def pager_command() -> str | None:
    """$DUN_PAGER (empty: no pager), else $PAGER, else ``less -FRX``; None when there is none."""
    if switched_off_pager:
        return None
    chosen = os.environ.get("DUN_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER") or "less -FRX"
    chosen = chosen.strip()
    if not chosen or chosen == "cat":
        return None
    import shlex

    try:
        program = shlex.split(chosen)[0]
    except (ValueError, IndexError):
        return None
    return chosen if shutil.which(program) else None


def page(text: str) -> None:
    """Print the text; on a terminal, through the pager when it is longer than the screen."""
    command = pager_command() if is_terminal() and is_terminal(sys.stdin) else None
    if command is None or text.count("\n") + 1 < height():
        print(text)
        return
    _run_pager(command, text)


def _run_pager(command: str, text: str) -> None:
    import shlex
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: colours pass, short texts do not wait for 'q'
    sys.stdout.flush()
    try:
        proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, env=env)
    except OSError:
        print(text)
        return
    try:
        proc.stdin.write((text + "\n").encode(sys.stdout.encoding or "utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit before the end: that is what a pager is for
    while True:
        try:
            proc.wait()
            return
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager (less uses it to stop a search)
