"""`gongbao build` end to end, and the bytes a reader downloads from the built site.

    python benchmarks/build.py                  # sources/ → a scratch copy of the project, timed
    python benchmarks/build.py --repeat 3       # best of 3 for each command

Times two real CLI runs (fresh processes, so imports and dictionary loading are included):

- `python -m converter.cli build --no-site`  convert + write docs/ and build/
- `python -m converter.cli build --site …`   the same, then `mkdocs build --strict`

Both run in a scratch copy of mkdocs.yml, hooks/, overrides/, docs/ and sources/ (MkDocs needs
mkdocs.yml next to docs/ and build/nav.yml), so the working tree's docs/, build/ and site/ are left
alone. Then it measures the built site: document pages, home page, search index (raw and gzip) and
Material's assets. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("mkdocs.yml", "hooks", "overrides", "docs")


def scratch_project(sources: Path, into: Path) -> Path:
    """Copy what `gongbao build` reads into `into`; returns the project root there."""
    into.mkdir(parents=True)
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, into / name)
    shutil.copytree(sources, into / "sources")
    return into


def run_timed(args: list[str], cwd: Path, repeat: int) -> float:
    """Best wall-clock seconds of `repeat` runs of `python -m converter.cli ARGS` in `cwd`."""
    best = float("inf")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "converter.cli", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(
                f"`gongbao {' '.join(args)}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        best = min(best, elapsed)
    return best


def kb(size: float) -> str:
    return f"{size / 1024:,.1f} KiB"


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def site_weights(site: Path) -> list[tuple[str, int, int, str]]:
    """(what, raw bytes, gzip bytes, which file) for what a reader downloads."""
    rows: list[tuple[str, int, int, str]] = []
    year_dirs = [d for d in site.iterdir() if d.is_dir() and d.name.isdigit() and len(d.name) == 4]
    pages = sorted((p for d in year_dirs for p in d.rglob("index.html")), key=lambda p: p.stat().st_size)
    # Document pages are /<year>/<NN>/<slug>/; issue pages /<year>/<NN>/ and year pages /<year>/.
    documents = [p for p in pages if len(p.relative_to(site).parts) == 4]
    issues = [p for p in pages if len(p.relative_to(site).parts) == 3]
    for label, group in (("document page", documents), ("issue page", issues)):
        if not group:
            continue
        median = group[(len(group) - 1) // 2]
        largest = group[-1]
        rows.append(
            (f"{label}, median (of {len(group)})", median.stat().st_size, gzipped(median), _rel(median, site))
        )
        rows.append((f"{label}, largest", largest.stat().st_size, gzipped(largest), _rel(largest, site)))
    home = site / "index.html"
    rows.append(("home page", home.stat().st_size, gzipped(home), _rel(home, site)))
    index = site / "search" / "search_index.json"
    if index.is_file():
        rows.append(("search index", index.stat().st_size, gzipped(index), _rel(index, site)))
    loaded = page_assets(documents[0] if documents else home, site)
    for suffix, label in ((".css", "CSS a page loads"), (".js", "JS a page loads")):
        files = [p for p in loaded if p.suffix == suffix]
        rows.append((f"{label} ({len(files)} files)", sum(p.stat().st_size for p in files),
                     sum(gzipped(p) for p in files), ", ".join(p.name for p in files)))  # fmt: skip
    first = [documents[(len(documents) - 1) // 2], *loaded] if documents else [home, *loaded]
    rows.append(("first visit: median page+CSS+JS", sum(p.stat().st_size for p in first),
                 sum(gzipped(p) for p in first), "favicon and fonts not counted (fonts: system stack)"))  # fmt: skip
    worker = search_assets(site, home)
    rows.append((f"search JS on first use ({len(worker)} files)", sum(p.stat().st_size for p in worker),
                 sum(gzipped(p) for p in worker), ", ".join(p.name for p in worker)))  # fmt: skip
    everything = [p for p in (site / "assets").rglob("*") if p.is_file()]
    rows.append((f"assets/** on disk ({len(everything)} files)", sum(p.stat().st_size for p in everything),
                 sum(gzipped(p) for p in everything), "all lunr languages, source maps; mostly never fetched"))  # fmt: skip
    return rows


def page_assets(page: Path, site: Path) -> list[Path]:
    """The stylesheets and scripts a page links to (`<link href=…css>`, `<script src=…js>`), as site files."""
    html = page.read_text(encoding="utf-8")
    found = []
    # Quoted or not: minified pages drop the quotes of attribute values that do not need them.
    for ref in re.findall(r'(?:href|src)=["\']?([^"\'\s>#?]+\.(?:css|js))', html):
        path = (page.parent / ref).resolve()
        if path.is_file() and path.is_relative_to(site.resolve()) and path not in found:
            found.append(path)
    return found


def search_assets(site: Path, page: Path) -> list[Path]:
    """What Material's search worker fetches on first use: the worker, lunr's stemmer support, one lunr
    language file per configured non-English language (lunr.multi when there are several)."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return []  # no search plugin (Pagefind instead): Material never starts its worker
    html = page.read_text(encoding="utf-8")
    match = re.search(r'"search":\s*"([^"]+)"', html)
    files = [(page.parent / match.group(1)).resolve()] if match else []
    langs = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"]
    lunr = site / "assets" / "javascripts" / "lunr"
    if any(lang != "en" for lang in langs):
        files.append(lunr / "min" / "lunr.stemmer.support.min.js")
    files += [lunr / "min" / f"lunr.{lang}.min.js" for lang in langs if lang != "en"]
    files += [lunr / "tinyseg.js"] if "ja" in langs else []
    files += [lunr / "min" / "lunr.multi.min.js"] if len(langs) > 1 else []
    return [p for p in files if p.is_file()]


def _rel(path: Path, site: Path) -> str:
    return "/" + str(path.relative_to(site)).removesuffix("index.html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT / "sources", help="directory of .txt sources")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command; the best is reported")
    parser.add_argument("--keep", action="store_true", help="keep the scratch project and print its path")
    args = parser.parse_args()

    sources = args.sources.resolve()
    paths = sorted(sources.glob("*.txt"))
    if not paths:
        parser.error(f"no .txt files in {sources}")
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    scratch = Path(tempfile.mkdtemp(prefix="gongbao-bench-"))
    try:
        project = scratch_project(sources, scratch / "project")
        site = scratch / "site"
        no_site = run_timed(["build", "--no-site"], project, args.repeat)
        with_site = run_timed(["build", "--site", str(site)], project, args.repeat)

        print(
            f"{len(paths)} source files, {size_mb:.3f} MB; best of {args.repeat} run(s), fresh process each"
        )
        print()
        header = f"{'command':<40} {'seconds':>8} {'MB/s':>7}"
        print(header)
        print("-" * len(header))
        print(f"{'gongbao build --no-site':<40} {no_site:>8.2f} {size_mb / no_site:>7.2f}")
        print(
            f"{'gongbao build (+ mkdocs build --strict)':<40} {with_site:>8.2f} {size_mb / with_site:>7.2f}"
        )
        print(f"{'  of which mkdocs (difference)':<40} {with_site - no_site:>8.2f}")
        print()

        html = list(site.rglob("*.html"))
        print(f"site: {sum(1 for p in site.rglob('*') if p.is_file())} files, {len(html)} HTML, "
              f"{kb(sum(p.stat().st_size for p in site.rglob('*') if p.is_file()))} on disk")  # fmt: skip
        print()
        header = f"{'what a reader downloads':<34} {'raw':>12} {'gzip':>12}  file"
        print(header)
        print("-" * (len(header) + 30))
        for label, raw, packed, where in site_weights(site):
            print(f"{label:<34} {kb(raw):>12} {kb(packed):>12}  {where}")
    finally:
        if args.keep:
            print(f"\nkept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
