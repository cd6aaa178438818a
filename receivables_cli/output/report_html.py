"""`dun report --html` and `dun statement --format html`: one self-contained page each, charts as inline SVG.

No script, no web font, no link out: the file opens offline and prints as it looks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from receivables_cli.output import svg
from receivables_cli.output.report_charts import (
    AGE_SERIES,
    CASH_SERIES,
    PROMISE_SERIES,
    ageing_rows,
    cash_weeks,
    debtor_rows,
    promise_months,
)

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #222;
       max-width: 760px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.8em; }
.sub { color: #555; margin-top: 0; } .figures { display: flex; gap: 2em; flex-wrap: wrap; }
.figure b { display: block; font-size: 1.6em; } .overdue b { color: #c62828; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 0.25em 0.5em; border-bottom: 1px solid #ddd; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: #555; font-size: 0.9em; } .warning { color: #8a5a00; } svg.chart { max-width: 100%; height: auto; }
@media print { body { margin: 0; } h2 { break-after: avoid; } svg.chart { break-inside: avoid; } }
"""


def page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _figure(label: str, value: str, css: str = "figure") -> str:
    return f'<div class="{css}"><b>{escape(value)}</b>{escape(label)}</div>'


def report_html(data: dict, states: list, on: date, currency: str, grace: int, creditor: str = "") -> str:
    """The portfolio as a page: the totals, then four charts, then what needs a decision."""
    from receivables_cli.output.report import promise_outcomes

    cur = data["currencies"].get(currency, {"open": "0.00", "overdue": "0.00", "cases": 0})
    p = data["promises"]
    body = [f"<h1>Receivables on {on.isoformat()}</h1>",
            f'<p class="sub">{escape(creditor)}{" · " if creditor else ""}{cur["cases"]} open cases</p>',
            '<div class="figures">', _figure(f"{currency} open", cur["open"]),
            _figure(f"{currency} overdue", cur["overdue"], "figure overdue"),
            _figure("promises kept of " + str(p["made"]), str(p["kept"])),
            _figure("days to pay, on average", str(data["average_days_to_pay"] or "–")), "</div>"]
    for warning in data["warnings"]:
        body.append(f'<p class="warning">Warning: {escape(warning)}</p>')
    body += ["<h2>Ageing</h2>", '<p class="note">What each customer owes, by how long it is overdue.</p>',
             svg.across("ageing", "Ageing by customer", ageing_rows(states, currency), AGE_SERIES, currency)]
    body += ["<h2>Cash expected, week by week</h2>",
             '<p class="note">From open promises, the instalments of agreements, and for the rest each customer\'s '
             'usual days from invoice to payment (the due date where a customer has not paid before). '
             'The first column is what is past every such date: broken promises, missed instalments, customers '
             'later than usual. Disputed claims, claims on hold and at court are left out.</p>',
             svg.upright("cash", "Cash expected by week", cash_weeks(states, on, currency), CASH_SERIES, currency)]
    body += ["<h2>Largest debtors</h2>",
             svg.across("debtors", "Largest debtors", debtor_rows(data["concentration"]),
                        (svg.Series("open", "#5c6bc0"),), currency)]
    months = promise_months(promise_outcomes(states, grace), on)
    body += ["<h2>Promises kept over time</h2>", '<p class="note">Promises to pay, by the month they were due in.</p>',
             svg.upright("promises", "Promises by month", months, PROMISE_SERIES, "promises", height=200)]
    body += _decisions(data)
    return page(f"Receivables on {on.isoformat()}", body)


def _decisions(data: dict) -> list[str]:
    out = ["<h2>Status and decisions</h2>", "<table><tr><th>status</th><th class=\"num\">cases</th></tr>"]
    out += [f"<tr><td>{escape(k)}</td><td class=\"num\">{n}</td></tr>" for k, n in data["statuses"].items()]
    out.append("</table>")
    for title, key in (("Decide on the legal route", "legal_candidates"), ("Close to limitation", "near_limitation")):
        if data[key]:
            out.append(f"<p><b>{title}:</b> {escape(', '.join(data[key]))}</p>")
    return out


def statement_html(st, customer: str, creditor: str = "") -> str:
    """The statement of account as a page a customer can follow: what is owed, then every line."""
    owed = svg.Row("owed", (st.principal_open, st.charged_open, st.interest_accrued))
    series = (svg.Series("invoices", "#5c6bc0"), svg.Series("fees and interest charged", "#f08a4b"),
              svg.Series("default interest accrued", "#c62828"))
    since = f"in default since {st.default_from}" if st.default_from else "not in default"
    body = [f"<h1>Statement of account {escape(st.case)}</h1>",
            f'<p class="sub">{escape(customer)} · on {st.on} · {since}{" · from " if creditor else ""}'
            f"{escape(creditor)}</p>",
            '<div class="figures">', _figure(f"{st.currency} in total", str(st.total), "figure overdue"), "</div>",
            "<h2>What is owed</h2>", svg.across("owed", "What is owed", [owed], series, st.currency),
            "<h2>The balance after each line</h2>",
            svg.upright("balance", "The balance after each line", _balance(st), (svg.Series("balance", "#5c6bc0"),),
                        st.currency, height=200),
            "<h2>Every line</h2>", _lines_table(st)]
    if st.claimable_flat_fee > 0:
        body.append(f'<p class="note">Also claimable: flat fee {st.claimable_flat_fee} {escape(st.currency)} '
                    f"({escape(st.flat_fee_basis)}).</p>")
    body += [f'<p class="note">* {escape(note)}</p>' for note in st.notes]
    return page(f"Statement of account {st.case}", body)


def _balance(st) -> list[svg.Row]:
    """The running balance after each line of the statement, a column each."""
    rows, balance = [], Decimal("0.00")
    every = max(1, -(-len(st.lines) // 10))  # at most ten dates under the columns
    for i, x in enumerate(st.lines):
        balance += x.amount
        label = f"{x.date:%d.%m.%y}" if i % every == 0 or i == len(st.lines) - 1 else ""
        rows.append(svg.Row(label, (max(balance, Decimal("0.00")),)))
    return rows


def _lines_table(st) -> str:
    rows = [f"<tr><th>date</th><th>what</th><th>details</th><th class=\"num\">{escape(st.currency)}</th></tr>"]
    for x in st.lines:
        rows.append(f"<tr><td>{x.date}</td><td>{escape(x.kind)}</td><td>{escape(x.text)}"
                    f"{' *' if x.unconfirmed else ''}</td><td class=\"num\">{x.amount}</td></tr>")
    for label, value in (("principal open", st.principal_open), ("fees and interest charged", st.charged_open),
                         ("default interest accrued", st.interest_accrued), ("total", st.total)):
        rows.append(f"<tr><td></td><td></td><th>{label}</th><th class=\"num\">{value}</th></tr>")
    return "<table>" + "".join(rows) + "</table>"
