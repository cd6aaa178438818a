"""A Markdown table's column alignment is not a style a template brought (dun check on the built-in set)."""

from receivables_cli.output.letter_checks import LetterRefused, refuse_hidden_payment


def test_table_alignment_is_not_refused_but_a_style_attribute_is():
    refuse_hidden_payment("| a | b |\n|---|--:|\n| 1 | 2 |", '<td style="text-align: right;">2</td>')
    try:
        refuse_hidden_payment("x", '<td style="display:none">2</td>')
    except LetterRefused:
        return
    raise AssertionError("a hiding style passed")
