"""The code of the record classes' generated methods is kept in the cache folder, and changes nothing."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# counts the compiles this process makes, then defines a frozen record as dun's are, and uses it
PROBE = """
import builtins, sys
from receivables_cli.store import classcode
classcode.keep(no_cache=len(sys.argv) > 1)
real, made = builtins.compile, []
builtins.compile = lambda *a, **k: made.append(a[0]) or real(*a, **k)
import dataclasses

@dataclasses.dataclass(frozen=True, slots=True)
class Payment:
    amount: int
    note: str = ""

p = Payment(5)
assert p == Payment(5, "") and hash(p) == hash(Payment(5)) and repr(p) == "Payment(amount=5, note='')"
try:
    p.amount = 6
except dataclasses.FrozenInstanceError:
    pass
else:
    raise AssertionError("not frozen")
assert Payment.__init__.__annotations__ == {"amount": int, "note": str, "return": None}
print(len(made) if "exec" in vars(dataclasses) else -1)  # -1: dataclasses compiles as it always does
"""


def probe(cache: Path, *args: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True)
    return int(done.stdout)


def kept_file(cache: Path) -> Path:
    return next(cache.glob("classcode-*.marshal"))


def test_a_record_class_is_compiled_once_and_then_taken_from_the_cache(tmp_path):
    assert probe(tmp_path) > 0  # the first run compiles __init__, __eq__, __hash__, __repr__, __setattr__ ...
    assert oct(kept_file(tmp_path).stat().st_mode & 0o777) == "0o600"
    assert probe(tmp_path) == 0  # the same methods, from the cache: the class behaves the same (asserted inside)
    assert probe(tmp_path, "--no-cache") == -1


def test_a_damaged_entry_is_compiled_afresh(tmp_path):
    probe(tmp_path)
    path = kept_file(tmp_path)
    table = marshal.loads(path.read_bytes())
    for text, (crc, data) in table["code"].items():
        table["code"][text] = (crc, data[:-1] + bytes([data[-1] ^ 1]))  # a flipped bit
    path.write_bytes(marshal.dumps(table))
    assert probe(tmp_path) > 0  # nothing of the damaged bytes was run, and the class works
    assert probe(tmp_path) == 0  # and the entries were replaced


def test_a_cache_file_holding_code_objects_or_written_by_others_is_not_loaded(tmp_path):
    probe(tmp_path)
    path = kept_file(tmp_path)
    table = marshal.loads(path.read_bytes())
    table["code"] = {text: (crc, compile("raise SystemExit(3)", "x", "exec")) for text, (crc, _) in
                     table["code"].items()}
    path.write_bytes(marshal.dumps(table))
    assert probe(tmp_path) > 0
    probe(tmp_path)
    path.chmod(0o666)
    assert probe(tmp_path) > 0  # others may write to it: not read


def test_dun_s_output_is_the_same_with_the_kept_code(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_TODAY": "2026-12-05"}
    outputs = []
    for cache in ("a", "a", "b"):
        env["DUN_CACHE_DIR"] = str(tmp_path / cache)
        done = subprocess.run([sys.executable, "-m", "receivables_cli", "show", "acme-2026-017", "--json",
                               "--ledger", str(ROOT)], capture_output=True, text=True, env=env, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2] and '"case": "acme-2026-017"' in outputs[0]
    assert kept_file(tmp_path / "a").stat().st_size > 10_000


def test_a_cache_folder_others_may_write_to_is_named_once(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    env = {k: v for k, v in os.environ.items() if k != "DUN_NO_CACHE"} | {"DUN_CACHE_DIR": str(shared),
                                                                           "DUN_TODAY": "2026-12-05"}
    done = subprocess.run([sys.executable, "-m", "receivables_cli", "show", "acme-2026-017", "--ledger", str(ROOT)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stderr.count("not using the cache") == 1, done.stderr
    assert not list(shared.iterdir())
