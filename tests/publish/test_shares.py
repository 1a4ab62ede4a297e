"""A whole site built by several MkDocs processes, each writing its share of the pages
(`publish/incremental.shares`, `mkdocs_build.build_site(shares=…)`): the same site, byte for byte, as one
process builds, and a link to a missing anchor between two shares fails a strict build with MkDocs' words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from projects import make_project, tree_hashes

from benchmarks.harness import gongbao
from converter.errors import ConversionError
from converter.publish.incremental import shares
from converter.publish.mkdocs_build import Share, build_site
from converter.publish.write import Staged, walk_files


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' project, built once (its docs/ and build/nav.yml are what the tests build again)."""
    root = make_project(tmp_path_factory.mktemp("shares") / "project")
    result = gongbao("build", cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def _build(project: Path, docs: Staged, parts: list[Share], into: Path) -> Path:
    site = build_site(project / "site", docs, project / "build" / "nav.yml", strict=True, shares=parts)
    return site.rename(into)


def _unchanged(project: Path, tmp_path: Path) -> Staged:
    (tmp_path / "changes").mkdir()
    return Staged(tmp_path / "changes", frozenset(), frozenset(), project / "docs")


def _pages(project: Path) -> list[str]:
    return sorted(rel for rel in walk_files(project / "docs") if rel.endswith(".md"))


@pytest.mark.parametrize("count", [2, 3])
def test_shares_build_the_site_one_process_builds(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    monkeypatch.chdir(project)
    docs = _unchanged(project, tmp_path)
    nav = yaml.safe_load((project / "build" / "nav.yml").read_text(encoding="utf-8"))["nav"]
    parts = shares(docs, _pages(project), nav, count)
    assert len(parts) == count and all(part.pages for part in parts)
    assert sorted(page for part in parts for page in part.pages) == _pages(project)  # each page in one share
    assert any(part.read for part in parts)  # a section's index page, untitled in the nav, read by another share
    one = _build(project, docs, [], tmp_path / "one")
    split = _build(project, docs, parts, tmp_path / "split")
    left, right = tree_hashes(one), tree_hashes(split)  # the sitemap's dates are the build's: not compared
    assert sorted(left.keys() ^ right.keys()) == []
    assert [rel for rel in left if left[rel] != right[rel]] == []
    assert all((site / name).is_file() for site in (one, split) for name in ("sitemap.xml", "sitemap.xml.gz"))
    assert len([rel for rel in left if rel.endswith(".html")]) > len(_pages(project))


def test_a_missing_anchor_between_shares_fails_a_strict_build_in_mkdocs_words(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    pages = _pages(project)
    target = next(rel for rel in pages if rel.count("/") == 2)  # a document page
    changes = tmp_path / "changes"
    changes.mkdir()
    index = (project / "docs" / "index.md").read_text(encoding="utf-8")
    (changes / "index.md").write_text(f"{index}\n[失链]({target}#no-such-clause)\n", encoding="utf-8")
    docs = Staged(changes, frozenset({"index.md"}), frozenset(), project / "docs")
    with pytest.raises(ConversionError) as alone:
        _build(project, docs, [], tmp_path / "one")
    parts = [Share(frozenset({"index.md"}), frozenset()), Share(frozenset(pages) - {"index.md"}, frozenset())]
    with pytest.raises(ConversionError) as split:
        _build(project, docs, parts, tmp_path / "split")
    said = f"Doc file 'index.md' contains a link '{target}#no-such-clause', but the doc '{target}' does not contain an anchor '#no-such-clause'."
    assert said in str(alone.value) and said in str(split.value)
    assert not list(project.glob(".site-new-*"))  # nothing left behind
    shutil.rmtree(tmp_path / "changes")
