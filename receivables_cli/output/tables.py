"""Text tables that fit a width: free-text columns give way, never a line longer than the width.

A table may come in several layouts, fullest first; the first that fits the width wins, with
its free-text columns cut at a word boundary with … (or wrapped within the column). When
none fits, each row is printed as a block of `header: value` lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from receivables_cli.output.term import paint

GAP = 2  # tabulate's "simple" format puts two spaces between columns
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours output.term.paint writes: they take no column
MIN_FLEX = 16  # narrower than this, a free-text column says too little: the next layout drops it


@dataclass(frozen=True)
class Layout:
    """One way to show a table: its columns, which of them give way, and how cells are coloured."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    right: tuple[int, ...] = ()
    flex: tuple[int, ...] = ()  # free-text columns that are cut (or wrapped) to fit
    wrap: bool = False  # wrap the flex columns within their width instead of cutting them
    min_flex: int = MIN_FLEX  # a flex column narrower than this says too little: the next layout drops it
    # column -> each row's colour (a name of output.term.STYLES), or None: the cell as it is
    styles: dict[int, Sequence[str | None]] = field(default_factory=dict)


def display_width(text: str) -> int:
    """Columns the text takes in a terminal (wide characters count two, colour codes none)."""
    if text.isprintable() and _narrow(text):
        return len(text)  # the common case (ASCII, German and French names), without importing wcwidth
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    from wcwidth import wcswidth

    found = wcswidth(text)
    return found if found >= 0 else len(text)


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` columns at a word boundary, with …; whole words only where possible."""
    if display_width(text) <= limit:
        return text
    from wcwidth import wcwidth

    if limit <= 1:
        return "…"[:limit]
    kept, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > limit - 1:
            break
        kept.append(ch)
        used += w
    cut = "".join(kept)
    next_char = text[len(cut)] if len(cut) < len(text) else " "
    if not next_char.isspace() and " " in cut.strip():
        cut = cut.rstrip()
        cut = cut[: cut.rfind(" ")]  # the last whole word
    return cut.rstrip(" ,;:-–·") + "…"


def fit(layouts: Sequence[Layout], width: int | None) -> str:
    """The first layout that fits the width (None: no limit), else the rows as blocks."""
    for layout in layouts:
        text = _render(layout, width)
        if text is not None:
            return text
    return _blocks(layouts[0], width)


def _render(layout: Layout, width: int | None) -> str | None:
    if width is None:  # piped: nothing to measure, nothing to cut
        return _tabulate(layout, [_fitted_row(layout, row, n, None) for n, row in enumerate(layout.rows)], None)
    widths = _shrink(layout, _natural(layout), width)
    if widths is None:
        return None
    rows = [_fitted_row(layout, row, n, widths) for n, row in enumerate(layout.rows)]
    text = _tabulate(layout, rows, widths)
    if max(map(display_width, text.splitlines()), default=0) > width:
        return None  # a cell wrapped wider than planned: let the next layout try
    return text


def _natural(layout: Layout) -> list[int]:
    return [max([display_width(h)] + [display_width(r[i]) for r in layout.rows])
            for i, h in enumerate(layout.headers)]


def _shrink(layout: Layout, widths: list[int], width: int) -> list[int] | None:
    """Narrow the flex columns, the widest first, until the table fits; None if it cannot."""
    widths = list(widths)
    floor = {i: min(widths[i], max(display_width(layout.headers[i]), layout.min_flex)) for i in layout.flex}
    excess = sum(widths) + GAP * (len(widths) - 1) - width
    while excess > 0:
        room = [i for i in layout.flex if widths[i] > floor[i]]
        if not room:
            return None
        widest = max(room, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _fitted_row(layout: Layout, row: Sequence[str], n: int, widths: list[int] | None) -> list[str]:
    cells = []
    for i, cell in enumerate(row):
        if widths is not None and i in layout.flex and not layout.wrap:
            cell = shorten(cell, widths[i])
        style = layout.styles[i][n] if i in layout.styles else None
        cells.append(paint(cell, style, True) if style and not (layout.wrap and i in layout.flex) else cell)
    return cells


def _tabulate(layout: Layout, rows: list[list[str]], widths: list[int] | None) -> str:
    wrap = [widths[i] if widths and layout.wrap and i in layout.flex else None for i in range(len(layout.headers))]
    plain = None if any(wrap) else simple(layout.headers, rows, layout.right)
    if plain is not None:
        return plain
    import tabulate

    align = ["right" if i in layout.right else "left" for i in range(len(layout.headers))]
    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, 0  # no two spare columns after each header
    try:
        return tabulate.tabulate(rows, headers=list(layout.headers), tablefmt="simple", disable_numparse=True,
                                 colalign=align, maxcolwidths=wrap if any(wrap) else None)
    finally:
        tabulate.MIN_PADDING = padding


def simple(headers: Sequence[str], rows: Sequence[Sequence[str]], right: tuple[int, ...] = (),
           padding: int = 0) -> str | None:
    """tabulate's "simple" table (no number parsing; `padding`: its MIN_PADDING) of plain ASCII
    cells, made without importing tabulate (a third of `dun show`'s start-up); None for any other
    cell, which tabulate then lays out (wide characters, colours, line breaks, blanks it strips)."""
    table = [list(headers), *(list(row) for row in rows)]
    if len(table) < 2 or any(len(row) != len(headers) for row in table):
        return None  # a table without rows tabulate aligns its own way
    for row in table:
        for cell in row:
            if type(cell) is not str or not cell.isprintable() or cell != cell.strip() or not _narrow(cell):
                return None
    widths = [max([len(headers[i]) + padding, *(len(row[i]) for row in table[1:])]) for i in range(len(headers))]
    if not all(widths):
        return None

    def line(cells) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(table[0]), "  ".join("-" * w for w in widths), *(line(row) for row in table[1:])])


_NARROW = frozenset("–—‘’‚“”„…·•€")  # punctuation of German and English text, one column each


def _narrow(text: str) -> bool:
    """Whether every character takes one column: ASCII, Latin-1 and Latin Extended-A letters and
    signs (not the soft hyphen), common punctuation. Anything else goes to wcwidth's tables."""
    return text.isascii() or all(c < "\x80" or ("\xa1" <= c <= "\u017f" and c != "\xad") or c in _NARROW
                                 for c in text)


def _wrap(text: str, width: int, **options) -> list[str]:
    """textwrap's wrapping with display widths: tabulate's wrapper, which counts wide characters as two."""
    import textwrap

    import tabulate

    wrapper = getattr(tabulate, "_CustomTextWrap", textwrap.TextWrapper)
    return wrapper(width=width, break_on_hyphens=False, **options).wrap(text)


def _blocks(layout: Layout, width: int | None) -> str:
    """Each row as its first cell, then `header: value` lines wrapped to the width: for very narrow terminals."""
    label = max(display_width(h) for h in layout.headers[1:]) + 1 if len(layout.headers) > 1 else 0
    blocks = []
    for row in layout.rows:
        lines = [row[0]] + [f"  {(h + ':'):<{label}} {cell}" for h, cell in zip(layout.headers[1:], row[1:],
                                                                                strict=True)]
        if width:
            lines = [part for line in lines for part in _wrap(
                line, width, subsequent_indent=" " * min(label + 3, width // 2)) or [""]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def wrap_lines(lines: Sequence[str], width: int | None, keep: Callable[[str], bool] = lambda line: False) -> str:
    """Prose lines wrapped to the width under their own indent; lines that `keep` says stay whole."""
    if width is None:
        return "\n".join(lines)
    out = []
    for line in "\n".join(lines).split("\n"):
        if display_width(line) <= width or keep(line):
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        hang = indent + " " * _hanging(line.lstrip())
        out.extend(_wrap(line.strip(), width, initial_indent=indent, subsequent_indent=hang) or [line])
    return "\n".join(out)


def _hanging(text: str) -> int:
    """Continuation lines of `-> rule: ...`, `[1] ...` and `1. ...` line up under the text."""
    if text.startswith(("-> ", "- ", "* ")):
        return text.index(" ") + 1
    head = text.split(" ", 1)[0]
    if head.startswith("[") and head.endswith("]") or head.rstrip(".").isdigit():
        return len(head) + 1
    return 2
