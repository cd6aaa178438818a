"""`dun report --html` and `dun statement --format html`: one self-contained page, charts as inline SVG,
rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import ACME

ROOT = Path(__file__).resolve().parents[1]
CHARTS = ("ageing", "cash", "debtors", "promises")


def dun(*args: str, cwd: Path = ROOT, on: str = "2026-11-24") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DUN_TODAY": on, "HOME": str(cwd), "DUN_NO_CACHE": "1",
           "DUN_CACHE_DIR": tempfile.mkdtemp(prefix="dun-cache-")}  # not into the checkout (HOME)
    return subprocess.run([sys.executable, "-m", "receivables_cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def bars(page: str, chart: str) -> list[tuple[str, str]]:
    """(series, value) of every bar in one chart of the page."""
    svg = re.search(rf'<svg [^>]*id="{chart}".*?</svg>', page, re.S)
    assert svg, f"no chart {chart}"
    return re.findall(r'<rect class="bar" data-series="([^"]*)" data-value="([^"]*)"', svg.group(0))


def test_the_report_page_is_one_file_with_four_charts_and_nothing_from_outside(tmp_path):
    out = tmp_path / "report.html"
    run = dun("report", "--html", "-o", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Receivables on 2026-11-24" in page
    for chart in CHARTS:
        assert bars(page, chart), chart
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", page, re.I)
    assert set(re.findall(r"https?://[^\"' <]+", page)) == {"http://www.w3.org/2000/svg"}


def test_ageing_is_stacked_by_age_and_the_debtors_are_the_largest_first(tmp_path):
    import json

    page = dun("report", "--html").stdout
    data = json.loads(dun("report", "--json").stdout)
    largest = [row["open"] for row in data["concentration"]]
    ageing = bars(page, "ageing")
    assert ("90+ days", largest[0]) in ageing  # the publisher on hold, in default since the spring
    assert ("not due", "2380.00") in ageing  # the studio, invoiced a week ago
    assert len(ageing) == 10  # ten customers owe something, each claim in one age bucket
    assert [value for _, value in bars(page, "debtors")] == largest[:8]


def test_cash_is_expected_from_promises_instalments_and_the_customers_usual_days(ledger):
    ledger.case("acme", ACME + """\
  - at: 2026-11-20
    event: promise
    amount: 500.00
    by: 2026-12-02
""")
    ledger.case("kiosk", """
customer: {name: Kiosk, kind: private}
history:
  - {at: 2026-10-01, event: invoice, number: K-1, amount: 900.00, due: 2026-10-15}
  - at: 2026-10-20
    event: agreement
    installments:
      - {amount: 300.00, by: 2026-11-15}
      - {amount: 300.00, by: 2026-12-15}
      - {amount: 300.00, by: 2027-01-15}
  - {at: 2026-11-14, event: signed}
  - {at: 2026-11-14, event: payment, amount: 300.00}
""")
    ledger.case("studio-1", """
customer: {name: Studio Nord, kind: business}
history:
  - {at: 2026-08-01, event: invoice, number: S-1, amount: 100.00, due: 2026-08-15}
  - {at: 2026-09-10, event: payment, amount: 100.00}
""")
    ledger.case("studio-2", """
customer: {name: Studio Nord, kind: business}
history:
  - {at: 2026-11-05, event: invoice, number: S-2, amount: 250.00, due: 2026-11-19}
""")
    result = ledger.run("report", "--html", on="2026-11-24")
    assert result.exit_code == 0, result.output
    cash = re.search(r'<svg [^>]*id="cash".*?</svg>', result.stdout, re.S).group(0)
    titles = re.findall(r"<title>([^<]*)</title>", cash)
    assert "30 Nov: promises 500.00 EUR" in titles  # ACME's promise, due Wednesday 2 December
    assert "14 Dec: instalments 300.00 EUR" in titles and "11 Jan: instalments 300.00 EUR" in titles
    assert "14 Dec: usual days to pay 250.00 EUR" in titles  # invoiced 5 Nov + Studio Nord's 40 days = 15 Dec
    assert "no date: overdue, no date to expect 690.00 EUR" in titles  # ACME's 1190 less the promised 500


def test_promises_are_counted_by_the_month_they_were_due(ledger):
    ledger.case("acme", ACME + """\
  - {at: 2026-10-20, event: promise, amount: 1190.00, by: 2026-10-30}
  - {at: 2026-10-29, event: payment, amount: 1190.00}
""")
    page = ledger.run("report", "--html", on="2026-11-24").stdout
    assert bars(page, "promises") == [("kept", "1")]
    assert "Oct 2026: kept 1 promises" in page


def test_the_statement_page(ledger, tmp_path):
    ledger.case("acme", ACME)
    out = tmp_path / "st.html"
    result = ledger.run("statement", "acme", "--format", "html", "-o", str(out), on="2026-11-24")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Statement of account acme" in page and "RE-2026-017" in page and "ACME GmbH" in page
    assert ("invoices", "1190.00") in bars(page, "owed")
    assert bars(page, "balance")[0] == ("balance", "1190.00")
    assert not re.search(r"<script|<link|<img", page)


@pytest.mark.parametrize("args", [["report", "-o", "x.html"], ["report", "--html", "--json"],
                                  ["statement", "acme", "--format", "pdf"]])
def test_what_does_not_go_together_is_a_usage_error(ledger, args):
    ledger.case("acme", ACME)
    assert ledger.run(*args).exit_code == 2


def test_statement_json_and_text_stay_as_they_were(ledger):
    ledger.case("acme", ACME)
    assert ledger.run("statement", "acme", "--format", "json").stdout == ledger.run("statement", "acme",
                                                                                      "--json").stdout
    assert ledger.run("statement", "acme").stdout.startswith("Statement of account acme")


# In a real browser ------------------------------------------------------------------------------------------

def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    return found


def browse(page: Path, profile: Path, *what: str) -> subprocess.CompletedProcess:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=860,1900", *what, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def png_rows(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG, as RGB bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    raw, size = zlib.decompress(b"".join(chunks)), 3 if colour == 2 else 4
    stride, rows, previous = width * size, [], bytes(width * size)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[i] = (line[i] + near[2]) & 255
        previous = bytes(line)
        rows.append(b"".join(previous[x:x + 3] for x in range(0, stride, size)))
    return width, height, rows


def test_chromium_renders_the_report_with_its_charts(tmp_path):
    page = tmp_path / "report.html"
    assert dun("report", "--html", "-o", str(page)).returncode == 0
    shot = tmp_path / "report.png"
    run = browse(page, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.is_file(), run.stderr[-2000:]
    width, height, rows = png_rows(shot)
    assert (width, height) == (860, 1900)
    colours = {row[x:x + 3] for row in rows[::4] for x in range(0, len(row), 12)}
    assert len(colours) > 20, "the screenshot is blank"  # text and four charts in several colours
    for colour in ("8e2c48", "f2c14e", "2e7d32", "5c6bc0", "b0bec5"):  # 90+ days, 1-30 days, a promise, a debtor,
        assert bytes.fromhex(colour) in colours, f"no pixel of #{colour}: a chart is missing"  # a pending promise
    dom = browse(page, tmp_path / "profile", "--dump-dom").stdout
    for chart in CHARTS:
        assert re.search(rf'<svg [^>]*id="{chart}"', dom), chart
    assert len(re.findall(r'<rect class="bar"', dom)) == len(re.findall(r'<rect class="bar"', page.read_text()))


def test_chromium_renders_the_statement(tmp_path):
    page = tmp_path / "statement.html"
    assert dun("statement", "kiosk-2026-012", "--format", "html", "-o", str(page)).returncode == 0
    dom = browse(page, tmp_path / "profile", "--dump-dom").stdout
    assert "Statement of account kiosk-2026-012" in dom
    assert len(re.findall(r'<rect class="bar" data-series="balance"', dom)) == 8


def test_an_empty_ledger_makes_a_page_with_empty_charts(ledger):
    result = ledger.run("report", "--html")
    assert result.exit_code == 0 and "Receivables on 2026-11-22" in result.stdout
    assert all(bars(result.stdout, chart) == [] for chart in ("ageing", "debtors", "promises"))
