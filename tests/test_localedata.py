"""babel's locale data for letters is kept in the cache folder, and every figure stays babel's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# formats amounts, dates and rates as letters do, in the locales dun writes, and reports which of
# babel's data files the process opened (an audit hook sees every open)
PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: event == "open" and str(args[0]).endswith(".dat") and opened.append(
    str(args[0]).rsplit("/", 1)[-1]))
from datetime import date
from decimal import Decimal
if "--keep" in sys.argv:  # as a letter's use case does (usecases.agenda.desk_of)
    import atexit
    from receivables_cli.output import localedata
    from receivables_cli.usecases.agenda import kept_locale_data
    kept = kept_locale_data()
    atexit.register(kept.save_if_grown)
    localedata.use(kept.entries)
from receivables_cli.output.letters import format_day, format_money, format_percent
out = []
for locale in sys.argv[1].split(","):
    for currency in ("EUR", "CHF", "GBP", "USD"):
        for value in ("1190.00", "-1234.5", "0", "1234567.891", "0.05"):
            out.append(format_money(Decimal(value), currency, locale))
    for style in ("long", "medium", "short", "full"):
        for day in (date(2026, 3, 1), date(2026, 12, 31), date(2027, 5, 9)):
            out.append(format_day(day, locale, style))
    for rate in ("10.52", "5", "0.125", "9.12"):
        out.append(format_percent(Decimal(rate), locale))
if "--other" in sys.argv:  # an entry letters do not read: taken from babel's own files
    from babel import Locale
    out.append(Locale.parse(sys.argv[1].split(",")[0]).territories["DE"])
print(json.dumps({"text": out, "opened": opened}))
"""

LOCALES = "de_DE,de_AT,de_CH,en_GB,en_IE,fr_CH"


def probe(cache: Path, locales: str = LOCALES, *flags: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, locales, *flags], capture_output=True, text=True, env=env,
                          check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_the_second_letter_reads_none_of_babels_files_and_formats_exactly_as_babel(tmp_path):
    plain = probe(tmp_path / "none")  # babel as it always is
    first = probe(tmp_path / "kept", LOCALES, "--keep")
    second = probe(tmp_path / "kept", LOCALES, "--keep")
    assert "global.dat" in plain["opened"] and "de.dat" in plain["opened"]
    assert first["text"] == plain["text"]
    assert second["text"] == plain["text"]  # "1.190,00 €", "CHF 1’190.00", "1 March 2026", "10,52 %" ...
    assert "1.190,00 €" in second["text"] and "1. März 2026" in second["text"]
    assert second["opened"] == []  # nothing of babel's 770 KB of pickles was loaded
    assert oct(next(tmp_path.glob("kept/babel-data-*.marshal")).stat().st_mode & 0o777) == "0o600"


def test_an_entry_letters_do_not_read_comes_from_babels_own_files(tmp_path):
    probe(tmp_path, "de_DE", "--keep")
    found = probe(tmp_path, "de_DE", "--keep", "--other")
    assert found["text"][-1] == "Deutschland"
    assert "de.dat" in found["opened"]  # the whole locale, loaded when something else is asked for


def _deep(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


# each damage: what becomes of the decoded entry {"as is": ..., "built": ...}, written back with a good CRC
DAMAGES = {
    "tag": lambda e: e["built"]["date_formats"].update(long=("\0nonsense", "d. MMMM y")),
    "shape": lambda e: e["built"].update(date_formats="x"),
    "deep": lambda e: e["built"].update(months=_deep(1200)),
    "plural": lambda e: e["built"].update(plural_form=("\0plural", (("one", "n is"),))),
    "none": lambda e: e["as is"].update(number_symbols=None),
}


@pytest.mark.parametrize("damage", [*DAMAGES, "flipped bit", "not an entry"])
def test_a_damaged_entry_is_loaded_from_babel_again(tmp_path, damage):
    import marshal
    from zlib import crc32

    from receivables_cli.usecases.agenda import kept_locale_data

    plain = probe(tmp_path / "none", "de_DE")
    probe(tmp_path / "kept", "de_DE", "--keep")
    os.environ["DUN_CACHE_DIR"] = str(tmp_path / "kept")
    try:
        kept = kept_locale_data()
        key = next(k for k in kept.entries if k.endswith(" de_DE"))
        crc, blob = kept.entries[key]
        if damage == "flipped bit":
            kept.entries[key] = (crc, blob[:100] + bytes([blob[100] ^ 1]) + blob[101:])
        elif damage == "not an entry":
            kept.entries[key] = ["not", "a", "locale"]
        else:
            entry = marshal.loads(blob)
            DAMAGES[damage](entry)
            blob = marshal.dumps(entry)
            kept.entries[key] = (crc32(blob), blob)
        kept.dirty = True
        kept.save()
    finally:
        del os.environ["DUN_CACHE_DIR"]
    again = probe(tmp_path / "kept", "de_DE", "--keep")
    assert again["text"] == plain["text"]
    assert "de.dat" in again["opened"]


def test_the_entries_are_kept_per_babel_installation(tmp_path):
    """Another babel with the same version number (a rebuild with newer data) keeps entries of its own."""
    import babel

    from receivables_cli.output.localedata import _babel_id

    here = _babel_id(babel)
    assert here.startswith(babel.__version__ + " ") and str(Path(babel.__file__).parent) in here
    probe(tmp_path, "de_DE", "--keep")
    os.environ["DUN_CACHE_DIR"] = str(tmp_path)
    try:
        from receivables_cli.usecases.agenda import kept_locale_data

        assert any(key.startswith(here + " ") for key in kept_locale_data().entries)
    finally:
        del os.environ["DUN_CACHE_DIR"]


def test_a_letter_is_the_same_with_the_kept_data_and_without(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_CACHE_DIR": str(tmp_path)}
    command = ["dun", "letter", "acme-2026-017", "dunning", "--on", "2026-12-05", "--ledger", str(ROOT)]
    texts = [subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout for _ in range(2)]
    fresh = subprocess.run(["dun", "--no-cache", *command[1:]], capture_output=True, text=True, env=env,
                           check=True).stdout
    assert texts[0] == texts[1] == fresh
    assert "1.190,00 €" in fresh and "15. Dezember 2026" in fresh
    assert list(tmp_path.glob("babel-data-*.marshal"))


@pytest.mark.parametrize("kind", ["babel-data", "front-matter", "template-code"])
def test_a_folder_where_a_cache_file_goes_is_no_cache_and_no_error(tmp_path, kind):
    """A folder planted at a cache file's path was read as a file: every letter failed ("3: Is a directory")."""
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_CACHE_DIR": str(tmp_path)}
    command = ["dun", "letter", "acme-2026-017", "dunning", "--on", "2026-12-05", "--ledger", str(ROOT)]
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    path = next(tmp_path.glob(f"{kind}-*.marshal"))
    path.unlink()
    path.mkdir()
    again = subprocess.run(command, capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and "Is a directory" not in again.stderr
