"""Read dun.yaml into the ledger's settings (domain.config)."""

from __future__ import annotations

from pathlib import Path

from receivables_cli.domain.config import Config, config_from
from receivables_cli.domain.errors import Problem
from receivables_cli.domain.yamltext import parse
from receivables_cli.store import fastyaml


def load_config(path: Path, text: str) -> tuple[Config, list[Problem]]:
    """Parse dun.yaml; problems are returned with the defaults for what was wrong.

    The fast path (store.fastyaml) reads a well-formed dun.yaml without importing PyYAML; it
    knows no lines, so a file with any problem is read again the slow way, which names them.
    """
    fast = _fast_values(path, text) if fastyaml.enabled() else None
    if fast is not None:
        config, problems = config_from(path, fast[0])
        if not problems and not config.placeholders:
            return config, problems
    values, problems = parse(text, path)
    if problems:
        return Config(), problems
    return config_from(path, values)


def _fast_values(path: Path, text: str):
    """fastyaml's reading of dun.yaml; rapidyaml's part of it is kept in the cache folder with the
    text it was made from, so an unchanged dun.yaml is read without loading rapidyaml."""
    from receivables_cli.store import cache

    if not cache.enabled():
        return fastyaml.parse(text)
    kept = cache.Remembered("settings", path.parent, limit=1)
    found = fastyaml.parse(text, kept.entries)
    kept.save_if_grown()
    return found
