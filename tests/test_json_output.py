"""JSON on stdout: the fast writer gives exactly the text of json.dumps(indent=2)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from receivables_cli.cli.common import json_text

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text())
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8)


@given(st.lists(st.dictionaries(st.text(), SCALARS, max_size=6), max_size=5))
def test_a_list_of_flat_dicts_is_written_as_json_dumps_indented_writes_it(value):
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(VALUES)
def test_any_other_value_is_written_as_json_dumps_indented_writes_it(value):
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_strings_holding_newlines_braces_and_separators_stay_inside_their_quotes():
    value = [{"a": "x\n  },\n  {", "ü": "\u2028", "n": None}, {"b": 1.5}]
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert json.loads(json_text(value)) == value
