"""Per-issue pieces of the archive-wide files, kept between builds in `build/pieces/<kind>/<digest>.json`.

An archive-wide file (the 人事任免 table, the browse pages, the search index's document records, the id
manifest) is the concatenation of one piece per issue, and a piece is made of nothing but its issue: of
what `incremental.render_digests` digests (the linked issue, the converter's code, the site address). So
a piece is kept under its issue's digest, and a build that adds one issue to an archive of 720 makes one
piece of each kind and reads the other 720 back, instead of making them all again.

A piece is a JSON list of strings, never a pickle, and it is signed as the conversion cache's entries are
(`cache.signature`, with the key kept outside the project): pieces are HTML and search records that reach
the site as they are, so only what this machine's gongbao made is taken. One that is not signed so, or
not such a list (damaged, truncated, crafted, from another machine), is made again. Each is written
beside and renamed into place, so a reader never sees half of one; a digest names one content, so a piece
is never out of date, only unused (`kept` removes those). A build with `--clean` starts without any.
"""

from __future__ import annotations

import hmac
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import orjson

from converter.model import PublishedIssue
from converter.publish import cache

PIECES = "pieces"
"""Under build/: the pieces, a folder per kind."""

Piece = list[str]
"""What an issue contributes to one archive-wide file."""

_SIG = 32
"""Bytes of the signature at the head of a piece's file (HMAC-SHA256)."""


class Pieces:
    """The pieces kept under one folder (`build/pieces/`), for the issues of one build: issue key → its
    render digest (`incremental.render_digests`)."""

    def __init__(self, root: Path, digests: Mapping[str, str]) -> None:
        self.root = root
        self.digests = digests

    def memo(self, kind: str, make: Callable[[PublishedIssue], Piece]) -> Callable[[PublishedIssue], Piece]:
        """`make`, with each issue's piece read from `root/kind/` when it is there and kept there when it
        was made. What is read is what `make` gave for the same digest, so for the same issue: this
        machine's gongbao signed it under that kind and digest, and the digest covers the code. An issue
        without a digest (no documents) is made every time."""
        folder = self.root / kind

        def piece(issue: PublishedIssue) -> Piece:
            digest = self.digests.get(issue.key)
            if digest is None:
                return make(issue)
            path, name = folder / f"{digest}.json", f"{kind}/{digest}"
            if (kept := _read(path, name)) is not None:
                return kept
            made = make(issue)
            _write(path, name, made)
            return made

        return piece


def kept(root: Path, digests: Mapping[str, str], clean: bool = False) -> Pieces:
    """The pieces under `root` for a build of the issues in `digests` (issue key → render digest): those of
    other issues, or of what these were made of before, removed; all of them with `clean`."""
    if clean and root.exists():
        shutil.rmtree(root)
    elif root.is_dir():
        current = {f"{digest}.json" for digest in digests.values()}
        for kind in [path for path in root.iterdir() if path.is_dir()]:
            for name in set(os.listdir(kind)) - current:
                (kind / name).unlink(missing_ok=True)
    return Pieces(root, digests)


def _read(path: Path, name: str) -> Piece | None:
    """The piece in `path`, kept under `name`; None when there is none, or it is not signed by this
    machine's key for that name, or it is not a list of strings."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    signature, payload = data[:_SIG], data[_SIG:]
    expected = cache.signature(name, payload)
    if expected is None or not hmac.compare_digest(signature, expected):
        return None
    try:
        piece = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if isinstance(piece, list) and all(isinstance(text, str) for text in piece):
        return piece
    return None


def _write(path: Path, name: str, piece: Piece) -> None:
    """Keep `piece` in `path` under `name`, signed (written beside, then renamed). A piece that cannot be
    kept (no key, no room) is made again next time, so failing to keep one is not an error."""
    payload = orjson.dumps(piece)
    if (signature := cache.signature(name, payload)) is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(signature + payload)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
