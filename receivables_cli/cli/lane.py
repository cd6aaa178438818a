"""The fast lane: the plain command line of a read command, run without typer.

Importing typer (with the click it carries) and building one command from its signature takes
about 30 ms, more than `dun today` needs for its work on a small ledger. The lane reads the
command lines typed every morning (`dun today`, `dun show acme --json`, `dun letter acme
dunning -o out.md`) from the same declarations typer reads, the `Option` and `Argument`
annotations of the command's function, and runs that function through the same `common.call`.

Whatever it is not sure of, it leaves to typer: --help, a value that starts with '-', an option
given twice, a short option glued to its value, an unknown word, a number typer would refuse, a
shell asking for completions. So every message about a command line is still typer's own, and
the lane changes nothing but the time (tests/test_lane.py holds it to typer's reading).
"""

from __future__ import annotations

import sys

# the read commands the lane runs, and the module that declares each (importing it registers the command)
LANE = {"today": "morning", "why": "morning", "show": "read", "list": "read", "check": "read", "brief": "portfolio",
        "report": "portfolio", "statement": "money", "letter": "letters"}
GLOBAL_FLAGS = {"--commit": "commit", "--no-cache": "no_cache", "--no-pager": "no_pager"}
# read-only commands over the whole ledger: what they leave in memory is not torn down object by object
NO_TEARDOWN = {"today", "list"}
# what an Option may say besides its names for the lane to read it as typer would
_PLAIN = {"metavar", "help", "show_default", "min", "max"}


def attempt(args: list[str]) -> None:
    """Run the command line and exit, if the lane can read it; else return, having done nothing."""
    try:
        found = parse(args)
        if found is None:
            return
        name, fn, kw, flags = found
        start(**flags)
        code = _run(name, fn, kw)
    except KeyboardInterrupt:
        print("dun: interrupted; nothing more was written", file=sys.stderr)
        sys.exit(130)
    if name in NO_TEARDOWN:
        leave(code)
    sys.exit(code)


def parse(args: list[str]):
    """(command name, its function, its keyword arguments, the global flags), or None to leave it to typer."""
    import os

    if os.environ.get("_DUN_COMPLETE") or not all(_utf8(a) for a in args):
        return None
    flags = dict.fromkeys(GLOBAL_FLAGS.values(), False)
    at = 0
    while at < len(args) and args[at] in GLOBAL_FLAGS and not flags[GLOBAL_FLAGS[args[at]]]:
        flags[GLOBAL_FLAGS[args[at]]] = True
        at += 1
    if at == len(args) or args[at] not in LANE:
        return None
    name = args[at]
    fn = declared(name)
    spec = _spec(fn) if fn is not None else None
    kw = _read(args[at + 1:], *spec) if spec is not None else None
    return None if kw is None else (name, fn, kw, flags)


def declared(name: str):
    """The function of a lane command, from the module that declares it."""
    from importlib import import_module

    from receivables_cli.cli.common import COMMANDS

    import_module(f"receivables_cli.cli.{LANE[name]}")
    return next((fn for n, group, fn in COMMANDS if n == name and group is None), None)


class _Param:
    __slots__ = ("name", "kind", "required")

    def __init__(self, name: str, kind: str, required: bool = False) -> None:
        self.name, self.kind, self.required = name, kind, required


def _spec(fn):
    """(options by name, positional arguments in order, defaults); None for a function the lane cannot read."""
    import inspect
    from typing import Annotated, get_args, get_origin

    from receivables_cli.cli.common import Option

    options, arguments, defaults = {}, [], {}
    for p in inspect.signature(fn, eval_str=True).parameters.values():
        if get_origin(p.annotation) is not Annotated:
            return None
        kind, *extras = get_args(p.annotation)
        declared_as = [x for x in extras if isinstance(x, Option)]
        if len(declared_as) != 1:
            return None
        d = declared_as[0]
        required = p.default is inspect.Parameter.empty
        defaults[p.name] = None if required else p.default
        kind = _kind(kind, p.default)
        if d.kind == "argument":
            if kind not in ("str", "path") or d.kw.keys() - _PLAIN or (arguments and arguments[-1].required < required):
                return None
            arguments.append(_Param(p.name, kind, required))
        elif required:
            return None  # an option typer would ask for
        elif kind is not None and not d.kw.keys() - _PLAIN:
            for decl in d.decls:  # not --x/--no-x, nor an option with a callback or an environment variable
                if "/" not in decl:
                    options[decl] = (_Param(p.name, kind), d.kw.get("min"), d.kw.get("max"))
    return options, arguments, defaults


def _kind(annotation, default) -> str | None:
    """How the lane reads a value of this type (as click does), None for a type it leaves to typer."""
    from pathlib import Path
    from typing import Optional

    kinds = {bool: "flag", int: "int", str: "str", Path: "path",
             Optional[int]: "int", Optional[str]: "str", Optional[Path]: "path"}
    kind = kinds.get(annotation)
    return None if kind == "flag" and default is not False else kind


def _read(tokens: list[str], options: dict, arguments: list, defaults: dict) -> dict | None:
    """The keyword arguments of the command line, as typer would pass them; None when unsure."""
    kw, given, positional = dict(defaults), set(), []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        at += 1
        if not token.startswith("-"):
            positional.append(token)
            continue
        name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name not in options:
            return None  # -h, --help, --, a typo, a short option glued to its value: typer says what it means
        param, low, high = options[name]
        if param.name in given:
            return None
        given.add(param.name)
        if param.kind == "flag":
            if eq:
                return None
            kw[param.name] = True
            continue
        if not eq:
            if at == len(tokens):
                return None
            value, at = tokens[at], at + 1
        value = _value(param.kind, value, low, high)
        if value is None:
            return None
        kw[param.name] = value
    if len(positional) > len(arguments) or any(a.required for a in arguments[len(positional):]):
        return None
    for param, text in zip(arguments, positional, strict=False):  # the arguments not given keep their defaults
        kw[param.name] = _value(param.kind, text)
        if kw[param.name] is None:
            return None
    return kw


def _value(kind: str, text: str, low: int | None = None, high: int | None = None):
    """The value as click converts it; None for one typer should judge (it says why it is wrong)."""
    if not text or text.startswith("-"):
        return None
    if kind == "int":
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            return None  # a number of more digits than any date needs: typer says what is wrong with it
        number = int(text)
        return None if (low is not None and number < low) or (high is not None and number > high) else number
    if kind == "path":
        from pathlib import Path

        return Path(text)
    return text


def _utf8(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False  # bytes that are not UTF-8 (lone surrogates): typer's path says so
    return True


def start(commit: bool, no_cache: bool, no_pager: bool) -> None:
    """What `dun`'s own options do before any command (here and in the typer app's callback)."""
    from receivables_cli.cli.common import _global
    from receivables_cli.output import term
    from receivables_cli.store import cache

    _global["commit"], _global["language"] = commit, None
    cache.start(no_cache)
    term.switched_off_pager = no_pager


def _run(name: str, fn, kw: dict) -> int:
    """The command's exit code; an interrupted or closed output as typer's app handles it."""
    from receivables_cli.cli.common import _quiet_stdout, call

    try:
        try:
            return call(name, fn, kw)
        finally:
            sys.stdout.flush()  # here, not at interpreter exit, so a closed pipe is handled below
    except BrokenPipeError:
        _quiet_stdout()  # `dun today | head`: the reader has all it wanted
        return 141
    except KeyboardInterrupt:
        return 130  # as click: Ctrl-C during a command ends it quietly
    except EOFError:
        print("\nAborted!", file=sys.stderr)
        return 1


def leave(code: int) -> None:
    """Exit now, without the interpreter's teardown (freeing every record of a big ledger one
    by one takes a tenth of a warm `dun today`): the output is flushed and the exit handlers
    run first, and these commands hold no open file."""
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None: started with the stream closed (`2>&-`)
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
