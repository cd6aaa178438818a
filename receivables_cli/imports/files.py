"""The files a command was given: files as named, folders as the files directly inside them."""

from __future__ import annotations

from pathlib import Path

from receivables_cli.domain.errors import DunError


def files_in(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) in order; hidden files inside folders are passed over."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found.extend((p, False) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append((path, True))
        elif path.exists():  # a device, a pipe: never opened, it could block or never end
            raise DunError(f"{path}: not a regular file or folder; nothing was read")
        else:
            raise DunError(f"{path}: no such file or folder")  # exit 1, as an unknown case or `rates import`
    return found
