"""Read a bank statement, whatever its format: the format is told by the content, not the name."""

from __future__ import annotations

from pathlib import Path

from receivables_cli.config import Config
from receivables_cli.imports.records import BankEntry, ImportProblem

MAX_BYTES = 50_000_000  # a year of statements is a few MB; more is not a statement


def read_statement(path: Path, config: Config) -> tuple[str, list[BankEntry]]:
    """(format name, entries) of one file; ImportProblem when it is none of the formats."""
    data = _read(path)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _xml(path, data)
    from receivables_cli.imports.bankcsv import decode, header_line, read_csv
    from receivables_cli.imports.swift import is_mt940, read_mt940

    content = decode(data)
    if is_mt940(content):
        return "MT940", read_mt940(path, content)
    mapping = config.bank.csv if config.bank else None
    if mapping and header_line(content, mapping) is not None:
        return "CSV", read_csv(path, content, mapping, config.currency)
    hint = ("" if mapping else "; for a CSV export, map its columns in dun.yaml under bank: csv: "
            "{date: ..., amount: ..., payer: ..., text: ...}")
    raise ImportProblem(path, f"not a bank statement dun can read (camt.053/054, MT940 or CSV){hint}")


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportProblem(path, f"{size} bytes is too large for a bank statement")
        return path.read_bytes()
    except OSError as e:
        raise ImportProblem(path, e.strerror or "cannot be read") from None


def _xml(path: Path, data: bytes) -> tuple[str, list[BankEntry]]:
    import re

    from receivables_cli.imports.camt import is_camt, read_camt
    from receivables_cli.imports.records import too_many
    from receivables_cli.imports.safexml import local, namespace, parse_xml

    too_many(path, len(re.findall(rb"<(?:[\w.-]+:)?Ntry[\s>]", data)))  # before a tree of them is built
    root = parse_xml(path, data)
    if not is_camt(root):
        raise ImportProblem(path, f"XML, but not a camt.053/054 statement (root element {local(root.tag)})")
    version = namespace(root.tag).rsplit(":", 1)[-1] or "camt"
    return version, read_camt(path, root)
