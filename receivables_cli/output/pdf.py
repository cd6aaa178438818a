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


def html_to_pdf(page: str) -> bytes:
    """The HTML letter page as PDF bytes; nothing outside the page itself is ever fetched."""
    weasyprint = _weasyprint()
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


def _weasyprint():
    """weasyprint, its font configuration and a fetcher that reads nothing but data: URLs."""
    weasyprint = _import_weasyprint()
    if "fonts" not in _kept:
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        # a ledger template may hold raw HTML: <img src="file:///..."> or a web address must not be read
        _kept["fetcher"] = URLFetcher(allowed_protocols=("data",))
        _kept["fonts"] = FontConfiguration()
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected, not news
    return weasyprint


def _import_weasyprint():
    """Import weasyprint without ctypes' library search on Linux.

    weasyprint tries several names for each of Pango's libraries; for each name that dlopen does
    not know, cffi asks ctypes.util.find_library, which runs ldconfig, gcc and ld as programs:
    a third of a second before the first letter. On Linux the names it tries include the
    libraries' sonames, which dlopen finds itself; only if that fails is the search run after all.
    """
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # weasyprint's own advice, given below if it applies
            import weasyprint
        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint
