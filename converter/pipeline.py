"""The whole conversion, stage by stage: source files in, docs/ + JSON + report + site/ out.

1. read      `source.read_source`: bytes → numbered lines (any encoding), plus the sidecar `.meta.yml`
2. clean     `clean.clean`: furniture out, letter-spacing undone, punctuation width normalised
3. segment   `segment.segment`: front matter and one line span per document
4. parse     `parse.parse_issue`: cover, board, TOC, colophon, documents with clause trees
5. link      `link.link`: URLs and slugs, duplicates, TOC ↔ documents, citations and cited-by
6. render    `site.render` / `export.issue_json` / `report.report`: Markdown pages, JSON, report
7. write     `write.*`: the only stage that touches the disk, via temporary directories and swaps
8. build     `mkdocs build --strict` into a temporary directory, swapped into site/ when it succeeded

A bad source file is reported (`SourceError`) and skipped; the others still convert.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from converter.errors import ConversionError, SourceError
from converter.link import ids
from converter.link.corpus import link
from converter.link.ids import manifest, redirect_files
from converter.model import Corpus, Issue, SourceText, Warning_
from converter.parse.issue import parse_issue
from converter.publish.search import index_site
from converter.publish.write import stage_tree, swap_dir, write_files, write_tree
from converter.read.clean import clean
from converter.read.segment import segment
from converter.read.sidecar import Sidecar, read_sidecar, sidecar_path
from converter.read.source import decode_source
from converter.render.export import api_index, issue_json
from converter.render.pages import pages
from converter.render.report import Item, report_items, report_json, report_markdown
from converter.render.site import nav, render

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

    def report(self) -> list[Item]:
        """The editor's report items for this conversion, with published ids that no longer resolve."""
        items = report_items(self.corpus, [(e.path, e.line, e.message) for e in self.errors])
        lost = ids.broken(_published_ids(), self.corpus)
        items += [Item("lost-id", "", PUBLISHED_IDS.name, 0, f"已发布的地址不再可达：{url}") for url in lost]
        return items


def convert_one(path: Path, cache: Path | None = None) -> tuple[Issue, bool]:
    """Stages 1–4 for one source file, and whether the result came from the cache.

    The cache (`build/cache/<key>.pickle`) is keyed by the bytes of the source and its sidecar and by the
    converter's own code, so a cached issue is exactly what converting again would give.
    """
    raw = path.read_bytes()
    side = sidecar_path(path)
    key = hashlib.sha256(
        _code_hash().encode() + hashlib.sha256(raw).digest() + (side.read_bytes() if side.exists() else b"")
    ).hexdigest()
    cached = cache / f"{key}.pickle" if cache is not None else None
    if cached is not None and cached.exists():
        issue = pickle.loads(cached.read_bytes())
        if isinstance(issue, Issue):
            cached.touch()  # used in this run: newest, so pruning keeps it
            return issue, True
    source, nul_lines = decode_source(raw, str(path))
    issue = parse_source(source, read_sidecar(path))
    if nul_lines:
        found = [Warning_(no, "nul-bytes", "expected text, found NUL bytes; removed") for no in nul_lines]
        issue = replace(issue, warnings=tuple(sorted((*issue.warnings, *found), key=lambda w: w.line)))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(issue, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)
    return issue, False


@functools.cache
def _code_hash() -> str:
    """Hash of the converter's source code: a new converter invalidates every cached issue."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def parse_source(source: SourceText, sidecar: Sidecar | None = None) -> Issue:
    """Stages 2–4 for decoded text: clean, segment, parse."""
    cleaned = clean(source)
    return parse_issue(cleaned, segment(cleaned), sidecar)


def convert(
    paths: list[Path], cache: Path | None = None, progress: Callable[[Path], None] | None = None
) -> Conversion:
    """Stages 1–5 for many files; bad files are collected as errors, the rest still convert."""
    issues: list[Issue] = []
    errors: list[SourceError] = []
    reused = 0
    for path in sorted(paths):
        if progress is not None:
            progress(path)
        try:
            issue, from_cache = convert_one(path, cache)
            issues.append(issue)
            reused += from_cache
        except SourceError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(SourceError(str(path), 0, f"expected a readable file, found: {exc.strerror or exc}"))
    return Conversion(tuple(issues), link(issues), tuple(errors), reused)


def json_exports(conversion: Conversion) -> dict[str, str]:
    """`<source stem>.json` → JSON text, one file per converted source."""
    return {
        issue.source.name.rsplit(".", 1)[0] + ".json": _dump(issue_json(issue, conversion.corpus))
        for issue in conversion.issues
    }


def docs_files(conversion: Conversion) -> dict[str, str]:
    """Generated docs/ files: pages, 文号 redirects and the JSON API."""
    corpus = conversion.corpus
    files = render(corpus)
    by_source = {issue.source.name: issue for issue in conversion.issues}
    for published in corpus.issues:
        if published.docs:
            data = issue_json(by_source[published.issue.source.name], corpus)
            files[f"api/issues/{published.key.replace('/', '-')}.json"] = _dump(data)
    files["api/index.json"] = _dump(api_index(corpus))
    files.update(pages(corpus))
    files.update(redirect_files(_published_ids(), corpus))
    return files


PUBLISHED_IDS = Path("published-ids.json")


def _published_ids() -> dict[str, object]:
    """The manifest of the last published build (`published-ids.json`, kept in the repository)."""
    return ids.read_published(PUBLISHED_IDS)


def publish_ids(sources: Path, output: Path = PUBLISHED_IDS) -> None:
    """Record the URLs and clause ids of the current sources as published: later builds keep them working."""
    ids.write_published(convert(source_paths(sources)).corpus, output)


def source_paths(sources: Path) -> list[Path]:
    """The source files of a sources/ directory."""
    paths = sorted(p for p in sources.glob("*.txt") if not p.name.startswith("."))
    if not paths:
        raise ConversionError(f"{sources}: expected .txt source files, found none")
    return paths


def check(
    sources: Path, build_dir: Path, clean: bool = False, progress: Callable[[Path], None] | None = None
) -> Conversion:
    """Convert (reusing unchanged sources unless `clean`) and write the editor's report, nothing else."""
    cache = _cache(build_dir, clean)
    conversion = convert(source_paths(sources), cache, progress)
    items = conversion.report()
    write_files(build_dir, {"report.md": report_markdown(items), "report.json": report_json(items)})
    _prune_cache(cache, sources)
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
    then build the site (when `site` is given)."""
    cache = _cache(build_dir, clean)
    conversion = convert(source_paths(sources), cache, progress)
    _prune_cache(cache, sources)
    if not conversion.issues:
        return conversion  # every source failed: publish nothing, keep what was published before
    # Everything is staged first and swapped in only when the whole build succeeded: a failed or killed
    # build leaves docs/, build/nav.yml and site/ as they were.
    nav_yaml = yaml.safe_dump({"nav": nav(conversion.corpus)}, allow_unicode=True, sort_keys=False)
    staged_docs = stage_tree(docs, docs_files(conversion))
    staged_nav = build_dir / f".nav-new-{os.getpid()}.yml"
    try:
        write_files(build_dir, {staged_nav.name: nav_yaml})
        staged_site = mkdocs_build(site, staged_docs, staged_nav, strict) if site is not None else None
    except BaseException:
        shutil.rmtree(staged_docs, ignore_errors=True)
        staged_nav.unlink(missing_ok=True)
        raise
    swap_dir(staged_docs, docs)
    staged_nav.replace(build_dir / "nav.yml")
    if site is not None and staged_site is not None:
        swap_dir(staged_site, site)
    items = conversion.report()
    write_files(
        build_dir,
        {
            "report.md": report_markdown(items),
            "report.json": report_json(items),
            "ids.json": _dump(manifest(conversion.corpus)),
        },
    )
    write_tree(build_dir / "json", json_exports(conversion))
    return conversion


def _cache(build_dir: Path, clean: bool) -> Path:
    cache = build_dir / "cache"
    if clean and cache.exists():
        shutil.rmtree(cache)
    return cache


def _prune_cache(cache: Path, sources: Path) -> None:
    """Keep only the entries this run used (written or touched last), so the cache never grows unbounded."""
    if not cache.exists():
        return
    entries = sorted(cache.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    keep = len(list(sources.glob("*.txt")))
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


def mkdocs_build(site: Path, docs: Path, nav_file: Path, strict: bool) -> Path:
    """Run `mkdocs build` on a staged docs/ directory into a temporary site directory; return it.

    MkDocs reads `mkdocs.yml` from the working directory; a throw-away config beside it inherits it and
    points `docs_dir` at the staged pages (so relative paths to hooks/ and overrides/ still hold).
    """
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}-new-"))
    config = Path("mkdocs.yml").resolve().parent / f".mkdocs-staged-{os.getpid()}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\ndocs_dir: {json.dumps(str(docs.resolve()))}\n", encoding="utf-8")
    # Not --quiet: with it, MkDocs 1.6 lets --strict pass despite warnings.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true", "GONGBAO_NAV": str(nav_file.resolve())}
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            raise ConversionError(f"mkdocs build failed; docs/ and site/ left as they were:\n{result.stderr.strip()}")
        index_site(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        config.unlink(missing_ok=True)
    return staging


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
