"""Converter throughput on one core: stages 1–5 (`pipeline.convert`), then also rendering, no disk writes.

    python benchmarks/convert.py               # all of sources/*.txt, ×20
    python benchmarks/convert.py --repeat 5    # fewer rounds
    python benchmarks/convert.py --profile     # one round under cProfile, top 15 by cumulative time

Prints figures only (throughput, ratios, peak RSS); it asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter import pipeline  # noqa: E402


def convert_only(paths: list[Path]) -> object:
    """Stages 1–5: read, clean, segment, parse, link."""
    return pipeline.convert(paths)


def convert_and_render(paths: list[Path]) -> object:
    """Stages 1–6: as `convert_only`, plus the docs/ pages, the JSON API and the per-source JSON exports."""
    conversion = pipeline.convert(paths)
    return pipeline.docs_files(conversion), pipeline.json_exports(conversion)


def timed(step: Callable[[list[Path]], object], paths: list[Path], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` runs of `step` (garbage collected between runs, not during)."""
    seconds = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        step(paths)
        seconds.append(time.perf_counter() - start)
    return seconds


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def pin_to_one_core() -> str:
    """Run on one CPU where the OS allows it; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT / "sources", help="directory of .txt sources")
    parser.add_argument("--repeat", type=int, default=20, help="rounds over all sources (default 20)")
    parser.add_argument("--profile", action="store_true", help="profile one convert+render round instead")
    args = parser.parse_args()

    paths = sorted(args.sources.glob("*.txt"))
    if not paths:
        parser.error(f"no .txt files in {args.sources}")
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    core = pin_to_one_core()
    # Warm-up round, timed apart: lazy imports, regex compilation, dictionaries loaded on first use.
    start = time.perf_counter()
    convert_and_render(paths)
    cold = time.perf_counter() - start

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(convert_and_render, paths)
        print(f"cProfile, one convert+render round over {len(paths)} files ({size_mb:.3f} MB), {core}")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(15)
        return

    rows = []
    for label, step in (("convert (1–5)", convert_only), ("convert+render (1–6)", convert_and_render)):
        seconds = timed(step, paths, args.repeat)
        total = sum(seconds)
        rows.append(
            (label, total, size_mb * args.repeat / total, min(seconds), sorted(seconds)[len(seconds) // 2])
        )

    print(
        f"{len(paths)} source files, {size_mb:.3f} MB, ×{args.repeat} = {size_mb * args.repeat:.2f} MB; {core}"
    )
    print(f"Python {sys.version.split()[0]}; rounds below are warm (first round, cold: {cold:.3f} s)")
    print()
    header = f"{'stage':<22} {'MB':>8} {'seconds':>9} {'MB/s':>8} {'best round s':>13} {'median round s':>15}"
    print(header)
    print("-" * len(header))
    for label, total, rate, best, median in rows:
        print(
            f"{label:<22} {size_mb * args.repeat:>8.2f} {total:>9.2f} {rate:>8.2f} {best:>13.3f} {median:>15.3f}"
        )
    render_share = 1 - rows[0][1] / rows[1][1]
    print()
    print(f"rendering share of convert+render time: {render_share:.0%}")
    print(f"peak RSS: {peak_rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
