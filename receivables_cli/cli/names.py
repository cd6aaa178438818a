"""A CASE as people remember it: the case id, a unique prefix of one, or a unique word of the
customer's name (`dun show bohnen`), without regard to case or umlauts. An ambiguous one is
refused with the candidates (taskwarrior, todoman and git do the same)."""

from __future__ import annotations

import re
import unicodedata

from receivables_cli.domain.errors import DunError

SHOWN = 8  # candidates listed at most
_PLAIN = str.maketrans("ıłøđæœ", "ilodae")  # letters with no decomposition into a base letter


def folded(text: str) -> str:
    """Lower case, without accents, umlauts as their vowel: Müller, Mueller and muller are one word."""
    text = text.casefold().replace("ß", "ss").translate(_PLAIN)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"([aou])e", r"\1", text)


def words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", folded(name)) if w]


def resolve_case(book, given: str) -> str:
    """The case id `given` stands for; `given` itself when nothing matches (the caller then says so)."""
    if (book.cases_dir / f"{given}.yaml").is_file():
        return given
    ids = book.case_ids()
    prefix = [i for i in ids if i.startswith(given.lower())]
    if len(prefix) == 1:
        return prefix[0]
    if prefix:
        raise _ambiguous(given, prefix, _names(book, prefix))
    names = _names(book, ids)
    key = folded(given)
    exact = [i for i in ids if key in words(names.get(i, ""))]
    found = exact or [i for i in ids if any(w.startswith(key) for w in words(names.get(i, "")))]
    if len(found) == 1:
        return found[0]
    if found:
        raise _ambiguous(given, found, names)
    return given


def _names(book, ids: list[str]) -> dict[str, str]:
    """Each case's customer name (cases that do not load are passed over)."""
    wanted, found = set(ids), {}
    cases, _problems = book.load_all()
    for case in cases:
        if case.id in wanted:
            found[case.id] = case.customer.name
    return found


def _ambiguous(given: str, ids: list[str], names: dict[str, str]) -> DunError:
    listed = "\n".join(f"  {i}  {names.get(i, '')}".rstrip() for i in ids[:SHOWN])
    more = f"\n  ... and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return DunError(f"'{given}' could be {len(ids)} cases; give more of the id or the name:\n{listed}{more}")
