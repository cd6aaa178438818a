"""One message as dun reads it: who, when, which thread, and the new text without quotes or signature.

Parsing is the standard library's `email` package; whatever a message gets wrong (broken MIME,
an unknown charset, a header that does not parse) becomes a readable fallback or a problem
line, never an exception.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

SUMMARY_CHARS = 300
_ID = re.compile(r"<([^<>\s]{1,500})>")
_QUOTE_HEAD = re.compile(
    r"^\s*(?:On\b.{0,200}\bwrote:|Am\b.{0,200}\bschrieb.{0,100}:|-{2,}\s*(?:Original Message|Ursprüngliche "
    r"Nachricht|Forwarded message|Weitergeleitete Nachricht)\s*-{2,}|_{10,}|(?:From|Von):\s.+|"
    r"(?:Sent|Gesendet):\s.+)\s*$", re.I)
_SIGNATURE = re.compile(
    r"^\s*(?:--\s*|(?:mit )?(?:freundlichen|besten|herzlichen|viele|beste|liebe) grü(?:ß|ss)en?\b.*|"
    r"(?:kind|best|warm)(?:est)? regards\b.*|regards,?|best,?|cheers,?|sincerely,?|yours (?:sincerely|truly)\b.*|"
    r"sent from my \w+.*|von meinem \w+ gesendet.*)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Incoming:
    """What dun needs of a message; `problem` says why it could not be read (then little else is set)."""

    source: str
    message_id: str
    sender: str  # the address, lower case ('' if none)
    subject: str
    date: datetime | None
    references: tuple[str, ...]  # In-Reply-To first, then References, without <>
    auto: bool  # an automatic reply (Auto-Submitted, X-Autoreply, ...)
    bulk: bool  # a bounce, a mailing list or a bulk mail: not a reply
    new_text: str  # the text the sender wrote, without quoted lines and signature
    full_text: str  # all of the text, quotes included (for case ids and invoice numbers)
    problem: str = ""


def read_message(source: str, data: bytes) -> Incoming:
    """The message in `data`, however broken."""
    from email import policy
    from email.parser import BytesParser

    try:  # compat32: the headers are decoded here, as needed (the default policy parses each one, 5x slower)
        msg = BytesParser(policy=policy.compat32).parsebytes(data)
    except Exception as e:  # noqa: BLE001  (the email package raises many kinds on broken input)
        return _unreadable(source, data, f"not a readable e-mail ({type(e).__name__})")
    if not data.strip():
        return _unreadable(source, data, "empty, not an e-mail")
    if not any(msg.get(h) for h in ("from", "sender", "message-id", "date", "subject")):
        return _unreadable(source, data, "not an e-mail: no From, Date, Subject or Message-ID header")
    text = body_text(msg)
    return Incoming(source, _message_id(msg, data), _sender(msg), clean_line(_header(msg, "subject")),
                    _date(msg), _references(msg), _auto(msg), _bulk(msg), new_text(text), text)


def _unreadable(source: str, data: bytes, why: str) -> Incoming:
    return Incoming(source, _made_id(data), "", "", None, (), False, False, "", "", why)


def _header(msg, name: str) -> str:
    """A header as text, its encoded words decoded; one that does not decode is read as it stands."""
    from email.header import decode_header, make_header

    value = msg.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):  # a header with bytes the parser could not read as text
        return str(value)
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001  (an unknown charset: LookupError; a broken encoded word: others)
        return value


def clean_line(text: str, limit: int = 200) -> str:
    """One printable line: no line breaks or control characters (a header cannot smuggle in another)."""
    cleaned = "".join(c for c in " ".join(text.split()) if c.isprintable())
    return cleaned[:limit]


def _message_id(msg, data: bytes) -> str:
    found = _ID.search(_header(msg, "message-id"))
    return clean_line(found.group(1), 500) if found else _made_id(data)


def _made_id(data: bytes) -> str:
    """A stable id for a message without one, so a second import knows it."""
    return f"{hashlib.sha256(data[:65536]).hexdigest()[:32]}@no-message-id.dun.invalid"


def _sender(msg) -> str:
    from email.utils import getaddresses

    for header in ("from", "sender", "reply-to"):
        pairs = getaddresses([_header(msg, header)])
        for _name, address in pairs:
            if "@" in address:
                return clean_line(address.lower(), 254)
    return ""


def _date(msg) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(_header(msg, "date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when and 1900 < when.year < 9000 else None


def _references(msg) -> tuple[str, ...]:
    ids = _ID.findall(_header(msg, "in-reply-to")) + list(reversed(_ID.findall(_header(msg, "references"))))
    return tuple(dict.fromkeys(i.strip() for i in ids))


def _auto(msg) -> bool:
    auto = _header(msg, "auto-submitted").strip().lower()
    if auto and auto != "no":
        return True
    if any(_header(msg, h) for h in ("x-autoreply", "x-autorespond", "x-auto-response-suppress-none")):
        return True
    return _header(msg, "precedence").strip().lower() == "auto_reply"


def _bulk(msg) -> bool:
    sender = _header(msg, "from").lower()
    if "mailer-daemon@" in sender or "postmaster@" in sender:
        return True
    if _header(msg, "list-id") or _header(msg, "precedence").strip().lower() in ("bulk", "list", "junk"):
        return True
    return msg.get_content_type() == "multipart/report"


def body_text(msg) -> str:
    """The message's text: its first text/plain part, else its HTML turned into text."""
    plain, html = None, None
    for part in _parts(msg):
        kind = part.get_content_type()
        if part.get_content_disposition() == "attachment":
            continue
        if kind == "text/plain" and plain is None:
            plain = _decoded(part)
        elif kind == "text/html" and html is None:
            html = _decoded(part)
    if plain and plain.strip():
        return plain
    return html_text(html) if html else ""


def _parts(msg):
    try:
        yield from msg.walk()
    except Exception:  # noqa: BLE001  (a broken multipart: what was read so far is all there is)
        return


def _decoded(part) -> str:
    """A text part as str in its charset; an unknown or wrong charset falls back to UTF-8, then Latin-1."""
    try:
        raw = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001  (a broken transfer encoding)
        return ""
    if isinstance(raw, str):
        return raw
    for charset in (part.get_content_charset() or "utf-8", "utf-8"):
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


def html_text(html: str) -> str:
    """The visible text of an HTML mail: blocks become lines, scripts and styles are dropped."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.out, self.hidden, self.quote = [], 0, 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style", "head", "title"):
                self.hidden += 1
            elif tag == "blockquote":
                self.quote += 1
            if tag in ("br", "p", "div", "li", "tr", "blockquote", "h1", "h2", "h3"):
                self.out.append("\n")

        def handle_endtag(self, tag):
            if tag in ("script", "style", "head", "title"):
                self.hidden = max(0, self.hidden - 1)
            elif tag == "blockquote":
                self.quote = max(0, self.quote - 1)
                self.out.append("\n")

        def handle_data(self, data):
            if not self.hidden:
                self.out.append("".join("> " + line if self.quote else line for line in data.splitlines(True)))

    parser = Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001  (html.parser is lenient, but an assertion in it must not end the import)
        pass
    return "".join(parser.out)


def new_text(text: str) -> str:
    """The lines the sender wrote: up to the first quote header or signature, without '>' lines."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_HEAD.match(line) or _SIGNATURE.match(line):
            break
        if line.startswith(">From "):  # mbox escapes a line starting "From ": it is the sender's own
            line = line[1:]
        elif line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def summary(text: str) -> str:
    """The new text on one line, at most SUMMARY_CHARS characters (cut at a word)."""
    line = clean_line(text, 10_000)
    if len(line) <= SUMMARY_CHARS:
        return line
    cut = line[:SUMMARY_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"
