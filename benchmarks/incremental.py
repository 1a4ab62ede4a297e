"""Adding one issue to an archive of N issues: rebuild time and correctness under candidate strategies.

    python benchmarks/incremental.py                  # N = 240 (≈ 10 minutes on 2 cores)
    python benchmarks/incremental.py --issues 720     # the target of the "Scale" issue
    python benchmarks/incremental.py --issues 24 --strategies a,c --keep

It makes a synthetic archive of N + 1 issues (`make_archive.py`; the newest is held back as the new
issue), builds a clean reference site of all N + 1 issues and a project of the N older ones
(`gongbao build`, empty cache), then for each strategy copies that project (docs/, build/ with its cache
and nav.yml, site/; mtimes kept), adds the new issue to sources/ and rebuilds, timed end to end in one
fresh process:

a. `gongbao build`: since 2026-12-03 strategy c inside the converter (`converter/publish/incremental.py`); before, convert (cached) + write docs/ + `mkdocs build --strict` of every page +
   Pagefind, into a new site/ swapped in.
b. `gongbao build --no-site` logic, then every docs/ file whose content did not change gets its old mtime
   back (emulated here: docs/ is hashed before and after), then `mkdocs build --dirty --strict` into the
   existing site/ (MkDocs rebuilds a page only when its Markdown is newer than its HTML), then Pagefind.
c. As b, and also touches the pages whose rendered navigation changed: with `navigation.prune` a page
   shows the top-level items, the children of each section on its path and its prev/next neighbours, so
   the stale set is computed from build/nav.yml before and after (all pages when the top level changed;
   every page of a top-level section whose subtree changed; pages whose prev/next changed), plus the
   untitled nav entries next to a rebuilt page (--dirty leaves their title None in its prev/next).
d. Per-year split (rough): the affected top-level year sections (nav subtree changed, or a Markdown file
   under them changed, e.g. a cited-by list) are each built as a MkDocs site of their own (the other
   top-level items as links), plus a small top-level site of everything outside the year folders; each
   output is copied into site/ (not --strict: a split site has links MkDocs cannot resolve).

Every build uses one snapshot of converter/ (on PYTHONPATH) and of mkdocs.yml, hooks/ and overrides/,
taken at the start: the working tree may change while this runs, and a changed converter would
invalidate the cache (its key includes the converter's code) and change the output.

Each resulting site/ is compared with the reference: HTML files that differ (the sitemap is not HTML),
what differs in them (primary navigation, prev/next footer, article, the rest), by top-level folder, with
a few examples. Pagefind (`converter.publish.search.index_site`) reindexes the whole site every time; it is timed
apart in each case. Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks import build as site_bench  # noqa: E402
from benchmarks import make_archive as archive  # noqa: E402
from converter.publish.incremental import nav_stale, untitled_neighbours  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
STRATEGIES = {
    "a": "a. `gongbao build` (incremental: c, done by the converter)",
    "b": "b. --no-site, old mtimes kept, `mkdocs build --dirty`",
    "c": "c. as b + touch pages whose nav/prev-next changed",
    "d": "d. per-year split: affected years + top-level site",
}


# `gongbao build` as the CLI runs it, with `incremental.build_site` (MkDocs) and `pipeline.index_files`
# (computing the search index, in a thread while MkDocs runs) wrapped to report their seconds on stderr.
CLI_TIMED = """
import runpy, sys, time
from converter import pipeline
from converter.publish import incremental
def _timed(name, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sys.stderr.write(f"\\nPHASE {name} {time.perf_counter() - start:.3f}\\n")
    return wrapper
incremental.build_site = _timed("mkdocs_build", incremental.build_site)
pipeline.index_files = _timed("search_index", pipeline.index_files)
sys.argv = ["gongbao", *sys.argv[1:]]
runpy.run_module("converter.cli", run_name="__main__", alter_sys=True)
"""


def run(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run a command; (wall seconds, stderr). Exits on failure."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"`{' '.join(command)}` in {cwd} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return elapsed, result.stderr


def gongbao_build(project: Path) -> dict[str, float]:
    """Strategy a (and the full builds): `gongbao build` in a fresh process; its phases in seconds."""
    seconds, stderr = run([sys.executable, "-c", CLI_TIMED, "build"], project)
    phases = {name: float(s) for name, s in re.findall(r"^PHASE (\S+) ([0-9.]+)$", stderr, re.MULTILINE)}
    return {
        "total": seconds,
        "convert+docs": seconds - max(phases.get("mkdocs_build", 0.0), phases.get("search_index", 0.0)),  # overlapped
        "mkdocs": phases.get("mkdocs_build", 0.0),
        "search_index": phases.get("search_index", 0.0),
    }


# --- the worker for strategies b, c, d (a fresh process each) -----------------------------------------


def file_hashes(root: Path) -> dict[str, tuple[bytes, int]]:
    """rel path → (sha1 of the content, mtime_ns), for every file under `root`."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = (hashlib.sha1(path.read_bytes()).digest(),
                                                        path.stat().st_mtime_ns)  # fmt: skip
    return found


def top_key(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def mkdocs(args: list[str], env: dict[str, str] | None = None) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env={**ENV, **(env or {})})
    if result.returncode != 0:
        sys.exit(f"`{' '.join(command)}` exited {result.returncode}:\n{result.stderr[-4000:]}")


def worker(strategy: str, project: Path) -> dict[str, Any]:
    """Strategies b, c, d in this process (MkDocs as a subprocess); phases in seconds."""
    import yaml

    sys.path.insert(0, os.environ["GONGBAO_CODE"])  # the snapshot of converter/ (see main)
    from converter import pipeline
    from converter.publish import search

    os.chdir(project)
    docs, phases, info = Path("docs"), {}, {}
    clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    old_nav = yaml.safe_load(Path("build/nav.yml").read_text(encoding="utf-8"))["nav"]
    before = file_hashes(docs)
    phase("hash docs/ (before)")
    conversion = pipeline.build(Path("sources"), docs, Path("build"), None)
    phase("convert+docs")
    after = file_hashes(docs)
    changed = sorted(rel for rel, (digest, _) in after.items() if before.get(rel, (None,))[0] != digest)
    for rel, (digest, _) in after.items():
        if rel in before and before[rel][0] == digest:
            stat = (docs / rel).stat()
            os.utime(docs / rel, ns=(stat.st_atime_ns, before[rel][1]))
    phase("hash docs/ + restore mtimes")
    info["docs changed or new"] = len(changed)
    info["changed years"] = sorted({rel.split("/", 1)[0] for rel in changed if rel[:4].isdigit()})
    new_nav = yaml.safe_load(Path("build/nav.yml").read_text(encoding="utf-8"))["nav"]
    if strategy == "c":
        markdown = [rel for rel in after if rel.endswith(".md")]
        touched = nav_stale(old_nav, new_nav, markdown) - set(changed)
        # MkDocs takes the title of a nav entry without one (the year and issue index pages) from the page,
        # which --dirty does not read unless it rebuilds it: a rebuilt neighbour would say "下一页: None".
        touched |= untitled_neighbours(new_nav, touched | set(changed)) - set(changed)
        for rel in touched:
            os.utime(docs / rel)
        info["touched for nav"] = len(touched)
        phase("touch nav-stale pages")
    if strategy in ("b", "c"):
        # Not --strict: MkDocs itself warns that a --dirty build is inaccurate, which fails --strict.
        mkdocs(["-f", "mkdocs.yml", "--dirty", "--site-dir", "site"])
        phase("mkdocs")
    if strategy == "d":
        split_build(old_nav, new_nav, changed, info)
        phase("mkdocs")
    search.index_site(Path("site"), conversion.corpus)
    phase("search_index")
    return {"phases": phases, "info": info}


def split_build(old_nav: list[Any], new_nav: list[Any], changed: list[str], info: dict[str, Any]) -> None:
    """Strategy d: each affected year as a site of its own, then a top-level site; outputs copied into site/."""
    import yaml

    years = [top_key(e) for e in new_nav if top_key(e).isdigit()]
    old_sections = {top_key(e): e for e in old_nav}
    affected = [
        y for y in years
        if old_sections.get(y) != next(e for e in new_nav if top_key(e) == y) or any(c.startswith(f"{y}/") for c in changed)
    ]  # fmt: skip
    info["years rebuilt"] = affected
    docs = Path("docs").resolve()

    def link_entry(entry: Any) -> Any:
        key = top_key(entry)
        return {key: f"{key}/"} if key.isdigit() else entry  # a year section → a link to its index page

    def sub_build(name: str, entries: list[str], nav: list[Any]) -> Path:
        root = Path(f".split-{name}").resolve()
        shutil.rmtree(root, ignore_errors=True)
        (root / "docs").mkdir(parents=True)
        for entry in entries:
            (root / "docs" / entry).symlink_to(docs / entry)
        config = Path(f".split-{name}.yml")
        config.write_text(  # a navigation in the config: the hook keeps it
            f"INHERIT: mkdocs.yml\ndocs_dir: {json.dumps(str(root / 'docs'))}\n"
            + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        mkdocs(["-f", str(config), "--site-dir", str(root / "site")])
        config.unlink()
        return root / "site"

    for year in affected:
        nav = [e if top_key(e) == year else link_entry(e) for e in new_nav]
        out = sub_build(year, [year, "assets"], nav)
        shutil.rmtree(Path("site") / year, ignore_errors=True)
        shutil.copytree(out / year, Path("site") / year)
    top = [p.name for p in docs.iterdir() if not p.name.isdigit()]
    out = sub_build("top", top, [link_entry(e) for e in new_nav])
    for entry in out.iterdir():
        if entry.name.isdigit():
            continue
        dest = Path("site") / entry.name
        if dest.is_dir():
            shutil.rmtree(dest)
        elif dest.exists():
            dest.unlink()
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, dest)


# --- comparing sites -----------------------------------------------------------------------------------


def _block(html: str, start_marker: str, tag: str) -> str:
    """The element starting at `start_marker` up to its matching closing tag (nesting of `tag` counted)."""
    start = html.find(start_marker)
    if start < 0:
        return ""
    depth = 0
    for m in re.compile(rf"<{tag}\b|</{tag}>").finditer(html, start):
        depth += 1 if m.group(0).startswith(f"<{tag}") else -1
        if depth == 0:
            return html[start : m.end()]
    return html[start:]


PARTS = {
    "nav": ('<nav class="md-nav md-nav--primary"', "nav"),
    "prev/next": ('<nav class="md-footer__inner', "nav"),
    "article": ("<article", "article"),
}


def what_differs(a: str, b: str) -> list[str]:
    parts = []
    for name, (marker, tag) in PARTS.items():
        x, y = _block(a, marker, tag), _block(b, marker, tag)
        if x != y:
            parts.append(name)
        a, b = a.replace(x, ""), b.replace(y, "")
    if a != b:
        parts.append("rest")
    return parts


def compare_sites(site: Path, reference: Path) -> dict[str, Any]:
    """HTML files of `site` that differ from `reference`, classified; non-HTML files outside search-index/ too."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    mine, ref = files(site), files(reference)
    html = sorted(k for k in ref.keys() | mine.keys() if k.endswith(".html"))
    differ, kinds, where, examples = [], Counter(), Counter(), []
    for rel in html:
        if rel not in mine or rel not in ref:
            differ.append(rel)
            kinds["missing" if rel not in mine else "extra"] += 1
            continue
        a, b = mine[rel].read_bytes(), ref[rel].read_bytes()
        if a == b:
            continue
        differ.append(rel)
        parts = what_differs(a.decode("utf-8", "replace"), b.decode("utf-8", "replace"))
        kinds.update(parts)
        if len(examples) < 6 and (not examples or parts != examples[-1][1]):
            examples.append((rel, parts))
    for rel in differ:
        where[rel.split("/", 1)[0] if "/" in rel else "(root)"] += 1
    others = [k for k in ref.keys() | mine.keys() if not k.endswith(".html") and not k.startswith("search-index/")
              and not k.startswith("sitemap.xml") and (k not in mine or k not in ref
                                                       or mine[k].read_bytes() != ref[k].read_bytes())]  # fmt: skip
    return {"html": len(html), "differ": differ, "kinds": kinds, "where": where, "examples": examples,
            "other_files": sorted(others)}  # fmt: skip


# --- printing ------------------------------------------------------------------------------------------


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A Markdown table, printed as `run.py` prints its own."""
    run.table(title, header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=240, help="archive size N before the new issue")
    parser.add_argument("--strategies", default="a,b,c,d", help="comma-separated, of a,b,c,d")
    parser.add_argument("--seed", type=int, default=0, help="make_archive seed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and print its path")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        args.output.write_text(json.dumps(worker(args.worker, args.project)), encoding="utf-8")
        return

    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    if unknown := set(strategies) - STRATEGIES.keys():
        parser.error(f"unknown strategies: {', '.join(sorted(unknown))}")
    scratch = Path(tempfile.mkdtemp(prefix="gongbao-incremental-"))
    began = time.perf_counter()
    try:
        code = scratch / "code"  # one snapshot of the converter for every build (see the docstring)
        shutil.copytree(ROOT / "converter", code / "converter", ignore=shutil.ignore_patterns("__pycache__"))
        ENV["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
        ENV["GONGBAO_CODE"] = str(code)
        everything = archive.make_archive(args.issues + 1, scratch / "archive", args.seed)
        newest = everything[0]
        new_files = [p for p in (newest, newest.with_suffix(".meta.yml")) if p.exists()]

        def sources(name: str, paths: list[Path]) -> Path:
            directory = scratch / name
            directory.mkdir()
            for path in paths:
                for file in (path, path.with_suffix(".meta.yml")):
                    if file.exists():
                        shutil.copy2(file, directory / file.name)
            return directory

        print(f"# Adding one issue to {args.issues}\n")
        print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, Python "
              f"{sys.version.split()[0]}. Archive: make_archive.py {args.issues + 1} --seed {args.seed}; new "
              f"issue {newest.name}. Every row is one fresh process, timed end to end.")  # fmt: skip

        base = site_bench.scratch_project(sources("sources-old", everything[1:]), scratch / "base")
        reference = scratch / "reference"
        shutil.copytree(base, reference)  # the same mkdocs.yml, hooks/ and overrides/
        for path in new_files:
            shutil.copy2(path, reference / "sources" / path.name)
        timings = {"full N+1": gongbao_build(reference)}
        timings["full N"] = gongbao_build(base)

        results, infos = {}, {}
        for strategy in strategies:
            project = scratch / f"project-{strategy}"
            shutil.copytree(base, project, symlinks=True)  # copy2: mtimes kept
            for path in new_files:
                shutil.copy2(path, project / "sources" / path.name)
            if strategy == "a":
                timings[strategy] = gongbao_build(project)
            else:
                output = scratch / f"{strategy}.json"
                seconds, _ = run([sys.executable, str(Path(__file__).resolve()), "--worker", strategy,
                                  "--project", str(project), "--output", str(output)], ROOT)  # fmt: skip
                figures = json.loads(output.read_text(encoding="utf-8"))
                phases = figures["phases"]
                timings[strategy] = {"total": seconds, **phases}
                infos[strategy] = figures["info"]
            results[strategy] = compare_sites(project / "site", reference / "site")
            if not args.keep:
                shutil.rmtree(project / "site", ignore_errors=True)
        start = time.perf_counter()
        shutil.copytree(reference / "site", scratch / "site-copy", symlinks=True)
        copy_site = time.perf_counter() - start

        full = timings["full N+1"]["total"]
        rows = [[f"clean full build of {args.issues + 1} (reference)", f"{full:.1f}", "1.00",
                 f"{timings['full N+1']['mkdocs']:.1f}", f"{timings['full N+1']['search_index']:.1f}", "", ""],
                [f"full build of {args.issues} (setup)", f"{timings['full N']['total']:.1f}",
                 f"{timings['full N']['total'] / full:.2f}", f"{timings['full N']['mkdocs']:.1f}",
                 f"{timings['full N']['search_index']:.1f}", "", ""]]  # fmt: skip
        for strategy in strategies:
            t, r = timings[strategy], results[strategy]
            other = {k: v for k, v in t.items() if k not in ("total", "mkdocs", "search_index")}
            rows.append([STRATEGIES[strategy], f"{t['total']:.1f}", f"{t['total'] / full:.2f}",
                         f"{t.get('mkdocs', 0.0):.1f}", f"{t.get('search_index', 0.0):.1f}",
                         ", ".join(f"{k} {v:.1f}" for k, v in other.items()),
                         f"{len(r['differ'])} of {r['html']}"])  # fmt: skip
        table(f"1. Add one issue to {args.issues}: seconds, end to end (ratio to the clean full build)",
              ["build", "seconds", "× full", "mkdocs", "search index", "other phases", "HTML ≠ reference"],
              rows)  # fmt: skip

        rows = []
        for strategy in strategies:
            r = results[strategy]
            where = ", ".join(f"{k} {v}" for k, v in r["where"].most_common(6)) or "—"
            kinds = ", ".join(f"{k} {v}" for k, v in r["kinds"].most_common()) or "—"
            info = "; ".join(f"{k}: {v}" for k, v in infos.get(strategy, {}).items())
            others = f"{len(r['other_files'])}" + (
                f" ({', '.join(r['other_files'][:3])})" if r["other_files"] else ""
            )
            rows.append([strategy, kinds, where, others, info or "—"])
        table("2. What differs from the clean full build (HTML pages; a page may count in several parts)",
              ["strategy", "parts that differ", "pages by folder", "non-HTML files ≠ (sitemap, search-index/ "
               "excluded)", "worker notes"], rows)  # fmt: skip

        rows = [[s, rel, ", ".join(parts)] for s in strategies for rel, parts in results[s]["examples"]]
        if rows:
            table("3. Examples of differing pages", ["strategy", "page", "differs in"], rows)
        print(f"\nCopying the reference site/ ({sum(1 for _ in (reference / 'site').rglob('*'))} entries), as an "
              f"atomic swap of an in-place --dirty build would need: {copy_site:.1f} s. Total wall time "
              f"{time.perf_counter() - began:.0f} s.")  # fmt: skip
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
