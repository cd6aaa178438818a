"""Letters: find a template (the ledger's own, else the built-in one), build its context, render it.

A template is Markdown with YAML front matter (`subject:`, optionally `needs:`) and Jinja2
placeholders. Rendering is strict: a missing placeholder is an error naming it, the
template's path and its line, never a silent blank.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from receivables_cli.errors import DunError, Problem
from receivables_cli.model import TEMPLATES

SOURCE = Path(__file__).resolve().parent.parent / "letters"  # a checkout (or an editable install)
INSTALLED = Path(__file__).resolve().parent / "letters"      # a wheel: the same files as package data
LOCALES = {("de", "DE"): "de_DE", ("de", "AT"): "de_AT", ("de", "CH"): "de_CH",
           ("en", "DE"): "en_GB", ("en", "AT"): "en_GB", ("en", "CH"): "en_CH"}
_FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)


def builtin_dir() -> Path:
    """The shipped templates: package data in a wheel, the repository's letters/ in a checkout."""
    return INSTALLED if (INSTALLED / "en").is_dir() else SOURCE


@dataclass(frozen=True)
class Template:
    name: str
    lang: str
    path: Path
    subject: str
    body: str
    body_line: int  # the file line the body starts on
    needs: tuple[str, ...] = ()


def find_template(root: Path | None, lang: str, name: str) -> Template:
    """The ledger's letters/<lang>/<name>.md if present, else the built-in one."""
    if name not in TEMPLATES:
        from receivables_cli.errors import did_you_mean

        raise DunError(f"no letter '{name}'{did_you_mean(name, TEMPLATES)}")
    for base in ([root / "letters"] if root else []) + [builtin_dir()]:
        path = base / lang / f"{name}.md"
        if path.is_file():
            return read_template(path, name, lang)
    raise DunError(f"no template {lang}/{name}.md in the ledger's letters/ or the built-in set")


def read_template(path: Path, name: str, lang: str) -> Template:
    from receivables_cli.yamltext import Scalar, YMap, YSeq, parse

    text = path.read_text(encoding="utf-8-sig")
    m = _FRONT.match(text)
    if not m:
        raise DunError(f"{path}:1: a letter starts with front matter: ---, subject: ..., ---")
    values, problems = parse(m.group(1), path)
    if problems or not isinstance(values, YMap) or not isinstance(values.get("subject"), Scalar):
        raise DunError(f"{path}:2: the front matter needs 'subject: ...'")
    needs = values.get("needs")
    needs = tuple(x.text for x in needs) if isinstance(needs, YSeq) else ((needs.text,) if needs else ())
    return Template(name, lang, path, values["subject"].text, text[m.end():], text[: m.end()].count("\n") + 1,
                    needs)


class LetterError(DunError):
    """A template that cannot be rendered: names the placeholder, path and line."""


def render(template: Template, context: dict, *, html: bool = False) -> tuple[str, str]:
    """(subject, body) with the context; values HTML-escaped when `html`."""
    env = _environment(context["lang"], context["locale"], context["currency"], html)
    for need in template.needs:
        if not context.get(need):
            raise LetterError(f"the {template.name} letter needs a {need}, and {context['case']['id']} has none "
                              f"open; {_HOW_TO.get(need, '')}".rstrip("; "))
    subject = _render(env, template, template.subject, 2, context)
    body = _render(env, template, template.body, template.body_line, context)
    return subject.strip(), body.strip() + "\n"


_HOW_TO = {"promise": "record one with 'dun call CASE promised ...' or 'dun promise'",
           "agreement": "record one with 'dun agree'"}


def _render(env, template: Template, source: str, first_line: int, context: dict) -> str:
    import jinja2

    padded = "\n" * (first_line - 1) + source  # so Jinja's line numbers are the file's
    try:
        return env.from_string(padded).render(context)
    except jinja2.TemplateSyntaxError as e:
        raise LetterError(f"{template.path}:{e.lineno}: {e.message}") from None
    except LetterError as e:
        raise LetterError(f"{template.path}:{_template_line(first_line)}: {e}") from None
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError, TypeError, AttributeError, KeyError) as e:
        raise LetterError(f"{template.path}:{_template_line(first_line)}: {e}") from None


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
    from jinja2.sandbox import SandboxedEnvironment

    # sandboxed: a template in a shared ledger must not be able to run code on your machine
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=html, keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True, finalize=_inert if html else None)
    env.filters["money"] = lambda value, cur=None: format_money(value, cur or currency, locale)
    env.filters["date"] = lambda value, style="long": format_day(value, locale, style)
    env.filters["percent"] = lambda value: format_percent(value, locale)
    env.filters["iban"] = group_iban
    return env


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
    return text.replace("\xa0", " ").replace("\u202f", " ")  # plain spaces: greppable, and safe in any mailer


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


def deadline(calendar, day: date, days: int) -> date:
    """The payment deadline a letter sets: `days` after its date, on a working day."""
    return calendar.next_working_day(day + timedelta(days=days))


def template_problems(root: Path, context_for) -> list[Problem]:
    """Render every override in the ledger's letters/ against a sample context (for `dun check`)."""
    problems = []
    for path in sorted((root / "letters").glob("*/*.md")):
        lang, name = path.parent.name, path.stem
        if name not in TEMPLATES or lang not in ("de", "en"):
            problems.append(Problem(path, 0, f"not a letter dun knows: letters/<de|en>/<{'|'.join(TEMPLATES)}>.md"))
            continue
        try:
            template = read_template(path, name, lang)
            render(template, context_for(lang))
            render(template, context_for(lang), html=True)
        except DunError as e:
            problems.append(_as_problem(path, str(e)))
    return problems


def _as_problem(path: Path, message: str) -> Problem:
    m = re.match(re.escape(str(path)) + r":(\d+): (.*)", message, re.S)
    return Problem(path, int(m.group(1)), m.group(2)) if m else Problem(path, 0, message)
