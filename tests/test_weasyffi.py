"""weasyprint's C declarations are compiled once and kept (output/weasyffi.py): a later PDF
parses no C, and is byte for byte the PDF cffi's parser gives."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from receivables_cli.output import weasyffi

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tables are used on Linux only")


@pytest.fixture
def demo(demo_copy) -> Path:
    return demo_copy


def pdf(demo: Path, cache: Path | None, out: Path) -> tuple[bytes, set[str]]:
    """A dunning letter as PDF in a process of its own: its bytes and the modules it imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("DUN_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env |= {"DUN_TODAY": "2026-12-05"} | ({"DUN_CACHE_DIR": str(cache)} if cache else {"DUN_NO_CACHE": "1"})
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "receivables_cli", "letter", "acme-2026-017",
                           "dunning", "--format", "pdf", "-o", str(out), "--ledger", str(demo)],
                          capture_output=True, text=True, env=env, cwd=demo)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return out.read_bytes(), modules


def kept_file(cache: Path) -> Path:
    (found,) = cache.glob("weasyprint-ffi-*.marshal")
    return found


def test_the_second_pdf_parses_no_c_and_is_the_same_pdf(demo, tmp_path):
    plain, parsed = pdf(demo, None, tmp_path / "plain.pdf")  # --no-cache: weasyprint as it always is
    first, recorded = pdf(demo, tmp_path / "cache", tmp_path / "first.pdf")
    second, kept = pdf(demo, tmp_path / "cache", tmp_path / "second.pdf")
    assert "pycparser" in parsed and "pycparser" in recorded
    assert "pycparser" not in kept and "weasyprint" in kept
    assert kept_file(tmp_path / "cache").stat().st_size > 1000
    assert plain == first == second
    pypdf = pytest.importorskip("pypdf")
    import io

    assert "ACME" in pypdf.PdfReader(io.BytesIO(second)).pages[0].extract_text()


def _rewrite(path: Path, change) -> None:
    stamp, entries = marshal.loads(path.read_bytes())
    (key,) = entries
    entries[key] = change(entries[key])
    path.write_bytes(marshal.dumps((stamp, entries)))


def _other_declaration(entry):
    digests, args, kwargs, _ = entry
    digests = (b"\0" * 16,) + digests[1:]
    return digests, args, kwargs, weasyffi.sealed(digests, args, kwargs)


def _broken_seal(entry):
    digests, args, kwargs, seal = entry
    kwargs = dict(kwargs, _types=kwargs["_types"][:-4] + b"\xff\xff\xff\xff")
    return digests, args, kwargs, seal


def _one_declaration_too_many(entry):
    digests, args, kwargs, _ = entry
    digests = (*digests, digests[0])
    return digests, args, kwargs, weasyffi.sealed(digests, args, kwargs)


@pytest.mark.parametrize("damage", [_other_declaration, _broken_seal, _one_declaration_too_many,
                                    lambda entry: "tables", lambda entry: entry[:3]])
def test_stale_or_damaged_tables_fall_back_to_cffis_parser_and_are_made_anew(demo, tmp_path, damage):
    cache = tmp_path / "cache"
    reference, _ = pdf(demo, cache, tmp_path / "reference.pdf")
    _rewrite(kept_file(cache), damage)
    again, modules = pdf(demo, cache, tmp_path / "again.pdf")
    assert again == reference
    assert "pycparser" in modules  # parsed as before
    third, modules = pdf(demo, cache, tmp_path / "third.pdf")
    assert third == reference
    assert "pycparser" not in modules  # and the tables were compiled anew


def test_tables_call_the_library_and_refuse_any_other_declaration():
    declarations = "int abs(int); long labs(long);"
    recording = weasyffi.Declarations()
    recording.factory().cdef(declarations)
    entry = recording.compiled()
    assert entry is not None

    kept = weasyffi.Declarations(entry)
    ffi = kept.factory()
    ffi.cdef(declarations)
    assert kept.complete()
    libc = ffi.dlopen("libc.so.6")
    assert (libc.abs(-7), libc.labs(-2**40)) == (7, 2**40)

    with pytest.raises(weasyffi.Stale):
        weasyffi.Declarations(entry).factory().cdef("int abs(int);")
    with pytest.raises(weasyffi.Stale):  # a second FFI is not the one the tables were made for
        twice = weasyffi.Declarations(entry)
        twice.factory()
        twice.factory()
    unfinished = weasyffi.Declarations(entry)
    unfinished.factory()
    assert not unfinished.complete()  # made, but nothing declared: the import fell short
    assert weasyffi.Declarations(entry[:3] + (b"\0" * 16,)).entry is None  # a broken seal


def test_tables_are_not_used_off_linux(monkeypatch):
    assert weasyffi.key().split()[1].endswith(os.path.join("weasyprint", "text", "ffi.py"))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert weasyffi.key() is None


def test_a_letter_page_does_not_look_through_installed_packages_for_markdowns_tables(demo, tmp_path):
    """By its name, Python-Markdown looks an extension up among every installed package's entry
    points (importlib.metadata) before importing it: a third of a Markdown letter's time."""
    pdf(demo, tmp_path / "cache", tmp_path / "letter.pdf")  # the first run also imports `holidays` (kept after)
    _, modules = pdf(demo, tmp_path / "cache", tmp_path / "letter.pdf")
    assert "markdown.extensions.tables" in modules
    assert "importlib.metadata" not in modules


def test_an_entrys_seal_does_not_depend_on_how_many_references_its_values_have():
    recording = weasyffi.Declarations()
    recording.factory().cdef("int abs(int); long labs(long); typedef struct { int x; } point;")
    digests, args, kwargs, seal = recording.compiled()
    extra = [list(kwargs.values()), *kwargs.values(), *digests]  # more references to each part
    assert weasyffi.sealed(digests, args, kwargs) == seal
    assert weasyffi.Declarations((digests, args, dict(kwargs), seal)).entry is not None
    del extra
