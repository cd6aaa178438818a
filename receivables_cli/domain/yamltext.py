"""YAML to plain values that remember their line, with no implicit typing.

PyYAML's constructor would turn ``1190.10`` into a float and ``2026-02-30`` into an
exception without a line. We only let PyYAML (its C parser where present) compose the
node tree, then build our own values from it: every scalar stays text with its line,
every mapping remembers the line of each key, duplicate keys and aliases are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from receivables_cli.domain.errors import Problem

_STD = "tag:yaml.org,2002:"
yaml = None  # PyYAML, imported by the first parse: a case the fast path reads never needs it
_Loader = None


def _pyyaml():
    """PyYAML and dun's loader class, imported once, on first use."""
    global yaml, _Loader
    if _Loader is None:
        import yaml as module

        yaml, _Loader = module, _loader_class(module)
    return yaml


def _loader_class(yaml):
    try:  # the C parser is several times faster; the pure one is a fallback
        base = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader

    class Loader(base):
        """Composes nodes without implicit typing: dun reads every scalar's text itself.

        Skipping the resolver's regular expressions for each scalar makes loading about a
        third faster; explicit tags (``!!python/...``) still reach the node and are refused.
        """

        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                return _STD + "str"
            return _STD + ("seq" if kind is yaml.SequenceNode else "map")

        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass

    return Loader


_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 32
MAX_BYTES = 4 * 1024 * 1024  # a case with 5,000 events is about 400 KB
MAX_NODES = 400_000  # ... and about 50,000 values
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)
_ITEM = re.compile(r"^( *)- at:", re.M)


class Scalar:
    """A scalar's source text, where it stands, and whether it was quoted."""

    __slots__ = ("text", "line", "plain")

    def __init__(self, text: str, line: int, plain: bool):
        self.text, self.line, self.plain = text, line, plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in _NULLS

    def __repr__(self) -> str:
        return f"Scalar({self.text!r}, line={self.line})"


class YMap(dict):
    """A mapping from key text to value, with its own line and each key's line."""

    __slots__ = ("line", "key_lines")


class UnknownLines(dict):
    """The key lines of a map read without lines (the fast reader): every key is on line 0."""

    def __missing__(self, key):
        return 0


NO_LINES = UnknownLines()


class YSeq(list):
    """A sequence with the line it starts on."""

    __slots__ = ("line",)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def parse(text: str, path: Path | str) -> tuple[object | None, list[Problem]]:
    """Parse one YAML document into Scalar/YMap/YSeq values, or return its problem."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return None, [Problem(path, line, "git conflict marker: finish the merge by keeping the entries of both "
                                          "sides and deleting the <<<<<<<, ======= and >>>>>>> lines")]
    yaml = _pyyaml()
    limit = measure(text)
    if limit:
        return None, [Problem(path, *limit)]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(x for x in (e.context, e.problem) if x)
        return None, [Problem(path, line, f"not valid YAML: {what}{_indent_hint(text)}")]
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        code = ord(e.character) if isinstance(e.character, str) else e.character
        return None, [Problem(path, line, f"not valid YAML: character U+{code:04X} is not allowed in a "
                                          "YAML file; delete it")]
    except yaml.YAMLError as e:
        return None, [Problem(path, 1, f"not valid YAML: {e}")]
    except RecursionError:
        return None, [Problem(path, 1, f"nested deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, []
    try:
        return _build(node, set(), 0), []
    except YamlProblem as e:
        return None, [Problem(path, e.line, e.message)]


def measure(text: str) -> tuple[int, str] | None:
    """The line and message of the first limit the text passes (nesting, node count), else None.

    PyYAML's C composer recurses once per level of block or flow nesting and crashes the
    interpreter on a deep enough file (`- - - … x`, `[[[…]]]`); libyaml's event parser keeps
    its own stack, so dun walks the event stream first and composes only what it measured.
    The node count stops a big file of shallow values before it is built into memory.
    """
    yaml = _pyyaml()
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                nodes += 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                nodes += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels"
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            if nodes > MAX_NODES:
                return event.start_mark.line + 1, (f"more than {MAX_NODES} values: more than a case file can hold; "
                                                   "split it or move it out of cases/")
    except yaml.MarkedYAMLError as e:
        if "nesting depth" in str(e.problem):  # libyaml's own limit (PyYAML 6.0.3 on): say it as dun does
            mark = e.problem_mark or e.context_mark
            return (mark.line + 1 if mark else 1), f"nested deeper than {MAX_DEPTH} levels"
        return None  # compose reports it with its line
    except yaml.YAMLError:
        return None
    return None


def _indent_hint(text: str) -> str:
    """A hint when history entries start at different indents, as a careless merge leaves them."""
    widths = sorted({len(m.group(1)) for m in _ITEM.finditer(text)})
    if len(widths) > 1:
        return (f" (entries start at {' and '.join(str(w) for w in widths)} spaces: give every '- at:' the same "
                "indent; a merge may have mixed them)")
    return ""


_MULTILINE = ("address", "note", "text", "terms")  # fields whose text may hold line breaks and tabs


def control_character(text: str, what: str) -> str | None:
    """Why a text field's value cannot be used, if it holds a control or line-separator character.

    They pass YAML but break e-mail headers and letters (U+2028, U+0085, a vertical tab), so
    they are refused where they enter; line breaks and tabs only in multi-line fields.
    """
    allowed = "\n\t" if what.endswith(_MULTILINE) else ""
    for char in text:
        if (char < " " or "\x7f" <= char <= "\x9f" or char in "\u2028\u2029") and char not in allowed:
            return f"{what} contains a control character U+{ord(char):04X}; delete it"
        if char in _BIDI:
            return (f"{what} contains the bidirectional control U+{ord(char):04X}, which shows the text in another "
                    "order than it is written; delete it")
    return None


# embeddings, overrides and isolates: they reorder what a reader sees (a name, an IBAN, an amount);
# the plain marks U+200E/U+200F that right-to-left text needs stay allowed
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """File text as str (BOM removed, any line ending), or why it cannot be read."""
    try:
        data = _read_regular(path)
    except _NotReadable as e:
        return None, [Problem(path, 1, str(e))]
    except OSError as e:
        return None, [Problem(path, 1, f"cannot read: {e.strerror}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, [Problem(path, line, f"not valid UTF-8 (byte {e.start}); save the file as UTF-8")]


class _NotReadable(Exception):
    pass


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; a FIFO or device is refused, not read.

    Opening without blocking and checking the open file (not the name) leaves no moment in
    which a pipe swapped in for the file could hang dun.
    """
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:  # os.read on the descriptor: no file object for a read of one small file
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotReadable("not a regular file, skipped")
        if info.st_size > MAX_BYTES:
            raise _NotReadable(f"the file is {info.st_size / 1024 / 1024:.1f} MB, more than a case file can be "
                               f"({MAX_BYTES // 1024 // 1024} MB); split it or move it out of cases/")
        data = os.read(fd, info.st_size + 1)  # one byte more than the stat says: a short read is the end
        if len(data) > info.st_size:  # it grew since the stat: the rest, up to the limit
            chunks = [data]
            while (chunk := os.read(fd, min(MAX_BYTES + 1 - sum(map(len, chunks)), 1 << 20))) and \
                    sum(map(len, chunks)) <= MAX_BYTES:
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def _build(node, seen: set[int], depth: int):
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise YamlProblem(line, "anchors and aliases (&name / *name) are not supported in dun files")
    if depth > MAX_DEPTH:
        raise YamlProblem(line, f"nested deeper than {MAX_DEPTH} levels")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise YamlProblem(line, f"tag {_short(node.tag)} is not allowed; write plain values")
        return Scalar(node.value, line, not node.style)  # the C parser says "", the pure one None
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, "seq", line)
        seq = YSeq(_build(item, seen, depth + 1) for item in node.value)
        seq.line = line
        return seq
    _check_tag(node, "map", line)
    return _build_map(node, seen, depth, line)


def _build_map(node, seen: set[int], depth: int, line: int) -> YMap:
    result = YMap()
    result.line, result.key_lines = line, {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem(key_line, "a key must be a plain word")
        key = key_node.value
        if key == "<<":
            raise YamlProblem(key_line, "merge keys (<<) are not supported in dun files")
        if key in result:
            raise YamlProblem(key_line, _duplicate(result, key, key_line))
        result.key_lines[key] = key_line
        result[key] = _build(value_node, seen, depth + 1)
    return result


def _duplicate(entry: YMap, key: str, line: int) -> str:
    """A key given twice; in a history entry, most likely two entries a merge ran together."""
    first = entry.key_lines[key]
    if next(iter(entry), None) == "at":
        return (f"entries fused by a merge: lines {first} and {line} both say {key}:; make them two entries, "
                "each starting with '- at:' (run 'dun git-setup' so merges keep entries apart)")
    return f"duplicate key '{key}' (first on line {first}); keep one"


def _check_tag(node, kind: str, line: int) -> None:
    if node.tag != _STD + kind:
        raise YamlProblem(line, f"tag {_short(node.tag)} is not allowed; write plain values")


def _short(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
