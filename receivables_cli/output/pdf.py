"""A letter as an A4 PDF for a window envelope: weasyprint lays out the letter's HTML page (CSS @page).

Everything a page does not change is set up once per process and kept: weasyprint itself, its
font configuration, the URL fetcher and each distinct stylesheet, parsed once. A batch (`dun
outbox --dir`, post letters while sending) then pays for the layout of each letter only.
"""

from __future__ import annotations

import logging
import re
import sys

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_kept: dict = {}  # "fonts", "fetcher" and one parsed stylesheet per distinct CSS text


def html_to_pdf(page: str, tables: dict | None = None) -> bytes:
    """The HTML letter page as PDF bytes; nothing outside the page itself is ever fetched.

    `tables`: the cache's entries of weasyprint's compiled C declarations (output/weasyffi.py),
    read if weasyprint is not imported yet, and added to if it had to parse them."""
    weasyprint = _weasyprint(tables)
    fonts, fetcher = _kept["fonts"], _kept["fetcher"]
    # the page's own <style> (the same for every letter of a language) is parsed once and passed
    # as the document's author stylesheet, which is what weasyprint makes of a <style> element
    style = _STYLE.search(page)
    sheets = []
    if style and "<style" not in page[style.end():]:
        sheets = [_stylesheet(weasyprint, style.group(1))]
        page = page[:style.start()] + page[style.end():]
    document = weasyprint.HTML(string=page, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets, font_config=fonts)


def _stylesheet(weasyprint, css: str):
    key = ("css", css)
    if key not in _kept:
        _kept[key] = weasyprint.CSS(string=css, url_fetcher=_kept["fetcher"], font_config=_kept["fonts"])
    return _kept[key]


def _weasyprint(tables: dict | None = None):
    """weasyprint, its font configuration and a fetcher that reads nothing but data: URLs."""
    weasyprint = _import_weasyprint(tables)
    if "fonts" not in _kept:
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        # a ledger template may hold raw HTML: <img src="file:///..."> or a web address must not be read
        _kept["fetcher"] = URLFetcher(allowed_protocols=("data",))
        _kept["fonts"] = FontConfiguration()
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected, not news
    return weasyprint


def _import_weasyprint(entries: dict | None = None):
    """Import weasyprint without ctypes' library search on Linux, and without parsing its C
    declarations where they were compiled before (output/weasyffi.py).

    weasyprint tries several names for each of Pango's libraries; for each name that dlopen does
    not know, cffi asks ctypes.util.find_library, which runs ldconfig, gcc and ld as programs:
    a third of a second before the first letter. On Linux the names it tries include the
    libraries' sonames, which dlopen finds itself; only if that fails is the search run after all.
    """
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        import weasyprint

        return weasyprint
    from receivables_cli.output import weasyffi

    key = weasyffi.key() if entries is not None else None
    entry = entries.get(key) if key is not None else None
    if entry is not None:
        declared = weasyffi.Declarations(entry)
        if declared.entry is not None and _attempt(declared, (Exception,)) and declared.complete():
            return sys.modules["weasyprint"]
        _forget_weasyprint()
        entries.pop(key, None)  # stale or damaged: compiled anew below
    declared = weasyffi.Declarations()
    if _attempt(declared, (OSError,)):
        if key is not None and (compiled := declared.compiled()) is not None:
            entries[key] = compiled
        return sys.modules["weasyprint"]
    _forget_weasyprint()
    import weasyprint  # as it is, to give its own advice on missing libraries and raise

    return weasyprint


def _attempt(declared, failures: tuple) -> bool:
    """Import weasyprint with cffi.FFI made by `declared` and no library search; False if it
    failed with one of `failures` (with kept tables: anything, as cffi's parser may do better)."""
    import contextlib
    import ctypes.util
    import io

    import cffi

    from receivables_cli.output.weasyffi import Stale

    search, make = ctypes.util.find_library, cffi.FFI
    ctypes.util.find_library = lambda name: None
    cffi.FFI = declared.factory
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # weasyprint's own advice, given later if it applies
            import weasyprint  # noqa: F401
        return True
    except Stale:
        return False
    except failures:
        return False
    finally:
        ctypes.util.find_library, cffi.FFI = search, make


def _forget_weasyprint() -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        del sys.modules[name]
