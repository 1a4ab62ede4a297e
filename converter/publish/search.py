"""Write the search index into the built site. Its content is made by the render stage
(`render/search_index.py`, from the converter's data); nothing here reads or rewrites built HTML.

Only what changed is written: a file whose bytes are those of the same file in the last published site
is kept (copied from it when the site is staged anew). Adding the newest issue adds its documents'
records and changes the postings shards its text adds keys to; every other record stays as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from converter.model import Corpus
from converter.publish.cache import code_hash
from converter.publish.pieces import Pieces
from converter.publish.write import holds, walk_files
from converter.render.search_index import BUILT, INDEX_DIR, issue_records, search_index


@dataclass(frozen=True, slots=True)
class Index:
    """A computed search index, to be written (`write_site_index`)."""

    files: dict[str, str]
    """Path under `INDEX_DIR` → JSON text."""
    kept: frozenset[str]
    """The shards (paths under `INDEX_DIR`) not in `files`, as they are in the last site: every shard of a
    part whose input is that of the last site, the shards a patched part leaves as they were."""


def index_site(site: Path, corpus: Corpus, previous: Path | None = None) -> tuple[int, int]:
    """Write the search index of `corpus` into `site/search-index/`; returns how many files changed (new
    or other bytes than in `previous`), of how many."""
    return write_site_index(site, index_files(corpus, previous), previous)


def index_files(corpus: Corpus, previous: Path | None = None, pieces: Pieces | None = None) -> Index:
    """The search index of `corpus`. A part whose input is that of `previous` (its `BUILT` record) is not
    computed again: its shards are kept; one whose input differs in a few documents is patched
    (`render.search_patch`, from `previous`'s files); an issue's document records (`issue_records`) are
    kept in `pieces`. Reads only `previous` and `pieces`, so it may run while the site is built."""
    last = _built(previous / INDEX_DIR) if previous is not None else {}
    read = partial(_read, previous / INDEX_DIR) if previous is not None else None
    records = pieces.memo("search-records", issue_records) if pieces else None
    files = search_index([p for p in corpus.issues if p.docs], code_hash(), last, records, read)
    now = json.loads(files[BUILT])
    shards = (f"{name}/{n:x}.json" for name in now for n in range(int(now[name][1])))
    return Index(files, frozenset(path for path in shards if path not in files))


def _read(root: Path, rel: str) -> str | None:
    """The text of the index file `rel` under `root`, None when it cannot be read (`search_patch.ReadFile`)."""
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_site_index(site: Path, index: Index, previous: Path | None = None) -> tuple[int, int]:
    """Write `index` into `site` (`write_index`); returns how many files changed, of how many."""
    return write_index(site, index.files, previous, index.kept), len(index.files) + len(index.kept)


def write_index_changes(changes: Path, index: Index, published: Path) -> tuple[tuple[int, int], list[str]]:
    """Write into the staged changes to the `published` site (`write.apply_changes`) only the files of
    `index` that are new or whose bytes differ from the published ones; returns how many files changed, of
    how many, and the published index files to remove (no longer in the index)."""
    root, old = changes / INDEX_DIR, published / INDEX_DIR
    keep = index.kept
    changed = 0
    for rel, text in index.files.items():
        data = text.encode("utf-8")
        before = old / rel
        if holds(before, data):
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed += 1
    gone = [f"{INDEX_DIR}/{rel}" for rel in walk_files(old) if rel not in index.files and rel not in keep]
    return (changed, len(index.files) + len(index.kept)), gone


def _built(root: Path) -> dict[str, object]:
    """The `BUILT` record of the index under `root`, with only the parts whose shard files are all there
    (a part with a file missing or added is computed again); {} when there is none or it is not valid."""
    try:
        data = json.loads((root / BUILT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    valid: dict[str, object] = {}
    for name, entry in data.items():
        if not (isinstance(entry, list) and len(entry) >= 2 and isinstance(entry[1], int) and name in ("p", "r")):
            continue
        present = {p.name for p in (root / name).glob("*.json")} if (root / name).is_dir() else set()
        if present == {f"{n:x}.json" for n in range(entry[1])}:
            valid[name] = entry
    return valid


def write_index(site: Path, files: dict[str, str], previous: Path | None = None, kept: Iterable[str] = ()) -> int:
    """Write `files` under `site/INDEX_DIR/`, removing any other file there. A file with the same bytes in
    `previous/INDEX_DIR/` (the last published site; it may be `site` itself) is kept as it was, not
    written again; so are the files in `kept` (paths under `INDEX_DIR`), which are not in `files`.
    Returns how many files were new or changed.

    No file is ever written in place: each is written as a new file and renamed over its path, because
    a staged site may hold hard links to the published one (made here, by `_keep`), and writing through a
    link would change the published site before it is swapped."""
    root = site / INDEX_DIR
    old = (previous or site) / INDEX_DIR
    mask = os.umask(0)
    os.umask(mask)
    mode = 0o666 & ~mask  # as a plain write would give, whatever the file copied from had
    changed = 0
    keep = set(kept)
    for folder in sorted({(root / rel).parent for rel in (*keep, *files)}):
        folder.mkdir(parents=True, exist_ok=True)  # once each, not once a file
    for rel in keep:
        path, before = root / rel, old / rel
        _keep(path, before, mode)
    for rel, text in files.items():
        path = root / rel
        data = text.encode("utf-8")
        before = old / rel
        if holds(before, data):
            _keep(path, before, mode)
            continue
        _replace(path, mode, partial(Path.write_bytes, data=data))
        changed += 1
    if root.is_dir():
        for stale in [p for p in root.rglob("*") if p.is_file() and (rel := p.relative_to(root).as_posix()) not in files and rel not in keep]:
            stale.unlink()
    return changed


def _keep(path: Path, before: Path, mode: int) -> None:
    """`path` made the file `before` of the last site, with its time stamp: a hard link to it (both are
    only ever replaced, never written through), or a copy where a link cannot be made."""
    try:
        os.link(before, path)  # the usual case: the staged site has no index yet
        return
    except FileExistsError:
        if path.is_file() and os.path.samefile(before, path):
            return
    except OSError:
        pass  # no link here (another file system?): made as below
    tmp = path.with_name(f".{path.name}.new")
    tmp.unlink(missing_ok=True)
    try:
        os.link(before, tmp)
    except OSError:
        _replace(path, mode, partial(shutil.copy2, before))
        return
    tmp.replace(path)


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
