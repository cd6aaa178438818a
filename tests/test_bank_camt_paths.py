"""camt.entry_paths answers every path as safexml.find and find_all do, on entries of any shape."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from hypothesis import given, settings
from hypothesis import strategies as st

from receivables_cli.imports.camt import entry_paths
from receivables_cli.imports.safexml import find, find_all

NAMES = ["Amt", "CdtDbtInd", "Sts", "Cd", "BookgDt", "Dt", "ValDt", "NtryDtls", "TxDtls", "RltdPties", "Dbtr",
         "Pty", "Nm", "DbtrAcct", "Id", "Othr", "RmtInf", "Ustrd", "Refs", "BkTxCd", "Domn", "Fmly", "RtrInf"]
SPACES = ["", "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.08}", "{urn:other}"]


def _element(tag: str, children: list) -> Element:
    e = Element(tag)
    e.text = tag
    e.extend(children)
    return e


tags = st.builds(lambda space, name: space + name, st.sampled_from(SPACES), st.sampled_from(NAMES))
trees = st.recursive(st.builds(_element, tags, st.just([])),
                     lambda inner: st.builds(_element, tags, st.lists(inner, max_size=4)), max_leaves=40)


def _paths_below(element, prefix: str = "", depth: int = 5):
    """Every path of local names below the element as long as the reader asks them (up to five
    names), and some that are not there."""
    for child in element:
        path = prefix + child.tag.rsplit("}", 1)[-1]
        yield path
        if depth > 1:
            yield path + "/Nm"
            yield from _paths_below(child, path + "/", depth - 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(trees, max_size=6))
def test_an_entrys_paths_are_what_find_finds(children):
    ntry = _element("Ntry", children)
    at, batch = entry_paths(ntry)
    for path in _paths_below(ntry):
        if not path.startswith("NtryDtls/"):
            assert at.get(path) is find(ntry, path), path
    assert [tx["."] for tx in batch] == find_all(ntry, "NtryDtls/TxDtls")
    for tx in batch:
        for path in _paths_below(tx["."]):
            assert tx.get(path) is find(tx["."], path), path
