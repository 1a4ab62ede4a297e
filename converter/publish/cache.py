"""The conversion cache `build/cache/`: one parsed `Issue` per source, keyed by the bytes of the source,
its sidecar and the converter's own code, so a cached issue is exactly what converting again would give.

An entry is a pickle, and unpickling runs whatever the file says: so every entry is signed (HMAC-SHA256)
with a key kept outside the project, in `~/.config/gongbao/cache-key` (`$XDG_CONFIG_HOME` if set), made
on first use, readable by its owner only. An entry whose signature does not match (crafted, copied from
another machine, garbage, truncated, empty) is never unpickled: it is removed and the source converted
again, with a warning (`BadEntry`). Without a key (no writable home) nothing is cached.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from converter.model import Issue

_SUFFIX = ".pickle"
_MAGIC = b"gongbao-cache-1\n"
_SIG = 32


class BadEntry(Exception):
    """A cache entry that could not be trusted or read; it was removed and its source is converted again."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        super().__init__(f"{path}: {why}; ignored and removed, the source is converted again "
                         "(`gongbao build --clean` empties the cache)")  # fmt: skip


def cache_key(raw: bytes, sidecar: bytes) -> str:
    """The key of a source's entry: its bytes, its sidecar's bytes and the converter's code."""
    return hashlib.sha256(code_hash().encode() + hashlib.sha256(raw).digest() + sidecar).hexdigest()


def load(cache: Path, key: str) -> Issue | None:
    """The cached issue under `key`, or None; a hit is marked as used in this run (for `prune`). An entry
    that is not signed with this machine's key, or does not unpickle to an Issue, raises `BadEntry`."""
    entry = cache / f"{key}{_SUFFIX}"
    if not entry.exists():
        return None
    secret = _secret()
    if secret is None:
        return None
    data = entry.read_bytes()
    head, sig, payload = data[: len(_MAGIC)], data[len(_MAGIC) : len(_MAGIC) + _SIG], data[len(_MAGIC) + _SIG :]
    if head != _MAGIC or not hmac.compare_digest(sig, hmac.new(secret, key.encode() + payload, "sha256").digest()):
        entry.unlink(missing_ok=True)
        raise BadEntry(entry, "expected a cache entry signed by this machine, found " +
                       ("an empty file" if not data else "a file that is not (truncated, damaged or foreign)"))  # fmt: skip
    try:
        issue = pickle.loads(payload)
    except Exception as exc:  # a signed entry of another Python: as good as missing
        entry.unlink(missing_ok=True)
        raise BadEntry(entry, f"expected a readable cache entry, found one that fails to load ({type(exc).__name__})") from None
    if not isinstance(issue, Issue):
        entry.unlink(missing_ok=True)
        raise BadEntry(entry, "expected a parsed issue, found something else")
    entry.touch()  # used in this run: newest, so pruning keeps it
    return issue


def store(cache: Path, key: str, issue: Issue) -> None:
    """Keep `issue` under `key`, signed (written beside, then renamed: a reader never sees half an entry)."""
    store_packed(cache, key, pack(issue))


def pack(issue: Issue) -> bytes:
    """`issue` as the bytes an entry holds (and a pool worker sends back: pickled once for both)."""
    return pickle.dumps(issue, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(payload: bytes) -> Issue:
    """The issue of `pack`'s bytes, made in this run (by this process or a worker it started): trusted."""
    with uncollected():
        issue = pickle.loads(payload)
    assert isinstance(issue, Issue)
    return issue


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic garbage collection inside: for loading or parsing issues, tens of thousands of new
    objects each and none (or a few dozen) in a cycle; collections there would find nothing, and the full
    ones scan every issue loaded so far again (two thirds of the time of loading 240 cached issues)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def store_packed(cache: Path, key: str, payload: bytes) -> None:
    """`store` of an issue already packed."""
    secret = _secret()
    if secret is None:
        return
    entry = cache / f"{key}{_SUFFIX}"
    cache.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(_MAGIC + hmac.new(secret, key.encode() + payload, "sha256").digest() + payload)
    tmp.replace(entry)


def signature(name: str, payload: bytes) -> bytes | None:
    """The signature of `payload` kept under `name` (HMAC-SHA256 with this machine's key), or None when
    there is no key (then nothing is kept). What else the build keeps is signed the same way
    (`publish.pieces`)."""
    secret = _secret()
    return None if secret is None else hmac.new(secret, name.encode() + payload, "sha256").digest()


def key_path() -> Path:
    """Where the signing key lives: outside any project, private to the user."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "gongbao" / "cache-key"


def prepare() -> None:
    """Make (or read) the signing key now, before workers are forked: they inherit it, none races to make it."""
    _secret()


@functools.cache
def _secret() -> bytes | None:
    path = key_path()
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # made meanwhile by another process (a pool worker): use that one
                fd = -1
            if fd >= 0:
                with os.fdopen(fd, "wb") as out:
                    out.write(secrets.token_bytes(32))
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) >= 16 else None


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
def code_hash() -> str:
    """Hash of the converter's source code: a new converter invalidates every cached issue."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()
