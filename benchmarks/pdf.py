"""PDF reading speed on one core (issue 20: a 60-page issue in at most 5 s).

    python -m benchmarks.pdf                 # every sample typeset as a PDF, 3 rounds
    python -m benchmarks.pdf --repeat 1 sources/2021-04.txt

Each sample is typeset as the gazette prints it (`benchmarks/typeset_pdf.py`), then read (`read.pdf`:
characters, layout, furniture, tables) and converted (clean, segment, parse). Prints seconds per 60 pages
and, for comparison, the time to convert the sample's text extraction; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.typeset_pdf import typeset
from converter.pipeline import parse_source
from converter.read.pdf import read_pdf
from converter.read.source import read_source

ROOT = Path(__file__).resolve().parent.parent


def _best(repeat: int, step: object) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        step()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sources = args.sources or sorted((ROOT / "sources").glob("*.txt"))
    print("| sample | pages | read PDF | read + convert PDF | per 60 pages | convert text | PDF ÷ text |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    total_pages = total_time = 0.0
    for source in sources:
        pdf = typeset(source)
        pages = len(set(read_pdf(pdf, source.name).pages))
        read = _best(args.repeat, lambda pdf=pdf: read_pdf(pdf, "x.pdf"))
        both = _best(args.repeat, lambda pdf=pdf: parse_source(read_pdf(pdf, "x.pdf")))
        text = _best(args.repeat, lambda source=source: parse_source(read_source(source)))
        total_pages += pages
        total_time += both
        print(f"| {source.stem} | {pages} | {read:.2f} s | {both:.2f} s | {both / pages * 60:.2f} s | "
              f"{text:.2f} s | {both / text:.1f}× |")  # fmt: skip
    print(f"\nall samples: {total_pages:.0f} pages, {total_time / total_pages * 60:.2f} s per 60 pages (read + convert, one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
