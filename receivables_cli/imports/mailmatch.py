"""Which case a message belongs to, most certain first: dun's own Message-ID in the thread, the
sender's address on a case, then a case id or invoice number in the subject or text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from receivables_cli.imports.mailtext import Incoming

# the stable id dun gives its e-mails: <case.template.yyyymmdd@domain>; also the older random ones
_STABLE = re.compile(r"(?P<case>[a-z0-9][a-z0-9._-]*)\.(?P<template>[a-z][a-z-]*)\.(?P<day>\d{8})")
_RANDOM = re.compile(r"\d+\.\d+\.\d+\.(?P<case>[a-z0-9][a-z0-9._-]*)")
_TOKEN = re.compile(r"[\w./-]+")


@dataclass(frozen=True, slots=True)
class Match:
    """The case a message belongs to (None: unmatched), how sure (`status`), and why in words."""

    case: str | None
    status: str  # matched, doubtful, unmatched
    why: str


class CaseIndex:
    """The ledger's cases by the addresses, invoice numbers, ids and reply Message-IDs they hold."""

    def __init__(self, states, own_domains: set[str]):
        self.own_domains = own_domains
        self.states = {s.case.id: s for s in states}
        self.by_address: dict[str, list[str]] = {}
        self.by_token: dict[str, str] = {}
        self.replies: dict[str, str] = {}
        for s in states:
            self._index(s)

    def _index(self, s) -> None:
        case = s.case
        for address in addresses_of(case):
            self.by_address.setdefault(address, []).append(case.id)
        self.by_token[case.id] = case.id
        for e in case.history:
            if e.event == "invoice" and e.number:
                self.by_token.setdefault(e.number.lower(), case.id)
            elif e.event == "reply" and e.message_id:
                self.replies[e.message_id] = case.id

    def domains_of(self, case_id: str) -> set[str]:
        return {a.rsplit("@", 1)[1] for a in addresses_of(self.states[case_id].case)}

    def named_in(self, text: str) -> list[tuple[str, str]]:
        """(case, the id or number) for each case id or invoice number the text names, first mention first."""
        found: dict[str, str] = {}
        for word in _TOKEN.findall(text):
            word = word.strip("./-")
            case = self.by_token.get(word.lower())
            if case and case not in found:
                found[case] = word
        return list(found.items())

    def case_of_reference(self, ref: str) -> tuple[str, str] | None:
        """(case, how) when a Message-ID is one of dun's letters or a reply recorded before."""
        if ref in self.replies:
            return self.replies[ref], f"it answers the reply {ref} recorded before"
        local, _, domain = ref.rpartition("@")
        if domain.lower() not in self.own_domains:
            return None
        m = _STABLE.fullmatch(local)
        if m and m.group("case") in self.states:
            d = m.group("day")
            return m.group("case"), f"it answers dun's {m.group('template')} letter of {d[:4]}-{d[4:6]}-{d[6:]}"
        m = _RANDOM.fullmatch(local)
        if m and m.group("case") in self.states:
            return m.group("case"), "it answers a letter dun rendered for this case"
        return None


def addresses_of(case) -> set[str]:
    """The e-mail addresses on a case: the customer's (contact's), the assistant's, the manager's."""
    c = case.customer
    found = {c.email} | {getattr(p, "email", None) for p in (c.assistant, c.manager)}
    return {a.strip().lower() for a in found if a and "@" in a}


def match(msg: Incoming, index: CaseIndex) -> Match:
    """The case of a message, with the reason; a doubtful or unmatched message is never recorded."""
    senders = index.by_address.get(msg.sender, [])
    for ref in msg.references:
        found = index.case_of_reference(ref)
        if found:
            return _by_reference(msg, index, *found, senders)
    if senders:
        return _by_sender(msg, index, senders)
    named = index.named_in(f"{msg.subject}\n{msg.full_text}")
    if len(named) == 1:
        case, token = named[0]
        where = "the subject" if token in msg.subject else "the text"
        return Match(case, "matched", f"{_number_or_id(case, token)} {token} in {where}; the sender "
                                      f"{msg.sender or '(none)'} is not on file for any case")
    if len(named) > 1:
        return Match(None, "doubtful", "names several cases (" + ", ".join(c for c, _ in named) + "); record it "
                                       "by hand")
    return Match(None, "unmatched", "no reference to dun's letters, the sender is not on file, and no case id "
                                    "or invoice number is named")


def _number_or_id(case: str, token: str) -> str:
    return "case id" if token.lower() == case else "invoice number"


def _by_reference(msg: Incoming, index: CaseIndex, case: str, how: str, senders: list[str]) -> Match:
    """A thread names a case: the sender must fit it too (a forged In-Reply-To names any case)."""
    if case in senders:
        return Match(case, "matched", f"{how}; sent by {msg.sender}, who is on file")
    if senders:
        return Match(None, "doubtful", f"{how} of case {case}, but the sender {msg.sender} is on file for "
                                       f"{', '.join(senders)}; check it before recording anything")
    domain = msg.sender.rpartition("@")[2]
    if domain and domain in index.domains_of(case):
        return Match(case, "matched", f"{how}; sent by {msg.sender}, of the customer's domain {domain}")
    return Match(None, "doubtful", f"{how} of case {case}, but the sender {msg.sender or '(none)'} is not on file "
                                   "for it; check it before recording anything")


def _by_sender(msg: Incoming, index: CaseIndex, senders: list[str]) -> Match:
    """The sender is on file: one case, or the one of several the message names, or the only open one."""
    if len(senders) == 1:
        return Match(senders[0], "matched", f"the sender {msg.sender} is on file for this case")
    named = [c for c, _ in index.named_in(f"{msg.subject}\n{msg.full_text}") if c in senders]
    if len(named) == 1:
        return Match(named[0], "matched", f"the sender {msg.sender} is on file for {len(senders)} cases; "
                                          "this one is named in the message")
    running = [c for c in senders if index.states[c].status not in ("settled", "written_off")]
    if len(running) == 1:
        return Match(running[0], "matched", f"the sender {msg.sender} is on file for {len(senders)} cases; "
                                            "this is the only one still open")
    return Match(None, "doubtful", f"the sender {msg.sender} is on file for several open cases "
                                   f"({', '.join(running or senders)}) and the message names none of them")
