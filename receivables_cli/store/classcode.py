"""The methods `dataclasses` writes for dun's record classes, compiled once and kept.

On Python 3.11 `dataclasses` writes each method it generates (`__init__`, `__eq__`, `__repr__`,
`__hash__`, a frozen class's `__setattr__` ...) as Python source and compiles it when the class
is defined: for the record classes `dun show` loads, about 180 compiles, a quarter of its time
on a small ledger. `keep()` lets `dataclasses` take the code of a text it compiled before from
the cache folder: marshal, as Python's own bytecode caches, each entry with the CRC-32 of its
bytes, which catches a damaged disk or a flipped bit (the folder is yours alone; hashlib would
load OpenSSL, 3 ms). A text not found is compiled as
`dataclasses` would compile it, and kept when the command ends. The same text gives the same
code, so the classes are exactly what they would be; an entry that is damaged or does not load
as code is compiled afresh.
"""

from __future__ import annotations

import sys

MAX_ENTRIES = 2000  # a file that grew past this (many versions of dun) starts again from this run's texts


def keep(no_cache: bool = False) -> None:
    """From now on in this process, `dataclasses` takes its generated methods' code from the cache folder."""
    import dataclasses

    from receivables_cli.store import cache

    if no_cache or not cache.enabled() or "exec" in vars(dataclasses):
        return
    folder = cache.private_folder(create=False, say=False)  # the command says it, if it uses the cache
    kept = _load(folder / _name()) if folder is not None else {}
    made: dict[str, object] = {}

    def exec_kept(source, globals=None, locals=None, /):
        if type(source) is str:
            code = _code(kept.get(source))
            if code is None:
                code = made.get(source)
                if code is None:  # as exec(source) in dataclasses compiles it: no future flags of ours
                    code = made[source] = compile(source, "<string>", "exec", dont_inherit=True)
            source = code
        return exec(source, globals, locals)

    dataclasses.exec = exec_kept  # dataclasses calls exec(text, globals, namespace) for each method it writes
    import atexit

    atexit.register(_save, kept, made)


def _name() -> str:
    return f"classcode-{sys.implementation.cache_tag}.marshal"


def _load(path) -> dict:
    """{source text: (CRC-32, marshal of its code)} for this Python, or {}."""
    from receivables_cli.store.cache import load_plain, read_private

    found = load_plain(read_private(path))  # plain values only: the code stays bytes until it is used
    if type(found) is not dict or found.get("python") != sys.version or type(found.get("code")) is not dict:
        return {}
    return found["code"]


def _code(entry):
    """The code object of a kept entry whose bytes match their CRC, else None."""
    if type(entry) is not tuple or len(entry) != 2 or type(entry[1]) is not bytes:
        return None
    import marshal
    import types
    from zlib import crc32

    if entry[0] != crc32(entry[1]):
        return None
    try:
        code = marshal.loads(entry[1])
    except (ValueError, EOFError, TypeError):
        return None
    return code if type(code) is types.CodeType else None


def _save(kept: dict, made: dict) -> None:
    """Add this run's new texts to the file (nothing to do when every text was found)."""
    if not made:
        return
    import marshal
    from zlib import crc32

    from receivables_cli.store.cache import private_folder, write_private

    folder = private_folder(say=False)
    if folder is None:
        return
    table = dict(kept) if len(kept) + len(made) <= MAX_ENTRIES else {}
    for source, code in made.items():
        data = marshal.dumps(code)
        table[source] = (crc32(data), data)
    write_private(folder / _name(), marshal.dumps({"python": sys.version, "code": table}))
