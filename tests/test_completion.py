"""Shell completion, invoked the way bash, zsh and fish invoke it: dun as a subprocess with _DUN_COMPLETE set."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ACME

BIN = Path(sys.executable).parent


def complete(env: dict, ledger=None) -> subprocess.CompletedProcess:
    """Run the installed `dun` as a shell's completion function does."""
    full = {k: v for k, v in os.environ.items() if k != "DUN_LEDGER"}
    full.update(env)
    if ledger is not None:
        full["DUN_LEDGER"] = str(ledger.root)
    return subprocess.run([str(BIN / "dun")], env=full, capture_output=True, text=True, timeout=60)


@pytest.fixture(autouse=True)
def _installed():
    if not (BIN / "dun").exists():
        pytest.skip("dun is not installed next to this Python (pip install -e .)")


def test_bash_offers_the_command():
    done = complete({"_DUN_COMPLETE": "complete_bash", "COMP_WORDS": "dun sho", "COMP_CWORD": "1"})
    assert (done.returncode, done.stdout.split()) == (0, ["show"]), done.stderr


def test_zsh_offers_the_command():
    done = complete({"_DUN_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "dun sho"})
    assert done.returncode == 0 and done.stdout.startswith("_arguments") and '"show":' in done.stdout


def test_fish_offers_the_command():
    done = complete({"_DUN_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                     "_TYPER_COMPLETE_ARGS": "dun sho"})
    assert done.returncode == 0 and done.stdout.split("\t")[0] == "show"


def test_case_arguments_complete_to_the_ledgers_case_ids(ledger):
    for case in ("acme-2026-017", "acme-2026-031", "beta-2026-001"):
        ledger.case(case, ACME)
    done = complete({"_DUN_COMPLETE": "complete_bash", "COMP_WORDS": "dun show acme", "COMP_CWORD": "2"}, ledger)
    assert done.stdout.split() == ["acme-2026-017", "acme-2026-031"]
    done = complete({"_DUN_COMPLETE": "complete_bash", "COMP_WORDS": "dun pay b", "COMP_CWORD": "2"}, ledger)
    assert done.stdout.split() == ["beta-2026-001"]


def test_no_ledger_means_nothing_to_offer_and_no_error(tmp_path):
    done = complete({"_DUN_COMPLETE": "complete_bash", "COMP_WORDS": "dun show a", "COMP_CWORD": "2",
                     "DUN_LEDGER": str(tmp_path / "nowhere")})
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")


def test_the_bash_script_completes_in_a_real_bash(ledger):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    ledger.case("acme-2026-017", ACME)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", DUN_LEDGER=str(ledger.root))
    script = ('source <(dun --show-completion bash); COMP_WORDS=(dun brief ac); COMP_CWORD=2; '
              '_dun_completion dun; printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", script], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["acme-2026-017"], done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_for_each_shell(shell, ledger):
    result = ledger.run("--show-completion", shell)
    assert result.exit_code == 0
    assert "_DUN_COMPLETE=complete_" + shell in result.stdout


def test_an_unknown_shell_is_a_usage_error(ledger):
    result = ledger.run("--show-completion", "tcsh")
    assert result.exit_code == 2 and "bash, zsh, fish" in result.stderr


@pytest.mark.parametrize("shell, where", [("bash", ".bash_completions/dun.sh"), ("zsh", ".zfunc/_dun"),
                                          ("fish", ".config/fish/completions/dun.fish")])
def test_install_completion_writes_the_script_where_the_shell_looks(shell, where, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home))
    done = subprocess.run([str(BIN / "dun"), "--install-completion", shell], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "_DUN_COMPLETE" in (home / where).read_text()
    if shell == "bash":
        assert f"source '{home / where}'" in (home / ".bashrc").read_text()
