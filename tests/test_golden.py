"""Whole-issue golden files: the JSON export and every generated Markdown page of each sample.

Regenerate with `pytest tests/test_golden.py --update-golden` and review the change as a git diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.pipeline import Conversion, docs_files, json_exports

GOLDEN = Path(__file__).parent / "golden"
STEMS = sorted(p.stem for p in (Path(__file__).parent.parent / "sources").glob("*.txt"))


def _pages(conversion: Conversion, stem: str) -> str:
    """All Markdown pages generated for one source, concatenated in path order with a header line each."""
    keys = [p.key for p in conversion.corpus.issues if p.issue.source.name == stem + ".txt" and p.docs]
    files = docs_files(conversion)
    chunks = [f"<!-- {path} -->\n{text}" for path, text in sorted(files.items()) if keys and path.startswith(keys[0] + "/")]
    return "\n".join(chunks)


def _check(path: Path, actual: str, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} is missing: run pytest --update-golden and review the diff"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file: run pytest --update-golden and review the diff"


@pytest.mark.parametrize("stem", STEMS)
def test_json_matches_golden(stem: str, conversion: Conversion, update_golden: bool) -> None:
    _check(GOLDEN / f"{stem}.json", json_exports(conversion)[f"{stem}.json"], update_golden)


@pytest.mark.parametrize("stem", STEMS)
def test_pages_match_golden(stem: str, conversion: Conversion, update_golden: bool) -> None:
    _check(GOLDEN / f"{stem}.md", _pages(conversion, stem), update_golden)
