"""Rebuild only what changed. A build whose templates, configuration and converter are those of the last
one (`fingerprint`, kept in `build/state.json`) reuses the published site: only the docs/ files whose text
changed are staged (`write.stage_tree`), MkDocs builds `--dirty` from docs/ with those laid over it and
rebuilds only them and the pages whose navigation or prev/next changed, writing into an empty staged
directory, and what it wrote (with the search index files that changed) is applied to the published site
file by file under a journal (`write.apply_changes`). Nothing is copied or linked: the cost follows the
change, not the archive. The result is the site a clean build gives (`tests/publish/test_incremental.py`
checks it, byte for byte but the sitemap's dates).

With `navigation.prune` a page shows the top-level items, the children of the sections on its path and its
prev/next neighbours; so the pages to rebuild beyond those whose Markdown changed are: every page when the
top level changed, every page of a top-level section whose subtree changed, pages whose prev/next
changed, and the untitled nav entries next to a rebuilt page (MkDocs takes their title from the page,
which a dirty build does not read).
"""

from __future__ import annotations

import ctypes
import hashlib
import heapq
import json
import os
import pickle
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from converter.model import Corpus, Issue, PublishedDoc, PublishedIssue
from converter.publish.cache import code_hash
from converter.publish.mkdocs_build import Share, build_site, output_of
from converter.publish.pieces import Pieces
from converter.publish.pool import usable_cpus
from converter.publish.search import Index, index_files, write_index_changes, write_site_index
from converter.publish.write import Staged, apply_changes, discard, swap_dir, walk_files
from converter.render.site import issue_files

STATE = "state.json"
"""Under build/: the fingerprint of the last successful site build."""
RENDERED = "rendered.json"
"""Under build/: per issue, the digest of what its docs/ files were last rendered from (`render_digests`)."""
_INPUTS = ("mkdocs.yml", "overrides", "hooks")
SHARE_PAGES = 600
"""A whole site of at least twice this many pages is built by several MkDocs processes, one per this many
pages and at most one per usable CPU (`shares`); fewer pages do not pay for another process's start."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build rebuilds: the docs/ files whose text changed or that are new, those removed, and the
    pages touched because their navigation changed."""

    changed: frozenset[str]
    removed: frozenset[str]
    touched: frozenset[str]
    reused: int


def fingerprint(code: str, strict: bool) -> str:
    """What every page depends on besides its Markdown: the MkDocs config, template overrides and hooks,
    the converter's code, the site address and strictness."""
    digest = hashlib.sha256(f"{code}|{strict}|{os.environ.get('GONGBAO_SITE_URL', '')}".encode())
    for name in _INPUTS:
        root = Path(name)
        paths = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render_digests(corpus: Corpus, issues: Sequence[Issue] = (), keys: Sequence[str] = ()) -> dict[str, str]:
    """Issue key → digest of everything its docs/ files (`render.site.issue_files`) are made of: the
    linked issue itself (its documents, their citations, cited-by lists, relations, its original PDF),
    the converter's code and the site address. Equal digests, equal files; and equal pieces of the
    archive-wide files, which are kept under it (`publish.pieces`).

    A parsed issue of `issues` is its cache key in `keys` (which the code, its source's and sidecar's
    bytes make: the same key, the same parse) with its file's name and path and original PDF; only what
    linking added is pickled, not the parse again. An issue without a key is pickled whole."""
    salt = f"{code_hash()}|{os.environ.get('GONGBAO_SITE_URL', '')}".encode()
    parsed = {id(issue): key for issue, key in zip(issues, keys, strict=True)}
    return {
        p.key: hashlib.sha256(salt + pickle.dumps(_linked(p, parsed.get(id(p.issue))), protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
        for p in corpus.issues
        if p.docs
    }


def _linked(issue: PublishedIssue, key: str | None) -> object:
    """What `render_digests` pickles of `issue`: with its parse's cache `key`, the key and the fields that
    are not the parse's; without, the whole issue."""
    if key is None:
        return issue
    source, position = issue.issue.source, {id(d): n for n, d in enumerate(issue.issue.documents)}
    docs = [(position.get(id(d.document)), d.document if id(d.document) not in position else None,
             *(getattr(d, name) for name in _LINK_FIELDS)) for d in issue.docs]  # fmt: skip
    return (key, source.name, source.path, issue.issue.original_pdf, issue.id, issue.toc_links, issue.duplicates, docs)


_LINK_FIELDS = tuple(f.name for f in fields(PublishedDoc) if f.name != "document")


def unchanged_issues(build_dir: Path, docs: Path, corpus: Corpus, digests: dict[str, str]) -> frozenset[str]:
    """Keys of the issues whose docs/ files the last build rendered from what they are made of now (same
    digest in `build/RENDERED`) and that are all still there: the build keeps them instead of rendering."""
    last = read_state(build_dir, RENDERED)
    return frozenset(
        p.key for p in corpus.issues
        if p.docs and last.get(p.key) == digests[p.key] and all((docs / rel).is_file() for rel in issue_files(p))
    )  # fmt: skip


def read_state(build_dir: Path, name: str = STATE) -> dict[str, Any]:
    """The state of the last successful site build (or what docs/ was rendered from, `RENDERED`), or {}
    (then the build is a full one)."""
    try:
        data = json.loads((build_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def state_text(fingerprint: str, nav: list[Any], inputs: str, sources: int, warnings: int) -> str:
    """The record of a successful site build: its fingerprint and navigation (for the next incremental
    build), the key of what it read (`inputs_key`), and how many sources and warnings it had."""
    data = {"fingerprint": fingerprint, "nav": nav, "inputs": inputs, "sources": sources, "warnings": warnings}
    return json.dumps(data, ensure_ascii=False) + "\n"


def flatten(nav: list[Any], section: tuple[str, ...] = ()) -> list[tuple[str, str, tuple[str, ...]]]:
    """Pages of a MkDocs nav in reading order: (Markdown path, title, titles of the sections above)."""
    pages: list[tuple[str, str, tuple[str, ...]]] = []
    for entry in nav:
        if isinstance(entry, str):
            pages.append((entry, "", section))
            continue
        for title, value in entry.items():
            if isinstance(value, list):
                pages += flatten(value, (*section, title))
            else:
                pages.append((value, title, section))
    return pages


def _top_key(entry: Any) -> str:
    return entry if isinstance(entry, str) else str(next(iter(entry)))


def nav_stale(old: list[Any], new: list[Any], markdown: Iterable[str]) -> set[str]:
    """Markdown files whose rendered navigation (with navigation.prune) or prev/next differs between navs."""

    def top_level(nav: list[Any]) -> list[Any]:  # what every page shows: titles, and a leaf's target
        return [e if isinstance(e, str) or not isinstance(next(iter(e.values())), list) else _top_key(e) for e in nav]

    if top_level(old) != top_level(new):
        return set(markdown)
    stale: set[str] = set()
    old_sections = {_top_key(e): e for e in old}
    for entry in new:
        if old_sections.get(_top_key(entry)) != entry:
            stale |= {path for path, _, _ in flatten([entry])}
    neighbours: dict[str, list[tuple[object, object]]] = {}
    for pages in (flatten(old), flatten(new)):
        for i, (path, _, _) in enumerate(pages):
            before = pages[i - 1][:2] if i else None
            after = pages[i + 1][:2] if i + 1 < len(pages) else None
            neighbours.setdefault(path, []).append((before, after))
    stale |= {path for path, pairs in neighbours.items() if len(pairs) != 2 or pairs[0] != pairs[1]}
    return stale


def untitled_neighbours(nav: list[Any], rebuilt: set[str]) -> set[str]:
    """Pages without a nav title next to a rebuilt page, and theirs in turn (they are rebuilt too)."""
    pages = flatten(nav)
    found: set[str] = set()
    while True:
        done = rebuilt | found
        more = {
            pages[j][0]
            for i, (path, _, _) in enumerate(pages)
            if path in done
            for j in (i - 1, i + 1)
            if 0 <= j < len(pages) and not pages[j][1] and pages[j][0] not in done
        }
        if not more:
            return found
        found |= more


def plan(old_nav: list[Any], new_nav: list[Any], changed: set[str], removed: set[str], files: Iterable[str]) -> Plan:
    """What to rebuild, given the docs/ files that changed or went and both navigations."""
    names = list(files)
    markdown = [name for name in names if name.endswith(".md")]
    touched = nav_stale(old_nav, new_nav, markdown) - changed
    touched |= untitled_neighbours(new_nav, touched | changed) - changed
    touched &= set(markdown)
    return Plan(frozenset(changed), frozenset(removed), frozenset(touched), len(names) - len(changed))


def shares(docs: Staged, markdown: Sequence[str], nav: list[Any], count: int) -> list[Share]:
    """The pages of a whole site dealt to `count` MkDocs processes, each with the untitled nav entries next
    to its pages to read (`Share`). A page costs MkDocs about as much for its navigation and template as for
    its text: weighed as its size plus the mean size, the heaviest first, each to the share with the least
    weight yet (one archive-wide table of 11 MB and 4,400 pages of 30 KB: dealt in turn, the table's share
    took 45 s, the other 37)."""
    sizes = {rel: ((docs.path if rel in docs.changed else docs.root) / rel).stat().st_size for rel in markdown}
    mean = sum(sizes.values()) // max(len(sizes), 1)
    loads = [(0, i) for i in range(count)]
    parts: list[set[str]] = [set() for _ in range(count)]
    for rel in sorted(markdown, key=lambda rel: (-sizes[rel], rel)):
        load, i = heapq.heappop(loads)
        parts[i].add(rel)
        heapq.heappush(loads, (load + sizes[rel] + mean, i))
    return [Share(frozenset(part), frozenset(untitled_neighbours(nav, part) - part)) for part in parts]


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """A staged site and what it took."""

    path: Path
    """The staged site, to be swapped in."""
    fingerprint: str
    """To record in `build/state.json` once it is published."""
    summary: str
    """What was rebuilt and why, for the editor."""
    removed: frozenset[str] | None = None
    """None: `path` is a whole site, to be swapped in; else `path` holds only the changes to the published
    site (`write.apply_changes`), which loses these files (the outputs of removed docs/ files)."""


def stage_site(
    site: Path, docs: Staged, nav_file: Path, nav: list[Any], build_dir: Path, strict: bool, listed: list[str]
) -> SiteBuild:
    """Build the staged `docs` into a staged site: only the changes to the published `site` when the last
    build had the same fingerprint, else a whole new site. `listed`: the files in docs/ now (`walk_files`)."""
    current = fingerprint(code_hash(), strict)
    state = read_state(build_dir)
    why = (
        "no published site" if not (site / "index.html").is_file()
        else "first build with a state record" if not state
        else "configuration, templates, hooks or converter changed" if state.get("fingerprint") != current
        else ""
    )  # fmt: skip
    markdown = sorted({rel for rel in listed if rel.endswith(".md")} - docs.removed | {rel for rel in docs.changed if rel.endswith(".md")})
    if why or not isinstance(state.get("nav"), list):
        count = min(usable_cpus(), len(markdown) // SHARE_PAGES)
        path = build_site(site, docs, nav_file, strict, shares=shares(docs, markdown, nav, count) if count > 1 else ())
        processes = f", {count} MkDocs processes" if count > 1 else ""
        return SiteBuild(path, current, f"site: full build ({why or 'no navigation on record'}{processes})")
    work = plan(state["nav"], nav, set(docs.changed), set(docs.removed), markdown)
    path = build_site(site, docs, nav_file, strict, rebuild=work.changed | work.touched)
    rebuilt = len((work.changed & set(markdown)) | work.touched)
    summary = (
        f"site: {rebuilt} page(s) rebuilt ({len(work.changed & set(markdown))} changed, "
        f"{len(work.touched)} for their navigation), {len(markdown) - rebuilt} reused; "
        f"{len(work.changed)} file(s) changed, {len(work.removed)} removed"
    )
    return SiteBuild(path, current, summary, frozenset(output_of(name) for name in work.removed))


def build_summary(
    converted: int,
    reused: int,
    clean: bool,
    docs: Staged,
    generated: int,
    site: str | None,
    indexed: tuple[int, int] | None,
    issues_kept: int = 0,
) -> str:
    """One line of what a build rebuilt and why: sources converted (new or changed, or all with `clean`)
    and reused from the cache (unchanged), generated docs/ files written (new or changed) and kept (of
    which those of `issues_kept` issues not even rendered: nothing they are made of changed), the site's
    pages (`site`: `SiteBuild.summary`), search index files re-indexed (`indexed`: changed, of how many)."""
    kept = generated - len(docs.changed)  # every changed file is a generated one
    parts = [
        f"rebuilt: {converted} source(s) converted ({'--clean' if clean else 'new or changed'}), "
        f"{reused} reused (unchanged)",
        f"docs: {generated - kept} file(s) written, {kept} unchanged ({issues_kept} issue(s) not rendered again), "
        f"{len(docs.removed)} removed",
    ]
    if site is not None:
        parts.append(site)
    if indexed is not None:
        parts.append(f"search index: {indexed[0]} of {indexed[1]} file(s) re-indexed")
    return "; ".join(parts)


def forget_state(build_dir: Path, name: str = STATE) -> None:
    """Drop the record of the last site build (or of what docs/ was rendered from, `RENDERED`): the next
    build is a full one."""
    (build_dir / name).unlink(missing_ok=True)


def inputs_key(sources: Path, docs: Path, site: Path, current: str) -> str:
    """What a build reads, cheaply: the name, size and mtime of every file in sources/ and docs/ (hand-
    written pages included), of `published-ids.json`, the snapshot and update log beside it and of the
    site's home page, and the fingerprint.
    The same key as the last successful build's means that building again would change nothing."""
    digest = hashlib.sha256(current.encode())
    for root in (sources, docs):
        if root.is_dir():
            for name, stat in _files(root, (root / "_").as_posix()[:-1]):  # the prefix of a `root / …`
                digest.update(f"{name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    for path in (Path("published-ids.json"), Path("published-snapshot.json"), Path("published-updates.yml"), site / "index.html"):
        found = path.stat() if path.is_file() else None
        digest.update(f"{path}|{found and (found.st_size, found.st_mtime_ns)}\n".encode())
    return digest.hexdigest()


def _files(folder: Path | str, prefix: str) -> Iterable[tuple[str, os.stat_result]]:
    """Every file under `folder` (its path as `prefix` + the path below it) with its stat, in the order
    and with the choices of `sorted(folder.rglob("*"))` filtered by `is_file()`: names sorted within a
    folder, a folder's files right after its name, links to folders not followed, links to files
    followed. One `stat` a file and no `Path` objects: docs/ holds thousands of files, listed twice a build."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield f"{prefix}{entry.name}", entry.stat()


def up_to_date(sources: Path, docs: Path, site: Path, build_dir: Path, strict: bool) -> dict[str, Any] | None:
    """The record of the last build when nothing it read has changed since (then there is nothing to do),
    else None."""
    state = read_state(build_dir)
    if not state.get("inputs") or not (site / "index.html").is_file():
        return None
    return state if state["inputs"] == inputs_key(sources, docs, site, fingerprint(code_hash(), strict)) else None


def _give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's `malloc_trim`), where there is such a call.
    The search index's temporaries are freed once it is made, but the heap would keep their pages while
    MkDocs runs beside it: at 720 issues this process then holds 1,078 MiB instead of 1,361 (PSS), and
    the build with its MkDocs processes peaks at 1.76 GiB instead of 1.9."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def site_and_index(
    site: Path,
    docs: Staged,
    nav_file: Path,
    site_nav: list[object],
    build_dir: Path,
    strict: bool,
    corpus: Corpus,
    pieces: Pieces | None = None,
) -> tuple[SiteBuild, tuple[int, int]]:
    """The staged site (`stage_site`: MkDocs, a process of its own) and meanwhile, in a thread, the search
    index (its document records kept in `pieces`, `index_files`), then written into it; and how many
    index files changed, of how many. A full build waits for the longer of the two, not both. The thread
    only reads (the published site's index) and keeps the records it made (`publish.pieces`: a file
    written whole and renamed): a build stopped by a signal stops here as before, and the thread dies
    with the process."""
    found: list[Index | BaseException] = []

    def compute() -> None:
        try:
            found.append(index_files(corpus, previous=site if site.is_dir() else None, pieces=pieces))
            _give_back_memory()
        except BaseException as exc:  # handed to the main thread
            found.append(exc)

    listed = walk_files(docs.root)  # before the thread starts: a walk in Python is slow when it must share the GIL
    thread = threading.Thread(target=compute, name="search-index", daemon=True)
    thread.start()
    staged = stage_site(site, docs, nav_file, site_nav, build_dir, strict, listed)
    try:
        thread.join()
        if isinstance(found[0], BaseException):
            raise found[0]
        if staged.removed is None:
            return staged, write_site_index(staged.path, found[0], previous=site if site.is_dir() else None)
        indexed, stale = write_index_changes(staged.path, found[0], site)
    except BaseException:
        discard(staged.path)
        raise
    return replace(staged, removed=staged.removed | set(stale)), indexed


def publish_site(staged: SiteBuild, site: Path) -> None:
    """Put the staged site in place: swapped in whole, or its changes applied (`SiteBuild.removed`)."""
    if staged.removed is None:
        swap_dir(staged.path, site)
    else:
        apply_changes(staged.path, site, staged.removed)
