"""Search at archive scale: Material's lunr index against Pagefind (extended), side by side.

    python benchmarks/search.py                     # 10 and 105 issues (≈ 50 and ≈ 500 documents)
    python benchmarks/search.py --issues 10,105,720 # and 720 issues (the whole archive; long)
    python benchmarks/search.py --issues 10 --keep  # keep the scratch projects to look at

For each size it makes a synthetic archive (`make_archive.py`), builds it with `gongbao build` in a
scratch copy of the project (Pagefind: the site's search), then measures:

- **index build**: `converter.publish.search.index_site` alone on the built site (Pagefind), in a fresh process,
  with Pagefind's peak RSS; and for lunr the extra seconds of `mkdocs build` with Material's `search`
  plugin (`lang: zh`, jieba) over the same build without it;
- **first search, bytes**: lunr downloads `search/search_index.json` and the worker scripts before the
  first answer (gzip level 6, as a web server would send them). For Pagefind, headless Chromium types
  the query into the search box of a document page and every file the server sends from the focus of
  the box until the first answer is shown is counted (Pagefind's index and fragments are compressed
  already; its JS counted gzipped). The site is served by a separate process that logs what it sends;
- **answer time**: keystroke (the `input` event) to the results painted (the frame after the first
  result enters the list), timed in the page with `performance.now()`: first query 1.5 s after focusing
  the box (which starts loading Pagefind, as a reader's typing would), then a second query. The query
  arrives whole, as from an input method's commit or a paste, which the box searches at once: there is
  no debounce in it. (Timed from Python, with Playwright waiting for the result, it came out 100–450 ms
  longer: Playwright checks for the selector at growing intervals, and each check is a round trip.)
  And `pagefind.search` + fragments of 5 results in the page (warm);
- **文号 check**: for up to 10 documents, each of four typed forms of its 文号 must give it first.

Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.build import scratch_project  # noqa: E402
from benchmarks.harness import launch_chromium  # noqa: E402

LUNR_CONFIG = """INHERIT: mkdocs.yml
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：:,.]+'
"""
BARE_CONFIG = "INHERIT: mkdocs.yml\n"
QUERIES = ("乡村振兴", "营商环境")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# The scratch project runs this repository's converter, not whatever `converter` is installed.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true", "PYTHONPATH": str(ROOT)}


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=ENV, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        sys.exit(
            f"`{' '.join(command)}` exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return time.perf_counter() - start


def pagefind_index(site: Path, cwd: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of `index_site` alone, in a fresh process."""
    code = (
        "import resource, sys, time; from pathlib import Path; from converter.publish.search import index_site\n"
        "t = time.perf_counter(); index_site(Path(sys.argv[1])); t = time.perf_counter() - t\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)], cwd=cwd, capture_output=True, text=True, check=True, env=ENV
    ).stdout.split()
    return float(out[0]), float(out[1])


def lunr_first_query(site: Path) -> tuple[int, int]:
    """Raw and gzip bytes lunr needs before its first answer: the index, the worker and lunr's zh scripts."""
    files = [
        site / "search" / "search_index.json",
        *sorted((site / "assets/javascripts/workers").glob("search.*.min.js")),
    ]
    files += [
        site / "assets/javascripts/lunr/min" / f"lunr.{name}.min.js" for name in ("stemmer.support", "zh")
    ]
    files += [site / "assets/javascripts/lunr/tinyseg.js"]
    data = [f.read_bytes() for f in files if f.is_file()]
    return sum(len(d) for d in data), sum(gz(d) for d in data)


# A static server in a process of its own (in this one it would share the GIL with Playwright's client):
# prints its port, then one line "path bytes" per file sent.
SERVER = """
import functools, os, sys, threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
lock = threading.Lock()
class Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass
    def log_request(self, code="-", size="-"):
        if str(code) == "200":
            path = self.translate_path(self.path)
            if os.path.isfile(path):
                with lock:
                    sys.stdout.write(f"{self.path.split('?')[0]} {os.path.getsize(path)}\\n")
                    sys.stdout.flush()
server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class Server:
    """`SERVER` on a site; `sent()` is what it has sent since the last call: [(path, bytes)]."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(site)], stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            sys.exit(f"the benchmark's web server did not start (exit code {self.process.wait()})")
        self.url = f"http://127.0.0.1:{port}/"
        self.lines: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            path, _, size = line.rstrip("\n").rpartition(" ")
            with self.lock:
                self.lines.append((path, int(size)))

    def sent(self) -> list[tuple[str, int]]:
        time.sleep(0.2)  # the log lags the response a little
        with self.lock:
            lines, self.lines = self.lines, []
        return lines

    def close(self) -> None:
        self.process.terminate()
        self.process.wait()


def clear(page: Any) -> None:
    """Empty the search box and wait until the results are gone (so that no stale result is read)."""
    page.locator("input.md-search__input").fill("")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")


# Armed before a query is typed: resolves to the ms from the box's `input` event to the frame after the
# first result entered the list (rAF, then a task: the frame with the result has been produced).
ANSWER_TIMER = """() => {
  const box = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  window.gbAnswer = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('no result within 60 s')), 60000);
    let typed = 0;
    box.addEventListener('input', () => { typed = performance.now(); }, { once: true, capture: true });
    const observer = new MutationObserver(() => {
      if (!typed || !list.querySelector('.md-search-result__item')) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - typed)));
    });
    observer.observe(list, { childList: true });
  });
}"""


def browser_figures(site: Path, checks: list[tuple[str, str]]) -> dict[str, Any]:
    """First-query bytes and answer times in Chromium; the 文号 check."""
    from playwright.sync_api import sync_playwright

    server = Server(site)
    base = server.url
    figures: dict[str, Any] = {}

    def size(path: str, sent: int) -> int:
        if "/pagefind/" in path and not path.endswith(".js"):
            return sent  # compressed already
        file = site / path.lstrip("/")
        return gz(file.read_bytes()) if file.is_file() else sent

    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(base + checks[0][1])
            page.wait_for_load_state("load")
            box = page.locator("input.md-search__input")
            times = []
            for n, query in enumerate(QUERIES):
                if n == 0:
                    server.sent()  # the page itself: not the search's
                box.click()
                clear(page)
                if n == 0:
                    page.wait_for_timeout(1500)  # typing a word takes longer; the box loads Pagefind on focus
                page.evaluate(ANSWER_TIMER)
                box.fill(query)
                times.append(page.evaluate("() => window.gbAnswer"))
                if n == 0:
                    page.wait_for_timeout(500)  # fragments of the rest of the first page of results
                    sent = server.sent()
                    figures["first_bytes"] = sum(size(path, length) for path, length in sent)
                    figures["first_requests"] = len(sent)
            figures["first_ms"], figures["second_ms"] = times
            figures["search_ms"] = page.evaluate(
                """async (q) => {
                  const pf = await import(new URL('/pagefind/pagefind.js', location.href).href);
                  await pf.init();
                  const t = performance.now();
                  const found = await pf.search(q);
                  await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
                  return performance.now() - t;
                }""",
                "绿色低碳",
            )
            ok = 0
            for wenhao, url in checks:
                m = re.fullmatch(r"(.+?)〔(\d{4})〕(\d+)号", wenhao)
                assert m is not None
                issuer, year, serial = m.groups()
                forms = [
                    wenhao,
                    f"{issuer}[{year}]{serial}号",
                    f"{issuer}{year} {serial}号",
                    f"{issuer} {year} {serial}",
                ]
                for form in forms:
                    clear(page)
                    box.fill(form)
                    first = page.locator(".md-search-result__item .md-search-result__link").first
                    first.wait_for(state="attached", timeout=30_000)
                    ok += (first.get_attribute("href") or "").split("?")[0].endswith(url.rstrip("/") + "/")
            figures["wenhao"] = f"{ok}/{4 * len(checks)}"
            browser.close()
    finally:
        server.close()
    return figures


def measure(issues: int, work: Path, seed: int) -> dict[str, Any]:
    archive = work / f"archive-{issues}"
    run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "make_archive.py"),
            str(issues),
            "--out",
            str(archive),
            "--seed",
            str(seed),
        ],
        ROOT,
    )
    project = scratch_project(archive, work / f"project-{issues}")
    build_s = run([sys.executable, "-m", "converter.cli", "build", "--site", "site"], project)
    site = project / "site"
    pages = [p for p in site.rglob("index.html") if "data-gb-search-doc" in p.read_text(encoding="utf-8")]
    pf_s, pf_rss = pagefind_index(site, project)
    pf_files = list((site / "pagefind").rglob("*"))
    (project / ".bare.yml").write_text(BARE_CONFIG, encoding="utf-8")
    (project / ".lunr.yml").write_text(LUNR_CONFIG, encoding="utf-8")
    bare_s = run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", ".bare.yml", "-d", str(work / "bare")], project
    )
    lunr_s = run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", ".lunr.yml", "-d", str(work / "lunr")], project
    )
    lunr_raw, lunr_gz = lunr_first_query(work / "lunr")
    shutil.rmtree(work / "bare", ignore_errors=True)
    shutil.rmtree(work / "lunr", ignore_errors=True)
    wenhao = []
    for p in pages:
        # Quoted or not: the site's HTML is minified (minify_html drops the quotes it can).
        m = re.search(
            r'data-pagefind-meta=(?:"wenhao:([^"]+)"|wenhao:([^\s"\'=<>`]+))', p.read_text(encoding="utf-8")
        )
        if m:
            wenhao.append(
                (html.unescape(m.group(1) or m.group(2)), p.parent.relative_to(site).as_posix() + "/")
            )
    if not wenhao:
        sys.exit(
            f"no document page of {site} has a 文号 in its search metadata (data-pagefind-meta=wenhao:…)"
        )
    random.Random(seed).shuffle(wenhao)
    figures = browser_figures(site, wenhao[:10])
    return {
        "issues": issues,
        "documents": len(pages),
        "build_s": build_s,
        "pagefind_s": pf_s,
        "pagefind_rss": pf_rss,
        "pagefind_files": sum(1 for f in pf_files if f.is_file()),
        "pagefind_mb": sum(f.stat().st_size for f in pf_files if f.is_file()) / 2**20,
        "bare_s": bare_s,
        "lunr_s": lunr_s,
        "lunr_raw": lunr_raw,
        "lunr_gz": lunr_gz,
        **figures,
    }


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB"


def calibration() -> float:
    """Seconds for a fixed CPU-bound loop here (≈ 0.15–0.25 s on a current laptop): scale the times by it."""
    start = time.perf_counter()
    sum(range(10**7))
    return time.perf_counter() - start


def report(rows: list[dict[str, Any]]) -> str:
    out = [
        f"CPU calibration: `sum(range(10**7))` took {calibration():.2f} s here (≈ 0.2 s on a laptop); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
        "",
        "| issues | documents | lunr: extra build (jieba + index) | lunr: first search downloads (gzip) "
        "| Pagefind: index build | Pagefind: peak RSS | Pagefind: first search downloads | requests "
        "| first answer | next answer | pagefind.search + 5 fragments | 文号 forms first |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        out.append(
            f"| {r['issues']} | {r['documents']} | {r['lunr_s'] - r['bare_s']:.1f} s "
            f"| {kib(r['lunr_gz'])} ({kib(r['lunr_raw'])} raw) | {r['pagefind_s']:.1f} s | {r['pagefind_rss']:,.0f} MiB "
            f"| {kib(r['first_bytes'])} | {r['first_requests']} | {r['first_ms']:.0f} ms | {r['second_ms']:.0f} ms "
            f"| {r['search_ms']:.0f} ms | {r['wenhao']} |"
        )
    out.append("")
    out.append(
        "`gongbao build` (Pagefind included): "
        + ", ".join(
            f"{r['issues']} issues {r['build_s']:.1f} s ({r['pagefind_files']} index files, {r['pagefind_mb']:.1f} MB)"
            for r in rows
        )
    )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--issues", default="10,105", help="comma-separated archive sizes in issues (default 10,105)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch projects")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongbao-search-bench-"))
    try:
        rows = []
        for n in (int(x) for x in args.issues.split(",")):
            rows.append(measure(n, work, args.seed))
            print(f"measured {n} issues", file=sys.stderr, flush=True)
        print(report(rows))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
