"""`dun merge-file` against sides git really produces: CRLF checkouts, add/add, binary files."""

from __future__ import annotations

import subprocess
import sys

import pytest

from receivables_cli.store.mergefile import merge

BASE = "customer:\n  name: ACME GmbH\nhistory:\n  - at: 2026-10-01\n    event: invoice\n    number: R-1\n" \
       "    amount: 100.00\n"


def note(at: str, text: str) -> str:
    return f"  - at: {at}\n    event: note\n    text: {text}\n"


def test_crlf_side_and_lf_side_merge_cleanly_in_ours_line_ending():
    """A clone with CRLF line endings against one with LF made the whole file one conflict."""
    ours = (BASE + note("2026-10-20", "ours")).replace("\n", "\r\n")
    theirs = BASE + note("2026-10-21", "theirs")
    merged, clean = merge(BASE, ours, theirs)
    assert clean
    assert merged == (BASE + note("2026-10-20", "ours") + note("2026-10-21", "theirs")).replace("\n", "\r\n")


def test_lf_ours_keeps_lf_when_theirs_is_crlf():
    theirs = (BASE + note("2026-10-21", "t")).replace("\n", "\r\n")
    merged, clean = merge(BASE, BASE + note("2026-10-20", "ours"), theirs)
    assert clean and "\r" not in merged
    assert merged == BASE + note("2026-10-20", "ours") + note("2026-10-21", "t")


def test_empty_base_both_sides_created_the_same_case_and_appended():
    """add/add: git passes an empty base; the common first entries are the base, the rest is appended."""
    merged, clean = merge("", BASE + note("2026-10-20", "ours"), BASE + note("2026-10-21", "theirs"))
    assert clean
    assert merged == BASE + note("2026-10-20", "ours") + note("2026-10-21", "theirs")


def test_empty_base_with_different_headers_is_still_a_conflict():
    theirs = BASE.replace("ACME GmbH", "ACME AG") + note("2026-10-21", "t")
    merged, clean = merge("", BASE + note("2026-10-20", "o"), theirs)
    assert not clean and "<<<<<<<" in merged


@pytest.mark.parametrize("side", [0, 1, 2])
def test_binary_side_is_a_conflict_with_a_message_and_ours_untouched(tmp_path, side):
    """A binary side printed 'dun: error: None'."""
    paths = [tmp_path / n for n in ("base", "ours", "theirs")]
    for n, path in enumerate(paths):
        path.write_bytes(bytes(range(256)) * 4 if n == side else (BASE + note("2026-10-2" + str(n), "x")).encode())
    before = paths[1].read_bytes()
    done = subprocess.run([sys.executable, "-m", "receivables_cli", "merge-file", *map(str, paths)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "None" not in done.stderr and "Traceback" not in done.stderr
    assert "binary" in done.stderr
    assert paths[1].read_bytes() == before


def test_side_with_conflict_markers_already_is_a_conflict():
    ours = BASE + "<<<<<<< ours\n" + note("2026-10-20", "x") + "=======\n>>>>>>> theirs\n"
    merged, clean = merge(BASE, ours, BASE + note("2026-10-21", "theirs"))
    assert not clean
