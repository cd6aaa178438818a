"""Parse XML from outside without trusting it: no DTDs, no entities, no network.

Bank statements and invoices come from other people's software; a file with an entity
declaration (billion laughs) or an external entity must fail fast with a clear message.
defusedxml wraps the standard library's parser and refuses both before expanding anything.
It reads the whole document first, building nothing; only a document it let pass, which has
no DTD and so nothing to expand, is built into a tree by the standard library's C parser.
"""

from __future__ import annotations

from receivables_cli.imports.records import ImportProblem


def parse_xml(path, data: bytes):
    """The root element; an ImportProblem for broken or hostile XML."""
    from xml.etree.ElementTree import ParseError, TreeBuilder, XMLParser

    from defusedxml import DefusedXmlException

    _PATHS.clear()  # the paths of the last document's elements
    try:
        _defused(data)
        parser = XMLParser(target=TreeBuilder())
        parser.feed(data)
        return parser.close()
    except DefusedXmlException as e:
        raise ImportProblem(path, f"refused: the XML declares a DTD or entities ({type(e).__name__}); "
                                  "statements and invoices never need them") from None
    except ParseError as e:
        raise ImportProblem(path, f"not well-formed XML ({e})") from None
    except LookupError as e:  # <?xml encoding="..."?> naming an encoding Python does not have
        raise ImportProblem(path, f"not readable XML ({e}); save it as UTF-8, as banks and invoicing tools "
                                  "write it") from None


def _defused(data: bytes) -> None:
    """defusedxml's parser over the document, as defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    runs it, raising what it raises (DTDForbidden, a ParseError), but with nothing to build: it has
    no element, text or default handler, where its tree took three times as long as the C parser's
    (the pure Python parser defusedxml needs calls Python for every tag)."""
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=_Nothing(), forbid_dtd=True)
    parser.parser.DefaultHandlerExpand = None  # set for every parser; with no handler for tags it took them all
    parser.feed(data)
    parser.close()


class _Nothing:
    """A parser's target without start, end or data: the parser sets no handler for them."""

    def close(self) -> None:
        return None


def local(tag: str) -> str:
    """A tag without its namespace: '{urn:...}Ntry' -> 'Ntry'."""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL) < 4096:  # a hostile file's endless tag names are not kept
            _LOCAL[tag] = name
    return name


_LOCAL: dict[str, str] = {}  # a statement of 20,000 entries names the same few dozen tags 300,000 times


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def find(element, path: str):
    """The first element along a '/'-separated path of local names, ignoring namespaces."""
    if path.count("/") >= _DEPTH or len(element) > 64:  # a statement's thousands of entries: walked, never indexed
        return next(_walk(element, path.split("/")), None)
    kept = _PATHS.get(id(element))
    if kept is None or kept[0] is not element:
        if len(_PATHS) >= 256:  # an element is asked its dozen paths in a row: only the last few are kept
            _PATHS.clear()
        found: dict = {}
        paths_below(element, "", _DEPTH - 1, found)
        kept = _PATHS[id(element)] = (element, found)
    return kept[1].get(path)


_DEPTH = 6  # the paths dun asks for are shorter: deeper ones are walked
_PATHS: dict[int, tuple] = {}  # id -> (the element, kept alive so its id is not reused; its paths)


def paths_below(parent, prefix: str, depth: int, found: dict) -> None:
    """Every path of local names below `parent`, `depth` levels further down, with the first
    element along it in document order (what `_walk` finds first): a statement's entry is asked
    a dozen paths. Depth first, so a path's first element is the first in the document."""
    for child in parent:
        tag = child.tag
        path = prefix + (_LOCAL.get(tag) or local(tag))
        if path not in found:
            found[path] = child
        if depth and len(child):
            paths_below(child, path + "/", depth - 1, found)


def _walk(element, names: list[str]):
    """Lazily, the elements along the path: `find` stops at the first, not after every sibling."""
    for child in element:
        if local(child.tag) == names[0]:
            if len(names) == 1:
                yield child
            else:
                yield from _walk(child, names[1:])


def find_all(element, path: str) -> list:
    found = [element]
    for name in path.split("/"):
        found = [c for e in found for c in e if local(c.tag) == name]
    return found


def text(element, path: str) -> str | None:
    """The text at a path as one printable line, or None when absent or empty.

    Names, numbers and subjects end up in case files, letters and e-mail headers, where a
    line break, U+2028 or a control character from someone else's software does not belong.
    """
    return line_text(find(element, path) if element is not None else None)


def line_text(found) -> str | None:
    """`text` of an element found already (None when there is none)."""
    value = " ".join((found.text or "").split()) if found is not None else ""
    if value.isprintable():
        return value or None
    return "".join(c for c in value if c.isprintable()) or None
