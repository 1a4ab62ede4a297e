"""Command line: arguments, messages and exit codes; everything else is `pipeline`.

Exit codes: 0 success, 1 a source or the build failed (`Error: file:line: …`), 2 usage error.
Messages go to stderr as text (`Error: …`, `Warning: …`) or, with `--log-format json`, one JSON object a
line; `-q` keeps only errors.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import click

from converter import pipeline
from converter.errors import ConversionError, printable
from converter.publish.mkdocs_build import serve as mkdocs_serve
from converter.publish.write import add_source
from converter.read.files import scan
from converter.read.sidecar import sidecar_path
from converter.render.feed import DEFAULT_SITE_URL, site_url
from converter.render.report import Item

T = TypeVar("T")
_PROGRESS_MIN_FILES = 4
_DIR = click.Path(file_okay=False, path_type=Path)


@dataclass(frozen=True, slots=True)
class Output:
    """How to talk to the user: quiet or not, text or JSON lines."""

    quiet: bool
    json: bool

    def log(self, level: str, message: str, **fields: object) -> None:
        """A message on stderr; `info` is dropped under -q."""
        if self.quiet and level == "info":
            return
        if self.json:
            click.echo(json.dumps({"level": level, "message": message, **fields}, ensure_ascii=False), err=True)
        else:
            prefix = {"error": "Error: ", "warning": "Warning: "}.get(level, "")
            click.echo(prefix + printable(message), err=True)  # input in a message: shown, never obeyed

    def item(self, item: Item) -> None:
        level = "error" if item.code == "error" else "warning"
        where = f"{item.file}:{item.line}"
        self.log(level, f"{where}: {item.message}", code=item.code, file=item.file, line=item.line)

    @contextmanager
    def progress(self, count: int, label: str) -> Iterator[Callable[[Path], None] | None]:
        """A progress bar over source files on a terminal, when there are more than a few."""
        if self.quiet or self.json or count < _PROGRESS_MIN_FILES or not sys.stderr.isatty():
            yield None
            return
        with click.progressbar(length=count, label=label, file=sys.stderr) as bar:
            yield lambda _path: bar.update(1)


@click.group()
@click.version_option(package_name="gongbao")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Messages as text or as one JSON object per line.")  # fmt: skip
@click.pass_context
def main(ctx: click.Context, quiet: bool, log_format: str) -> None:
    """gongbao: the Ningxia government gazette (宁夏回族自治区人民政府公报) as a searchable static site.

    \b
    Example:
      gongbao add ~/incoming/2024-03.txt   # copy a new extraction (or the print PDF) into sources/ and build
      gongbao build                        # sources/*.txt → docs/ → site/ (unchanged sources reused)
      gongbao check --strict               # the editor's report; fails when anything needs a decision
      gongbao serve                        # build, then serve with live reload
    """
    ctx.obj = Output(quiet=quiet, json=log_format == "json")


@main.command()
@click.option("--sources", type=_DIR, default=Path("sources"), show_default=True)
@click.option("--docs", type=_DIR, default=Path("docs"), show_default=True)
@click.option("--build-dir", type=_DIR, default=Path("build"), show_default=True)
@click.option("--site", type=_DIR, default=Path("site"), show_default=True)
@click.option("--no-site", is_flag=True, help="Convert and write docs/ only; skip mkdocs build.")
@click.option("--clean", is_flag=True, help="Convert every source again, ignoring the cache of unchanged ones.")
@click.option("--strict", is_flag=True, help="Fail when the conversion produced warnings.")
@click.pass_obj
def build(out: Output, sources: Path, docs: Path, build_dir: Path, site: Path, no_site: bool, clean: bool,
          strict: bool) -> None:  # fmt: skip
    """Convert the sources and build the site (mkdocs build --strict into a temporary directory, swapped
    into place only when it succeeded).

    Sources whose text and sidecar did not change since the last build are taken from build/cache/.

    \b
    Example:
      gongbao build && python -m http.server -d site
      gongbao build --clean --no-site
    """
    conversion = _build(out, sources, docs, build_dir, None if no_site else site, clean)
    warnings = sum(len(issue.warnings) for issue in conversion.issues) or conversion.warnings_on_record
    out.log("info", f"converted {len(conversion.issues) or conversion.reused} source(s) ({conversion.reused} unchanged, reused), "
                    f"{len(conversion.errors)} failed, {warnings} warning(s); report: {build_dir / 'report.md'}")  # fmt: skip
    if conversion.site_summary:
        out.log("info", conversion.site_summary)
    if conversion.issues and not no_site:
        out.log("info", f"site: {site.resolve()}/index.html (serve it: python -m http.server -d {site})")
    if conversion.errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--sources", type=_DIR, default=Path("sources"), show_default=True)
@click.option("--replace", is_flag=True, help="Overwrite a source of the same name that has other content.")
@click.option("--no-site", is_flag=True, help="Convert and write docs/ only; skip mkdocs build.")
@click.pass_obj
def add(out: Output, paths: tuple[Path, ...], sources: Path, replace: bool, no_site: bool) -> None:
    """Copy new extractions (and their .meta.yml sidecars) into sources/, build, and print the editor
    report for just those files.

    \b
    Example:
      gongbao add ~/incoming/2024-03.txt
      gongbao add --replace ~/incoming/2024-03.txt   # a corrected extraction of the same issue
      gongbao add ~/incoming/2024-03.pdf   # the print PDF itself
    """
    for path in paths:
        for src in (path, sidecar_path(path)):
            try:
                dest = add_source(src, sources, replace)
            except ConversionError as exc:
                out.log("error", str(exc))
                sys.exit(1)
            if dest is not None:
                out.log("info", f"added {dest}")
    conversion = _build(out, sources, Path("docs"), Path("build"), None if no_site else Path("site"), False)
    added = {p.name for p in paths}
    for item in conversion.report():
        if Path(item.file).name in added and item.code != "furniture":
            out.item(item)
    if conversion.errors:
        sys.exit(1)


@main.command()
@click.option("--sources", type=_DIR, default=Path("sources"), show_default=True)
@click.option("--build-dir", type=_DIR, default=Path("build"), show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Print the report as Markdown or JSON (both are written to build/).")  # fmt: skip
@click.option("--strict", is_flag=True, help="Exit 1 when anything needs a decision.")
@click.pass_obj
def check(out: Output, sources: Path, build_dir: Path, fmt: str, strict: bool) -> None:
    """Write the editor's report (build/report.md and build/report.json) and print it, then what changed
    since the last publication (build/changes.md and build/changes.json).

    It lists inferred metadata, warnings, TOC entries without a document, documents missing from the TOC,
    page numbers out of order, citations of documents not in the gazette, low-confidence tables,
    duplicate extractions and the lines set aside as page furniture. The changes are documents added,
    removed or changed, clause ids added or removed, and per changed clause the words that changed:
    what readers will see change once this build is published.

    \b
    Example:
      gongbao check --strict
      gongbao check --format json | jq '.items[] | select(.code == "warning")'
    """
    paths = _run(lambda: pipeline.source_paths(sources))
    with out.progress(len(paths), "checking") as progress:
        conversion = _run(lambda: pipeline.check(sources, build_dir, progress=progress))
    for note in conversion.notes:
        out.log("warning", note, code="cache")
    report = build_dir / ("report.json" if fmt == "json" else "report.md")
    if not out.quiet:
        click.echo(printable(report.read_text(encoding="utf-8")), nl=False)
        if fmt == "md":
            click.echo("\n" + printable((build_dir / "changes.md").read_text(encoding="utf-8")), nl=False)
    items = conversion.report()
    if conversion.errors or (strict and items):
        sys.exit(1)


@main.command()
@click.option("--json", "json_dir", type=_DIR, required=True, help="Directory for one <source stem>.json per source.")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def convert(out: Output, json_dir: Path, sources: tuple[Path, ...]) -> None:
    """Convert source files to JSON (schema gongbao/issue@1).

    \b
    Example:
      gongbao convert --json out/ sources/*.txt
    """
    with out.progress(len(sources), "converting") as progress:
        conversion = pipeline.convert(list(sources), progress=progress)
    _run(lambda: pipeline.write_files(json_dir, pipeline.json_exports(conversion)))
    for error in conversion.errors:
        out.log("error", f"{error.path}:{error.line}: {error.message}", file=error.path, line=error.line)
    out.log("info", f"wrote {len(conversion.issues)} JSON file(s) to {json_dir}")
    if conversion.errors:
        sys.exit(1)


@main.command("publish-ids")
@click.option("--sources", type=_DIR, default=Path("sources"), show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("published-ids.json"),
              show_default=True)  # fmt: skip
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="The day of the publication, for the update log (default: $GONGBAO_TODAY, else today).")  # fmt: skip
@click.pass_obj
def publish_ids(out: Output, sources: Path, output: Path, date: str | None) -> None:
    """Record this build as published (commit the files): its URLs and clause ids (later builds keep every
    one of them working, by redirects and anchor aliases, and the report lists any they cannot), the text
    of every clause (published-snapshot.json, what the next change report compares with), and what
    changed since the last publication as entries of the update log (published-updates.yml), which
    the site shows on its 更新记录 page and, for corrections, in the feed. Build again to publish them.

    \b
    Example:
      gongbao check && gongbao publish-ids && gongbao build
      git add published-ids.json published-snapshot.json published-updates.yml
    """
    if date is not None and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        raise click.BadParameter(f"expected YYYY-MM-DD, found {date!r}", param_hint="--date")
    entries = _run(lambda: pipeline.publish_ids(sources, output, date))
    corrections = sum(e["kind"] == "correction" for e in entries)
    out.log("info", f"wrote {output}; {len(entries)} update(s) recorded ({corrections} correction(s))")


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
@click.pass_obj
def serve(out: Output, dev_addr: str) -> None:
    """Build, then serve the site with live reload (mkdocs serve); edited sources are reconverted.

    \b
    Example:
      gongbao serve --dev-addr 0.0.0.0:8000
    """
    _build(out, Path("sources"), Path("docs"), Path("build"), None, False)
    sys.exit(mkdocs_serve(dev_addr))


def _build(out: Output, sources: Path, docs: Path, build_dir: Path, site: Path | None,
           clean: bool) -> pipeline.Conversion:  # fmt: skip
    count = len(scan(sources)[0]) if sources.is_dir() else 0
    with out.progress(count, "converting") as progress:
        conversion = _run(lambda: pipeline.build(sources, docs, build_dir, site, clean=clean, progress=progress))
    for note in conversion.notes:
        out.log("warning", note, code="cache")
    for error in conversion.errors:
        out.log("error", f"{error.path}:{error.line}: {error.message}", file=error.path, line=error.line)
    if site is not None and conversion.issues and site_url() == DEFAULT_SITE_URL:
        out.log("warning", f"no site address configured: canonical links, the feed, the sitemap and the printed "
                           f"本页地址 point to the placeholder {DEFAULT_SITE_URL}. Before publishing, set the public "
                           "address and build again: GONGBAO_SITE_URL=https://your.host/path/ gongbao build",
                code="site-url")  # fmt: skip
    return conversion


def _run(step: Callable[[], T]) -> T:
    try:
        return step()
    except ConversionError as exc:
        click.echo(f"Error: {printable(str(exc))}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"Error: {exc.filename or ''}: {exc.strerror}", err=True)
        sys.exit(1)


def run() -> None:
    """The `gongbao` program: `main`, then out of the process at once. Tearing down the objects of a
    build one by one (every parsed issue of the archive: ~0.7 s at 240 issues) would only give their
    memory back to a process that ends; output is flushed first, and every file was closed by then."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        click.echo(code, err=True)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe: nothing more can be said
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":
    run()
