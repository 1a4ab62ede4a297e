"""Converting in a pool of processes (`converter/publish/pool.py`, used by `pipeline.convert`) gives what
converting in one process gives: the same JSON exports byte for byte, the same errors with the same
messages, the same cache entries for the next build to reuse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from projects import REPO_ROOT

from benchmarks.make_archive import make_archive
from converter import pipeline
from converter.publish import pool

SAMPLES = sorted((REPO_ROOT / "sources").glob("*.txt"))
needs_two = pytest.mark.skipif(pool.pool_size(10, 2) < 2, reason="no fork start method")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The samples, six synthetic issues, an empty file and a file of binary data."""
    root = tmp_path_factory.mktemp("pool")
    archive = make_archive(6, root / "sources", seed=3)
    for sample in SAMPLES:
        shutil.copy2(sample, root / "sources" / sample.name)
    (root / "sources" / "empty.txt").write_bytes(b"")
    (root / "sources" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return [*archive, *(root / "sources" / p.name for p in SAMPLES), root / "sources" / "empty.txt", root / "sources" / "binary.txt"]


def _outcome(conversion: pipeline.Conversion) -> tuple[dict[str, str], list[str]]:
    return pipeline.json_exports(conversion), [str(e) for e in conversion.errors]


@needs_two
def test_a_pool_converts_as_one_process_does(sources: list[Path]) -> None:
    serial = pipeline.convert(sources, workers=1)
    pooled = pipeline.convert(sources, workers=2)
    assert len(serial.errors) == 2 and serial.errors[0].message  # the bad files are reported, not lost
    assert _outcome(pooled) == _outcome(serial)
    assert pipeline.docs_files(pooled) == pipeline.docs_files(serial)


@needs_two
def test_pool_workers_fill_the_cache_that_the_next_build_reuses(sources: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = pipeline.convert(sources, cache, workers=2)
    again = pipeline.convert(sources, cache, workers=2)
    assert (first.reused, again.reused) == (0, len(sources) - 2)
    assert _outcome(again) == _outcome(first) == _outcome(pipeline.convert(sources, workers=1))


def test_few_sources_or_one_cpu_convert_in_this_process() -> None:
    assert pool.pool_size(2) == 1
    assert pool.pool_size(10, workers=1) == 1
    assert pool.pool_size(3, workers=8) == 3
