"""The conversion cache `build/cache/`: one parsed `Issue` per source, keyed by the bytes of the source,
its sidecar and the converter's own code, so a cached issue is exactly what converting again would give."""

from __future__ import annotations

import functools
import hashlib
import pickle
import shutil
from pathlib import Path

from converter.model import Issue

_SUFFIX = ".pickle"


def cache_key(raw: bytes, sidecar: bytes) -> str:
    """The key of a source's entry: its bytes, its sidecar's bytes and the converter's code."""
    return hashlib.sha256(_code_hash().encode() + hashlib.sha256(raw).digest() + sidecar).hexdigest()


def load(cache: Path, key: str) -> Issue | None:
    """The cached issue under `key`, or None; a hit is marked as used in this run (for `prune`)."""
    entry = cache / f"{key}{_SUFFIX}"
    if not entry.exists():
        return None
    issue = pickle.loads(entry.read_bytes())
    if not isinstance(issue, Issue):
        return None
    entry.touch()  # used in this run: newest, so pruning keeps it
    return issue


def store(cache: Path, key: str, issue: Issue) -> None:
    """Keep `issue` under `key` (written beside, then renamed: a reader never sees half an entry)."""
    entry = cache / f"{key}{_SUFFIX}"
    cache.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(issue, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(entry)


def clear(cache: Path) -> None:
    """Forget every entry (`--clean`)."""
    if cache.exists():
        shutil.rmtree(cache)


def prune(cache: Path, keep: int) -> None:
    """Keep only the `keep` entries used last (written or touched), so the cache never grows unbounded."""
    if not cache.exists():
        return
    entries = sorted(cache.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


@functools.cache
def _code_hash() -> str:
    """Hash of the converter's source code: a new converter invalidates every cached issue."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()
