"""The benchmark suite: converter throughput, full builds at archive scale, incremental build, reader cost.

    python benchmarks/run.py            # 24, 240 and 720 issues (≈ 20 minutes on 2 cores)
    python benchmarks/run.py --quick    # 24 and 48 issues (≤ 3 minutes on 2 cores; CI runs it)
    python benchmarks/run.py --sizes 24,96 --incremental 96 --keep

On a synthetic archive from `make_archive.py` (one issue more than the largest size, held back as the
"new issue" of the incremental test), it prints four tables:

1. Converter throughput: `pipeline.convert` (stages 1–5) over every source in one process, then in its
   process pool of one worker per usable CPU; MB/s of source, the speedup and the CPU seconds spent.
2. Full build at each size, in a fresh worker process: convert (1–4), link (5), render (docs pages,
   nav), report, write (build/json linked as the build does), `mkdocs build --strict` with our config but without the search
   plugin, the search index (the same build with it, minus that, plus the search index: `render.search_index` + `publish.search.write_index`), beside a bare
   `mkdocs build` of the same Markdown and navigation with a plain Material config (no hooks, no search,
   no extra CSS/JS, `navigation.prune` on); our total over the bare build is the overhead ratio. Peak
   RSS per process: the worker (stages 1–7) and each `mkdocs build`, as VmHWM at exit (see LAUNCHER).
3. Incremental: `gongbao build` on an N-issue project, then again after adding the newest issue, after
   moving an older issue's date in its sidecar, after fixing one character of an older issue's source,
   then once more with nothing changed; time, peak RSS (and the summed PSS of the build and its subprocesses:
   pool workers, MkDocs), what the CLI says it converted and reused and what it
   rebuilt of the site, and how many docs/ and site/ files changed.
4. Reader cost on the site of the largest size: page weights (as `build.py`), the share of a document
   page that is navigation, whether `navigation.prune` is on, and the first search's download.

Figures only: it asserts nothing about timings. Exit status 1 when a build step fails.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from converter import pipeline  # noqa: E402
from converter.publish import pool  # noqa: E402

MIB = 2**20
FULL_SIZES = (24, 240, 720)
QUICK_SIZES = (24, 48)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}


from benchmarks import build as site_bench  # noqa: E402
from benchmarks import make_archive as archive  # noqa: E402
from benchmarks.make_archive import edit_sidecar, edit_source  # noqa: E402

# --- measuring ------------------------------------------------------------------------------------


# Runs a module (`python -c LAUNCHER module args…`) and, at exit, writes its peak RSS to stderr: the larger
# of its own VmHWM and RUSAGE_CHILDREN (its subprocesses, e.g. `gongbao build` → `mkdocs build`). Not
# os.wait4's ru_maxrss from here: a child started with vfork+exec inherits its parent's high-water mark,
# so a small `mkdocs build` started by a large process would report the parent's peak.
LAUNCHER = """
import atexit, os, resource, runpy, sys
def _peak():
    own = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
    kib = max(int(own[0].split()[1]) if own else 0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(f"\\nPEAK_RSS_KIB {kib}\\n")
    sys.stderr.flush()
atexit.register(_peak)
_exit, _pid = os._exit, os.getpid()
def _measured_exit(code):  # `gongbao` leaves with os._exit (cli.run): no atexit; its pool workers too
    if os.getpid() == _pid:
        _peak()
    _exit(code)
os._exit = _measured_exit
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run_measured(module: list[str], cwd: Path) -> tuple[float, float, str, float]:
    """Run `python -m MODULE ARGS` (through LAUNCHER); (wall seconds, peak RSS MiB, stderr, peak of the
    summed PSS MiB of it and all its subprocesses, sampled every 0.2 s). Exits on failure."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, *module],
            cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        tree_peak = 0
        while child.poll() is None:
            tree_peak = max(tree_peak, tree_pss_kib(child.pid))
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        sys.exit(f"`python -m {' '.join(module)}` in {cwd} exited {child.returncode}:\n{stderr[-4000:]}")
    peaks = re.findall(r"^PEAK_RSS_KIB (\d+)$", stderr, re.MULTILINE)
    return (elapsed, int(peaks[-1]) / 1024 if peaks else float("nan"), stderr,
            tree_peak / 1024 if tree_peak else float("nan"))  # fmt: skip


def tree_pss_kib(root: int) -> int:
    """The summed PSS (KiB) of process `root` and all its descendants now; 0 where /proc cannot tell. PSS,
    not RSS: pool workers forked from the build share its pages, which a sum of RSS would count twice."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:  # /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE)
        total += int(found[1]) if found else 0
    return total


def self_rss_mib() -> float:
    """This process's peak RSS since it started (VmHWM; ru_maxrss would include the parent's at exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def throughput(paths: list[Path]) -> list[tuple[str, float, float, float, float]]:
    """(label, seconds, MB/s, speedup, CPU seconds) of `pipeline.convert` (stages 1–5, as `gongbao build`
    converts sources not in the cache) over `paths`, in one process and in its pool of one worker per
    usable CPU (start-up and the issues' trip back included). CPU seconds count the workers too: on a
    machine shared with other work, a pool that is no faster in wall time but uses no more CPU is waiting
    for a core, not doing needless work."""
    size = mb(paths)
    pipeline.convert(paths[:1], workers=1)  # warm-up: lazy imports, regex compilation, pinyin tables
    cpus = pool.usable_cpus()
    rows = []
    for label, workers in (("1 process", 1), (f"pool of {pool.pool_size(len(paths))} processes ({cpus} usable CPUs)", None)):
        gc.collect()
        start, cpu = time.perf_counter(), _cpu_seconds()
        pipeline.convert(paths, workers=workers)
        seconds = time.perf_counter() - start
        rows.append((label, seconds, size / seconds, rows[0][1] / seconds if rows else 1.0, _cpu_seconds() - cpu))
    return rows


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the pool's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# --- the full-build worker (a fresh process per size) -----------------------------------------------


def scratch(sources: Path, into: Path) -> Path:
    """A project directory as `gongbao build` expects it (`build.py`'s copy), with `sources` as sources/."""
    return site_bench.scratch_project(sources, into)


def worker(project: Path, keep_site: bool) -> dict[str, object]:
    """Stages 1–7 in this process, timed one by one, then the MkDocs builds; figures as a dict."""
    import yaml

    from converter.errors import SourceError
    from converter.link.corpus import link
    from converter.link.ids import manifest
    from converter.publish import search
    from converter.publish.write import apply_changes, link_tree, stage_tree, write_files
    from converter.render.report import report_json, report_markdown
    from converter.render.search_index import search_index
    from converter.render.site import nav, nav_text

    os.chdir(project)  # the pipeline reads published-ids.json and mkdocs.yml from the working directory
    figures: dict[str, object] = {}
    paths = pipeline.source_paths(Path("sources"))
    figures["sources"], figures["mb"] = len(paths), mb(paths)

    start = time.perf_counter()
    issues, errors = [], []
    for path in paths:
        try:
            issues.append(pipeline.convert_one(path)[0])
        except SourceError as exc:
            errors.append(exc)
    figures["convert"] = time.perf_counter() - start

    start = time.perf_counter()
    corpus = link(issues)
    figures["link"] = time.perf_counter() - start
    conversion = pipeline.Conversion(tuple(issues), corpus, tuple(errors))
    figures["errors"] = len(errors)
    figures["documents"] = sum(len(p.docs) for p in corpus.issues)

    start = time.perf_counter()
    files = pipeline.docs_files(conversion)
    nav_yaml = nav_text(nav(corpus))
    figures["render"] = time.perf_counter() - start

    start = time.perf_counter()
    items = conversion.report()
    build_files = {
        "report.md": report_markdown(items),
        "report.json": report_json(items),
        "ids.json": json.dumps(manifest(corpus), ensure_ascii=False, indent=1) + "\n",
    }
    figures["report"] = time.perf_counter() - start

    start = time.perf_counter()
    staged = stage_tree(Path("docs"), files)
    apply_changes(staged.path, Path("docs"), staged.removed)
    write_files(Path("build"), {"nav.yml": nav_yaml, **build_files})
    link_tree(Path("build/json"), pipeline.json_files(conversion, Path("docs")))  # as the build: linked to docs/api
    figures["write"] = time.perf_counter() - start
    figures["docs_files"] = len(files)
    start = time.perf_counter()
    index_files = search_index([p for p in corpus.issues if p.docs])
    index_render = time.perf_counter() - start
    del files, conversion, corpus, issues
    gc.collect()
    figures["rss"] = self_rss_mib()

    mkdocs = ["mkdocs", "build", "--site-dir"]
    figures["mkdocs"], figures["mkdocs_rss"], _, _ = run_measured([*mkdocs, "site", "--strict"], project)
    start = time.perf_counter()
    search.write_index(Path("site"), index_files)
    figures["index_site"] = time.perf_counter() - start + index_render

    if Path("site/search/search_index.json").exists():  # Material's search plugin ran: time it apart
        Path(".nosearch.yml").write_text("INHERIT: mkdocs.yml\nplugins: []\n", encoding="utf-8")
        figures["nosearch"], figures["nosearch_rss"], _, _ = run_measured(
            [*mkdocs, ".site-nosearch", "-f", ".nosearch.yml", "--strict"], project
        )
        shutil.rmtree(".site-nosearch")
    else:  # no MkDocs search plugin: the search index is ours alone
        figures["nosearch"], figures["nosearch_rss"] = figures["mkdocs"], figures["mkdocs_rss"]

    Path(".bare.yml").write_text(bare_config(yaml.safe_load(nav_yaml)["nav"]), encoding="utf-8")
    figures["bare"], figures["bare_rss"], _, _ = run_measured(
        [*mkdocs, ".site-bare", "-f", ".bare.yml"], project
    )
    figures["bare_page"] = page_sizes(Path(".site-bare"))
    shutil.rmtree(".site-bare")

    figures["page"] = page_sizes(Path("site"))
    if not keep_site:
        shutil.rmtree("site")
    return figures


def bare_config(nav_entries: list[object]) -> str:
    """A plain Material config for the same Markdown and navigation: the baseline of the overhead ratio."""
    import yaml

    config = {
        "site_name": "gongbao bare",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "font": False, "features": ["navigation.prune"]},
        "markdown_extensions": [
            "attr_list",
            "md_in_html",
            "admonition",
            "pymdownx.details",
            "tables",
            "footnotes",
            "def_list",
            "toc",
        ],
        "plugins": [],
        "nav": nav_entries,
        "not_in_nav": "/wenhao/\n/api/\n",
    }
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def document_pages(site: Path) -> list[Path]:
    """Document pages `/<year>/<NN>/<slug>/index.html`, smallest first."""
    pages = [p for p in site.glob("[12][0-9][0-9][0-9]/*/*/index.html")]
    return sorted(pages, key=lambda p: p.stat().st_size)


def nav_bytes(html: str) -> int:
    """Bytes of the primary navigation (`<nav class="md-nav md-nav--primary" …>…</nav>`) in a page."""
    start = html.find('<nav class="md-nav md-nav--primary"')
    if start < 0:
        return 0
    depth, pos = 0, start
    for m in re.compile(r"<nav\b|</nav>").finditer(html, start):
        depth += 1 if m.group(0) == "<nav" else -1
        pos = m.end()
        if depth == 0:
            break
    return len(html[start:pos].encode())


def page_sizes(site: Path) -> dict[str, float]:
    """Median and largest document page, and the navigation's bytes in each."""
    pages = document_pages(site)
    if not pages:
        return {}
    median, largest = pages[(len(pages) - 1) // 2], pages[-1]
    return {
        "count": len(pages),
        "median": median.stat().st_size,
        "median_nav": nav_bytes(median.read_text(encoding="utf-8")),
        "largest": largest.stat().st_size,
        "largest_nav": nav_bytes(largest.read_text(encoding="utf-8")),
        "largest_url": "/" + str(largest.parent.relative_to(site)) + "/",
    }


def full_build(sources: Path, scratch_dir: Path, keep_site: bool) -> tuple[dict[str, Any], Path]:
    """Run the worker on a scratch project holding `sources`; its figures and the project path."""
    project = scratch(sources, scratch_dir)
    output = scratch_dir.parent / f"{scratch_dir.name}.json"
    command = ["benchmarks.run", "--worker", str(project), "--output", str(output)]
    if keep_site:
        command.append("--keep-site")
    seconds, rss, _, _ = run_measured(command, ROOT)
    figures: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    figures["worker_wall"], figures["worker_tree_rss"] = seconds, rss
    return figures, project


# --- incremental ------------------------------------------------------------------------------------


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and p.name not in ("sitemap.xml", "sitemap.xml.gz")
    }


def compare(before: dict[str, str], after: dict[str, str]) -> str:
    changed = sum(1 for k in before.keys() & after.keys() if before[k] != after[k])
    added, removed = len(after.keys() - before.keys()), len(before.keys() - after.keys())
    return f"{len(after)} files: {changed} changed, {added} new, {removed} gone"


def incremental(
    sources: Path, new: list[Path], scratch_dir: Path
) -> list[tuple[str, float, float, float, str, str, str, str]]:
    """`gongbao build` five times: on `sources`, after adding `new`, after an editor's two kinds of fix to
    older issues (a sidecar's date, one character of a source's text: `edit_sidecar`, `edit_source`), and
    again with nothing changed; rows for the table (a fix with nothing to edit is left out)."""
    project = scratch(sources, scratch_dir)
    cli = ["converter.cli", "build"]
    rows = []
    before: tuple[dict[str, str], dict[str, str]] = ({}, {})
    steps: list[tuple[str, Any]] = [
        ("full build (empty cache)", lambda: True),
        ("after adding 1 issue", lambda: [shutil.copy2(path, project / "sources" / path.name) for path in new]),
        ("after editing the oldest issue's sidecar (its date)", lambda: edit_sidecar(project / "sources")),
        ("after fixing one character of an older issue's source", lambda: edit_source(project / "sources")),
        ("again, nothing changed", lambda: True),
    ]
    for label, change in steps:
        if not change():
            continue
        seconds, rss, stderr, tree = run_measured(cli, project)
        said = re.search(r"converted (\d+) source\(s\) \((\d+) unchanged, reused\)", stderr)
        converted = f"{int(said[1]) - int(said[2])} converted, {said[2]} reused" if said else "(not reported)"
        after = (tree_hashes(project / "docs"), tree_hashes(project / "site"))
        docs = compare(before[0], after[0]) if before[0] else f"{len(after[0])} files"
        site = compare(before[1], after[1]) if before[1] else f"{len(after[1])} files"
        rebuilt = re.search(r"site: ((?:full build|\d+ page|nothing changed).*)$", stderr, re.MULTILINE)
        rows.append((label, seconds, rss, tree, converted, docs, site, rebuilt[1] if rebuilt else "(not reported)"))
        before = after
    return rows


# --- reader cost ------------------------------------------------------------------------------------


def prune_on(config: Path) -> bool:
    return (
        re.search(r"^\s*-\s*navigation\.prune\b", config.read_text(encoding="utf-8"), re.MULTILINE)
        is not None
    )


def first_search(site: Path) -> tuple[str, int, int]:
    """What the first search downloads: our index's docs.json, the 4 median postings shards and 5 records
    (a four-character query's keys and a first page of results), else Material's search_index.json."""
    index = site / "search-index"
    if index.is_dir():
        shards = sorted((index / "p").glob("*.json"), key=lambda p: p.stat().st_size)
        records = sorted((index / "d").glob("*.json"), key=lambda p: p.stat().st_size)
        mid, half = len(shards) // 2, len(records) // 2
        files = [index / "docs.json", *shards[mid : mid + 4], *records[half : half + 5]]
        return ("search-index: docs.json + 4 postings shards + 5 records", sum(p.stat().st_size for p in files),
                sum(site_bench.gzipped(p) for p in files))  # fmt: skip
    lunr = site / "search" / "search_index.json"
    if lunr.is_file():
        return ("search/search_index.json", lunr.stat().st_size, site_bench.gzipped(lunr))
    return ("no search index", 0, 0)


# --- printing ---------------------------------------------------------------------------------------


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n## {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="24 and 48 issues (≤ 3 minutes on 2 cores)")
    parser.add_argument("--sizes", help="comma-separated archive sizes (default 24,240,720)")
    parser.add_argument(
        "--incremental",
        type=int,
        help="archive size for the incremental test (default: largest; --quick: smallest)",
    )
    parser.add_argument(
        "--throughput", type=int, help="issues for the throughput test (default: second size)"
    )
    parser.add_argument("--seed", type=int, default=0, help="make_archive seed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and print its path")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep-site", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        figures = worker(args.worker, args.keep_site)
        args.output.write_text(json.dumps(figures), encoding="utf-8")
        return

    sizes = (
        sorted({int(s) for s in args.sizes.split(",")})
        if args.sizes
        else list(QUICK_SIZES if args.quick else FULL_SIZES)
    )
    largest = sizes[-1]
    incremental_size = args.incremental or (sizes[0] if args.quick else largest)
    throughput_size = args.throughput or sizes[min(1, len(sizes) - 1)]
    scratch_root = Path(tempfile.mkdtemp(prefix="gongbao-run-"))
    began = time.perf_counter()
    try:
        start = time.perf_counter()
        count = max(largest, incremental_size, throughput_size) + 1
        everything = archive.make_archive(count, scratch_root / "archive", args.seed)
        newest, older = everything[0], everything[1:]  # newest first; the newest is the "new issue"
        print(f"# gongbao benchmarks{' (quick)' if args.quick else ''}\n")
        print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}; "
              f"{_tool_versions()}")  # fmt: skip
        print(f"Archive: make_archive.py {count} --seed {args.seed}: {len(everything)} issues, "
              f"{mb(everything):.1f} MB, made in {time.perf_counter() - start:.1f} s; the newest "
              f"({newest.name}) is held back as the new issue of the incremental test")  # fmt: skip

        def subset(n: int) -> Path:
            directory = scratch_root / f"sources-{n}"
            directory.mkdir(exist_ok=True)
            for path in older[:n]:
                for file in (path, path.with_suffix(".meta.yml")):
                    if file.exists():
                        shutil.copy2(file, directory / file.name)
            return directory

        paths = older[:throughput_size]
        rows = throughput(paths)
        table(f"1. Converter throughput: stages 1–5 (`pipeline.convert`), {len(paths)} issues, {mb(paths):.1f} MB",
              ["how", "seconds", "MB/s", "speedup", "CPU seconds"],
              [[label, f"{s:.2f}", f"{r:.2f}", f"{x:.2f}×", f"{c:.2f}"] for label, s, r, x, c in rows])  # fmt: skip

        results = {}
        for n in sizes:
            results[n], project = full_build(subset(n), scratch_root / f"project-{n}", keep_site=n == largest)
            if n == largest:
                site = project / "site"
        time_rows, memory_rows = [], []
        for n, f in results.items():
            ours = sum(
                float(f[k]) for k in ("convert", "link", "render", "report", "write", "mkdocs", "index_site")
            )
            search = float(f["mkdocs"]) - float(f["nosearch"]) + float(f["index_site"])
            time_rows.append([
                str(n), str(f["documents"]), f"{f['mb']:.1f}", f"{f['convert']:.1f}", f"{f['link']:.1f}",
                f"{f['render']:.1f}", f"{f['report']:.1f}", f"{f['write']:.1f}", f"{f['nosearch']:.1f}",
                f"{search:.1f}", f"{ours:.1f}", f"{f['bare']:.1f}", f"{ours / float(f['bare']):.1f}×",
                f"{float(f['nosearch']) / float(f['bare']):.2f}×",
            ])  # fmt: skip
            page, bare_page = f["page"], f["bare_page"]
            memory_rows.append([
                str(n), f"{f['rss']:.0f}", f"{f['mkdocs_rss']:.0f}", f"{f['nosearch_rss']:.0f}",
                f"{f['bare_rss']:.0f}", kib(page["median"]), kib(page["largest"]),
                f"{page['largest_nav'] / page['largest']:.0%}", kib(bare_page["largest"]),
            ])  # fmt: skip
        table("2a. Full build, seconds (one fresh process per size; mkdocs = our config without its search "
              "plugin; search = (with it − without) + `search.index_site`)",
              ["issues", "docs", "MB", "convert", "link", "render", "report+JSON", "write", "mkdocs",
               "search", "ours total", "bare mkdocs", "ours/bare", "mkdocs/bare"], time_rows)  # fmt: skip
        table("2b. Full build, peak RSS MiB and document page HTML",
              ["issues", "converter (1–7)", "mkdocs", "mkdocs, no search", "bare mkdocs", "doc page median",
               "doc page largest", "nav share of largest", "bare: largest"], memory_rows)  # fmt: skip

        new = [p for p in (newest, newest.with_suffix(".meta.yml")) if p.exists()]
        rows = incremental(subset(incremental_size), new, scratch_root / "project-incremental")
        table(f"3. Incremental: `gongbao build` on {incremental_size} issues, then with 1 more, then two fixes",
              ["build", "seconds", "peak RSS MiB", "with its subprocesses, PSS MiB", "sources", "docs/",
               "site/ (sitemap excluded)", "the CLI says"],
              [[label, f"{s:.1f}", f"{r:.0f}", f"{t:.0f}", c, d, w, x] for label, s, r, t, c, d, w, x in rows])  # fmt: skip
        if incremental_size in results:  # the wall time an editor waits, against table 2a's bare build
            bare = float(results[incremental_size]["bare"])
            print(f"\n`gongbao build` from an empty cache (conversion pool, search index beside MkDocs): "
                  f"{rows[0][1]:.1f} s = {rows[0][1] / bare:.2f}× the bare Material build ({bare:.1f} s); "
                  f"adding 1 issue: {rows[1][1]:.1f} s = {rows[1][1] / bare:.2f}×")  # fmt: skip
            for label, seconds, *_ in rows[2:-1]:
                print(f"{label}: {seconds:.1f} s = {seconds / bare:.2f}×")

        weights = site_bench.site_weights(site)
        page = results[largest]["page"]
        what, raw, packed = first_search(site)
        rows2 = [[label, kib(r), kib(p), where] for label, r, p, where in weights]
        rows2.append([f"first search: {what}", kib(raw), kib(packed), ""])
        rows2.append(["nav in the largest document page", kib(page["largest_nav"]), "",
                      f"{page['largest_nav'] / page['largest']:.0%} of {page['largest_url']}"])  # fmt: skip
        rows2.append(["nav in the median document page", kib(page["median_nav"]), "",
                      f"{page['median_nav'] / page['median']:.0%}"])  # fmt: skip
        table(f"4. Reader cost at {largest} issues (navigation.prune {'on' if prune_on(ROOT / 'mkdocs.yml') else 'OFF'})",
              ["what", "raw", "gzip", "where"], rows2)  # fmt: skip
        print(f"\nTotal wall time {time.perf_counter() - began:.0f} s.")
    finally:
        if args.keep:
            print(f"kept {scratch_root}")
        else:
            shutil.rmtree(scratch_root, ignore_errors=True)


def _tool_versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("mkdocs", "mkdocs-material", "jieba"))


if __name__ == "__main__":
    main()
