"""Text that other software encoded: RFC 2047 encoded words, decoded so they are checked like typed text.

A name imported from an e-invoice may be written `=?utf-8?b?...?=`. It looks harmless, but a mail
library decodes it when it becomes a header, and a line break inside starts a header of its own.
"""

from __future__ import annotations

import re

_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def has_encoded_word(text: str) -> bool:
    return bool(_ENCODED_WORD.search(text))


def decoded_words(text: str) -> str:
    """The text with its encoded words decoded (as a mail program shows it); unchanged without any."""
    if "=?" not in text:
        return text
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError):
        return _ENCODED_WORD.sub("", text)  # an encoded word that cannot be decoded carries nothing we keep


def hidden_control(text: str) -> str | None:
    """What is wrong with a value once its encoded words are decoded: a line break or control character."""
    if not has_encoded_word(text):
        return None
    decoded = decoded_words(text)
    if any(c in "\r\n" for c in decoded):
        return "an encoded word (RFC 2047) that hides a line break"
    if any(not c.isprintable() for c in decoded):
        return "an encoded word (RFC 2047) that hides a control character"
    return None
