"""gongbao's own search index at archive scale: build time and memory, first download, answer times.

    python benchmarks/search.py                  # 720 issues (the whole archive): ≈ 4 minutes on 2 cores
    python benchmarks/search.py --issues 48      # a smaller archive
    python benchmarks/search.py --keep           # keep the scratch directory to look at

Steps:

1. `make_archive.py` makes a synthetic archive of N issues.
2. **Index build**, in a fresh process: `pipeline.convert` (stages 1–5, no cache) over the archive, then
   `render.search_index.search_index` + `publish.search.write_index` into a scratch site, timed apart
   from the conversion. Peak RSS is the process's VmHWM, read before the index (the converted corpus)
   and after it. The whole site is *not* built (≈ 10 minutes at 720 issues on 2 cores): the index is
   made from the converted data, as `gongbao build` feeds it (`publish.search.index_site`).
3. The site the browser loads is `gongbao build` of the five samples in `sources/` (a scratch copy of
   the project), whose `search-index/` is replaced by the archive's: the page, its scripts and the
   results page are the real ones, the index is the archive's (result links lead nowhere, which no
   figure needs). It is served by a separate process that logs every file it sends (200s, not 304s).
4. In Chromium (Playwright, `benchmarks.harness.launch_chromium`), for each query (a common word, a rare
   phrase drawn from the archive, a phrase no document holds), in the header search box of the home page:
   - **cold**: a fresh browser context (empty HTTP cache), the page loaded, the query typed;
   - **warm**: the same context, the page loaded again (HTTP cache filled, the page's own cache empty);
   - **next**: in that page, after another query ("营商环境") was answered: the index's docs.json and
     that query's shards are in the page's cache.
   The time is the `input` event to the frame after the first result (or the no-match message) entered
   the list, by `performance.now()` in the page. The query arrives whole (as an input method commits it
   or a paste), which the box searches at once, without its debounce.
   **First download**: every file the server sent from typing the cold query until 0.5 s after the
   answer, gzipped (level 6, as a web server would send JSON).

Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.build import scratch_project  # noqa: E402
from benchmarks.harness import launch_chromium  # noqa: E402

COMMON = "发展"
NONE = "营商环境量子纠缠"
WARMUP = "营商环境"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true", "PYTHONPATH": str(ROOT)}

# Run in a fresh process: convert, then the index alone, timed and with the peak RSS before and after.
# Also draws the rare phrase (the fewest documents among 200 random runs of 6 Han characters) and counts,
# for each query, the documents that hold it and the candidates (documents holding all its pairs).
INDEX_CHILD = r"""
import json, random, re, sys, time
from pathlib import Path
from converter import pipeline
from converter.publish.search import write_index
from converter.render.search_index import search_index
from converter.render.search_postings import keys, shard_of, units

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0

archive, out, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
conversion = pipeline.convert(sorted(archive.glob("*.txt")))
convert_s, convert_rss = time.perf_counter() - t, hwm()
t = time.perf_counter()
files = search_index([p for p in conversion.corpus.issues if p.docs])
render_s = time.perf_counter() - t
t = time.perf_counter()
write_index(out, files)
write_s = time.perf_counter() - t
index_rss = hwm()
records = [json.loads(text) for rel, text in files.items() if rel.startswith("d/")]
canon = ["\n".join("".join(units(x)) for _, h, ps in r["s"] for x in (h, *ps)) for r in records]
def count(q):
    u = "".join(units(q))
    return sum(u in c for c in canon)
meta = json.loads(files["docs.json"])
def candidates(q):
    found = None
    for k in set(keys(units(q))):
        ids = set()
        for part, shards in meta["parts"]:
            flat, i = json.loads(files[f"{part}/{shard_of(k, shards):x}.json"]).get(k, []), 0
            for j in range(0, len(flat), 2):
                i += flat[j]
                ids.add(i)
        found = ids if found is None else found & ids
    return len(found or ())
rng = random.Random(seed)
rare, rare_n = "", 0
for _ in range(200):  # the fewest documents among runs of 6 characters, within a clause or across a 。
    r = rng.choice(records)
    runs = [m for _, _, ps in r["s"] for p in ps for m in re.findall("[一-鿿]{6}|[一-鿿]{3}。[一-鿿]{3}", p)]
    if not runs:
        continue
    phrase = rng.choice(runs)
    n = count(phrase)
    if n and (not rare or n < rare_n):
        rare, rare_n = phrase, n
    if rare_n == 1:
        break
print(json.dumps({
    "documents": len(records), "convert_s": convert_s, "convert_rss": convert_rss, "render_s": render_s,
    "write_s": write_s, "index_rss": index_rss, "files": len(files),
    "bytes": sum(len(v.encode()) for v in files.values()),
    "shards": "+".join(str(n) for _, n in json.loads(files["docs.json"])["parts"]),
    "rare": rare, "counts": {q: [count(q), candidates(q)] for q in (%r, rare, %r) if q},
}))
"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=ENV, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        sys.exit(f"`{' '.join(command)}` exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


# A static server in a process of its own (in this one it would share the GIL with Playwright's client):
# prints its port, then one line "path bytes" per file sent whole (a 304 sends nothing).
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


# Armed before a query is typed: resolves to the ms from the box's `input` event to the frame after the
# first result (or the no-match message) entered the box (rAF, then a task: that frame was produced).
ANSWER_TIMER = """() => {
  const box = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const result = document.querySelector('.md-search-result');
  window.gbAnswer = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('no answer within 60 s')), 60000);
    let typed = 0;
    box.addEventListener('input', () => { typed = performance.now(); }, { once: true, capture: true });
    const observer = new MutationObserver(() => {
      if (!typed) return;
      if (!list.querySelector('.md-search-result__item') && !result.classList.contains('gb-search-empty')) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - typed)));
    });
    observer.observe(result, { childList: true, subtree: true, attributes: true, characterData: true });
  });
}"""


def ask(page: Any, query: str) -> tuple[float, str]:
    """Type `query` whole into the header box of `page`; ms to the answer and what the box then says."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    page.evaluate(ANSWER_TIMER)
    box.fill(query)
    ms = float(page.evaluate("() => window.gbAnswer"))
    return ms, page.locator(".md-search-result__meta").inner_text()


def browser_figures(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    server = Server(site)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for query in queries:
                row: dict[str, Any] = {"query": query}
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                page.goto(server.url)
                page.wait_for_load_state("load")
                server.sent()  # the page itself: not the search's
                row["cold_ms"], row["said"] = ask(page, query)
                page.wait_for_timeout(500)  # records still coming for the first results
                sent = server.sent()
                row["requests"] = len(sent)
                row["first_gz"] = sum(gz((site / p.lstrip("/")).read_bytes()) for p, _ in sent)
                row["first_raw"] = sum(n for _, n in sent)
                page.goto(server.url + "search/")  # another page: the page's own cache is gone
                page.goto(server.url)
                page.wait_for_load_state("load")
                row["warm_ms"], _ = ask(page, query)
                page.goto(server.url + "search/")
                page.goto(server.url)
                page.wait_for_load_state("load")
                ask(page, WARMUP)
                row["next_ms"], _ = ask(page, query)
                context.close()
                rows.append(row)
            browser.close()
    finally:
        server.close()
    return rows


def calibration() -> float:
    """Seconds for a fixed CPU-bound loop here (≈ 0.15–0.25 s on a current laptop): scale the times by it."""
    start = time.perf_counter()
    sum(range(10**7))
    return time.perf_counter() - start


def measure(issues: int, work: Path, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    archive = work / "archive"
    run([sys.executable, str(ROOT / "benchmarks" / "make_archive.py"), str(issues), "--out", str(archive),
         "--seed", str(seed)], ROOT)  # fmt: skip
    index_site = work / "index-site"
    code = INDEX_CHILD % (COMMON, NONE)
    built = json.loads(run([sys.executable, "-c", code, str(archive), str(index_site), str(seed)], ROOT))
    project = scratch_project(ROOT / "sources", work / "project")
    run([sys.executable, "-m", "converter.cli", "build", "--site", "site"], project)
    site = project / "site"
    shutil.rmtree(site / "search-index")
    shutil.move(index_site / "search-index", site / "search-index")
    queries = [COMMON, *([built["rare"]] if built["rare"] else []), NONE]
    return built, browser_figures(site, queries)


def report(issues: int, built: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    index_s = built["render_s"] + built["write_s"]
    out = [
        f"CPU calibration: `sum(range(10**7))` took {calibration():.2f} s here (≈ 0.2 s on a laptop); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
        "",
        f"{issues} issues, {built['documents']} documents. Index build: {index_s:.1f} s "
        f"(render {built['render_s']:.1f} s + write {built['write_s']:.1f} s; converting took {built['convert_s']:.1f} s), "
        f"peak RSS {built['index_rss']:,.0f} MiB ({built['convert_rss']:,.0f} MiB with the converted corpus, before the index); "
        f"{built['files']:,} files, {built['bytes'] / 2**20:.1f} MiB, {built['shards']} postings shards.",
        "",
        "| query | documents holding it / candidates | cold: first answer | warm: first answer | next answer "
        "| first download, gzip (raw) | requests | the box says |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        out.append(
            f"| {r['query']} | {'/'.join(map(str, built['counts'].get(r['query'], '?')))} | {r['cold_ms']:.0f} ms | {r['warm_ms']:.0f} ms "
            f"| {r['next_ms']:.0f} ms | {r['first_gz'] / 1024:,.0f} KiB ({r['first_raw'] / 1024:,.0f} KiB) "
            f"| {r['requests']} | {r['said'][:40]} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=720, help="archive size in issues (default 720)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongbao-search-bench-"))
    try:
        built, rows = measure(args.issues, work, args.seed)
        print(report(args.issues, built, rows))
        if args.json:
            args.json.write_text(json.dumps({"index": built, "queries": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
