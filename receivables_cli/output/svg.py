"""A small SVG writer for the HTML report: stacked bars, across or upright, as inline SVG text.

Amounts come in as Decimal and are printed as given; only the geometry is computed in floats.
Every bar is a `<rect class="bar">` with its series, its value and a `<title>` (the tooltip), so a
browser shows the figure on hover and a test can count the bars in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;font-size:12px"


@dataclass(frozen=True, slots=True)
class Series:
    """One coloured series of a chart."""
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class Row:
    """One bar: its label, a value for each series (in the series' order), and text after it."""

    label: str
    values: tuple[Decimal, ...]
    note: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.values, Decimal(0))


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, series: Series, value: Decimal, title: str) -> str:
    return (f'<rect class="bar" data-series="{escape(series.name)}" data-value="{value}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{max(w, 0.5):.1f}" height="{h:.1f}" fill="{series.colour}"><title>{escape(title)}</title></rect>')


def _open(name: str, label: str, width: int, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{name}" role="img" '
            f'aria-label="{escape(label)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'style="{FONT}">')


def legend(series: tuple[Series, ...], y: float, x: float = 0) -> list[str]:
    parts = []
    for s in series:
        parts.append(f'<rect class="key" x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{s.colour}"/>')
        parts.append(_text(x + 14, y, s.name))
        x += 24 + 7 * len(s.name)
    return parts


def across(name: str, label: str, rows: list[Row], series: tuple[Series, ...], unit: str, width: int = 720) -> str:
    """Horizontal stacked bars, one row each: the label left, the bar, the total (and note) right."""
    label_w, right_w, bar_h, gap = 210, 170, 18, 8
    top = 24 if len(series) > 1 else 4
    height = top + len(rows) * (bar_h + gap) + 4
    biggest = max((float(r.total) for r in rows), default=0.0) or 1.0
    scale = (width - label_w - right_w) / biggest
    parts = [_open(name, label, width, height)]
    if len(series) > 1:
        parts += legend(series, 14)
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(_text(label_w - 8, y + 13, _cut(row.label, 30), "end"))
        x = float(label_w)
        for s, value in zip(series, row.values, strict=True):
            if value > 0:
                w = float(value) * scale
                parts.append(_rect(x, y, w, bar_h, s, value, f"{row.label}: {s.name} {value} {unit}"))
                x += w
        parts.append(_text(x + 6, y + 13, f"{row.total} {unit}{'  ' + row.note if row.note else ''}"))
    parts.append("</svg>")
    return "".join(parts)


def upright(name: str, label: str, columns: list[Row], series: tuple[Series, ...], unit: str,
            width: int = 720, height: int = 240) -> str:
    """Vertical stacked columns with a label under each and the total above it."""
    top, bottom, left = 34, 36, 8
    plot_h = height - top - bottom
    step = (width - left) / max(len(columns), 1)
    bar_w = min(56.0, step * 0.7)
    biggest = max((float(c.total) for c in columns), default=0.0) or 1.0
    parts = [_open(name, label, width, height), *legend(series, 14, left)]
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#999" stroke-width="1"/>')
    for i, column in enumerate(columns):
        x = left + i * step + (step - bar_w) / 2
        y = float(base)
        for s, value in zip(series, column.values, strict=True):
            if value > 0:
                h = float(value) / biggest * plot_h
                y -= h
                parts.append(_rect(x, y, bar_w, h, s, value, f"{column.label}: {s.name} {value} {unit}"))
        if column.total > 0:
            parts.append(_text(x + bar_w / 2, y - 4, _short(column.total), "middle"))
        parts.append(_text(x + bar_w / 2, base + 15, column.label, "middle"))
        if column.note:
            parts.append(_text(x + bar_w / 2, base + 29, column.note, "middle", ' fill="#666"'))
    parts.append("</svg>")
    return "".join(parts)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Decimal) -> str:
    """A column's total above it: whole units, the cents are in the tooltip."""
    return f"{value:.0f}" if value == value.to_integral_value() or value >= 100 else f"{value}"
