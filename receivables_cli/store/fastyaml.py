"""The fast path: well-formed case files parsed by rapidyaml into the values dun's reader takes.

rapidyaml (``ryml``, optional) parses a case file many times faster than libyaml composes it.
Its JSON emitter hands back the values: scalars as their text (numbers are read as text, so
``1190.10`` stays exact), maps as `YMap`, lists as lists. It does not report lines, and it is
more lenient than PyYAML in places, so this path takes only what it fully understands and says
None for anything else: tags, anchors, aliases, merge keys, directives, documents markers,
tabs, control and line-separator characters, escapes other than ``\\\\ \\" \\n \\t``, null
spellings it cannot tell from text (``~``, ``Null``), complex keys, compact nested lists,
deep indentation or nested brackets, duplicate keys, and every file ryml itself refuses.
The caller then reads the file the slow way (yamltext), which gives each problem its line.

The only line a `Case` keeps is the line of each history entry; it is found in the text
(each entry starts at the history's indent with ``- ``) and the file is refused when the
count differs from the entries parsed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager

from receivables_cli.domain.yamltext import MAX_DEPTH, NO_LINES, YMap

# rapidyaml is optional: without the wheel every file takes the PyYAML path. It is imported when
# a text is first parsed, not before: a small ledger read from the cache needs none of it (its
# import, with `deprecation` and `packaging`, takes longer than the rest of `dun today`).
_ryml = None
_wheel: bool | None = None  # whether the wheel is installed, once asked


def _have_wheel() -> bool:
    global _wheel
    if _wheel is None:
        import importlib.util

        try:
            _wheel = _ryml is not None or importlib.util.find_spec("ryml") is not None
        except (ImportError, ValueError):  # pragma: no cover - a broken installation
            _wheel = False
    return _wheel


def _module():
    """rapidyaml, imported on first use; _Refused when it cannot be."""
    global _ryml, _wheel
    if _ryml is None:
        try:
            import ryml
        except ImportError:
            _wheel = False
            raise _Refused from None
        _ryml = ryml
    return _ryml

# anything whose meaning ryml and PyYAML might not agree on, or that dun refuses with a line
_BAD_CHARS = re.compile(r"[\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# 1. and .5: ryml's JSON writes them 1.0 and 0.5 (the pattern starts with a dot to be fast)
_ROUNDED = re.compile(r"\.(?:(?<=\d\.)(?=[\s,\]}]|$)|(?<=[\s:,\[{+-]\.)\d)")
_COMMENT_LINES = re.compile(r"^[ \t]*#.*$", re.M)  # both parsers skip them: "31 Dec 2026." there is no number
# where ryml reads further than PyYAML, or differently:
_BLOCK_HEADER = re.compile(r"(?:^|[ \t]|:|-)[|>](?![-+]?[ \t]*(?:#[^\n]*)?$)", re.M)  # |2, >2-, |x: only | > |- |+
_GLUED_COLON = re.compile(r":[^ \t\n]")  # where a value may start with ':' (most are times: 10:20)
_NESTED_LIST = re.compile(r"-[ ]+-(?:[ ]|$)", re.M)  # - - x
_ESCAPE = re.compile(r"\\[^\\\"nt]")  # escapes beyond the simple ones
_STARTS = ("---", "...", ":", " " * 24, *"!&*%@`?]},")
# (a character that must be in the text, what to look for then): one scan of a character
# finds most files clean; the longer look only where the character is
_RARE = (
    ("<", "<<"), ("~", "~"), ("N", "Null"), ("N", "NULL"),  # merge keys; null spellings JSON cannot tell from text
    (" :", " : "), (" :", " :\n"),  # empty keys
)
# document and conflict markers, deep block nesting, empty keys: all at a line's start
_LINE_START = re.compile(r"\n(?:---|\.\.\.|=======|>>>>>>>| {24}|:[ \n])")
# tags, anchors, aliases, directives, reserved and complex keys mean something only where a value
# starts (after "key: ", "- ", a bracket, a comma or a line's indent): "Korn & Söhne" is text
_NODE_INDICATORS = "!&*%@`?"
_NODE_STARTS = ":-[{,?\n\"']}"  # or a quoted scalar or a closed collection before it
_CLOSERS = "]},"  # stray closers and empty flow items, after any separator
_SEPARATORS = " \n,[{"


def _odd(text: str) -> bool:
    """Whether the text holds anything the fast path does not take (cheap checks first)."""
    if text.startswith(_STARTS):
        return True
    for char, word in _RARE:
        if char in text and word in text:
            return True
    if _LINE_START.search(text):
        return True
    if ("|" in text or ">" in text) and (not text.endswith("\n") or _BLOCK_HEADER.search(text)):
        return True  # ryml ends a last block scalar with a line break the file does not have
    if ("[" in text or "{" in text) and _comment_after_bracket(text):
        return True
    if _colon_value(text):
        return True
    if _BAD_CHARS.search(text) or _NESTED_LIST.search(text):
        return True
    if _ROUNDED.search(text) and _ROUNDED.search(_COMMENT_LINES.sub("", text)):
        return True
    if "\\" in text and _ESCAPE.search(text):
        return True
    for c in _NODE_INDICATORS:  # the text's start is checked above
        at = text.find(c, 1)
        while at > 0:
            j = at - 1
            while j >= 0 and text[j] == " ":  # each space is walked over once: linear in the text
                j -= 1
            if j < 0 or text[j] in _NODE_STARTS:
                return True
            at = text.find(c, at + 1)
    for c in _CLOSERS:
        at = text.find(c, 1)
        while at > 0:
            if text[at - 1] in _SEPARATORS and text[at - 1: at + 1] not in ("{}", "[]"):  # an empty one is fine
                return True
            at = text.find(c, at + 1)
    return ("]" in text or "}" in text) and _after_closer(text)


def _colon_value(text: str) -> bool:
    """A value that starts with ':' (``{name: :x}``, ``- :x``): PyYAML refuses some, ryml reads them."""
    for m in _GLUED_COLON.finditer(text):
        j = m.start() - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] in "[{," or (j < m.start() - 1 and j >= 0 and text[j] in "-:,?"):
            return True
    return False


def _comment_after_bracket(text: str) -> bool:
    """A " #" after a bracket on its line: PyYAML ends a flow collection's text there, ryml does
    not (one pass over the lines: a regular expression for it backtracks on long lines)."""
    if " #" not in text and "\t#" not in text:
        return False
    for line in text.split("\n"):
        first = min((at for at in (line.find("["), line.find("{")) if at >= 0), default=-1)
        if first >= 0 and not line.lstrip().startswith("#") and \
                (line.find(" #", first) >= 0 or line.find("\t#", first) >= 0):
            return True
    return False


def _after_closer(text: str) -> bool:
    """What follows a closed flow collection, where the parsers part ways: a colon (the collection
    used as a key, ``[a]: b``) or a dash (two sequence items on one line, ``- {a: 1} - {b: 2}``)."""
    for closer in "]}":
        at = text.find(closer)
        while at >= 0:
            rest = text[at + 1: at + 40]
            key = rest.lstrip(" ")
            if key.startswith((": ", ":\n")) or key == ":":
                return True
            gap = len(rest) - len(rest.lstrip(" \t"))
            if gap and rest[gap: gap + 1] == "-" and rest[gap + 1: gap + 2] in ("", " ", "\t", "\n"):
                return True
            at = text.find(closer, at + 1)
    return False


_HISTORY = re.compile(r"^history[ ]*:", re.M)
_FIRST_ITEM = re.compile(r"[ ]*(?:#[^\n]*)?\n(?:[ ]*(?:#[^\n]*)?\n)*([ ]+)-[ ]+[^\s#]")
_TOP = re.compile(r"\n[^\s#]")


class _Refused(Exception):
    pass


def enabled() -> bool:
    """Whether the fast path is on: the wheel is there and $DUN_FAST_YAML is not 0 (read once per batch)."""
    if _silenced and _batch_enabled is not None:
        return _batch_enabled
    return os.environ.get("DUN_FAST_YAML", "1") != "0" and _have_wheel()


_batch_enabled: bool | None = None


def parse(text: str, emitted: dict[str, str] | None = None):
    """The document's values (YMap / list / str / None), or None when the slow path must read it.

    Returns a pair (values, entry_lines): the line of each history entry in file order.
    `emitted` holds rapidyaml's JSON of texts read before, by their text (kept in the cache
    folder for dun.yaml): a text found there is not given to rapidyaml again; one read now is added.
    """
    if emitted is None:
        return parse_many([text])[0]
    plain = _plain_text(text)
    json_text = emitted.get(plain) if plain is not None else None
    if json_text is None:
        json_text = _json_of(plain)
        if json_text is not None:
            emitted[plain] = json_text
    return _with_lines(plain, _values(json_text, plain))


def parse_many(texts: list[str | None]) -> list:
    """`parse` of each text (None stays None), each step for all of them in turn: the code of
    one step stays in the processor's caches (see agenda._compute_batch)."""
    texts = [_plain_text(text) for text in texts]
    emitted = [_json_of(text) for text in texts]
    values = [_values(json_text, text) for json_text, text in zip(emitted, texts, strict=True)]
    return [_with_lines(text, found) for text, found in zip(texts, values, strict=True)]


def _plain_text(text: str | None) -> str | None:
    """The text with LF line ends, or None when it holds anything the fast path does not take."""
    if text is None:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a lone CR is refused below
    if _odd(text) or text.count("[") + text.count("{") > 4 * MAX_DEPTH:
        return None
    return text


def _json_of(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return _emit(text)
    except _Refused:
        return None


def _values(json_text: str | None, text: str | None):
    """(the values,) or None."""
    if json_text is None:
        return None
    try:
        values = json.loads(json_text, parse_float=str, parse_int=str, object_pairs_hook=_mapping)
    except (ValueError, TypeError, RecursionError, _Refused):
        return None
    if text.count("[") + text.count("{") > 4 and _depth(values) > MAX_DEPTH:
        return None  # few brackets cannot nest past the limit: only files with many are walked
    return (values,)


def _with_lines(text: str | None, found):
    if found is None:
        return None
    lines = _entry_lines(text, found[0])
    return None if lines is None else (found[0], lines)


_silenced = 0  # while above 0, file descriptor 2 points to /dev/null (see `silenced`)


@contextmanager
def silenced():
    """rapidyaml writes its parse errors to stderr before it raises (dun reports its own, with a
    line): for a batch of files, stderr is pointed away once, not twice per file, and whether
    the fast path is on is read once."""
    global _silenced, _batch_enabled
    if _silenced or not _have_wheel():
        _silenced += 1
        try:
            yield
        finally:
            _silenced -= 1
        return
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _silenced, _batch_enabled = 1, None
    _batch_enabled = enabled()
    try:
        yield
    finally:
        _silenced, _batch_enabled = 0, None
        os.dup2(saved, 2)
        os.close(saved)


def _emit(text: str) -> str:
    """rapidyaml's JSON for the text."""
    if not _silenced:
        with silenced():
            return _emit(text)
    ryml = _module()
    try:
        return ryml.emit_json(ryml.parse_in_arena(text.encode()))
    except Exception as e:  # ryml raises its own SWIG-wrapped exceptions
        raise _Refused from e


def _mapping(pairs):
    result = YMap(pairs)
    if len(result) != len(pairs):
        raise _Refused("duplicate key")
    result.line, result.key_lines = 0, NO_LINES  # every problem sends the file to the slow path
    return result


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def _entry_lines(text: str, values) -> list[int] | None:
    """The line of each history entry, or None when the text does not show them plainly."""
    history = values.get("history") if isinstance(values, dict) else None
    if not isinstance(history, list) or not history:
        return []
    start = _HISTORY.search(text)
    first = _FIRST_ITEM.match(text, start.end()) if start else None
    if first is None:
        return None
    end = _TOP.search(text, first.end())
    end = end.start() if end else len(text)
    pos = begin = first.start(1)
    line = text.count("\n", 0, pos) + 1
    lines = [line]
    # each further entry: a line at the first one's indent with "- " and a value on it
    for m in _entry_pattern(first.group(1)).finditer(text, pos, end):
        line += text.count("\n", pos, m.start() + 1)
        pos = m.start() + 1
        lines.append(line)
    if text.count("\n" + first.group(1) + "-", begin, end) != len(lines) - 1:
        return None  # a line at that indent that starts otherwise ("-x", "- # note"): the slow path knows
    return lines if len(lines) == len(history) else None


_ENTRY_PATTERNS: dict[str, re.Pattern] = {}


def _entry_pattern(indent: str) -> re.Pattern:
    found = _ENTRY_PATTERNS.get(indent)
    if found is None:
        found = _ENTRY_PATTERNS[indent] = re.compile("\n" + indent + r"-[ ]+[^\s#]")
    return found
