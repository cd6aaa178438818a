"""weasyprint's C declarations as cffi's compiled tables, so that a PDF does not parse C first.

weasyprint declares the Pango, HarfBuzz and fontconfig functions it calls as C text (cffi's
in-line ABI mode). At each import cffi parses those 500 lines with pycparser, and parses again,
with every typedef in front, each new type a layout names (`ffi.new("PangoRectangle *")`):
about a tenth of a second before the first PDF of a process, a fifth of it importing the parser.

cffi's own answer is its out-of-line ABI mode: `FFI.emit_python_code` compiles declarations once
into tables, which `_cffi_backend.FFI` reads with no parser at all. Here the first PDF records
what weasyprint declares (`cffi.FFI().cdef(text)` while it is imported) and compiles it; the
use case keeps the tables in the cache folder (by weasyprint's declaration file and cffi's
version); a later import of weasyprint gets an FFI made from them. That FFI's `cdef` compares
each text with the digest of the one its tables were made from, so a changed weasyprint is
never run with old tables: it falls back to cffi's parser and records anew.

Only on Linux, where dun's tests run it; elsewhere weasyprint imports as it always does.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys

NAME = "_dun_weasyprint_ffi"  # the module name cffi puts in its messages


class Stale(Exception):
    """weasyprint declared something other than what the kept tables were compiled from."""


def key() -> str | None:
    """What the tables depend on: cffi's version, and the path, size and time of weasyprint's
    declaration file (text/ffi.py). None where tables are not used (not Linux, nothing found)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        from importlib.util import find_spec

        import _cffi_backend

        spec = find_spec("weasyprint")
        if spec is None or not spec.submodule_search_locations:
            return None
        path = os.path.join(spec.submodule_search_locations[0], "text", "ffi.py")
        st = os.stat(path)
    except (ImportError, OSError, ValueError):
        return None
    return f"{_cffi_backend.__version__} {path} {st.st_size} {st.st_mtime_ns}"


def digest(csource: str, options: dict) -> bytes:
    # marshal version 2 writes no back-references, whose use depends on how many references
    # a value has at the time: the same value always gives the same bytes
    return hashlib.blake2b(marshal.dumps((csource, sorted(options.items())), 2), digest_size=16).digest()


def sealed(digests: tuple, args: tuple, kwargs: dict) -> bytes:
    """The seal of an entry: a damaged cache file is refused, not handed to cffi."""
    return hashlib.blake2b(marshal.dumps((digests, args, sorted(kwargs.items())), 2), digest_size=16).digest()


class Declarations:
    """The `cffi.FFI` weasyprint makes while it is imported: from kept tables, or recording.

    `factory` stands in for `cffi.FFI` during the import. With an entry it returns an FFI made
    from the entry's tables (raising Stale at the first declaration that differs); without one
    it returns cffi's own FFI, which records each declaration for `compiled()`.
    """

    def __init__(self, entry=None):
        self.entry = entry if _well_formed(entry) else None
        self.calls: list[tuple[str, dict]] = []
        self.made = 0

    def factory(self, *args, **kwargs):
        import cffi

        self.made += 1
        if args or kwargs or self.made > 1:  # another use of cffi than weasyprint's one FFI
            if self.entry is not None:
                raise Stale("cffi.FFI made more than once, or with arguments")
            return _real_ffi(cffi)(*args, **kwargs)
        if self.entry is None:
            return _recording(cffi)(self.calls)
        digests, args, kwargs, _ = self.entry
        ffi = _kept()(*args, **kwargs)
        ffi._dun_calls, ffi._dun_digests = self.calls, digests
        return ffi

    def complete(self) -> bool:
        """After the import: were exactly the kept declarations made (with an entry), or
        exactly one FFI recorded (without)?"""
        if self.entry is not None:
            return self.made == 1 and len(self.calls) == len(self.entry[0])
        return self.made == 1 and bool(self.calls)

    def compiled(self):
        """The recorded declarations as an entry to keep: (digests, args, kwargs, seal), or None
        when cffi's compiler does not make plain tables of them."""
        if not self.complete() or self.entry is not None:
            return None
        try:
            args, kwargs = _compile(self.calls)
            import _cffi_backend

            _cffi_backend.FFI(*args, **kwargs)  # tables cffi itself refuses are not kept
        except Exception:  # noqa: BLE001 (any failure only means: parse as before)
            return None
        digests = tuple(digest(c, o) for c, o in self.calls)
        return digests, args, kwargs, sealed(digests, args, kwargs)


def _well_formed(entry) -> bool:
    if not (isinstance(entry, tuple) and len(entry) == 4):
        return False
    digests, args, kwargs, seal = entry
    if not (isinstance(digests, tuple) and digests and isinstance(args, tuple) and isinstance(kwargs, dict)
            and all(isinstance(k, str) for k in kwargs)):
        return False
    try:
        return sealed(digests, args, kwargs) == seal
    except (ValueError, TypeError):
        return False


_classes: dict = {}


def _real_ffi(cffi):
    """cffi's own FFI class: `cffi.FFI` itself is the factory while weasyprint is imported."""
    return cffi.api.FFI


def _recording(cffi):
    """cffi's FFI, which also notes each declaration it is given."""
    if "recording" not in _classes:

        class RecordingFFI(_real_ffi(cffi)):
            def __init__(self, calls):
                super().__init__()
                self._dun_calls = calls

            def cdef(self, csource, **options):
                self._dun_calls.append((csource, dict(options)))
                return super().cdef(csource, **options)

        _classes["recording"] = RecordingFFI
    return _classes["recording"]


def _kept():
    """An FFI made from compiled tables; its cdef only checks the declaration is the one compiled."""
    if "kept" not in _classes:
        import _cffi_backend

        class KeptFFI(_cffi_backend.FFI):
            def cdef(self, csource, **options):
                index = len(self._dun_calls)
                if index >= len(self._dun_digests) or digest(csource, options) != self._dun_digests[index]:
                    raise Stale("weasyprint's C declarations differ from the kept tables")
                self._dun_calls.append((csource, dict(options)))

        _classes["kept"] = KeptFFI
    return _classes["kept"]


def _compile(calls: list[tuple[str, dict]]) -> tuple[tuple, dict]:
    """The arguments of `_cffi_backend.FFI` that cffi's compiler writes for these declarations.

    cffi writes them as a Python module of two statements: `import _cffi_backend` and
    `ffi = _cffi_backend.FFI(<literals>)`. The literals are read back with ast.literal_eval; a
    module of any other shape (one that includes another FFI, say) is not kept."""
    import ast
    import contextlib
    import io

    import cffi

    ffi = _real_ffi(cffi)()
    for csource, options in calls:
        ffi.cdef(csource, **options)
    ffi.set_source(NAME, None)
    out = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating ..."
        ffi.emit_python_code(out)
    tree = ast.parse(out.getvalue())
    imports, assign = tree.body if len(tree.body) == 2 else (None, None)
    call = getattr(assign, "value", None)
    if not (isinstance(imports, ast.Import) and [a.name for a in imports.names] == ["_cffi_backend"]
            and isinstance(assign, ast.Assign) and isinstance(call, ast.Call)
            and ast.unparse(call.func) == "_cffi_backend.FFI" and all(k.arg for k in call.keywords)):
        raise ValueError("cffi wrote a module of another shape")
    return (tuple(ast.literal_eval(a) for a in call.args),
            {k.arg: ast.literal_eval(k.value) for k in call.keywords})
