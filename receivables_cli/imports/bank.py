"""Read a bank statement, whatever its format: the format is told by the content, not the name."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from receivables_cli.domain.config import Config
from receivables_cli.imports.records import BankEntry, ImportProblem

MAX_BYTES = 50_000_000  # a year of statements is a few MB; more is not a statement
MAX_MEMBERS = 1000      # statements in one ZIP


def read_statement(path: Path, config: Config) -> tuple[str, list[BankEntry]]:
    """(format name, entries) of one file; ImportProblem when it is none of the formats."""
    data = _read(path)
    if data[:4] == b"PK\x03\x04":
        return _zip(path, data, config)
    return read_bytes(path, data, config)


def read_bytes(path, data: bytes, config: Config) -> tuple[str, list[BankEntry]]:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _xml(path, data)
    from receivables_cli.imports.bankcsv import decode, layout, read_csv
    from receivables_cli.imports.swift import fragment_problem, kind_of, read_mt94x, tags_of

    if not data.strip():
        raise ImportProblem(path, "an empty file: no entries; download the statement again")
    content = decode(data)
    kind = kind_of(content)
    if kind in ("MT940", "MT942"):
        closed = kind == "MT942" or tags_of(content) & {"62F", "62M"}
        return kind + ("" if closed else " (no closing balance :62F:)"), read_mt94x(path, content)
    if kind == "fragment":
        raise fragment_problem(path, content)
    mapping = config.bank.csv if config.bank else None
    shape = layout(content, mapping)
    if shape is not None:
        return f"CSV ({shape.name})", read_csv(path, content, shape, config.currency)
    raise ImportProblem(path, _unknown(head, content, mapping))


def _unknown(head: bytes, content: str, mapping) -> str:
    """What the file looks like and what to do, for a file dun cannot read."""
    from receivables_cli.domain.csvpresets import PRESETS

    if head.startswith(b"%PDF"):
        return ("a PDF: dun reads statements as camt.053/052/054 (XML), MT940 or CSV; download one of those "
                "from online banking")
    if content.lstrip().startswith("!Type:") or b"OFXHEADER" in head or b"<OFX>" in head.upper():
        return "a Quicken/OFX file: download the statement as camt.053, MT940 or CSV instead"
    if mapping and mapping.preset:
        return (f"a CSV without the header line of a {mapping.preset} export (bank: csv: {mapping.preset} in "
                "dun.yaml); export it again, or map its columns under bank: csv:")
    if mapping:
        return (f"no header line with the columns '{mapping.date}' and '{mapping.amount}' (bank: csv: in dun.yaml); "
                "compare them with the file's header line")
    first = next((line.strip()[:80] for line in content.splitlines()[:30]
                   if line.count(";") + line.count(",") + line.count("\t") >= 2), "")
    if first:
        return (f"not a bank statement dun can read: a CSV export of a bank dun does not know (header '{first}'); "
                f"name the bank in dun.yaml (bank: csv: {'|'.join(PRESETS)}) or map its columns: "
                "bank: csv: {date: ..., amount: ..., payer: ..., text: ...}")
    return "not a bank statement dun can read (camt.052/053/054, MT940, MT942 or a bank's CSV export)"


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportProblem(path, f"{size} bytes is too large for a bank statement")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ImportProblem(path, f"more than {MAX_BYTES} bytes is too large for a bank statement")
        return data
    except OSError as e:
        raise ImportProblem(path, e.strerror or "cannot be read") from None


def _zip(path: Path, data: bytes, config: Config) -> tuple[str, list[BankEntry]]:
    """A ZIP of statements (savings banks deliver camt.052/053 so): every member read on its own; a member
    that does not read is one entry with its reason, the others are read."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ImportProblem(path, f"a ZIP that does not open ({e})") from None
    if not members:
        raise ImportProblem(path, "a ZIP without statements: no entries")
    if len(members) > MAX_MEMBERS:
        raise ImportProblem(path, f"a ZIP of {len(members)} files: more than {MAX_MEMBERS} statements")
    formats, entries, budget = [], [], MAX_BYTES
    for m in sorted(members, key=lambda m: m.filename):
        where = f"{path}:{m.filename}"
        try:
            body = _member(archive, m, budget)
            budget -= len(body)
            kind, found = read_bytes(where, body, config)
        except ImportProblem as e:
            entries.append(_member_problem(path, m.filename, len(entries) + 1, e.message))
            continue
        formats.append(kind)
        entries.extend(replace(e, position=len(entries) + k) for k, e in enumerate(found, 1))
    names = sorted(set(formats))
    return f"ZIP of {len(members)} ({', '.join(names) or 'none read'})", entries


def _member(archive, m, budget: int) -> bytes:
    """A member's bytes, read no further than the budget: a ZIP bomb costs nothing."""
    if m.file_size > budget or m.compress_size > MAX_BYTES:
        raise ImportProblem(m.filename, f"{m.file_size} bytes unpacked: too large for a bank statement")
    try:
        with archive.open(m) as f:
            body = f.read(budget + 1)
    except Exception as e:  # zipfile raises several kinds (encrypted, bad CRC, unknown compression)
        raise ImportProblem(m.filename, f"cannot be unpacked ({type(e).__name__}: {str(e)[:100]})") from None
    if len(body) > budget:
        raise ImportProblem(m.filename, "too large for a bank statement once unpacked")
    return body


def _member_problem(path, member: str, position: int, why: str) -> BankEntry:
    return BankEntry(source=str(path), position=position, booked=None, amount=Decimal(0), currency="",
                     credit=False, problem=f"{member}: {why}")


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))


def _xml(path, data: bytes) -> tuple[str, list[BankEntry]]:
    import re

    from receivables_cli.imports.camt import KINDS, body_of, container, is_camt, read_camt
    from receivables_cli.imports.records import too_many
    from receivables_cli.imports.safexml import local, namespace, parse_xml

    starts = [m.start() for m in re.finditer(rb"<(?:[\w.-]+:)?Ntry[\s>]", data)]
    too_many(path, len(starts))  # before a tree of them is built
    root = parse_xml(path, data)
    if not is_camt(root):
        raise ImportProblem(path, f"XML, but not a bank statement (root element {local(root.tag)}); dun reads "
                                  "camt.052, camt.053 and camt.054: download one of those")
    lines, at, count = [], 0, 0
    for start in starts:  # the line of each <Ntry>, for messages
        count += data.count(b"\n", at, start)
        at = start
        lines.append(count + 1)
    body = body_of(root)
    found = re.search(r"camt\.\d{3}\.\d{3}\.\d{2}", namespace(root.tag))
    version = found.group(0) if found else (KINDS.get(container(body)) if body is not None else None) or "camt"
    return version, read_camt(path, root, lines)
