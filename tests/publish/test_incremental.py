"""Incremental builds (`converter/publish/incremental.py`): adding an issue to a built project gives the
site a clean build of the same sources gives, byte for byte but the sitemap; the published site is never
written through; a build with nothing changed rebuilds no page."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from projects import REPO_ROOT, make_project
from projects import build_messages as _build
from projects import tree_hashes as _tree

from converter.pipeline import convert, json_exports

SAMPLES = sorted((REPO_ROOT / "sources").glob("*.txt"))


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[int, str], str]:
    """(a project built with all samples but the last, then the last added and built again; a project
    built clean from all samples; the inodes → content of the first project's site before the second
    build; the second build's messages)."""
    tmp = tmp_path_factory.mktemp("incremental")
    texts = {p.name: p.read_text(encoding="utf-8") for p in SAMPLES}
    last = SAMPLES[-1].name
    grown = make_project(tmp / "grown", {k: v for k, v in texts.items() if k != last})
    assert "full build" in _build(grown)
    before = {p.stat().st_ino: hashlib.sha256(p.read_bytes()).hexdigest() for p in (grown / "site").rglob("*") if p.is_file()}
    shutil.copy(SAMPLES[-1], grown / "sources" / last)
    messages = _build(grown)
    clean = make_project(tmp / "clean", texts)
    _build(clean)
    return grown, clean, before, messages


def test_adding_an_issue_is_not_a_full_build(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    messages = projects[3]
    assert "full build" not in messages and "page(s) rebuilt" in messages, messages
    # One line says what was rebuilt and why: the new source converted, the others reused, and so on.
    line = next(x for x in messages.splitlines() if "rebuilt: " in x)
    assert f"rebuilt: 1 source(s) converted (new or changed), {len(SAMPLES) - 1} reused (unchanged); docs: " in line
    written, indexed, of = re.search(r"docs: (\d+) file\(s\) written.*search index: (\d+) of (\d+) file\(s\) re-indexed", line).groups()  # type: ignore[union-attr]
    assert int(written) > 0 and int(indexed) < int(of), line  # the last sample repeats a document: no new text
    assert int(re.search(r"\((\d+) issue\(s\) not rendered again\)", line)[1]) > 0, line  # type: ignore[index]


def test_adding_an_issue_gives_the_clean_build(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    grown, clean, _, _ = projects
    left, right = _tree(grown / "site"), _tree(clean / "site")
    assert sorted(left.keys() - right.keys()) == [] and sorted(right.keys() - left.keys()) == []
    assert [path for path in left if left[path] != right[path]] == []
    assert _tree(grown / "docs") == _tree(clean / "docs")


def test_the_json_exports_of_an_added_issue_build_are_those_of_a_conversion(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    # build/json is read back from the JSON API files of docs/ (kept or written): the text a conversion encodes
    expected = json_exports(convert(SAMPLES))
    for project in projects[:2]:
        found = {p.name: p.read_text(encoding="utf-8") for p in (project / "build" / "json").glob("*.json")}
        assert found == expected


def test_the_published_site_is_never_written_through(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    grown, _, before, _ = projects
    kept = [p for p in (grown / "site").rglob("*") if p.is_file() and p.stat().st_ino in before]
    assert kept, "no file of the published site was reused"
    changed = [p for p in kept if hashlib.sha256(p.read_bytes()).hexdigest() != before[p.stat().st_ino]]
    assert changed == []


def test_nothing_changed_is_said_at_once(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    grown = projects[0]
    before = _tree(grown / "site")
    messages = _build(grown)
    assert "site: nothing changed since the last build" in messages, messages
    assert f"converted {len(SAMPLES)} source(s) ({len(SAMPLES)} unchanged, reused)" in messages, messages
    assert _tree(grown / "site") == before


def test_a_source_saved_again_unchanged_rebuilds_no_page(projects: tuple[Path, Path, dict[int, str], str]) -> None:
    grown = projects[0]
    before = _tree(grown / "site")
    (grown / "sources" / SAMPLES[0].name).touch()  # a new mtime, the same bytes: converted again from cache
    messages = _build(grown)
    assert "site: 0 page(s) rebuilt" in messages, messages
    assert "rebuilt: 0 source(s) converted" in messages and "docs: 0 file(s) written" in messages, messages
    assert "search index: 0 of " in messages, messages
    issues = len(list((grown / "docs").glob("[0-9][0-9][0-9][0-9]/*/index.md")))  # issue pages
    assert f"({issues} issue(s) not rendered again)" in messages, messages
    assert _tree(grown / "site") == before


# Last: it changes the project the tests above share.
def test_a_fixed_line_rebuilds_only_some_pages_and_gives_the_clean_build(
    projects: tuple[Path, Path, dict[int, str], str], tmp_path: Path
) -> None:
    grown = projects[0]
    source = next(p for p in sorted((grown / "sources").glob("*.txt")) if "乡村振兴" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    fixed = text.replace("乡村振兴", "乡村复兴", 1)
    assert fixed != text
    source.write_text(fixed, encoding="utf-8")
    messages = _build(grown)
    found = re.search(r"site: (\d+) page\(s\) rebuilt .*?, (\d+) reused;", messages)
    assert found is not None, messages
    rebuilt, reused = int(found[1]), int(found[2])
    assert 0 < rebuilt < reused, messages
    clean = make_project(tmp_path / "clean", {p.name: p.read_text(encoding="utf-8") for p in (grown / "sources").glob("*.txt")})
    _build(clean)
    assert _tree(grown / "site") == _tree(clean / "site")
