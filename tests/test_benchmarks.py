"""The benchmark suite runs and prints its tables (timings are never asserted); the synthetic archive is
deterministic by seed and converts without errors."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from benchmarks.harness import gongbao

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO_ROOT / "benchmarks"
QUICK_TIMEOUT_S = 900  # a hang guard only: --quick takes about 2 minutes on 2 cores


@pytest.fixture(scope="module")
def make_archive() -> ModuleType:
    return importlib.import_module("benchmarks.make_archive")


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_archive_is_deterministic_by_seed(make_archive: ModuleType, tmp_path: Path) -> None:
    make_archive.make_archive(3, tmp_path / "a", seed=5)
    make_archive.make_archive(3, tmp_path / "b", seed=5)
    make_archive.make_archive(3, tmp_path / "c", seed=6)
    first, again, other = (_files(tmp_path / d) for d in "abc")
    assert first == again
    assert len([name for name in first if name.endswith(".txt")]) == 3
    assert first != other


def test_archive_never_writes_into_sources(make_archive: ModuleType) -> None:
    with pytest.raises(ValueError, match="samples"):
        make_archive.make_archive(1, REPO_ROOT / "sources", seed=0)


def test_archive_converts_without_errors_and_links(make_archive: ModuleType, tmp_path: Path) -> None:
    paths = make_archive.make_archive(3, tmp_path / "archive", seed=0)
    for path in paths:
        assert 50_000 <= path.stat().st_size <= 200_000, path.name
    result = gongbao("convert", "--json", str(tmp_path / "json"), *map(str, paths))
    assert result.returncode == 0, result.stderr[-3000:]
    exports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "json").glob("*.json"))]
    assert len(exports) == 3
    assert all(export["documents"] for export in exports)
    targets = [c["target"] for e in exports for d in e["documents"] for c in d["citations"]]
    assert any(target is not None for target in targets), "no citation between synthetic issues resolved"


def test_quick_benchmark_prints_its_tables() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=QUICK_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for heading in ("1. Converter throughput", "2a. Full build", "2b. Full build", "3. Incremental",
                    "4. Reader cost"):  # fmt: skip
        assert f"## {heading}" in out, heading
    # Every table has a data row after its header rule; the build tables have one row per size.
    tables = re.findall(r"^\| -[-| ]*\|\n((?:\|.*\|\n)+)", out, re.MULTILINE)
    assert len(tables) == 5 and all(tables), out
    sizes = [row.split("|")[1].strip() for row in tables[1].splitlines()]
    assert sizes == ["24", "48"]
    # The incremental table: a full build, the three changes, each converting one source, then nothing.
    incremental = [row.split("|")[5].strip() for row in tables[3].splitlines()]
    assert incremental == ["24 converted, 0 reused", "1 converted, 24 reused", "1 converted, 24 reused",
                           "1 converted, 24 reused", "0 converted, 25 reused"], tables[3]  # fmt: skip
