"""The settings of what comes in and goes out: bank statements (their CSV columns) and mail (the send
command, the IMAP mailbox)."""

from __future__ import annotations

from dataclasses import dataclass

from receivables_cli.domain.reader import Reader
from receivables_cli.domain.yamltext import Scalar, YMap

BANK_KEYS = ("stale_days", "csv")


CSV_KEYS = ("date", "amount", "payer", "text", "delimiter", "decimal", "reference", "date_format", "status",
            "currency")


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """Which column of a bank's CSV export holds what (header names as the bank writes them)."""

    date: str            # a column name, or its number counted from 1 in a file without a header line
    amount: str
    payer: str | None = None
    text: str | None = None
    reference: str | None = None
    delimiter: str = ";"
    decimal: str = ","
    date_format: str = "%d.%m.%Y"
    status: str | None = None    # a column that marks pending rows (Vorgemerkt, Pending, ...)
    currency: str | None = None  # a column with the currency of each row
    preset: str | None = None    # a bank's export by name: sparkasse, dkb, ing, ...


@dataclass(frozen=True, slots=True)
class BankSettings:
    """dun.yaml's bank: when a statement is stale, and how a CSV export's columns are read."""
    stale_days: int = 3
    csv: CsvMapping | None = None


@dataclass(frozen=True, slots=True)
class ImapSettings:
    """`mail: {imap: ...}`: where `dun import mail imap` reads the replies; the password comes from a command."""

    host: str
    user: str
    password_command: str
    port: int | None = None  # default: 993 with TLS, 143 with STARTTLS or none
    folder: str = "INBOX"
    tls: str = "tls"  # tls (implicit, port 993), starttls, or none (a server on this machine only)


def read_mail(r: Reader, top: YMap, fields: dict) -> None:
    """`mail: {command: "msmtp -t"}`: the command `dun outbox --send` pipes each e-mail into."""
    if "mail" not in top:
        return
    m = r.mapping(top["mail"], "mail", top.key_lines["mail"])
    if m is None:
        return
    r.check_keys(m, ("command", "imap"), "mail")
    if "imap" in m:
        fields["imap"] = _imap(r, m["imap"], m.key_lines["imap"])
    if "command" in m:
        text, at = r.text(m["command"], m.key_lines["command"], "mail command") or "", m.key_lines["command"]
        if text.strip():
            fields["mail_command"] = text.strip()
        else:
            r.problem(at, 'mail command is empty; write e.g. command: "msmtp -t"')


IMAP_KEYS = ("host", "port", "user", "folder", "password_command", "tls")


def _imap(r: Reader, value, line: int) -> ImapSettings | None:
    """`imap: {host, port, user, folder, password_command, tls}`; the password itself is never stored."""
    found = {key: (text.strip(), at) for key, text, at in r.entries(value, line, "mail imap", IMAP_KEYS)}
    missing = [key for key in ("host", "user", "password_command") if not found.get(key, ("",))[0]]
    if missing:
        r.problem(line, f"mail imap needs {', '.join(missing)} (the password comes from a command such as "
                        "'pass show mail', never from dun.yaml)")
        return None
    settings = {key: text for key, (text, _) in found.items() if key != "port"}
    tls = {"true": "tls", "yes": "tls", "false": "none", "no": "none"}.get(settings.get("tls", "tls").lower(),
                                                                            settings.get("tls", "tls").lower())
    if tls not in ("tls", "starttls", "none"):
        r.problem(found["tls"][1], f"mail imap tls '{settings['tls']}' is not one of tls, starttls, none")
        return None
    settings["tls"] = tls
    if "port" in found:
        if not found["port"][0].isdigit() or not 0 < int(found["port"][0]) < 65536:
            r.problem(found["port"][1], f"mail imap port '{found['port'][0]}' is not a port number")
            return None
        settings["port"] = int(found["port"][0])
    return ImapSettings(**settings)


def read_bank(r: Reader, value, line: int) -> BankSettings:
    """`bank: {stale_days: 3, csv: {date:, amount:, ...}}`; an empty `bank:` switches the reminder on."""
    if value is None or (isinstance(value, Scalar) and value.is_null):
        return BankSettings()
    m = r.mapping(value, "bank", line)
    if m is None:
        return BankSettings()
    r.check_keys(m, BANK_KEYS, "bank")
    stale = r.whole_number(m["stale_days"], m.key_lines["stale_days"], "bank stale_days", 3) if "stale_days" in m else 3
    mapping = _csv_mapping(r, m["csv"], m.key_lines["csv"]) if "csv" in m else None
    return BankSettings(stale, mapping)


def _csv_mapping(r: Reader, value, line: int) -> CsvMapping | None:
    if isinstance(value, (Scalar, str)):  # `csv: dkb`: a bank's export dun knows
        from receivables_cli.domain.csvpresets import PRESETS

        name = (r.text(value, line, "bank csv") or "").strip().lower()
        if name not in PRESETS:
            r.problem(line, f"bank csv '{name}' is not a bank dun knows ({', '.join(PRESETS)}); "
                            "or map the columns: csv: {{date: ..., amount: ...}}")
            return None
        return CsvMapping(date="", amount="", preset=name)
    found = {key: text for key, text, _at in r.entries(value, line, "bank csv", CSV_KEYS) if text}
    for key in ("date", "amount"):
        if key not in found:
            r.problem(line, f"bank csv needs '{key}': the name of the column that holds it")
    if found.get("decimal", ",") not in (",", "."):
        r.problem(line, f"bank csv decimal must be ',' or '.', not '{found['decimal']}'")
        return None
    if len(found.get("delimiter", ";")) != 1:
        r.problem(line, f"bank csv delimiter must be one character, not '{found['delimiter']}'")
        return None
    return CsvMapping(**found) if "date" in found and "amount" in found else None
