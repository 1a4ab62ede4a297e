"""Command line: arguments, messages and exit codes; everything else is `pipeline`.

Exit codes: 0 success, 1 a source or the build failed (`Error: file:line: …`), 2 usage error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from converter import pipeline
from converter.errors import ConversionError

T = TypeVar("T")


@click.group()
@click.version_option(package_name="gongbao")
def main() -> None:
    """gongbao: the Ningxia government gazette (宁夏回族自治区人民政府公报) as a searchable static site.

    \b
    Example:
      gongbao build            # sources/*.txt → docs/ → site/
      gongbao serve            # build, then serve with live reload
    """


@main.command()
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=Path("sources"), show_default=True)
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"), show_default=True)
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"), show_default=True)
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True)
@click.option("--no-site", is_flag=True, help="Convert and write docs/ only; skip mkdocs build.")
@click.option("--strict", is_flag=True, help="Fail when the conversion produced warnings.")
def build(sources: Path, docs: Path, build_dir: Path, site: Path, no_site: bool, strict: bool) -> None:
    """Convert every source and build the site (mkdocs build --strict).

    \b
    Example:
      gongbao build && python -m http.server -d site
    """
    conversion = _run(lambda: pipeline.build(sources, docs, build_dir, None if no_site else site))
    warnings = sum(len(issue.warnings) for issue in conversion.issues)
    for error in conversion.errors:
        click.echo(f"Error: {error.path}:{error.line}: {error.message}", err=True)
    click.echo(
        f"converted {len(conversion.issues)} source(s), {len(conversion.errors)} failed, {warnings} warning(s); "
        f"report: {build_dir / 'report.md'}"
    )
    if conversion.issues and not no_site:
        click.echo(f"site: {site.resolve()}/index.html (serve it: python -m http.server -d {site})")
    if conversion.errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.option("--json", "json_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for one <source stem>.json per source.")  # fmt: skip
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def convert(json_dir: Path, sources: tuple[Path, ...]) -> None:
    """Convert source files to JSON (schema gongbao/issue@1).

    \b
    Example:
      gongbao convert --json out/ sources/*.txt
    """
    conversion = pipeline.convert(list(sources))
    _run(lambda: pipeline.write_files(json_dir, pipeline.json_exports(conversion)))
    for error in conversion.errors:
        click.echo(f"Error: {error.path}:{error.line}: {error.message}", err=True)
    click.echo(f"wrote {len(conversion.issues)} JSON file(s) to {json_dir}")
    if conversion.errors:
        sys.exit(1)


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(dev_addr: str) -> None:
    """Build, then serve the site with live reload (mkdocs serve).

    \b
    Example:
      gongbao serve --dev-addr 0.0.0.0:8000
    """
    _run(lambda: pipeline.build(Path("sources"), Path("docs"), Path("build"), None))
    env = {**os.environ, "GONGBAO_SERVE": "1"}  # the MkDocs hook reconverts sources/ when they change
    sys.exit(subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr], env=env))


def _run(step: Callable[[], T]) -> T:
    try:
        return step()
    except ConversionError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"Error: {exc.filename or ''}: {exc.strerror}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
