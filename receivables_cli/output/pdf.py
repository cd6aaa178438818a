"""A letter as an A4 PDF for a window envelope: weasyprint lays out the letter's HTML page (CSS @page).

Everything a page does not change is set up once per process and kept: weasyprint itself, its
font configuration, the URL fetcher and each distinct stylesheet, parsed once. A batch (`dun
outbox --dir`, post letters while sending) then pays for the layout of each letter only.

Importing weasyprint takes longer than all the rest of a letter. `start_printer` sets it up in a
forked process while this one reads the ledger and writes the page, and `html_to_pdf` then has
the page laid out there. If that process is gone or answers nothing usable, the page is laid
out here, so a letter never depends on it.
"""

from __future__ import annotations

import marshal
import os
import re
import sys

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_kept: dict = {}  # "fonts", "fetcher" and one parsed stylesheet per distinct CSS text
_printer: dict = {}  # "pid", "send", "receive": the forked process laying out pages (start_printer)


def html_to_pdf(page: str, tables: dict | None = None) -> bytes:
    """The HTML letter page as PDF bytes; nothing outside the page itself is ever fetched.

    `tables`: the cache's entries of weasyprint's compiled C declarations (output/weasyffi.py),
    read if weasyprint is not imported yet, and added to if it had to parse them."""
    if _printer:
        pdf = _printed_there(page, tables)
        if pdf is not None:
            return pdf
    return _laid_out(page, tables)


def start_printer(tables: dict | None = None) -> bool:
    """Import weasyprint and set it up in a forked process, ready for `html_to_pdf`'s pages.

    For a command about to make a PDF, called as early as it knows, when a core is idle: the
    import then runs beside this process's own work instead of after it. Linux only (fork), and
    only in a process of one thread: a fork copies a lock another thread holds (the import lock,
    say) held forever.
    """
    if _printer or "weasyprint" in sys.modules or not sys.platform.startswith("linux") or _threaded():
        return False
    pages, page_in = os.pipe()
    answers, answer_out = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (pages, page_in, answers, answer_out):
            os.close(fd)
        return False
    if pid == 0:  # the printer: never returns, never runs the parent's exit handlers or flushes its output
        code = 1
        try:
            _die_with(os.getppid())
            os.close(page_in)
            os.close(answers)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)  # the PDF may be going to stdout: nothing of the printer's goes there
            _serve(pages, answer_out, tables)
            code = 0
        except BaseException:  # noqa: BLE001, S110 (the parent lays the page out itself)
            pass
        finally:
            os._exit(code)
    os.close(pages)
    os.close(answer_out)
    _printer.update(pid=pid, send=page_in, receive=answers)
    import atexit

    atexit.register(stop_printer)  # what it has not laid out by then is not wanted
    return True


def _threaded() -> bool:
    threading = sys.modules.get("threading")  # not imported: no thread was started by Python code
    return threading is not None and threading.active_count() > 1


def _die_with(parent: int) -> None:
    """Have Linux end this process when its parent ends, however that ends (PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before that took hold
        os._exit(1)


def _serve(pages: int, answers: int, tables: dict | None) -> None:
    """The printer's loop: a page in, (PDF, tables it compiled, what it wrote to stderr) out, until
    the parent closes the pipe. Its stderr is held back with each answer: the parent writes it
    where it uses the PDF, so that a page it lays out itself is not reported twice."""
    import tempfile

    with tempfile.TemporaryFile() as held, os.fdopen(pages, "rb") as inbox, os.fdopen(answers, "wb") as outbox:
        os.dup2(held.fileno(), 2)
        known = dict(tables) if tables is not None else None
        _weasyprint(known)  # before the first page arrives: this is what runs beside the parent
        while (frame := _read_frame(inbox)) is not None:
            pdf = _laid_out(frame.decode("utf-8"), known)
            new = {k: v for k, v in known.items() if tables.get(k) is not v} if known is not None else {}
            sys.stderr.flush()
            held.seek(0)
            said = held.read()
            held.seek(0)
            held.truncate()
            _write_frame(outbox, marshal.dumps((pdf, new, said)))


def _printed_there(page: str, tables: dict | None) -> bytes | None:
    """The page laid out by the printer, or None (and the printer stopped) if it did not answer."""
    try:
        with open(_printer["send"], "wb", closefd=False) as outbox:
            _write_frame(outbox, page.encode("utf-8"))
        with open(_printer["receive"], "rb", closefd=False) as inbox:
            frame = _read_frame(inbox)
        pdf, new, said = marshal.loads(frame) if frame is not None else (None, None, None)
    except (OSError, EOFError, ValueError, TypeError):
        pdf = new = said = None
    if not (isinstance(pdf, bytes) and pdf.startswith(b"%PDF") and isinstance(new, dict)
            and isinstance(said, bytes)):
        stop_printer()
        return None
    if said:  # what weasyprint or its libraries said while laying out this page
        sys.stderr.flush()
        os.write(2, said)
    if tables is not None:
        tables.update(new)  # what the printer compiled is kept as if compiled here
    return pdf


def stop_printer() -> None:
    """End the printer (it holds nothing to finish: what it compiled came with its answers)."""
    if not _printer:
        return
    import signal
    from contextlib import suppress

    for fd in (_printer["send"], _printer["receive"]):
        with suppress(OSError):
            os.close(fd)
    with suppress(OSError):
        os.kill(_printer["pid"], signal.SIGKILL)
    with suppress(OSError, ChildProcessError):
        os.waitpid(_printer["pid"], 0)
    _printer.clear()


def _write_frame(out, data: bytes) -> None:
    out.write(len(data).to_bytes(8, "big") + data)
    out.flush()


def _read_frame(inbox) -> bytes | None:
    head = inbox.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "big")
    data = inbox.read(size)
    return data if len(data) == size else None


def _laid_out(page: str, tables: dict | None) -> bytes:
    """The page laid out by weasyprint in this process."""
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
        import logging

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
        return _plain_import()
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
    return _plain_import()  # as it is, to give its own advice on missing libraries and fail


def _plain_import():
    """weasyprint imported as it is; if it cannot be, a DunError saying so. weasyprint's advice on
    missing libraries goes to stderr, never into a PDF written to stdout."""
    import contextlib

    from receivables_cli.domain.errors import DunError

    try:
        with contextlib.redirect_stdout(sys.stderr):
            import weasyprint
    except (ImportError, OSError) as e:
        raise DunError(f"a PDF needs weasyprint and the Pango libraries it uses, which cannot be loaded: {e}"
                       " (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)") from None
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
