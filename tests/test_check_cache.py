"""`dun check` renders a ledger template once per text: unchanged and sound, it is not rendered again."""

from __future__ import annotations

import pytest

from receivables_cli.output import letters
from tests.conftest import ACME

SOUND = "---\nsubject: Erinnerung\n---\nGuten Tag,\n\nbitte zahlen Sie {{ total }}.\n"
BROKEN = "---\nsubject: Erinnerung\n---\nGuten Tag,\n\n{{ nothing_like_this.at_all() }}\n"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates rendered, by name, each time `dun check` renders one."""
    seen: list[str] = []
    real = letters.render

    def counted(template, ctx, *args, **kw):
        seen.append(template.name)
        return real(template, ctx, *args, **kw)

    monkeypatch.setattr(letters, "render", counted)
    return seen


def _template(ledger, text: str, name: str = "reminder"):
    path = ledger.root / "letters" / "de" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unchanged_sound_template_is_not_rendered_again(ledger, renders):
    ledger.case("acme", ACME)
    _template(ledger, SOUND)
    assert ledger.run("check").exit_code == 0
    assert renders == ["reminder", "reminder"]  # the Markdown and the HTML page
    assert ledger.run("check").exit_code == 0
    assert renders == ["reminder", "reminder"]


def test_a_changed_template_is_checked_again_and_a_broken_one_reported_every_run(ledger, renders):
    ledger.case("acme", ACME)
    path = _template(ledger, SOUND)
    assert ledger.run("check").exit_code == 0
    _template(ledger, BROKEN)
    for _ in range(2):
        result = ledger.run("check")
        assert result.exit_code == 1 and f"{path}:" in result.stdout
    _template(ledger, SOUND.replace("bitte", "Bitte"))
    count = len(renders)
    assert ledger.run("check").exit_code == 0
    assert len(renders) == count + 2


def test_a_changed_dun_yaml_checks_every_template_again(ledger, renders):
    ledger.case("acme", ACME)
    _template(ledger, SOUND)
    ledger.run("check")
    ledger.config("language: de\n")
    ledger.run("check")
    assert renders == ["reminder"] * 4


def test_no_cache_renders_every_time(ledger, renders):
    ledger.case("acme", ACME)
    _template(ledger, SOUND)
    ledger.run("--no-cache", "check")
    ledger.run("--no-cache", "check")
    assert renders == ["reminder"] * 4
