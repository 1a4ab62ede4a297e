"""The whole conversion, stage by stage: source files in, docs/ + JSON + report + site/ out.

1. read      `source.read_source`: bytes → numbered lines (any encoding), plus the sidecar `.meta.yml`
2. clean     `clean.clean`: furniture out, letter-spacing undone, punctuation width normalised
3. segment   `segment.segment`: front matter and one line span per document
4. parse     `parse.parse_issue`: cover, board, TOC, colophon, documents with clause trees
5. link      `link.link`: URLs and slugs, duplicates, TOC ↔ documents, citations and cited-by
6. render    `render.render` / `export.issue_json` / `report.report`: Markdown pages, JSON, report
7. write     `write.*`: the only stage that touches the disk, via temporary directories and swaps
8. build     `mkdocs build --strict` into a temporary directory, swapped into site/ when it succeeded

A bad source file is reported (`SourceError`) and skipped; the others still convert.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from converter.clean import clean
from converter.errors import ConversionError, SourceError
from converter.export import api_index, issue_json
from converter.ids import manifest, redirect_files
from converter.link import link
from converter.model import Corpus, Issue, SourceText
from converter.pages import pages
from converter.parse.issue import parse_issue
from converter.render import nav, render
from converter.report import report
from converter.search import index_site
from converter.segment import segment
from converter.sidecar import Sidecar, read_sidecar
from converter.source import read_source
from converter.write import swap_dir, write_files, write_tree

__all__ = ["Conversion", "build", "convert", "json_exports", "write_files"]


@dataclass(frozen=True, slots=True)
class Conversion:
    """The result of converting a set of source files."""

    issues: tuple[Issue, ...]
    """Every source that converted."""
    corpus: Corpus
    """The linked corpus."""
    errors: tuple[SourceError, ...]
    """Sources that could not be converted, with where and why."""


def convert_one(path: Path) -> Issue:
    """Stages 1–4 for one source file."""
    return parse_source(read_source(path), read_sidecar(path))


def parse_source(source: SourceText, sidecar: Sidecar | None = None) -> Issue:
    """Stages 2–4 for decoded text: clean, segment, parse."""
    cleaned = clean(source)
    return parse_issue(cleaned, segment(cleaned), sidecar)


def convert(paths: list[Path]) -> Conversion:
    """Stages 1–5 for many files; bad files are collected as errors, the rest still convert."""
    issues: list[Issue] = []
    errors: list[SourceError] = []
    for path in sorted(paths):
        try:
            issues.append(convert_one(path))
        except SourceError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(SourceError(str(path), 0, f"expected a readable file, found: {exc.strerror or exc}"))
    return Conversion(tuple(issues), link(issues), tuple(errors))


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


def _published_ids() -> dict[str, list[str]]:
    """The manifest of the last published build (`published-ids.json`, kept in the repository)."""
    path = Path("published-ids.json")
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}


def build(sources: Path, docs: Path, build_dir: Path, site: Path | None, strict: bool = True) -> Conversion:
    """Convert every `sources/*.txt`, write docs/ and build/, then build the site (when `site` is given)."""
    paths = sorted(sources.glob("*.txt"))
    if not paths:
        raise ConversionError(f"{sources}: expected .txt source files, found none")
    conversion = convert(paths)
    if not conversion.issues:
        return conversion  # every source failed: publish nothing, keep what was published before
    write_tree(docs, docs_files(conversion))
    nav_yaml = yaml.safe_dump({"nav": nav(conversion.corpus)}, allow_unicode=True, sort_keys=False)
    messages = [f"{e.path}:{e.line}: {e.message}" for e in conversion.errors]
    write_files(
        build_dir,
        {
            "nav.yml": nav_yaml,
            "report.md": report(conversion.corpus, messages),
            "ids.json": _dump(manifest(conversion.corpus)),
        },
    )
    write_tree(build_dir / "json", json_exports(conversion))
    if site is not None:
        mkdocs_build(site, strict)
    return conversion


def mkdocs_build(site: Path, strict: bool) -> None:
    """Run `mkdocs build` into a temporary directory and swap it into place only when it succeeded."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}-new-"))
    # Not --quiet: with it, MkDocs 1.6 lets --strict pass despite warnings.
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        subprocess.run(["rm", "-rf", str(staging)], check=False)
        raise ConversionError(f"mkdocs build failed; site/ left as it was:\n{result.stderr.strip()}")
    index_site(staging)
    swap_dir(staging, site)


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
