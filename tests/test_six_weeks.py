"""Six weeks of mornings on a ledger under git with `git: {commit: true}`: five customers, bank imports, calls,
letters sent through a mail command, a promise kept in part, an instalment agreement, a dispute resolved,
thank-you letters after payment.
Each day the agenda is asserted before anything is done, then the day's work is recorded, and at the end of
every day `git status --porcelain` is empty (issue 22)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date, timedelta

from tests.test_commit_lock import GIT_ENV, git

CONFIG = """
git: {commit: true}
bank:
  stale_days: 7
  csv: {date: Buchungstag, amount: Betrag (EUR), payer: Auftraggeber/Empfänger, text: Verwendungszweck}
"""
HEADER = "Buchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag (EUR)\n"

CUSTOMERS = [  # case, name, kind, email, invoice, amount, date
    ("acme", "ACME GmbH", "business", "erika@acme.example", "RE-2026-017", "1.190,00", "01.10.2026"),
    ("bohnenkamp", "Jonas Bohnenkamp", "private", "jonas@example.org", "RE-2026-021", "900,00", "05.10.2026"),
    ("hotel", "Hotel Seeblick GmbH", "business", "info@seeblick.example", "RE-2026-025", "3.570,00", "10.10.2026"),
    ("amt", "Bezirksamt Mitte", "public", "post@amt.example", "RE-2026-030", "480,00", "20.10.2026"),
    ("kiosk", "Kiosk am Markt, Inh. Selin Aydın", "private", "selin@kiosk.example", "RE-2026-022", "250,00",
     "12.10.2026"),
]

# every working day -> the agenda that morning (case action) as `dun today --json` lists it, after the bank
# import and before the day's work
AGENDA = {
    "2026-10-26": [],
    # the invoices of early October: ask whether they arrived
    "2026-10-27": ["acme info_call", "bohnenkamp info_call", "kiosk info_call", "hotel info_call"],
    "2026-10-28": ["hotel info_call"],
    "2026-10-29": [],
    "2026-10-30": [],
    "2026-11-02": [],
    "2026-11-03": ["acme collection_call"],  # D + 31, the first Tuesday in the business window
    "2026-11-04": [],  # the promise confirmation went out yesterday
    "2026-11-05": ["bohnenkamp collection_call"],
    "2026-11-06": ["amt reminder_letter"],
    "2026-11-09": [],
    "2026-11-10": ["hotel collection_call"],
    "2026-11-11": ["hotel resolve_dispute"],
    # 7 days after the agreement letter; the kiosk paid, so no collection call; ACME's part payment came, so no
    # formal letter the next working day (before 0.4: the dunning letter, counted from the call on 3 November)
    "2026-11-12": ["bohnenkamp chase_signature", "hotel resolve_dispute"],
    # signed, in the post: no chase for a week; the authority paid after the reminder: a thank-you
    "2026-11-13": ["amt thank_customer", "hotel resolve_dispute"],
    "2026-11-16": ["hotel resolve_dispute"],
    "2026-11-17": ["hotel resolve_dispute"],
    "2026-11-18": [],  # resolved yesterday, and the confirmation went out the same day
    "2026-11-19": [],
    "2026-11-20": ["acme dunning_letter"],  # 7 days after the promised day of the part payment, the rest unpaid
    "2026-11-23": [],
    "2026-11-24": [],  # the hotel paid after the dispute was settled
    "2026-11-25": [],
    "2026-11-26": [],
    "2026-11-27": ["acme thank_customer"],  # settled after the dunning letter
    "2026-11-30": [],
    "2026-12-01": [],
    "2026-12-02": [],
    "2026-12-03": [],
    "2026-12-04": [],
}


class Books:
    """The ledger under git, a mail command that keeps every message, and the statements of the bank."""

    def __init__(self, ledger, tmp_path):
        self.ledger, self.root = ledger, ledger.root
        self.mailbox = tmp_path / "mailbox"
        self.statements = tmp_path / "bank"
        self.statements.mkdir()
        script = tmp_path / "mailer.py"
        script.write_text(textwrap.dedent(f"""
            import sys
            open({str(self.mailbox)!r}, "a").write(sys.stdin.read() + "\\n---\\n")
        """))
        ledger.config(CONFIG + f'mail: {{command: "{sys.executable} {script}"}}\n')
        git(self.root, "init", "-q")
        git(self.root, "add", ".")
        git(self.root, "commit", "-qm", "a ledger")

    def dun(self, day: str, *args: str, input: str | None = None) -> str:
        result = self.ledger.run(*args, on=day, input=input)
        assert result.exit_code == 0, (day, args, result.output)
        return result.stdout

    def agenda(self, day: str) -> list[str]:
        return [f"{i['case']} {i['action']}" for i in json.loads(self.dun(day, "today", "--json"))]

    def bank(self, day: str, *payments: tuple[str, str, str]) -> None:
        """A statement of the day's credits (payer, text, amount as the bank writes it), imported with --record."""
        booked = date.fromisoformat(day) - timedelta(days=1)
        lines = "".join(f"{booked:%d.%m.%Y};{booked:%d.%m.%Y};{payer};{text};{amount}\n"
                        for payer, text, amount in payments)
        path = self.statements / f"umsaetze-{day}.csv"
        path.write_bytes(("Kontoumsätze\n\n" + HEADER + lines).encode("cp1252"))
        self.dun(day, "import", "bank", str(path), "--record")

    def clean(self) -> str:
        return subprocess.run(["git", "-C", str(self.root), "status", "--porcelain", "--untracked-files=all"],
                              capture_output=True, text=True, check=True).stdout


# day -> the credits on the statement downloaded that morning (payer, text, amount as the bank writes it),
# imported with --record before anything else; an empty statement still counts as the ledger checked
BANK = {
    "2026-10-26": [],
    "2026-11-02": [],
    "2026-11-09": [],
    "2026-11-12": [("ACME GmbH", "RE-2026-017 Teilzahlung", "400,00"),
                   ("Selin Aydin", "Rechnung RE-2026-022", "250,00")],
    "2026-11-13": [("Bezirksamt Mitte", "Kassenzeichen RE-2026-030", "480,00")],
    "2026-11-19": [("Jonas Bohnenkamp", "RE-2026-021 Rate 1", "300,00")],
    "2026-11-24": [("Hotel Seeblick GmbH", "RG 2026-025", "3.570,00")],
    "2026-11-27": [("ACME GmbH", "RE-2026-017 Rest", "790,00")],
    "2026-12-01": [],
}


def work_of_the_day(b: Books, day: str) -> None:
    """What the user records that day, after reading the agenda; amounts and dates typed the German way."""
    if day == "2026-10-26":
        for case, name, kind, email, number, amount, issued in CUSTOMERS:
            b.dun(day, "new", case, "--customer", name, "--kind", kind, "--email", email, "--invoice", number,
                  "--amount", amount, "--date", issued)
    elif day == "2026-10-27":
        b.dun(day, "call", "kiosk", "reached", "--note", "arrived, all fine")
        b.dun(day, "call", "acme", "reached", "--note", "arrived; goes to accounts")
        b.dun(day, "call", "bohnenkamp", "no_answer")
    elif day == "2026-10-28":
        b.dun(day, "call", "hotel", "reached", "--note", "arrived")
    elif day == "2026-11-03":
        b.dun(day, "call", "acme", "promised", "--promise-amount", "400", "--promise-by", "13.11.",
              "--note", "pays 400 now, the rest later")
        b.dun(day, "outbox", "--send")  # the promise confirmation
    elif day == "2026-11-05":
        b.dun(day, "call", "bohnenkamp", "hardship", "--note", "lost a client, can pay monthly")
        b.dun(day, "agree", "bohnenkamp", "--installments", "3", "--first", "20.11.2026")
        b.dun(day, "outbox", "--send")  # the agreement for signature
    elif day in ("2026-11-06", "2026-11-20"):
        b.dun(day, "outbox", "--send")  # the letters due go out through the mail command
    elif day == "2026-11-10":
        b.dun(day, "call", "hotel", "disputed", "--note", "says the booking form does not send")
    elif day == "2026-11-12":
        b.dun(day, "call", "bohnen", "reached", "--note", "signed, in the post")  # a word of the name
    elif day == "2026-11-13":
        b.dun(day, "outbox", "--send")  # the thank-you to the authority that paid after the reminder
    elif day == "2026-11-16":
        b.dun(day, "signed", "bohnenkamp")
    elif day == "2026-11-17":
        b.dun(day, "resolve", "hotel", "--terms", "Das Buchungsformular ist repariert und getestet.",
              "--note", "fixed on Monday")
        assert "hotel confirm_resolution" in b.agenda(day)  # the letter that confirms what was agreed
        b.dun(day, "outbox", "--send")
    elif day == "2026-11-27":
        # ---- THANK-YOU LETTER: `thank_customer` (contract section 8), due the day a chased case is settled ----
        b.dun(day, "outbox", "--send")


def test_six_weeks_of_mornings(ledger, tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    b = Books(ledger, tmp_path)
    day = date(2026, 10, 26)
    while day <= date(2026, 12, 4):
        if day.weekday() < 5:
            on = day.isoformat()
            if on in BANK:
                b.bank(on, *BANK[on])
            assert b.agenda(on) == AGENDA[on], on
            work_of_the_day(b, on)
            assert b.clean() == "", on
        day += timedelta(days=1)
    statuses = {r["case"]: r["status"] for r in json.loads(b.dun("2026-12-04", "list", "--all", "--json"))}
    assert statuses == {"acme": "settled", "amt": "settled", "bohnenkamp": "agreement", "hotel": "settled",
                        "kiosk": "settled"}
    letters = {case: re.findall(r"template: ([\w-]+)", ledger.text(case)) for case, *_ in CUSTOMERS}
    assert letters == {"acme": ["promise-confirmation", "dunning", "payment-thanks"],
                       "bohnenkamp": ["installment-agreement"], "hotel": ["dispute-resolution"],
                       "amt": ["reminder", "payment-thanks"], "kiosk": []}
    assert b.mailbox.read_text().count("\nSubject: ") == 7  # each letter went out once, through the mail command
    assert len(git(b.root, "log", "--format=%s").splitlines()) > 25  # every write its own commit
