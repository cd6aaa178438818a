"""parse_xml checks a document with defusedxml and builds it with the C parser: the same tree,
and the same refusal or error, as defusedxml's own fromstring, on documents of any shape."""

from __future__ import annotations

from xml.etree.ElementTree import ParseError, tostring

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receivables_cli.imports.records import ImportProblem
from receivables_cli.imports.safexml import parse_xml
from tests.conftest import ACME


def _reference(data: bytes) -> str:
    """What parse_xml gave when defusedxml's fromstring built the tree: the tree, or the message."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return tostring(fromstring(data, forbid_dtd=True)).decode()
    except DefusedXmlException as e:
        return f"refused ({type(e).__name__})"
    except ParseError as e:
        return f"not well-formed XML ({e})"


def _now(data: bytes) -> str:
    try:
        return tostring(parse_xml("f.xml", data)).decode()
    except ImportProblem as e:
        if e.message.startswith("refused:"):
            return f"refused ({e.message.split('(')[1].split(')')[0]})"
        return e.message


PROLOGS = ["", '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0" encoding="ISO-8859-1"?>',
           '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>', '<!DOCTYPE d SYSTEM "http://x/d.dtd">',
           '<!DOCTYPE d>', '<!ENTITY x SYSTEM "file:///etc/passwd">', "<!-- c -->", "\ufeff"]
TEXTS = ["12.50", " text ", "&amp;", "&#x41;", "<![CDATA[<&>]]>", "<!-- c -->", "<?pi x?>", "\r\n", "\u00e4", "",
         " ", "\t", "&lt;", "&#xe4;"] * 3 + ["&#0;", "&a;", "&x;"]
TAGS = ["Ntry", "Amt Ccy='EUR'", 'c:Nm xmlns:c="urn:c"', 'Document xmlns="urn:camt.053"', "TxDtls", "Ustrd"] * 3 + [
    "x:e", "e a='1' a='2'"]
BREAKS = ["", "", "", "", "<", "&", "]]>", "\x00", "</d>", "<e>"]


def _element(tag: str, inside: list[str]) -> str:
    return f"<{tag}>{''.join(inside)}</{tag.split()[0]}>"


elements = st.recursive(st.sampled_from(TEXTS), lambda inner: st.builds(
    _element, st.sampled_from(TAGS), st.lists(inner, max_size=4)), max_leaves=12)
documents = st.builds(lambda prolog, root, broken, after: prolog + root + broken + after, st.sampled_from(PROLOGS),
                      st.builds(_element, st.sampled_from(TAGS), st.lists(elements, max_size=4)),
                      st.sampled_from(BREAKS), st.sampled_from(["", "\n", "<!-- c -->", "<d/>"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(["utf-8", "latin-1"]))
def test_parse_xml_as_defusedxml_built_it(document, encoding):
    data = document.encode(encoding, "replace")
    assert _now(data) == _reference(data)


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>',
    b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    b'<!DOCTYPE d SYSTEM "http://example.org/d.dtd"><d/>',
    b'<d>&undefined;</d>', b'<d><e></d>', b'', b'<c:d/>',
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><Ntry><Amt Ccy="EUR">1.00</Amt></Ntry>'
    b'</Document>',
])
def test_hostile_and_broken_documents_as_before(data):
    assert _now(data) == _reference(data)
    assert _now(data).startswith("refused") is data.startswith((b"<?xml", b"<!DOCTYPE"))


@pytest.mark.parametrize("kind", ["bank", "invoice"])
def test_a_document_in_an_encoding_python_does_not_know_is_named_not_a_traceback(ledger, tmp_path, kind):
    ledger.case("acme", ACME)
    odd = tmp_path / "odd.xml"
    odd.write_bytes(b'<?xml version="1.0" encoding="X-NOPE"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
                    b'camt.053.001.02"><BkToCstmrStmt/></Document>\n')
    done = ledger.run("import", kind, str(odd))
    said = done.stdout + done.stderr
    assert done.exit_code != 0 and "Traceback" not in said and "LookupError" not in said
    assert f"{odd}: not readable XML (unknown encoding: X-NOPE); save it as UTF-8" in said
