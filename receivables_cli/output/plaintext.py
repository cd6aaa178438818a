"""A letter's Markdown as the plain text people read in an e-mail: no markup, tables as aligned columns.

Python-Markdown parses the text (so escapes, emphasis and tables mean what they mean in the HTML
part); the element tree it builds is then written out as text instead of HTML.
"""

from __future__ import annotations

import re
import textwrap

_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_TAGS = re.compile(r"<[^>]*>")
_BREAK = "\x00"  # a hard line break (<br>); other line ends in the source are soft


def markdown_to_text(source: str, width: int = 72) -> str:
    """Plain text of a Markdown letter: paragraphs, lists, headings and aligned tables."""
    import markdown
    from markdown.extensions.tables import TableExtension

    md = markdown.Markdown(extensions=[TableExtension()])  # not by name: see output/letters.py _markdown_html
    captured = []
    md.treeprocessors.register(_capture_class()(md, captured), "dun-capture", -100)  # after unescaping
    md.convert(source)
    stash = [_TAGS.sub("", str(block)) for block in md.htmlStash.rawHtmlBlocks]
    blocks = [_block(el, width) for el in captured[0]] if captured else []
    text = "\n\n".join(b for b in blocks if b.strip())
    text = _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], text)
    import html

    text = html.unescape(text).replace("\xa0", " ")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def _capture_class():
    from markdown.treeprocessors import Treeprocessor

    class Capture(Treeprocessor):
        def __init__(self, md, sink):
            super().__init__(md)
            self.sink = sink

        def run(self, root):
            self.sink.append(root)

    return Capture


def _inline(el) -> str:
    """The text of an element with its inline children; a <br> is a line break."""
    parts = [el.text or ""]
    for child in el:
        parts.append(_BREAK if child.tag == "br" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _block(el, width: int) -> str:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        title = _inline(el).strip()
        return f"{title}\n{('=' if tag in ('h1', 'h2') else '-') * len(title)}"
    if tag in ("ul", "ol"):
        return "\n".join(_item(li, f"{n}." if tag == "ol" else "-", width) for n, li in enumerate(el, 1))
    if tag == "table":
        return _table(el)
    if tag == "hr":
        return "-" * 24
    if tag == "pre":
        return _inline(el).replace(_BREAK, "\n").rstrip("\n")
    if tag == "blockquote":
        return "\n".join("> " + line for b in el for line in _block(b, width - 2).splitlines())
    return _fill(_inline(el), width)


def _item(li, marker: str, width: int) -> str:
    inner = "\n".join(_block(child, width - 3) for child in li) if len(li) and li[0].tag == "p" else \
        _fill(_inline(li), width - len(marker) - 1)
    lines = inner.splitlines() or [""]
    pad = " " * (len(marker) + 1)
    return "\n".join([f"{marker} {lines[0]}"] + [pad + line for line in lines[1:]])


# Never wrapped apart: a no-break space, and an amount and its currency ("8,57 €", "CHF 2.50", "€ 3").
_KEEP_TOGETHER = re.compile(r"\u00a0|\u202f|(?<=\d) (?=€|CHF\b|EUR\b)|(?<=€) (?=\d)|(?<=\bCHF) (?=\d)"
                            r"|(?<=\bEUR) (?=\d)")
_GLUE = "\x00"
# An IBAN written in groups of four ("DE02 1203 0000 0000 2020 51") and a date ("4. Dezember 2026",
# "4 December 2026") are never wrapped apart either.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?\b")
_DATE = re.compile(r"\b\d{1,2}\.? (?:[A-ZÄÖÜ][a-zäöü]+) \d{4}\b")


def _fill(text: str, width: int) -> str:
    """Each hard line wrapped to `width`; lines of one long word (underscores) stay whole."""
    out = []
    for line in text.split(_BREAK):
        line = " ".join(line.replace("\u00a0", _GLUE).split())
        for whole in (_IBAN, _DATE):
            line = whole.sub(lambda m: m.group(0).replace(" ", _GLUE), line)
        line = _KEEP_TOGETHER.sub(_GLUE, line)
        wrapped = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
        out.extend(part.replace(_GLUE, " ") for part in wrapped)
    return "\n".join(out)


def _table(el) -> str:
    from tabulate import tabulate

    head = [_cell(th) for row in el.iter("thead") for tr in row for th in tr]
    rows = [[_cell(td) for td in tr] for body in el.iter("tbody") for tr in body]
    aligns = [("right" if "right" in (th.get("align") or th.get("style") or "") else "left")
              for row in el.iter("thead") for tr in row for th in tr]
    return tabulate(rows, headers=head, tablefmt="simple", disable_numparse=True, colalign=aligns or None)


def _cell(el) -> str:
    return " ".join(_inline(el).replace(_BREAK, " ").split())
