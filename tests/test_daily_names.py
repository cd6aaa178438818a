"""Names people remember: a CASE by a prefix of its id or a word of the customer's name; completion of
templates, outcomes, --format values, routes and languages (issue 22, item 6)."""

from __future__ import annotations

import json

from tests.test_completion import complete
from tests.test_daily_agenda import ACME, PRIVATE


def cases(ledger) -> None:
    ledger.case("acme-2026-017", ACME)
    ledger.case("acme-2026-031", ACME)
    ledger.case("bohnenkamp-2026-008", PRIVATE)
    ledger.case("mueller-2026-033", PRIVATE.replace("Jonas Bohnenkamp", "Jörg Müller").replace("jonas@", "joerg@"))
    ledger.case("kiosk-2026-012", PRIVATE.replace("Jonas Bohnenkamp", "Kiosk am Markt, Inh. Selin Aydın"))


def test_a_word_of_the_name_finds_the_case(ledger):
    cases(ledger)
    result = ledger.run("show", "bohnenkamp")
    assert result.exit_code == 0, result.output
    assert "Jonas Bohnenkamp" in result.stdout
    assert ledger.run("show", "bohnen").exit_code == 0  # a prefix of a word


def test_umlauts_do_not_matter(ledger):
    cases(ledger)
    for typed in ("müller", "Mueller", "muller", "aydin"):
        result = ledger.run("show", typed)
        assert result.exit_code == 0, (typed, result.output)


def test_a_unique_prefix_of_a_case_id(ledger):
    cases(ledger)
    result = ledger.run("note", "kiosk", "came by")
    assert result.exit_code == 0, result.output
    assert "text: came by" in ledger.text("kiosk-2026-012")


def test_an_ambiguous_name_lists_the_candidates(ledger):
    cases(ledger)
    before = ledger.snapshot()
    result = ledger.run("note", "acme", "x")
    assert result.exit_code == 1
    assert "'acme' could be 2 cases" in result.stderr
    assert "acme-2026-017  ACME GmbH" in result.stderr and "acme-2026-031  ACME GmbH" in result.stderr
    assert ledger.snapshot() == before


def test_nothing_matching_keeps_the_old_message(ledger):
    cases(ledger)
    result = ledger.run("show", "zebra")
    assert result.exit_code == 1 and "no case 'zebra'" in result.stderr


def test_new_never_takes_a_name_for_an_existing_case(ledger):
    cases(ledger)
    result = ledger.run("new", "kiosk", "--customer", "Kiosk Zwei", "--invoice", "R-1", "--amount", "10",
                        "--date", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert (ledger.root / "cases" / "kiosk.yaml").is_file()


def test_json_of_why_after_a_name(ledger):
    cases(ledger)
    result = ledger.run("why", "bohnenkamp", "--json")
    assert json.loads(result.stdout)["case"] == "bohnenkamp-2026-008"


def bash(ledger, words: str) -> list[str]:
    count = len(words.split()) - (0 if words.endswith(" ") else 1)
    done = complete({"_DUN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(count)}, ledger)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_offers_templates_outcomes_formats_routes_and_languages(ledger):
    cases(ledger)
    (ledger.root / "letters" / "de").mkdir(parents=True)
    (ledger.root / "letters" / "de" / "payment-thanks-mine.md").write_text("---\nsubject: x\n---\nx\n")
    assert bash(ledger, "dun letter acme-2026-017 d") == ["dispute-resolution", "down-payment-request", "dunning"]
    assert "payment-thanks-mine" in bash(ledger, "dun sent acme-2026-017 pay")
    assert bash(ledger, "dun call acme-2026-017 no") == ["no_answer"]
    assert bash(ledger, "dun meeting acme-2026-017 ") == ["reached", "promised", "disputed", "hardship", "refused"]
    assert bash(ledger, "dun letter acme-2026-017 dunning --format ") == ["md", "html", "eml", "pdf"]
    assert bash(ledger, "dun legal acme-2026-017 --route d") == ["dunning_court", "debt_enforcement"]
    assert bash(ledger, "dun letter acme-2026-017 dunning --lang ") == ["de", "en"]
