"""The whole conversion, stage by stage: source files in, docs/ + JSON + report + site/ out.

1. read      `read.source.decode_source` + `read.sidecar.read_sidecar`: bytes → numbered lines, sidecar
2. clean     `read.clean.clean`: furniture out, letter-spacing undone, punctuation width normalised
3. segment   `read.segment.segment`: front matter and one line span per document
4. parse     `parse.issue.parse_issue`: cover, board, TOC, colophon, documents with clause trees
5. link      `link.corpus.link` + `link.relations.add_relations`: URLs and slugs, duplicates, TOC ↔
             documents, citations and cited-by, what a document stops, repeals, amends or replaces
6. render    `render.site.render_site` / `render.site.nav` / `render.report` / `render.changes`: every
             generated file's text, the editor's report and what changed since the last publication
7. publish   `publish.*`: the only stage that touches the disk or starts a process: the cache, docs/ and
             build/ staged and swapped, `mkdocs build --strict` on the staged pages, the search index (written from render's data)

A bad source file is reported (`SourceError`) and skipped; the others still convert. Everything is staged
first and swapped in only when the whole build succeeded: a failed or killed build leaves docs/,
build/nav.yml and site/ as they were.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from converter.errors import ConversionError, SourceError
from converter.link.corpus import link
from converter.link.ids import broken, issue_manifest, manifest
from converter.link.relations import add_relations
from converter.model import Corpus, Issue, SourceText, Warning_
from converter.parse.issue import parse_issue
from converter.publish import cache as issue_cache
from converter.publish import pieces as issue_pieces
from converter.publish.guard import SITE_MARKER, build_lock, check_site, sweep
from converter.publish.incremental import (
    RENDERED,
    STATE,
    build_summary,
    forget_state,
    inputs_key,
    publish_site,
    render_digests,
    site_and_index,
    state_text,
    unchanged_issues,
    up_to_date,
)
from converter.publish.manifest import PUBLISHED_IDS, read_published, write_published
from converter.publish.pool import in_worker, ordered_map, pooled_pages
from converter.publish.updates import (
    SNAPSHOT_FILE,
    UPDATES_FILE,
    append_updates,
    read_snapshot,
    read_updates,
    today,
    write_snapshot,
)
from converter.publish.write import (
    apply_changes,
    copy_originals,
    discard,
    finish_applying,
    link_tree,
    stage_tree,
    write_files,
)
from converter.read.clean import clean
from converter.read.files import check_name, read_regular, scan, size_limit
from converter.read.pdf import read_pdf
from converter.read.segment import segment
from converter.read.sidecar import MAX_BYTES as SIDECAR_MAX_BYTES
from converter.read.sidecar import Sidecar, read_sidecar, sidecar_path
from converter.read.source import decode_source
from converter.render.changes import changes_markdown, changes_since, compare, corrections, snapshot
from converter.render.export import issue_json
from converter.render.report import Item, report_items, report_json, report_markdown
from converter.render.site import issue_files, nav, nav_text, originals, render_site
from converter.render.text import dump_json
from converter.urls import api_issue_path

__all__ = ["Conversion", "build", "check", "convert", "json_exports", "write_files"]


@dataclass(frozen=True, slots=True)
class Conversion:
    """The result of converting a set of source files."""

    issues: tuple[Issue, ...]
    """Every source that converted."""
    corpus: Corpus
    """The linked corpus."""
    errors: tuple[SourceError, ...]
    """Sources that could not be converted, with where and why."""
    reused: int = 0
    """How many sources were unchanged and taken from the cache instead of being converted again."""
    notes: tuple[str, ...] = ()
    """Warnings about the build itself (not a source): cache entries that were ignored."""
    site_summary: str = ""
    """`build`: one line of what it rebuilt and why (sources, docs/ files, site pages, search index)."""
    warnings_on_record: int = 0
    """When nothing changed and nothing was converted: the warnings of the last build."""
    keys: tuple[str, ...] = ()
    """For each of `issues`, its cache key (`cache.cache_key`: its source's bytes, its sidecar's and the
    converter's code), which stands for its parsed content in `publish.incremental.render_digests`."""

    def report(self) -> list[Item]:
        """The editor's report items for this conversion, with published ids that no longer resolve."""
        items = report_items(self.corpus, [(e.path, e.line, e.message) for e in self.errors])
        lost = broken(read_published(), self.corpus)
        items += [Item("lost-id", "", PUBLISHED_IDS.name, 0, f"已发布的地址不再可达：{url}") for url in lost]
        return items


def convert_one(
    path: Path, cache: Path | None = None, notes: list[str] | None = None, root: Path | None = None
) -> tuple[Issue, bool]:
    """Stages 1–4 for one source file, and whether the result came from the cache (`build/cache/`); a cache
    entry that cannot be trusted is a note in `notes`, and the source is converted again. With `root`,
    a source or sidecar that is a link leaving it is refused."""
    found = _read_one(path, cache, notes, root)[1]
    if isinstance(found, Issue):
        return found, True
    return _parse_one(found), False


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A source read but not in the cache: what a worker needs to convert it."""

    path: Path
    raw: bytes
    key: str
    cache: Path | None
    original: tuple[str, int] | None


def _read_one(path: Path, cache: Path | None, notes: list[str] | None, root: Path | None) -> tuple[str, Issue | _Fresh]:
    """Stage 1 up to the cache: the cache key of `path` and its cached issue, or what converting it needs."""
    check_name(path)
    raw = read_regular(path, root, size_limit(path))
    side = sidecar_path(path)
    key = issue_cache.cache_key(raw, read_regular(side, root, SIDECAR_MAX_BYTES) if side.exists() else b"")
    original = _original_pdf(path, raw)
    if cache is not None:
        try:
            if (cached := issue_cache.load(cache, key)) is not None:
                return key, replace(cached, original_pdf=original)
        except issue_cache.BadEntry as exc:
            if notes is not None:
                notes.append(str(exc))
    return key, _Fresh(path, raw, key, cache, original)


def _parse_one(fresh: _Fresh, packed: list[bytes] | None = None) -> Issue:
    """Stages 1–4 of a source not in the cache, kept in the cache; with `packed`, the issue's pickle
    (`cache.pack`, made once for both) is appended to it."""
    path, raw = fresh.path, fresh.raw
    nul_lines: tuple[int, ...] = ()
    if path.suffix.lower() == ".pdf" or raw.startswith(b"%PDF-"):  # a PDF named .txt is read as one too
        source = read_pdf(raw, str(path))
    else:
        source, nul_lines = decode_source(raw, str(path))
    issue = parse_source(source, read_sidecar(path))
    if nul_lines:
        found = [Warning_(no, "nul-bytes", "expected text, found NUL bytes; removed") for no in nul_lines]
        issue = replace(issue, warnings=tuple(sorted((*issue.warnings, *found), key=lambda w: w.line)))
    if fresh.cache is not None or packed is not None:
        payload = issue_cache.pack(issue)
        if fresh.cache is not None:
            issue_cache.store_packed(fresh.cache, fresh.key, payload)
        if packed is not None:
            packed.append(payload)
    return replace(issue, original_pdf=fresh.original)


def _parse_caught(fresh: _Fresh) -> Issue | bytes | SourceError:
    """`_parse_one` for `convert`: a bad source as its error; in a pool worker, the issue pickled once
    (`cache.pack`)."""
    packed: list[bytes] | None = [] if in_worker() else None
    try:
        issue = _parse_one(fresh, packed)
    except SourceError as exc:
        return exc
    except OSError as exc:
        return _unreadable(fresh.path, exc)
    return packed[0] if packed else issue


def _unreadable(path: Path, exc: OSError) -> SourceError:
    return SourceError(str(path), 0, f"expected a readable file, found: {exc.strerror or exc}")


def _original_pdf(path: Path, raw: bytes) -> tuple[str, int] | None:
    """The printed original of a source: the PDF itself, or a regular `.pdf` of the same name beside a text
    extraction (a link is not followed: it is not copied into the site)."""
    if path.suffix.lower() == ".pdf":
        return str(path), len(raw)
    for suffix in (".pdf", ".PDF"):
        sibling = path.with_suffix(suffix)
        if sibling.is_file() and not sibling.is_symlink():
            return str(sibling), sibling.stat().st_size
    return None


def parse_source(source: SourceText, sidecar: Sidecar | None = None) -> Issue:
    """Stages 2–4 for decoded text: clean, segment, parse. Without cyclic garbage collection
    (`cache.uncollected`): a source makes tens of thousands of objects, a few dozen of them in cycles, and the
    collections that these objects would trigger find nothing (6% of the converter's CPU on 48 issues)."""
    with issue_cache.uncollected():
        cleaned = clean(source)
        return parse_issue(cleaned, segment(cleaned), sidecar)


def convert(
    paths: list[Path],
    cache: Path | None = None,
    progress: Callable[[Path], None] | None = None,
    root: Path | None = None,
    notes: tuple[str, ...] = (),
    workers: int | None = None,
    freeze: bool = False,
) -> Conversion:
    """Stages 1–5 for many files; bad files are collected as errors, the rest still convert. With `root`
    (the project), sources are read only inside it; `notes` are passed on (see `Conversion.notes`).
    Sources not in the cache are converted in a pool of processes (`publish.pool`: one per usable CPU, or
    `workers`; serially for a few): the result is the same either way. With `freeze`, the issues read
    from the cache are frozen (`gc.freeze`) as soon as they are read, for the caller to unfreeze."""
    outcome: dict[Path, Issue | SourceError] = {}
    keys: dict[Path, str] = {}
    fresh: list[_Fresh] = []
    found: list[str] = list(notes)
    with issue_cache.uncollected():
        for path in sorted(paths):
            read: Issue | _Fresh | SourceError
            try:
                keys[path], read = _read_one(path, cache, found, root)
            except SourceError as exc:
                read = exc
            except OSError as exc:
                read = _unreadable(path, exc)
            if isinstance(read, _Fresh):
                fresh.append(read)
            else:
                outcome[path] = read
                if progress is not None:
                    progress(path)
        if freeze:
            # Before the collector is enabled again: its first collection would scan every object read
            # (hundreds of thousands, none garbage: 0.3 s at 720 issues).
            gc.freeze()
    reused = sum(isinstance(x, Issue) for x in outcome.values())
    if cache is not None and fresh:
        issue_cache.prepare()  # the signing key made once, before any worker is forked
    for one, result in zip(fresh, ordered_map(_parse_caught, fresh, workers), strict=True):
        if isinstance(result, bytes):  # from a worker
            result = replace(issue_cache.unpack(result), original_pdf=one.original)
        outcome[one.path] = result
        if progress is not None:
            progress(one.path)
    ordered = [outcome[path] for path in sorted(paths)]
    issues = [x for x in ordered if isinstance(x, Issue)]
    errors = tuple(x for x in ordered if isinstance(x, SourceError))
    issue_keys = tuple(keys[path] for path in sorted(paths) if isinstance(outcome[path], Issue))
    return Conversion(tuple(issues), add_relations(link(issues)), errors, reused, tuple(found), keys=issue_keys)


def json_exports(conversion: Conversion) -> dict[str, str]:
    """`<source stem>.json` → JSON text, one file per converted source."""
    return {name: dump_json(issue_json(issue, conversion.corpus)) for name, issue in _exported(conversion)}


def json_files(conversion: Conversion, docs: Path) -> dict[str, str | Path]:
    """`json_exports` with, for a source whose text is its issue's JSON API file in `docs` (the docs/ just
    written), that file instead of its text, not encoded again (build/json links it: `write.link_tree`)."""
    api = {p.issue.source.name: api_issue_path(p.id) for p in conversion.corpus.issues if p.docs}
    found: dict[str, str | Path] = {}
    for name, issue in _exported(conversion):
        rel = api.get(issue.source.name)
        api_file = docs / rel if rel else None
        if api_file is not None and api_file.is_file() and not api_file.is_symlink():  # a link: neither read nor linked to
            found[name] = api_file
        else:
            found[name] = dump_json(issue_json(issue, conversion.corpus))
    return found


def _exported(conversion: Conversion) -> list[tuple[str, Issue]]:
    """Each converted source's export name (`<source stem>.json`) and issue."""
    return [(issue.source.name.rsplit(".", 1)[0] + ".json", issue) for issue in conversion.issues]


def docs_files(conversion: Conversion, keep: frozenset[str] = frozenset(), pieces: issue_pieces.Pieces | None = None) -> dict[str, str]:
    """Generated docs/ files: pages, 文号 redirects, the JSON API, open data, redirects of moved ids, the
    更新记录 page; without the files of the issues in `keep` (`render.site.issue_files`). The issues'
    pages are rendered in the process pool (`publish.pool`), the issues' parts of archive-wide pages
    read from `pieces` when kept there: the same files either way."""
    return render_site(conversion.corpus, read_published(), read_updates(), keep, functools.partial(pooled_pages, conversion.corpus), pieces.memo if pieces else None)


def publish_ids(sources: Path, output: Path = PUBLISHED_IDS, date: str | None = None) -> list[dict[str, str]]:
    """Record the current sources as published (on `date`, default today): their URLs and clause ids
    (`output`: later builds keep them working), what changed since the last publication as entries of
    the update log, and the snapshot of every text (both beside `output`). Returns the new entries."""
    corpus = convert(source_paths(sources), root=sources.resolve().parent).corpus
    now = snapshot(corpus)
    log, stored = output.parent / UPDATES_FILE.name, output.parent / SNAPSHOT_FILE.name
    entries = corrections(compare(read_snapshot(stored), now), date or today())
    read_updates(log)  # a log that cannot be read is refused before anything is written
    append_updates(entries, log)
    write_snapshot(now, stored)
    write_published(corpus, output)
    return entries


def source_paths(sources: Path) -> list[Path]:
    """The source files of a sources/ directory (`*.txt` or `*.pdf`, any case, not hidden)."""
    paths = scan(sources)[0] if sources.is_dir() else []
    if not paths:
        raise ConversionError(f"{sources}: expected .txt or .pdf source files, found none")
    return paths


def check(
    sources: Path, build_dir: Path, clean: bool = False, progress: Callable[[Path], None] | None = None
) -> Conversion:
    """Convert (reusing unchanged sources unless `clean`) and write the editor's report, nothing else."""
    conversion = _convert_cached(sources, build_dir, clean, progress)
    write_files(build_dir, _editor_files(conversion))
    return conversion


def build(
    sources: Path,
    docs: Path,
    build_dir: Path,
    site: Path | None,
    strict: bool = True,
    clean: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> Conversion:
    """Convert every `sources/*.txt` (unchanged ones from the cache unless `clean`), write docs/ and build/,
    then build the site (when `site` is given). One build at a time (`build/.lock`); what a killed build
    left is swept first; a `--site` that is not a site of its own is refused before anything is written."""
    if site is not None:
        check_site(site, Path.cwd(), sources, docs, build_dir)
    with build_lock(build_dir):
        for dest in (docs, site):
            if dest is not None:
                finish_applying(dest)
        sweep(docs, build_dir, site)
        try:
            return _build_locked(sources, docs, build_dir, site, strict, clean, progress)
        finally:
            gc.unfreeze()  # the converted issues are collectable again (frozen in `_build_locked`)


def _build_locked(
    sources: Path,
    docs: Path,
    build_dir: Path,
    site: Path | None,
    strict: bool,
    clean: bool,
    progress: Callable[[Path], None] | None,
) -> Conversion:
    if site is not None and not clean and (last := up_to_date(sources, docs, site, build_dir, strict)):
        summary = f"rebuilt: nothing; {last['sources']} source(s) reused (unchanged); site: nothing changed since the last build; site/ is up to date"
        return Conversion((), Corpus(()), (), int(last["sources"]), site_summary=summary, warnings_on_record=int(last["warnings"]))
    conversion = _convert_cached(sources, build_dir, clean, progress, freeze=True)
    # The corpus lives until the build ends and holds no garbage: out of the collector's sight, the full
    # collections that rendering triggers do not scan its hundreds of thousands of objects every time.
    gc.freeze()
    if not conversion.issues:
        return conversion  # every source failed: publish nothing, keep what was published before
    site_nav = nav(conversion.corpus)
    digests = render_digests(conversion.corpus, conversion.issues, conversion.keys)
    keep = frozenset() if clean else unchanged_issues(build_dir, docs, conversion.corpus, digests)
    pieces = issue_pieces.kept(build_dir / issue_pieces.PIECES, digests, clean)
    manifest(conversion.corpus, pieces.memo("manifest", issue_manifest))  # every later call gets this one
    files = docs_files(conversion, keep, pieces)
    kept = [rel for p in conversion.corpus.issues if p.key in keep for rel in issue_files(p)]
    staged_nav = build_dir / f".nav-new-{os.getpid()}.yml"
    staged_docs = staged_site = None
    indexed: tuple[int, int] | None = None
    try:
        staged_docs = stage_tree(docs, files, kept)
        generated = len(files) + len(kept)
        del files  # staged: the texts are not held while the site and its search index are built
        write_files(build_dir, {staged_nav.name: nav_text(site_nav)})
        if site is not None:
            staged_site, indexed = site_and_index(site, staged_docs, staged_nav, site_nav, build_dir, strict, conversion.corpus, pieces)
            published = site if staged_site.removed is not None else None
            copy_originals(staged_site.path, originals(conversion.corpus), sources.resolve().parent, published)
            write_files(staged_site.path, {SITE_MARKER: "A site built by gongbao: `gongbao build` may replace this directory.\n"})
    except BaseException:
        discard(staged_docs.path if staged_docs else None, staged_nav, staged_site.path if staged_site else None)
        raise
    forget_state(build_dir, RENDERED)  # docs/ moves on: in step with the digests once they are written
    apply_changes(staged_docs.path, docs, staged_docs.removed)
    write_files(build_dir, {RENDERED: dump_json(digests)})
    staged_nav.replace(build_dir / "nav.yml")
    forget_state(build_dir)  # docs/ moved on; the site is in step with it again only once rebuilt
    converted = len(conversion.issues) - conversion.reused
    summary = build_summary(converted, conversion.reused, clean, staged_docs, generated, staged_site.summary if staged_site else None, indexed, len(keep))
    conversion = replace(conversion, site_summary=summary)
    if site is not None and staged_site is not None:
        publish_site(staged_site, site)
        if not conversion.errors:  # a build with errors is never taken as up to date: they are said again
            inputs = inputs_key(sources, docs, site, staged_site.fingerprint)
            warnings = sum(len(issue.warnings) for issue in conversion.issues)
            write_files(build_dir, {STATE: state_text(staged_site.fingerprint, site_nav, inputs, len(conversion.issues), warnings)})
    write_files(build_dir, {**_editor_files(conversion), "ids.json": dump_json(manifest(conversion.corpus))})
    link_tree(build_dir / "json", json_files(conversion, docs))
    return conversion


def _convert_cached(
    sources: Path, build_dir: Path, clean: bool, progress: Callable[[Path], None] | None, freeze: bool = False
) -> Conversion:
    cache = build_dir / "cache"
    if clean:
        issue_cache.clear(cache)
    paths = source_paths(sources)
    conversion = convert(paths, cache, progress, root=sources.resolve().parent, notes=tuple(scan(sources)[1]), freeze=freeze)
    issue_cache.prune(cache, len(paths))
    return conversion


def _editor_files(conversion: Conversion) -> dict[str, str]:
    """What a build tells the editor: the report of warnings and errors, and what changed since the last
    publication (`published-snapshot.json`)."""
    items, changes = conversion.report(), changes_since(read_snapshot(), conversion.corpus)
    return {"report.md": report_markdown(items), "report.json": report_json(items),
            "changes.md": changes_markdown(changes), "changes.json": dump_json(changes)}  # fmt: skip
