"""The fast path (rapidyaml) and the PyYAML path read every case file the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receivables_cli.store import fastyaml
from receivables_cli.store.casefile import load_case
from receivables_cli.store.fastcase import load_case_fast
from tests.conftest import ACME

DATA = Path(__file__).parent / "data"
needs_ryml = pytest.mark.skipif(not fastyaml._have_wheel(), reason="rapidyaml is not installed")

# text as people type it: umlauts, quotes, YAML indicators, a little of everything
WORDS = st.text(alphabet=st.sampled_from(list("abcXYZ äöüßé€‘’“”—…😀 0123456789.,:;-#'\"!?&*%@`|>[]{}~\\/")),
                min_size=0, max_size=24)


@st.composite
def scalar(draw, text=WORDS, indent=4):
    """One value written in one of YAML's styles, as a person or dun might write it."""
    value = draw(text)
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "literal", "folded"]))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(value, ensure_ascii=draw(st.booleans()))
    lines = draw(st.lists(text, min_size=1, max_size=3))
    head = ("|" if style == "literal" else ">") + draw(st.sampled_from(["", "-", "+"]))
    pad = " " * (indent + 2)
    return head + "".join(f"\n{pad}{line}" if line else "\n" for line in lines)


DATES = st.dates(min_value=__import__("datetime").date(2025, 1, 1),
                 max_value=__import__("datetime").date(2027, 12, 31)).map(str)
AMOUNTS = st.one_of(st.decimals(min_value=-10, max_value=10**6, places=2, allow_nan=False).map(str),
                    st.sampled_from(["1190.00", "12", "0.5", "1.190,00", "abc", "007", "1e3", "+1", "-0"]))


@st.composite
def entry(draw):
    kind = draw(st.sampled_from(["invoice", "call", "payment", "note", "letter", "promised"]))
    at = draw(DATES) + draw(st.sampled_from(["", " 10:30", "T08:05:09"]))
    pairs = [("at", at)]
    if kind == "invoice":
        pairs += [("event", "invoice"), ("number", draw(scalar())), ("amount", draw(AMOUNTS))]
        if draw(st.booleans()):
            pairs.append(("due", draw(DATES)))
        if draw(st.booleans()):
            pairs.append(("currency", draw(st.sampled_from(["EUR", "CHF", "eur", "'EUR'"]))))
        if draw(st.booleans()):
            pairs.append(("fixed_due", draw(st.sampled_from(["true", "false", "yes", "'true'", "maybe"]))))
    elif kind == "call":
        pairs += [("event", "call"), ("outcome", draw(st.sampled_from(["reached", "no_answer", "nope"])))]
        if draw(st.booleans()):
            pairs.append(("note", draw(scalar())))
    elif kind == "promised":
        pairs += [("event", "call"), ("outcome", "promised"),
                  ("promise", f"{{amount: {draw(AMOUNTS)}, by: {draw(DATES)}}}")]
    elif kind == "payment":
        pairs += [("event", "payment"), ("amount", draw(AMOUNTS))]
    elif kind == "note":
        pairs += [("event", "note"), ("text", draw(scalar()))]
    else:
        pairs += [("event", "letter"), ("template", draw(st.sampled_from(["reminder", "dunning", "x"])))]
    if draw(st.booleans()):
        pairs.reverse() if draw(st.booleans()) else None
    comment = draw(st.sampled_from(["", "  # checked", " #x"]))
    lines = [f"  - {pairs[0][0]}: {pairs[0][1]}{comment}"] + [f"    {k}: {v}" for k, v in pairs[1:]]
    return lines


@st.composite
def case_text(draw):
    lines = ["customer:", f"  name: {draw(scalar(indent=2))}",
             f"  kind: {draw(st.sampled_from(['business', 'private', 'corporate', 'nope']))}"]
    for key in ("contact", "email", "phone", "address"):
        if draw(st.booleans()):
            lines.append(f"  {key}: {draw(scalar(indent=2))}")
    if draw(st.booleans()):
        lines.append('  assistant: {name: Assistant, phone: "+49 30 5550000"}')
    for key, values in (("relationship", ["new", "key", "old"]), ("language", ["de", "en", "fr"]),
                        ("channel", ["post", "mail", "fax"]),
                        ("call_window", ["tue-thu 09:00-12:00", "'mon 18:00-20:00, sat 10:00-14:00'", "thu-tue 9-5"]),
                        ("manager", ["Max Muster", "{name: Max Muster, role: CEO}", "{role: CEO}", "''"]),
                        ("salutation", ["Sehr geehrte Frau Muster", "~", "''"])):
        if draw(st.booleans()):
            lines.append(f"  {key}: {draw(st.sampled_from(values))}")
    if draw(st.booleans()):
        lines.append(f"evidence: {draw(st.sampled_from(['weak', 'strong', 'none']))}")
    if draw(st.booleans()):
        lines.append("# a comment line")
    lines.append("history:")
    for item in draw(st.lists(entry(), max_size=6)):
        lines += item
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "  # between entries", "    # indented comment"])))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + newline


def assert_same(path: Path, text: str) -> bool:
    """Both paths agree; True when the fast path took the file."""
    fast = load_case_fast(path, text)
    if fast is None:
        return False
    assert load_case(path, text) == (fast, []), text
    return True


@needs_ryml
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_text())
def test_both_paths_yield_identical_cases(text):
    assert_same(Path("/l/cases/acme.yaml"), text)


@needs_ryml
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- \n#'\"|>[]{},~&*!?0\t\r")), max_size=60))
def test_random_text_is_never_read_differently(text):
    assert_same(Path("/l/cases/x.yaml"), text)


@needs_ryml
def test_well_formed_files_take_the_fast_path(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    import random

    from generate import case_text as generated

    rng = random.Random(3)
    texts = [ACME.lstrip("\n"), *(generated(rng, i, rng.randrange(1, 16)) for i in range(50))]
    texts.append(ACME.lstrip("\n") + "  - at: 2026-11-01 10:00\n    event: note\n    text: |\n      two\n      lines\n"
                 "  - at: 2026-11-02\n    event: call\n    outcome: promised  # on the phone\n"
                 "    promise: {amount: 100.00, by: 2026-11-30}\n")
    for text in texts:
        assert assert_same(tmp_path / "acme.yaml", text), text
    case = load_case_fast(tmp_path / "acme.yaml", texts[-1])
    assert [e.line for e in case.history] == [8, 13, 18]


@needs_ryml
@pytest.mark.parametrize("value, fast", [
    ("Korn & Söhne", True), ("3 % Skonto, 10 * 2", True), ("Why ? Ask!", True),  # text, for both parsers
    ("&anchor Korn", False), ("*alias", False), ("!tag Korn", False), ('"Korn" & Söhne', False),
    ("[Korn] & Söhne", False), ("Korn\n    &x Söhne", False),
])
def test_an_indicator_inside_a_plain_value_is_text_and_takes_the_fast_path(tmp_path, value, fast):
    text = ACME.lstrip("\n").replace("name: ACME GmbH", f"name: {value}", 1)
    assert "name: " + value in text
    assert assert_same(tmp_path / "acme.yaml", text) is fast


@needs_ryml
@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_hostile_files_go_through_both_paths_with_the_same_problems(name):
    from receivables_cli.domain.yamltext import read_text
    from receivables_cli.store.ledger import parse_case

    path = DATA / name
    text, problems = read_text(path)
    if problems:
        return  # never parsed: the same on both paths
    assert_same(path, text)
    os.environ["DUN_FAST_YAML"] = "0"
    try:
        slow = parse_case(path, text)
    finally:
        del os.environ["DUN_FAST_YAML"]
    assert parse_case(path, text) == slow


def run_dun(ledger_root: Path, *args: str, env_extra: dict | None = None, code: str = ""):
    env = dict(os.environ, DUN_LEDGER=str(ledger_root), DUN_TODAY="2026-11-22", DUN_NO_CACHE="1")
    env.update(env_extra or {})
    env = {k: v for k, v in env.items() if v is not None}
    script = code + "import sys; from receivables_cli.cli import main; sys.argv = ['dun', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=60)


def hostile_ledger(ledger) -> None:
    ledger.case("acme", ACME)
    for path in DATA.glob("*.yaml"):
        (ledger.root / "cases" / path.name).write_bytes(path.read_bytes())


def test_without_the_wheel_every_command_works_the_same(ledger):
    """The fallback, forced by an import that fails and by DUN_FAST_YAML=0, says what the fast path says."""
    hostile_ledger(ledger)
    no_wheel = "import sys; sys.modules['ryml'] = None\n"
    for args in (("check",), ("list", "--json"), ("today", "--json")):
        normal = run_dun(ledger.root, *args)
        assert normal.returncode in (0, 1) and "Traceback" not in normal.stderr
        assert "acme" in normal.stdout or args == ("check",)
        for other in (run_dun(ledger.root, *args, code=no_wheel),
                      run_dun(ledger.root, *args, env_extra={"DUN_FAST_YAML": "0"})):
            assert (other.returncode, other.stdout, other.stderr) == (normal.returncode, normal.stdout, normal.stderr)


def test_a_failed_import_leaves_the_fast_path_off():
    script = ("import sys; sys.modules['ryml'] = None\n"
              "from receivables_cli.store import fastyaml; print(fastyaml.enabled())")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- both cores when it pays ---

def test_work_is_shared_with_a_worker_and_comes_back_in_order():
    from receivables_cli.usecases import workers

    result = workers.split_run(lambda share: [(x, os.getpid()) for x in share], list(range(10)), 2)
    assert [x for x, _ in result] == list(range(10))
    assert len({pid for _, pid in result}) == 2 and result[0][1] == os.getpid()


def test_a_worker_that_fails_leaves_its_share_to_the_parent():
    from receivables_cli.usecases import workers

    parent = os.getpid()

    def work(share):
        if os.getpid() != parent:
            raise RuntimeError("worker dies")
        return [x * 2 for x in share]

    assert workers.split_run(work, list(range(7)), 2) == [x * 2 for x in range(7)]


def generated_ledger(root: Path, count: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from generate import generate

    generate(root, count)
    (root / "cases" / "broken.yaml").write_text("customer:\n  name: X\nhistory:\n  - at: 2026-13-01\n    event: note\n")
    (root / "cases" / "odd.yaml").write_text("customer: {name: 'Odd & Sons'}\nhistory: []\n")
    old = 1_700_000_000
    for path in (root / "cases").iterdir():
        os.utime(path, (old, old))


@pytest.mark.parametrize("cached", [False, True])
def test_workers_give_exactly_the_single_process_agenda(tmp_path, cached):
    root = tmp_path / "l"
    generated_ledger(root, 60)
    flags = () if cached else ("--no-cache",)

    def today(threshold: str, cache: str):
        env = {"DUN_PARALLEL_MIN": threshold, "DUN_CACHE_DIR": str(tmp_path / cache), "DUN_NO_CACHE": None}
        return run_dun(root, *flags, "today", "--json", env_extra=env)

    if cached:  # files whose inode changed within the last seconds are never cached: let them age
        import time

        from receivables_cli.store.cache import RACY_SECONDS

        time.sleep(RACY_SECONDS + 0.2)
    single = today("100000", "c1")
    assert single.returncode == 1 and "broken.yaml:4:" in single.stderr and len(json.loads(single.stdout)) > 10
    for threshold in ("61", "2"):  # just above the threshold, and far above it
        both = today(threshold, "c2")
        assert (both.returncode, both.stdout, both.stderr) == (single.returncode, single.stdout, single.stderr)
    if cached:  # the workers' results went into the caches: a warm run says the same
        warm = today("2", "c2")
        assert (warm.stdout, warm.stderr) == (single.stdout, single.stderr)
        assert list((tmp_path / "c2").glob("cases-*.marshal")) and list((tmp_path / "c2").glob("agenda-*.marshal"))


def test_the_threshold_decides_how_many_processes_share_the_files(monkeypatch):
    from receivables_cli.usecases import workers

    monkeypatch.delenv("DUN_PARALLEL_MIN", raising=False)
    assert workers.parts_for(999, 1000) == 1  # below the threshold: one process, whatever the load
    monkeypatch.setenv("DUN_PARALLEL_MIN", "61")
    assert workers.parts_for(61, 1000) == workers.cores() and workers.parts_for(60, 1000) == 1


def test_a_case_the_fast_path_reads_is_shown_without_importing_pyyaml(ledger):
    ledger.case("acme", ACME)
    (ledger.root / "dun.yaml").unlink(missing_ok=True)
    at_exit = "import atexit, sys; atexit.register(lambda: print('pyyaml' if 'yaml' in sys.modules else 'none'))\n"
    shown = run_dun(ledger.root, "show", "acme", "--json", code=at_exit)
    assert shown.returncode == 0 and '"acme"' in shown.stdout
    assert shown.stdout.rstrip().endswith("none")
    broken = ledger.root / "cases" / "beta.yaml"
    broken.write_text("customer: [unclosed\n")
    checked = run_dun(ledger.root, "check", code=at_exit)  # the fallback still imports it when it must
    assert "beta.yaml:" in checked.stderr + checked.stdout and checked.stdout.rstrip().endswith("pyyaml")


def test_a_warm_today_takes_its_actions_from_the_cache_without_loading_the_case_records(ledger, tmp_path):
    """A warm `dun today` sorts and prints what the agenda cache kept: reading dun.yaml (its language
    too) and counting the actions load neither the case records, the fold nor the playbook's rules."""
    ledger.case("acme", ACME)
    (ledger.root / "dun.yaml").write_text("country: DE\nlanguage: en\ncurrency: EUR\n", encoding="utf-8")
    heavy = ("receivables_cli.domain.model", "receivables_cli.domain.state", "receivables_cli.playbook.playbook")
    at_exit = ("import atexit, sys; atexit.register(lambda: print(sorted(m for m in sys.modules if m in "
               f"{heavy!r})))\nfrom receivables_cli.store import cache; cache.RACY_SECONDS = 0  # the file is new\n")
    cache = {"DUN_NO_CACHE": None, "DUN_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_dun(ledger.root, "today", env_extra=cache, code=at_exit)
    warm = run_dun(ledger.root, "today", env_extra=cache, code=at_exit)
    assert cold.returncode == 0 and "acme" in cold.stdout and cold.stdout.rstrip().endswith(f"{sorted(heavy)!r}")
    assert warm.stdout.replace("[]", f"{sorted(heavy)!r}") == cold.stdout and warm.stderr == cold.stderr
    assert warm.stdout.rstrip().endswith("[]")


CONFIGS = [
    (Path(__file__).parent.parent / "dun.yaml").read_text(encoding="utf-8"),
    __import__("receivables_cli.cli.setup", fromlist=["DUN_YAML"]).DUN_YAML,  # the examples: a problem each
    "country: CH\ncurrency: CHF\nlanguage: en\npolicy: {collection_call_day: 28, call_attempts: 2}\n"
    "git: {commit: true}\nfees: {dunning: 1.00}\ninterest: {claim: accrued}\nlegal: {claim_type: Werkvertrag}\n",
    "base_rates:\n  2026-07-01: 1.27\n  2027-01-01: '1.50'\ncall_windows:\n  business: \"mon 07:00-09:00\"\n"
    "law: {b2b_margin: 9, limitation_years: 4}\nmail: {command: msmtp -t}\ntimezone: Europe/Berlin\n"
    "calendar:\n  slot_minutes: 30\nbank:\nconsumer_30_day_notice: true\ndelivery_days: 3\n",
    "bank: {stale_days: 5}\npolicy:\n",
    "country: XX\npayment_terms_days: fourteen\npolicy: {call_attemps: 2}\n",  # problems: read with lines
    "creditor: {name: ''}\nregion: ''\ncurrency: eur\n",
]


@needs_ryml
@pytest.mark.parametrize("text", CONFIGS)
def test_both_paths_read_dun_yaml_alike(text, monkeypatch):
    from receivables_cli.store.settings import load_config

    path = Path("/l/dun.yaml")
    fast = load_config(path, text)
    monkeypatch.setenv("DUN_FAST_YAML", "0")
    assert load_config(path, text) == fast
    assert all(p.line > 0 for p in (*fast[1], *fast[0].placeholders))  # problems always carry their line


def test_files_read_together_read_as_each_alone(tmp_path):
    """read_cases takes a batch through each stage in turn; each file's result is read_case's."""
    from receivables_cli.store.ledger import read_case, read_cases

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "acme.yaml").write_text(ACME.lstrip("\n"))
    for path in DATA.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "fine.yaml").write_text(ACME.lstrip("\n").replace("ACME GmbH", "Fine & Co"))
    paths = sorted(folder.glob("*.yaml"))
    together = read_cases(paths)
    assert together == [read_case(path) for path in paths]
    assert sum(case is not None for case, _ in together) == 2 and sum(bool(problems) for _, problems in together) > 5


@needs_ryml
def test_every_demo_case_takes_the_fast_path_and_reads_as_pyyaml_reads_it():
    """Prose in a comment ("31 Dec 2026.") or an address with "&" sends no file to the slow path."""
    demo = sorted((Path(__file__).parent.parent / "cases").glob("*.yaml"))
    assert demo and all(assert_same(path, path.read_text(encoding="utf-8")) for path in demo)


@needs_ryml
@pytest.mark.parametrize("value", ["1.", ".5", "[1., 2]", ".2E7"])
def test_a_number_ryml_would_rewrite_still_goes_to_pyyaml_outside_a_comment(tmp_path, value):
    text = ACME.lstrip("\n") + f"    subject: {value}\n"
    assert load_case_fast(tmp_path / "acme.yaml", text) is None
    assert assert_same(tmp_path / "acme.yaml", f"# {value}\n" + ACME.lstrip("\n"))


HEAD = "customer:\n  name: ACME\n"
NOTE = "history:\n  - at: 2026-10-05\n    event: note\n    text: "


@needs_ryml
@pytest.mark.parametrize("text", [
    NOTE.replace("history", HEAD + "history") + "|\n      Called, will pay.",  # no final line break after a block
    HEAD + "  address: |2\n     \n", HEAD + "  address: >2-\n     \n",  # indentation digit, blank lines
    HEAD + "  address: |2 x\n", HEAD + "  address: >2Talked\n",  # text after a block header
    HEAD + "  assistant: {name: Jana #2}\n",  # a comment inside a flow mapping
    "customer: {name: :x}\n", HEAD + '  assistant: {name: A, phone: :"+49 30 1"}\n',  # a value starting with ':'
    HEAD + "history:\n  - at: 2026-07-22\n    event: agreement\n    installments:\n"
           "      - {amount: 400.00, by: 2026-09-15} - {amount: 400.00, by: 2026-10-15}\n",  # two items, one line
])
def test_yaml_that_rapidyaml_reads_differently_goes_to_pyyaml(text):
    """Each was read with another value (or read at all) by rapidyaml, where PyYAML refuses it."""
    assert load_case_fast(Path("/l/cases/acme.yaml"), text) is None


@needs_ryml
@pytest.mark.parametrize("text", ["creditor: {name: Anna #1}\n",
                                  "creditor:\n  address: |\n    Lindenweg 3\n    10115 Berlin"])
def test_dun_yaml_that_rapidyaml_reads_differently_is_read_as_pyyaml_reads_it(text, monkeypatch):
    from receivables_cli.store.settings import load_config

    fast = load_config(Path("/l/dun.yaml"), text)
    monkeypatch.setenv("DUN_FAST_YAML", "0")
    assert load_config(Path("/l/dun.yaml"), text) == fast


@pytest.mark.parametrize("hostile", ["'a: ' + '{ ' * 50000", "'a: ' + '{ #' * 200000", "'  # 1.\\n' * 200000",
                                     "'a: ' + '| ' * 300000", "':' + ' ' * 1000000 + 'x'"])
def test_the_fast_paths_checks_stay_linear_on_long_hostile_lines(hostile):
    """A regular expression that backtracks took 20 s on 100 KB of '{ ' (a hang guard, not a timing)."""
    code = f"from receivables_cli.store import fastyaml; fastyaml.parse({hostile}); print('done')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == "done", done.stderr


def test_statement_and_report_of_latin_names_lay_out_tables_without_tabulate_or_wcwidth(ledger):
    """Plain tables (dates, amounts, German names) are laid out by dun's own simple table and
    width count; tabulate and wcwidth are loaded only for what they alone measure (wide
    characters, colours)."""
    ledger.case("acme", ACME.replace("ACME GmbH", "Kaffeerösterei Bohnenglück"))
    at_exit = ("import atexit, sys; atexit.register(lambda: print("
               "sorted(m for m in ('tabulate', 'wcwidth') if m in sys.modules)))\n")
    for args in (("statement", "acme"), ("report",)):
        done = run_dun(ledger.root, *args, code=at_exit)
        assert done.returncode in (0, 1), done.stderr
        assert done.stdout.rstrip().endswith("[]"), (args, done.stdout[-300:])
    wide = ledger.root / "cases" / "acme.yaml"
    wide.write_text(wide.read_text(encoding="utf-8").replace("Kaffeerösterei Bohnenglück", "東京商事"),
                    encoding="utf-8")
    done = run_dun(ledger.root, "report", code=at_exit)
    assert "東京商事" in done.stdout and "'wcwidth'" in done.stdout.splitlines()[-1]


def test_display_width_counts_latin_letters_once_and_wide_characters_twice():
    from receivables_cli.output.tables import display_width

    assert display_width("Bohnenglück – Rösterei") == 22
    assert display_width("東京商事") == 8
    assert display_width("\x1b[1mÖl\x1b[0m") == 2


SETTINGS = "country: DE\ncurrency: EUR\nlanguage: en\ncreditor: {{name: {name}, iban: DE02120300000000202051}}\n"


def test_an_unchanged_dun_yaml_is_read_without_rapidyaml_and_a_changed_one_afresh(ledger):
    """rapidyaml's reading of dun.yaml is kept in the cache folder with the text it came from."""
    ledger.case("acme", ACME)
    conf = ledger.root / "dun.yaml"
    conf.write_text(SETTINGS.format(name="Studio Nord"), encoding="utf-8")
    at_exit = "import atexit, sys; atexit.register(lambda: print('ryml' if 'ryml' in sys.modules else 'none'))\n"
    case_file = ledger.root / "cases" / "acme.yaml"
    os.utime(case_file, (case_file.stat().st_mtime - 60,) * 2)  # older than a racy write: the parse cache holds
    cached = {"DUN_NO_CACHE": None}
    first = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert "Studio Nord" in first.stdout and first.stdout.rstrip().endswith("ryml")
    again = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert "Studio Nord" in again.stdout and again.stdout.rstrip().endswith("none")
    stat = conf.stat()
    conf.write_text(SETTINGS.format(name="Studio Süd"), encoding="utf-8")
    os.utime(conf, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same times: the text decides
    changed = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert "Studio Süd" in changed.stdout and "Studio Nord" not in changed.stdout
    assert changed.stdout.rstrip().endswith("ryml")


def test_a_templates_code_compiled_before_is_taken_from_the_cache_and_an_edit_is_compiled_afresh(ledger):
    """Jinja's Python code of a letter's subject and body is kept with their text in the cache folder:
    the same letter again compiles nothing and reads the same; an edited template, an entry that is
    not code, and a template that does not compile are compiled (and refused) as without it."""
    import marshal

    ledger.case("acme", ACME)
    (ledger.root / "dun.yaml").write_text(SETTINGS.format(name="Studio Nord"), encoding="utf-8")
    own = ledger.root / "letters" / "en" / "reminder.md"
    own.parent.mkdir(parents=True)
    own.write_text('---\nsubject: "Invoice {{ invoice.number }}"\n---\n{{ salutation }},\n\n'
                   "thanks: {% if open > 100 %}a first word{% endif %}.\n", encoding="utf-8")
    count = ("import atexit, jinja2.environment as je; compiled = []; original = je.Environment.compile\n"
             "je.Environment.compile = lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)\n"
             "atexit.register(lambda: print('compiled', len(compiled)))\n")
    cached = {"DUN_NO_CACHE": None}
    first = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
    assert first.returncode == 0 and "a first word." in first.stdout and first.stdout.endswith("compiled 2\n")
    again = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
    assert again.stdout == first.stdout.replace("compiled 2", "compiled 0")
    own.write_text(own.read_text(encoding="utf-8").replace("a first word", "a second word"), encoding="utf-8")
    edited = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
    assert "a second word." in edited.stdout and edited.stdout.endswith("compiled 1\n")  # the body; the subject is kept
    kept = next(Path(os.environ["DUN_CACHE_DIR"]).glob("template-code-*.marshal"))
    stamp, entries = marshal.loads(kept.read_bytes())
    digest, code = max(entries.values(), key=lambda entry: len(entry[1]))  # the body's
    flipped = code.replace(b"second", b"secomd")  # still code, but not what was kept: its digest tells
    assert flipped != code
    for bad in (b"not code", "text", (digest,), (digest, flipped), (digest, marshal.dumps(("a", "tuple")))):
        kept.write_bytes(marshal.dumps((stamp, dict.fromkeys(entries, bad))))
        spoiled = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
        assert spoiled.stdout == edited.stdout.replace("compiled 1", "compiled 2"), (bad, spoiled.stderr)
        repaired = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
        assert repaired.stdout == edited.stdout.replace("compiled 1", "compiled 0"), bad  # the entries were replaced
    own.write_text(own.read_text(encoding="utf-8") + "{# a long comment #}\n" + "{{ salutation }}\n" * 2000,
                   encoding="utf-8")  # over 128 KB of code: not kept, so it never slows the letters after it
    long = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=count)
    assert long.returncode == 0 and kept.stat().st_size < 64 * 1024, long.stderr
    own.write_text("---\nsubject: Hello\n---\n{{ salutation }},\n\n{% if open %}unclosed\n", encoding="utf-8")
    for _ in range(2):  # a template that does not compile is never kept: refused the second time too
        broken = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached)
        assert broken.returncode != 0 and "reminder.md:" in broken.stderr and "Traceback" not in broken.stderr


def test_a_templates_front_matter_read_before_needs_no_yaml_parser_and_an_edit_is_read_afresh(ledger):
    """The subject and needs of a template's front matter are kept with its text in the cache folder."""
    ledger.case("acme", ACME)
    (ledger.root / "dun.yaml").write_text(SETTINGS.format(name="Studio Nord"), encoding="utf-8")
    case_file = ledger.root / "cases" / "acme.yaml"
    os.utime(case_file, (case_file.stat().st_mtime - 60,) * 2)
    own = ledger.root / "letters" / "en" / "reminder.md"
    own.parent.mkdir(parents=True)
    own.write_text('---\nsubject: "Invoice {{ invoice.number }}: a first word"\n---\n{{ salutation }},\n\n'
                   "a short note.\n", encoding="utf-8")
    at_exit = "import atexit, sys; atexit.register(lambda: print('yaml' if 'yaml' in sys.modules else 'none'))\n"
    cached = {"DUN_NO_CACHE": None}
    first = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert first.stdout.startswith("# Invoice RE-2026-017: a first word") and first.stdout.rstrip().endswith("yaml")
    again = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert again.stdout == first.stdout.replace("\nyaml\n", "\nnone\n")
    own.write_text(own.read_text(encoding="utf-8").replace("a first word", "a second word"), encoding="utf-8")
    edited = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached, code=at_exit)
    assert edited.stdout.startswith("# Invoice RE-2026-017: a second word")
    own.write_text("---\nsubject: [not, one, line]\n---\nHello\n", encoding="utf-8")
    broken = run_dun(ledger.root, "letter", "acme", "reminder", env_extra=cached)
    assert broken.returncode != 0 and "reminder.md:2:" in broken.stderr
