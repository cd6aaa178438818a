"""The parts of babel's locale data that letters read, kept in the cache folder.

A letter formats its amounts, dates and rates with babel. The first date babel formats loads
the locale's data: three pickles merged (root, `de`, `de_DE`: about 300 KB, a sixth of a Markdown
letter's time) and the global data (another 470 KB), of which a letter reads a dozen entries:
the number symbols and patterns, the currency names and symbols, the date patterns, the names
of months and days, the plural rule, the currency fractions.

`use()` hands babel those entries, kept by the use case in the cache folder (usecases.agenda's
`desk_of`, like the templates' compiled code): plain values (marshal), each of babel's pattern
objects as its pattern text, built again by babel's own `parse_pattern` (the function babel built
them with). An entry is kept only when it is built back equal to what babel loaded, per babel
installation (its version, folder and data file), with a CRC-32 against a damaged disk; one that
does not match it, does not decode or is not shaped as babel's data is not used, and babel reads
its own files. The cache folder is private: like Python's own byte-code caches, its files are
trusted as written. Everything else a locale holds is still read from babel's own files, on its
first use.
"""

from __future__ import annotations

# what format_money, format_day and format_percent read (output/letters.py); anything else is
# loaded from babel's files when it is first asked for
LOCALE_KEYS = ("currency_formats", "currency_names", "currency_names_plural", "currency_symbols", "date_formats",
               "days", "decimal_formats", "default_numbering_system", "months", "number_symbols",
               "percent_formats", "plural_form")
GLOBAL_KEYS = ("currency_fractions",)


def use(kept: dict) -> None:
    """From now on in this process, babel takes the entries kept in `kept` (a plain dict the use case
    reads from and saves to the cache folder) and adds to it what it loads from its own files."""
    import babel
    import babel.core
    import babel.localedata

    localedata = babel.localedata
    if getattr(localedata.load, "kept", None) is not None:
        localedata.load.kept = kept  # a second ledger in the same process: its own entries
        return
    version = _babel_id(babel)
    real_load = localedata.load
    loading = []  # babel loads a locale's parents through `load` too: only the one asked for is kept

    def load(name, merge_inherited=True):
        name = str(name)
        if loading or not merge_inherited or name in localedata._cache:
            return real_load(name, merge_inherited)
        entries, key = load.kept, f"{version} {name}"
        data = _rebuilt(entries.get(key))
        if data is not None:
            localedata._cache[name] = found = _Kept(data, lambda: _full(name))
            return found
        found = _full(name)
        entry = _entry(found, LOCALE_KEYS)
        if entry is not None:
            entries[key] = entry
        _keep_global(entries, f"{version} global")
        return found

    def _full(name):
        loading.append(name)
        try:
            localedata._cache.pop(name, None)
            return real_load(name)
        finally:
            loading.pop()

    load.kept = kept
    localedata.load = load
    if babel.core._global_data is None:
        data = _rebuilt(kept.get(f"{version} global"))
        if data is not None:
            babel.core._global_data = _KeptGlobal(data, _full_global)


def _full_global():
    import babel.core

    babel.core._global_data = None
    babel.core.get_global("currency_fractions")  # babel loads its global data afresh
    return babel.core._global_data


def _keep_global(entries: dict, key: str) -> None:
    """babel's global data, once it loaded it from its file (a locale's first load reads it)."""
    import babel.core

    if key not in entries:
        babel.core.get_global("currency_fractions")
        data = babel.core._global_data
        entry = _entry(data, GLOBAL_KEYS) if type(data) is dict else None
        if entry is not None:
            entries[key] = entry


class _Kept(dict):
    """A locale's kept entries; any other key, and any use of the whole, loads babel's own data."""

    def __init__(self, data: dict, load_all):
        super().__init__(data)
        self._load_all, self._all = load_all, None

    def whole(self) -> dict:
        if self._all is None:
            self._all = self._load_all()
        return self._all

    def __bool__(self):
        return True

    def __missing__(self, key):
        return self.whole()[key]

    def get(self, key, default=None):
        return dict.__getitem__(self, key) if dict.__contains__(self, key) else self.whole().get(key, default)

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self.whole()

    def __iter__(self):
        return iter(self.whole())

    def __len__(self):
        return len(self.whole())

    def keys(self):
        return self.whole().keys()

    def items(self):
        return self.whole().items()

    def values(self):
        return self.whole().values()

    def copy(self):
        return self.whole().copy()


class _KeptGlobal(_Kept):
    """babel's global data (babel.core reads it with `.get`)."""


# --- plain values and back: babel's objects as (tag, text) -----------------------------------------

_ALIAS, _PAIR, _NUMBER, _DATE, _PLURAL = "\0alias", "\0pair", "\0number", "\0date", "\0plural"


def _entry(data: dict, keys: tuple[str, ...]):
    """The plain form of `keys` of babel's data as (CRC-32, marshal bytes), or None when one would not
    be built back the same: {"as is": values that are plain already (names, symbols), "built": values
    holding babel's objects}. The CRC catches a damaged disk or a flipped bit, as in store/classcode.py."""
    import marshal
    from zlib import crc32

    try:
        plain = {key: _plain(data[key]) for key in keys if key in data}
        if not _same(_back(plain), {key: data[key] for key in plain}):
            return None
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    built = {key: value for key, value in plain.items() if _holds_objects(value)}
    blob = marshal.dumps({"as is": {key: value for key, value in plain.items() if key not in built}, "built": built})
    return (crc32(blob), blob)


def _rebuilt(entry):
    """babel's data from a kept entry, or None when the entry is damaged or not what `_entry` writes."""
    import marshal
    from zlib import crc32

    if type(entry) is not tuple or len(entry) != 2 or type(entry[1]) is not bytes or entry[0] != crc32(entry[1]):
        return None
    try:
        found = marshal.loads(entry[1])
        data = {**found["as is"], **_back(found["built"])}  # the plain names are used as marshal gave them
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises, babel's own files are read instead
        return None
    return data if _shaped(data) else None


def _shaped(data: dict) -> bool:
    """Each kept entry of the type babel keeps it as: the numbering system a name, the plural rule a
    PluralRule, every other entry a table."""
    from babel.plural import PluralRule

    kinds = {"default_numbering_system": str, "plural_form": PluralRule}
    return all(type(value) is kinds.get(key, dict) for key, value in data.items())


def _babel_id(babel) -> str:
    """babel's version and the identity of its data files: a rebuild with other data keeps no entry."""
    import os

    try:
        st = os.stat(os.path.join(os.path.dirname(babel.__file__), "global.dat"))
    except OSError:
        return babel.__version__
    return f"{babel.__version__} {os.path.dirname(babel.__file__)} {st.st_size} {st.st_mtime_ns}"


def _holds_objects(value) -> bool:
    """Whether a plain form holds one of babel's objects (as a tagged tuple) anywhere."""
    kind = type(value)
    if kind is tuple:
        return True
    if kind is dict:
        return any(map(_holds_objects, value.values()))
    return kind is list and any(map(_holds_objects, value))


def _plain(value):
    from babel.dates import DateTimePattern
    from babel.localedata import Alias
    from babel.numbers import NumberPattern
    from babel.plural import PluralRule

    kind = type(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is list:
        return [_plain(v) for v in value]
    if kind is tuple:  # an alias with entries of its own
        return (_PAIR, *map(_plain, value))
    if kind is Alias:
        return (_ALIAS, tuple(value.keys))
    if kind is NumberPattern:
        return (_NUMBER, value.pattern)
    if kind is DateTimePattern:
        return (_DATE, value.pattern)
    if kind is PluralRule:
        return (_PLURAL, tuple(value.rules.items()))
    if kind in (str, int, bool, type(None)):
        return value
    raise TypeError(kind.__name__)


def _back(value):
    kind = type(value)
    if kind is dict:
        return {k: _back(v) for k, v in value.items()}
    if kind is list:
        return [_back(v) for v in value]
    if kind is tuple:
        tag = value[0]
        if tag == _PAIR:
            return tuple(map(_back, value[1:]))
        if tag == _ALIAS:
            from babel.localedata import Alias

            return Alias(list(value[1]))
        if tag == _NUMBER:
            from babel.numbers import parse_pattern

            return parse_pattern(value[1])
        if tag == _DATE:
            from babel.dates import parse_pattern

            return parse_pattern(value[1])
        if tag == _PLURAL:
            from babel.plural import PluralRule

            return PluralRule(dict(value[1]))
        raise ValueError(tag)
    return value


def _same(a, b) -> bool:
    """Equal values, babel's objects by their attributes."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(map(_same, a, b))
    if hasattr(a, "__dict__") or hasattr(type(a), "__slots__"):
        return _state(a) == _state(b)
    return a == b


def _state(obj) -> dict:
    names = set(getattr(obj, "__dict__", ()))
    for klass in type(obj).__mro__:
        names.update(s for s in getattr(klass, "__slots__", ()) if not s.startswith("__"))
    state = {}
    for name in names:
        if name == "_func":  # PluralRule's compiled function, made on first use
            continue
        value = getattr(obj, name, None)
        state[name] = repr(value) if callable(value) else value
    return state
