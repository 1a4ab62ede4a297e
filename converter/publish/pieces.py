"""Per-issue pieces of the archive-wide files, kept between builds in `build/pieces/<kind>/<digest>.json`.

An archive-wide file (the 人事任免 table, the search index's document records) is the concatenation of one
piece per issue, and a piece is made of nothing but its issue: of what `incremental.render_digests`
digests (the linked issue, the converter's code, the site address). So a piece is kept under its issue's
digest, and a build that adds one issue to an archive of 720 makes one piece of each kind and reads the
other 720 back, instead of making them all again.

A piece is a JSON list of strings, never a pickle: reading one runs nothing, and one that is not such a
list (damaged, truncated, hand-edited) is made again. Each is written beside and renamed into place, so a
reader never sees half of one; a digest names one content, so a piece is never out of date, only unused
(`kept` removes those). A build with `--clean` starts without any.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import orjson

from converter.model import PublishedIssue

PIECES = "pieces"
"""Under build/: the pieces, a folder per kind."""

Piece = list[str]
"""What an issue contributes to one archive-wide file."""


class Pieces:
    """The pieces kept under one folder (`build/pieces/`), for the issues of one build: issue key → its
    render digest (`incremental.render_digests`)."""

    def __init__(self, root: Path, digests: Mapping[str, str]) -> None:
        self.root = root
        self.digests = digests

    def memo(
        self, kind: str, make: Callable[[PublishedIssue], Piece], fits: Callable[[PublishedIssue, Piece], bool] = lambda _, __: True
    ) -> Callable[[PublishedIssue], Piece]:
        """`make`, with each issue's piece read from `root/kind/` when it is there (and `fits` the issue:
        one string per document, say) and kept there when it was made. An issue without a digest (no
        documents) is made every time."""
        folder = self.root / kind

        def piece(issue: PublishedIssue) -> Piece:
            digest = self.digests.get(issue.key)
            if digest is None:
                return make(issue)
            path = folder / f"{digest}.json"
            if (kept := _read(path)) is not None and fits(issue, kept):
                return kept
            made = make(issue)
            _write(path, made)
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


def _read(path: Path) -> Piece | None:
    """The piece in `path`, or None when there is none or it is not a list of strings."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if isinstance(data, list) and all(isinstance(text, str) for text in data):
        return data
    return None


def _write(path: Path, piece: Piece) -> None:
    """Keep `piece` in `path` (written beside, then renamed); a piece that cannot be kept is made again
    next time, so failing to write one is not an error."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(orjson.dumps(piece))
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
