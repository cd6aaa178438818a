"""Letters: find a template (the ledger's own, else the built-in one), build its context, render it.

A template is Markdown with YAML front matter (`subject:`, optionally `needs:`) and Jinja2
placeholders. Rendering is strict: a missing placeholder is an error naming it, the
template's path and its line, never a silent blank.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.errors import DunError, Problem
from receivables_cli.domain.model import TEMPLATES

SOURCE = Path(__file__).resolve().parents[2] / "letters"  # a checkout (or an editable install)
INSTALLED = Path(__file__).resolve().parents[1] / "letters"  # a wheel: the same files as package data
LOCALES = {("de", "DE"): "de_DE", ("de", "AT"): "de_AT", ("de", "CH"): "de_CH",
           ("en", "DE"): "en_GB", ("en", "AT"): "en_GB", ("en", "CH"): "en_CH"}
_FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)
# Limits for ledger templates (a shared ledger may hold a hostile one): a letter is a few KB.
RENDER_SECONDS = 2.0
MAX_OUTPUT = 1_000_000      # characters of rendered text
MAX_TEMPLATE = 256 * 1024   # bytes of template source
MAX_ITERATIONS = 1_000_000  # items all range() calls of one rendering may yield
MAX_POWER_BITS = 4096       # {{ 2 ** n }}: a letter never needs a number this long


def builtin_dir() -> Path:
    """The shipped templates: package data in a wheel, the repository's letters/ in a checkout."""
    return INSTALLED if (INSTALLED / "en").is_dir() else SOURCE


@dataclass(frozen=True)
class Template:
    """A letter template: its subject and body in one language."""
    name: str
    lang: str
    path: Path
    subject: str
    body: str
    body_line: int  # the file line the body starts on
    needs: tuple[str, ...] = ()


def find_template(root: Path | None, lang: str, name: str, known=None) -> Template:
    """The ledger's letters/<lang>/<name>.md if present, else the built-in one.

    `known`: front matter read before, by its text (see read_template), from the use case."""
    if name not in TEMPLATES:
        from receivables_cli.domain.errors import did_you_mean

        raise DunError(f"no letter '{name}'{did_you_mean(name, TEMPLATES)}")
    for base in ([root / "letters"] if root else []) + [builtin_dir()]:
        path = base / lang / f"{name}.md"
        if os.path.lexists(path):  # a FIFO or a dangling link is refused with a message, not skipped
            return read_template(path, name, lang, known)
    raise DunError(f"no template {lang}/{name}.md in the ledger's letters/ or the built-in set")


def read_template(path: Path, name: str, lang: str, known=None) -> Template:
    """The template file, its front matter checked. `known` (a dict, or None) holds the subject
    and needs of front matter found sound before, by its text (the use case keeps it in the cache
    folder): a letter then needs no YAML parser for it. What is read afresh is added to it."""
    text = _read_source(path)
    m = _FRONT.match(text)
    if not m:
        raise LetterError(f"{path}:1: a letter starts with front matter: ---, subject: ..., ---")
    found = known.get(m.group(1)) if known is not None else None
    if not _sound(found):  # not known, or an entry of another shape: read the front matter again
        found = None
    subject, needs = found if found is not None else _front_matter(path, m.group(1))
    if known is not None and found is None:
        known[m.group(1)] = (subject, needs)
    return Template(name, lang, path, subject, text[m.end():], text[: m.end()].count("\n") + 1, needs)


def _sound(found) -> bool:
    """Whether a kept entry has the shape `_front_matter` gives: (subject, (name, ...))."""
    return (type(found) is tuple and len(found) == 2 and type(found[0]) is str and type(found[1]) is tuple
            and all(type(x) is str and x.isidentifier() for x in found[1]))


def _front_matter(path: Path, front: str) -> tuple[str, tuple[str, ...]]:
    """The subject and the names a template needs, from its front matter; LetterError if wrong."""
    from receivables_cli.domain.yamltext import Scalar, YMap, YSeq, parse

    values, problems = parse(front, path)
    if problems:
        raise LetterError(f"{path}:{problems[0].line + 1 if problems[0].line else 2}: front matter: "
                          f"{problems[0].message}")
    if not isinstance(values, YMap) or not isinstance(values.get("subject"), Scalar):
        raise LetterError(f"{path}:2: the front matter needs 'subject: ...' (one line of text)")
    needs = values.get("needs")
    items = needs if isinstance(needs, YSeq) else [needs] if needs is not None else []
    bad = next((x for x in items if not isinstance(x, Scalar) or not x.text.isidentifier()), None)
    if bad is not None or isinstance(needs, YMap):
        line = getattr(bad if bad is not None else needs, "line", 1) + 1
        raise LetterError(f"{path}:{line}: front matter: 'needs:' is a name or a list of names such as "
                          "[promise, agreement]")
    return values["subject"].text, tuple(x.text for x in items)


def _read_source(path: Path) -> str:
    """A template's text: regular files only (a FIFO would hang, a device never end), UTF-8, bounded."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise LetterError(f"{path}:1: not a regular file; a template must be a plain text file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise LetterError(f"{path}:1: cannot read the template: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped after the check above
            raise LetterError(f"{path}:1: not a regular file; a template must be a plain text file")
        data = f.read(MAX_TEMPLATE + 1)
    if len(data) > MAX_TEMPLATE:
        raise LetterError(f"{path}:1: the template is larger than {MAX_TEMPLATE // 1024} KB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise LetterError(f"{path}:{line}: not valid UTF-8 (byte {e.start}); save the template as UTF-8") from None


class LetterError(DunError):
    """A template that cannot be rendered: names the placeholder, path and line."""


class RenderLimit(LetterError):
    """A template went past a limit on time, size, iterations or numbers."""


def render(template: Template, context: dict, *, html: bool = False, compiled: dict | None = None) -> tuple[str, str]:
    """(subject, body) with a private copy of the context; values HTML-escaped when `html`.

    `compiled` (a dict, or None): the code of texts compiled before (see `_compiled`), from the use case."""
    import copy

    context = copy.deepcopy(context)  # whatever one rendering does, the next one starts fresh
    env = _environment(context["lang"], context["locale"], context["currency"], html)
    for need in template.needs:
        if not context.get(need):
            article = "an" if need[0] in "aeiou" else "a"
            case_id = context["case"]["id"]
            raise LetterError(f"the {template.name} letter needs {article} {need}, and {case_id} has none "
                              f"open; {_HOW_TO.get(need, '')}".rstrip("; "))
    subject = _render(env, template, template.subject, 2, context, (compiled, html))
    body = _render(env, template, template.body, template.body_line, context, (compiled, html))
    if context["locale"] == "de_CH":  # Swiss German writes no ß: "Grüsse", "Strasse"
        subject, body = swiss_spelling(subject), swiss_spelling(body)
    if context["lang"] == "en":
        body = capital_after_greeting(body, context.get("salutation") or "")
    return subject.strip(), body.strip() + "\n"


def capital_after_greeting(body: str, salutation: str) -> str:
    """English letters go on with a capital after "Dear …,"; German ones (and the templates) in lower case."""
    import html  # its table of entities is loaded only here

    lines = body.split("\n")
    for i, line in enumerate(lines):
        if salutation and line.strip() in (f"{salutation},", f"{html.escape(salutation)},"):
            rest = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if rest is not None:
                text = lines[rest]
                start = len(text) - len(text.lstrip())
                lines[rest] = text[:start] + text[start:start + 1].upper() + text[start + 1:]
            break
    return "\n".join(lines)


def swiss_spelling(text: str) -> str:
    return text.replace("ß", "ss").replace("ẞ", "SS")


_HOW_TO = {"promise": "record one with 'dun call CASE promised ...' or 'dun promise'",
           "agreement": "record one with 'dun agree'"}


# What a template can raise at run time; each becomes `path:line: message`.
_RUNTIME = (TypeError, AttributeError, LookupError, ValueError, ArithmeticError, MemoryError)


def _render(env, template: Template, source: str, first_line: int, context: dict, kept=(None, False)) -> str:
    import jinja2

    padded = "\n" * (first_line - 1) + source  # so Jinja's line numbers are the file's
    try:
        compiled = _compiled(env, padded, *kept)
        with _time_limit(RENDER_SECONDS):
            return _bounded_join(compiled, compiled.generate(context))
    except jinja2.TemplateSyntaxError as e:
        raise LetterError(f"{template.path}:{e.lineno}: {e.message}") from None
    except LetterError as e:
        if re.match(r"\d+: ", str(e)):  # the line is known already (the size limit)
            raise LetterError(f"{template.path}:{e}") from None
        raise type(e)(f"{template.path}:{_template_line(first_line)}: {e}") from None
    except RecursionError:
        raise LetterError(f"{template.path}:{_template_line(first_line)}: recursion too deep "
                          "(a macro that calls itself without end?)") from None
    except (jinja2.TemplateError, *_RUNTIME) as e:
        raise LetterError(f"{template.path}:{_template_line(first_line)}: {e or type(e).__name__}") from None


def _compiled(env, source: str, kept: dict | None, html: bool):
    """`env.from_string(source)`, its Python code taken from `kept` when the same text was compiled
    before for the same kind of page (plain or HTML), Jinja and Python.

    Jinja turns a template into Python source and compiles it on every run: for a letter that is
    about 20 ms, a tenth of the whole command. The use case keeps the code (marshal, as Python's
    own bytecode caches) in the cache folder, which only you may write to, each entry with the
    digest of its bytes: an entry whose bytes changed (a damaged disk, a bit flipped), or that
    does not load as code, is compiled afresh and replaced. A text that does not compile is never
    kept, nor the code of a template far longer than a letter (it would slow every later letter)."""
    if kept is None:
        return env.from_string(source)
    import hashlib
    import marshal
    import types

    import jinja2

    key = (jinja2.__version__, sys.version, html, hashlib.blake2b(source.encode(), digest_size=16).digest())
    code, found = None, kept.get(key)
    if type(found) is tuple and len(found) == 2 and type(found[1]) is bytes \
            and found[0] == hashlib.blake2b(found[1], digest_size=16).digest():
        try:
            code = marshal.loads(found[1])
        except (ValueError, EOFError, TypeError):
            code = None
    if type(code) is not types.CodeType:
        code = env.compile(source)  # a TemplateSyntaxError here, as from from_string
        data = marshal.dumps(code)
        if len(data) <= MAX_KEPT_CODE:
            kept.pop(key, None)  # a damaged entry is replaced, as a new one is added (and so written)
            kept[key] = (hashlib.blake2b(data, digest_size=16).digest(), data)
    return env.template_class.from_code(env, code, env.make_globals(None))


MAX_KEPT_CODE = 128 * 1024  # bytes of compiled code kept for one text (a built-in letter's body: about 25 KB)


def _bounded_join(compiled, chunks) -> str:
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            line = _generator_line(compiled, chunks)
            raise LetterError(f"{line}: the letter would be longer than {MAX_OUTPUT:,} characters")
        parts.append(chunk)
    return "".join(parts)


def _generator_line(compiled, gen) -> int:
    """The template line a suspended rendering stands on."""
    line = 0
    while gen is not None and getattr(gen, "gi_frame", None) is not None:
        if gen.gi_frame.f_code.co_filename == "<template>":
            line = compiled.get_corresponding_lineno(gen.gi_frame.f_lineno)
        gen = gen.gi_yieldfrom
    return line


@contextmanager
def _time_limit(seconds: float):
    """Stop a rendering that runs longer than `seconds` (a timer signal; main thread only).

    Elsewhere the other limits still hold: range() is budgeted, sizes and powers are checked.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(_signum, _frame):
        raise RenderLimit(f"the template took longer than {seconds:g} s to render (an endless loop?)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_line(default: int) -> int:
    """The template line of the error being handled, from Jinja's rewritten traceback."""
    tb, line = sys.exc_info()[2], default
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _environment(lang: str, locale: str, currency: str, html: bool):
    import jinja2

    # sandboxed and immutable: a template in a shared ledger must not be able to run code on your
    # machine, nor change the data (the IBAN) that the other formats and the payment code use
    env = _sandbox_class()(undefined=jinja2.StrictUndefined, autoescape=html, keep_trailing_newline=True,
                           trim_blocks=True, lstrip_blocks=True, finalize=_inert if html else None)
    env.globals["range"] = _budgeted_range()
    keep = _no_break if html else str  # on paper "4. Dezember 2026" and "CHF 1'250.00" never break apart
    env.filters["money"] = lambda value, cur=None: keep(format_money(value, cur or currency, locale))
    env.filters["date"] = lambda value, style="long": keep(format_day(value, locale, style))
    env.filters["percent"] = lambda value: keep(format_percent(value, locale))
    env.filters["iban"] = lambda value: keep(group_iban(value))
    return env


def _no_break(text: str) -> str:
    return text.replace(" ", "\u00a0")


def _sandbox_class():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """Refuses `'x' * 10**11` and `2 ** 10**9` before Python tries them (neither can be interrupted)."""

        intercepted_binops = frozenset(("*", "**"))

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                _check_repeat(left, right)
                _check_repeat(right, left)
            elif _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1 \
                    and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise RenderLimit(f"{left} ** {right} is too large a number for a letter")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_repeat(seq, times) -> None:
    if isinstance(seq, (str, list, tuple)) and _is_int(times) and len(seq) * times > MAX_OUTPUT:
        raise RenderLimit(f"repeating {len(seq)} items {times:,} times is longer than {MAX_OUTPUT:,} characters")


def _budgeted_range():
    """range() whose calls together yield at most MAX_ITERATIONS items in one rendering."""
    left = [MAX_ITERATIONS]

    def bounded(*args):
        for value in range(*args):
            left[0] -= 1
            if left[0] < 0:
                raise RenderLimit(f"the template's loops ran more than {MAX_ITERATIONS:,} times")
            yield value

    return bounded


# For HTML, a value must stay text: neither HTML nor Markdown (a customer named
# "[x](javascript:...)" must not become a link), so both kinds of markup become entities.
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'[]()*_`#!\\|~"}


def _inert(value):
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_ENTITIES))


def format_money(value, currency: str, locale: str) -> str:
    """``1.190,00 €`` (de) or ``€1,190.00`` (en), by babel."""
    from babel.numbers import format_currency

    text = format_currency(Decimal(str(value)), currency, locale=locale)
    text = text.replace("\xa0", " ").replace("\u202f", " ")  # plain spaces: greppable, and safe in any mailer
    return re.sub(r"^([A-Z]{3})-", r"\1 -", text)  # de_CH writes "CHF-1'000.00"; a Swiss reader expects "CHF -1'000.00"


def format_day(value, locale: str, style: str = "long") -> str:
    """``20. November 2026`` (de) or ``20 November 2026`` (en); style ``medium``: ``20.11.2026``, ``20 Nov 2026``."""
    from babel.dates import format_date

    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return format_date(day, format=style, locale=locale)


def format_percent(value, locale: str) -> str:
    """A rate given in percent: ``10,52 %`` (de), ``10.52%`` (en), by babel's pattern for the locale."""
    from babel import Locale
    from babel.numbers import format_percent as babel_percent

    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.00", 1)
    text = babel_percent(Decimal(str(value)) / 100, format=pattern, locale=locale)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def group_iban(iban: str | None) -> str:
    """``DE02 1203 0000 0000 2020 51``."""
    if not iban:
        raise LetterError("the letter needs your bank details: add 'iban:' under 'creditor:' in dun.yaml")
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def template_problems(root: Path, context_for, checked=None) -> list[Problem]:
    """Render every override in the ledger's letters/ against a sample context (for `dun check`).

    `checked` (a store.cache.TemplateCache) knows the texts found sound before: those are not
    rendered again, and each text found sound now is added to it."""
    problems = []
    for path in sorted((root / "letters").glob("*/*.md")):
        lang, name = path.parent.name, path.stem
        if name not in TEMPLATES or lang not in ("de", "en"):
            problems.append(Problem(path, 0, f"not a letter dun knows: letters/<de|en>/<{'|'.join(TEMPLATES)}>.md"))
            continue
        data = _read_bytes(path) if checked is not None else None
        if data is not None and checked.sound(f"{lang}/{name}", data):
            continue
        before = len(problems)
        try:
            template = read_template(path, name, lang)
            render(template, context_for(lang))
            _, rendered = render(template, context_for(lang), html=True)
            from receivables_cli.output.letter_checks import refuse_hidden_payment

            refuse_hidden_payment(template.body, _markdown_html(rendered))
        except DunError as e:
            problems.append(_as_problem(path, str(e)))
        if data is not None and len(problems) == before:
            checked.keep(f"{lang}/{name}", data)
    return problems


def _read_bytes(path: Path) -> bytes | None:
    """A regular file's bytes (no FIFO, nothing huge); else None, and read_template says what is wrong."""
    import stat

    try:
        st = path.stat()
        return path.read_bytes() if stat.S_ISREG(st.st_mode) and st.st_size <= 1 << 20 else None
    except OSError:
        return None


def _markdown_html(body: str) -> str:
    import markdown
    from markdown.extensions.tables import TableExtension

    # the extension as an object: by its name, Markdown looks it up among every installed
    # package's entry points first, a third of a Markdown letter's time
    return markdown.markdown(body, extensions=[TableExtension()], output_format="html")


def _as_problem(path: Path, message: str) -> Problem:
    m = re.match(re.escape(str(path)) + r":(\d+): (.*)", message, re.S)
    return Problem(path, int(m.group(1)), m.group(2)) if m else Problem(path, 0, message)
