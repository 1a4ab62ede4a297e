"""Incremental builds at archive scale (the issue's check at 24 issues): a synthetic archive of 24 issues
(`benchmarks/make_archive.py`) built without its newest issue, then with it added, then with a sidecar
edited, then with a character of an older source fixed (the benchmark's fixes, `edit_sidecar` and
`edit_source`): each build rebuilds only some pages and gives, byte for byte but the sitemap's dates, the
site and docs/ a clean build of the same sources gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from projects import build_messages as _build
from projects import make_project
from projects import tree_hashes as _tree

from benchmarks.make_archive import edit_sidecar, edit_source, make_archive


def _sources(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _same_as_clean(project: Path, scratch: Path) -> None:
    clean = make_project(scratch, _sources(project / "sources"))
    assert "full build" in _build(clean)
    for part in ("site", "docs"):
        left, right = _tree(project / part), _tree(clean / part)
        assert sorted(left.keys() ^ right.keys()) == [], part
        assert [rel for rel in left if left[rel] != right[rel]] == [], part


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a project of the archive's 23 older issues, built; the folder holding the newest issue's files)."""
    tmp = tmp_path_factory.mktemp("archive")
    newest = make_archive(24, tmp / "archive", seed=0)[0]
    held = tmp / "held"
    held.mkdir()
    for path in (newest, newest.with_suffix(".meta.yml")):
        if path.exists():
            path.rename(held / path.name)
    project = make_project(tmp / "grown", _sources(tmp / "archive"))
    assert "full build" in _build(project)
    return project, held


def test_adding_the_24th_issue_rebuilds_some_pages_and_gives_the_clean_build(grown: tuple[Path, Path], tmp_path: Path) -> None:
    project, held = grown
    for path in held.iterdir():
        (project / "sources" / path.name).write_bytes(path.read_bytes())
    messages = _build(project)
    assert "1 source(s) converted (new or changed), 23 reused" in messages, messages
    found = re.search(r"site: (\d+) page\(s\) rebuilt .*?, (\d+) reused;", messages)
    assert found is not None and int(found[1]) > 0 and int(found[2]) > 0, messages  # not every page
    _same_as_clean(project, tmp_path / "clean")


# After the test above: it edits the project that one grew.
def test_an_edited_sidecar_rebuilds_some_pages_and_gives_the_clean_build(grown: tuple[Path, Path], tmp_path: Path) -> None:
    project = grown[0]
    assert edit_sidecar(project / "sources")
    messages = _build(project)
    assert "1 source(s) converted (new or changed), 23 reused" in messages, messages
    found = re.search(r"site: (\d+) page\(s\) rebuilt .*?, (\d+) reused;", messages)
    assert found is not None and int(found[1]) > 0 and int(found[2]) > 0, messages  # not every page
    _same_as_clean(project, tmp_path / "clean")


# After the tests above: it edits the project they grew.
def test_a_character_fixed_in_an_older_source_gives_the_clean_build(grown: tuple[Path, Path], tmp_path: Path) -> None:
    project = grown[0]
    assert edit_source(project / "sources")  # the 9th of 24: an older year's, the search index's patched part
    messages = _build(project)
    assert "1 source(s) converted (new or changed), 23 reused" in messages, messages
    found = re.search(r"search index: (\d+) of (\d+) file\(s\) re-indexed", messages)
    assert found is not None and 0 < int(found[1]) < int(found[2]) // 10, messages
    _same_as_clean(project, tmp_path / "clean")
