"""The structured creditor reference (ISO 11649, `RF` + two check digits + up to 21 letters or digits).

A letter or QR code can print `creditor_reference(invoice_number)` as the payment reference;
a bank passes it through untouched, so a payment that carries it is matched for certain.
"""

from __future__ import annotations

import re

_BODY = re.compile(r"[A-Z0-9]{1,21}")


def _digits(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text))


def creditor_reference(invoice_number: str) -> str | None:
    """`RE-2026-017` -> `RF46RE2026017`; None when the number has no letters or digits or is too long."""
    body = re.sub(r"[^A-Z0-9]", "", invoice_number.upper())
    if not _BODY.fullmatch(body):
        return None
    check = 98 - _digits(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def valid_creditor_reference(text: str) -> bool:
    """Whether the text is an RF reference with correct check digits (spaces allowed)."""
    ref = re.sub(r"\s", "", text.upper())
    if not (ref.startswith("RF") and len(ref) >= 5 and ref[2:4].isdigit() and _BODY.fullmatch(ref[4:])):
        return False
    return _digits(ref[4:] + ref[:4]) % 97 == 1


_RF = re.compile(r"RF\d\d(?: ?[0-9A-Z]){1,21}", re.I)


def rf_references(*texts: str | None) -> list[str]:
    """The valid RF references in these texts (spaces inside them allowed), each once, in order."""
    found: list[str] = []
    for text in texts:
        for m in _RF.finditer(text or ""):
            raw = re.sub(r"\s", "", m.group(0)).upper()
            ref = next((raw[:n] for n in range(len(raw), 4, -1) if valid_creditor_reference(raw[:n])), None)
            if ref and ref not in found:
                found.append(ref)
    return found
