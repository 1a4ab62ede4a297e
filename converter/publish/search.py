"""Write the search index into the built site. Its content is made by the render stage
(`render/search_index.py`, from the converter's data); nothing here reads or rewrites built HTML.

Only what changed is written: a file whose bytes are those of the same file in the last published site
is kept (copied from it when the site is staged anew). Adding the newest issue adds its documents'
records and changes the postings shards its text adds keys to; every other record stays as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

from converter.model import Corpus
from converter.render.search_index import INDEX_DIR, search_index


def index_site(site: Path, corpus: Corpus, previous: Path | None = None) -> tuple[int, int]:
    """Write the search index of `corpus` into `site/search-index/`; returns how many files changed (new
    or other bytes than in `previous`), of how many."""
    files = search_index([p for p in corpus.issues if p.docs])
    return write_index(site, files, previous), len(files)


def write_index(site: Path, files: dict[str, str], previous: Path | None = None) -> int:
    """Write `files` under `site/INDEX_DIR/`, removing any other file there. A file with the same bytes in
    `previous/INDEX_DIR/` (the last published site; it may be `site` itself) is kept as it was, not
    written again. Returns how many files were new or changed.

    No file is ever written in place: each is written as a new file and renamed over its path, because
    a staged site may hold hard links to the published one (`write.link_tree`), and writing through a
    link would change the published site before it is swapped."""
    root = site / INDEX_DIR
    old = (previous or site) / INDEX_DIR
    mask = os.umask(0)
    os.umask(mask)
    mode = 0o666 & ~mask  # as a plain write would give, whatever the file copied from had
    changed = 0
    for rel, text in files.items():
        path = root / rel
        data = text.encode("utf-8")
        before = old / rel
        if before.is_file() and before.stat().st_size == len(data) and before.read_bytes() == data:
            if not (path.is_file() and os.path.samefile(before, path)):
                path.parent.mkdir(parents=True, exist_ok=True)
                _replace(path, mode, partial(shutil.copy2, before))  # its time stamp too
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, mode, partial(Path.write_bytes, data=data))
        changed += 1
    if root.is_dir():
        for stale in [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() not in files]:
            stale.unlink()
    return changed


def _replace(path: Path, mode: int, fill: Callable[[Path], object]) -> None:
    """Make `path` a new file filled by `fill(temporary path)` and renamed over it: whatever `path` was (a
    hard link to a published file) is replaced, never written through."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.unlink(missing_ok=True)  # left by a killed build, maybe as a link: never write into it
    try:
        fill(tmp)
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
