"""The text of a new case file: a header to edit by hand, then the history."""

from __future__ import annotations

from receivables_cli.store.append import render_entry, scalar


def case_text(customer: dict, first: dict) -> str:
    """A readable case file with the customer header and the first invoice."""
    lines = ["customer:"]
    for key, value in customer.items():
        if value and _block_ok(str(value)):  # an address: a literal block, one line per line
            lines.append(f"  {key}: |")
            lines.extend(f"    {line}" for line in str(value).split("\n"))
        elif value:
            lines.append(f"  {key}: {scalar(value)}")
    lines += [
        "  # contact, salutation, address, language, assistant: {name, phone},",
        "  # manager: {name, role, phone} and call_window can be added here by hand",
        "evidence: strong   # strong | weak: how well the claim is documented",
        "history:",
    ]
    return "\n".join(lines) + "\n" + render_entry(first, 2)


def _block_ok(text: str) -> bool:
    """Several lines that a YAML literal block keeps exactly as they are (else the value is quoted)."""
    rows = text.split("\n")
    return len(rows) > 1 and all(r and r == r.strip() and r.isprintable() for r in rows)
