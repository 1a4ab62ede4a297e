"""Writing the search index (`converter/publish/search.py`): a staged site holding hard links to the
published one gets new files, so the published index never changes under a build; staged changes to a
published site hold only the index files that changed, and name those to remove."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from converter.publish.search import Index, index_files, index_site, write_index, write_index_changes
from converter.publish.write import apply_changes
from converter.render import search_index as si
from converter.render.search_index import INDEX_DIR


def link_tree(source: Path, staging: Path, skip: tuple[str, ...] = ()) -> None:
    """A copy of `source` made of hard links, without its top-level entries in `skip`."""
    shutil.copytree(
        source,
        staging,
        copy_function=os.link,
        ignore=lambda folder, names: skip if folder == str(source) else (),
    )


def _published(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_index(site, {"docs.json": '{"v":1}', "p/0.json": '{"发展":[0,4]}', "d/0.json": '{"t":"甲"}'})
    return site


def _texts(site: Path) -> dict[str, str]:
    root = site / INDEX_DIR
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_staged_site_without_the_index_gets_it_linked_where_unchanged_and_written_where_changed(
    tmp_path: Path,
) -> None:
    site = _published(tmp_path)
    (site / "a" / "b").mkdir(parents=True)
    (site / "a" / "b" / "index.html").write_text("页", encoding="utf-8")
    (site / "index.html").write_text("首页", encoding="utf-8")
    before = _texts(site)
    staged = tmp_path / "staged"
    link_tree(site, staged, skip=(INDEX_DIR,))
    assert not (staged / INDEX_DIR).exists()
    assert (staged / "a/b/index.html").stat().st_ino == (site / "a/b/index.html").stat().st_ino
    assert (staged / "index.html").stat().st_ino == (site / "index.html").stat().st_ino
    files = {"docs.json": '{"v":1}', "p/0.json": '{"发展":[0,8]}', "d/0.json": '{"t":"甲"}'}
    assert write_index(staged, files, previous=site) == 1
    assert _texts(site) == before
    assert _texts(staged) == files
    assert (staged / INDEX_DIR / "d/0.json").stat().st_ino == (site / INDEX_DIR / "d/0.json").stat().st_ino
    assert (staged / INDEX_DIR / "p/0.json").stat().st_ino != (site / INDEX_DIR / "p/0.json").stat().st_ino


def test_writing_into_a_linked_staged_site_leaves_the_published_index_as_it_was(tmp_path: Path) -> None:
    site = _published(tmp_path)
    before = _texts(site)
    staged = tmp_path / "staged"
    link_tree(site, staged)
    assert (staged / INDEX_DIR / "p/0.json").stat().st_ino == (site / INDEX_DIR / "p/0.json").stat().st_ino
    files = {"docs.json": '{"v":1}', "p/0.json": '{"发展":[0,8]}', "d/0.json": '{"t":"乙"}', "d/1.json": "{}"}
    assert write_index(staged, files, previous=site) == 3
    assert _texts(site) == before
    assert _texts(staged) == files
    assert (staged / INDEX_DIR / "docs.json").stat().st_ino == (site / INDEX_DIR / "docs.json").stat().st_ino
    assert (staged / INDEX_DIR / "p/0.json").stat().st_ino != (site / INDEX_DIR / "p/0.json").stat().st_ino


def test_an_unchanged_file_keeps_its_time_stamp_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    site = _published(tmp_path)
    other = tmp_path / "other"
    link_tree(site, other)  # `other` holds links to the published files; write into it afresh
    (other / INDEX_DIR / "d/0.json").unlink()
    (other / INDEX_DIR / "d/0.json").write_text('{"t":"丙"}', encoding="utf-8")
    mtime = (site / INDEX_DIR / "docs.json").stat().st_mtime_ns
    write_index(other, _texts(site), previous=site)
    assert _texts(other) == _texts(site)
    assert (other / INDEX_DIR / "docs.json").stat().st_mtime_ns == mtime
    assert not [p for p in (other / INDEX_DIR).rglob(".*")]  # no temporary file left


def test_rewriting_the_published_site_in_place_breaks_links_held_elsewhere(tmp_path: Path) -> None:
    site = _published(tmp_path)
    backup = tmp_path / "backup"
    link_tree(site, backup)
    before = _texts(backup)
    write_index(site, {"docs.json": '{"v":2}'})
    assert _texts(backup) == before
    assert _texts(site) == {"docs.json": '{"v":2}'}


def test_parts_whose_input_did_not_change_are_kept_and_the_index_equals_a_fresh_one(
    conversion: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issues = [p for p in conversion.corpus.issues if p.docs]
    newest = max(issues, key=lambda p: (p.id.year or 0, p.id.number or 0, p.key))
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    index_site(site, replace(conversion.corpus, issues=tuple(p for p in issues if p is not newest)))
    index_site(fresh, conversion.corpus)
    staged = tmp_path / "staged"
    link_tree(site, staged)
    changed, total = index_site(staged, conversion.corpus, previous=site)  # the newest issue added
    assert _texts(staged) == _texts(fresh)
    assert total == len(_texts(fresh)) and 0 < changed < total
    again = tmp_path / "again"
    link_tree(staged, again)
    computed: list[object] = []
    monkeypatch.setattr(si, "part_files", lambda name, docs: computed.append(name) or ({}, 0, 0))
    assert index_site(again, conversion.corpus, previous=staged) == (0, total)
    assert computed == []  # no part's postings were computed
    shards = [p for part in ("p", "r") for p in (again / INDEX_DIR / part).iterdir()]
    # neither part was computed again: their shards are the published files themselves
    assert shards and all(p.stat().st_ino == (staged / p.relative_to(again)).stat().st_ino for p in shards)


def test_a_part_with_a_shard_missing_is_computed_again(conversion: Any, tmp_path: Path) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    index_site(site, conversion.corpus)
    next((site / INDEX_DIR / "p").iterdir()).unlink()
    index_site(site, conversion.corpus, previous=site)
    index_site(fresh, conversion.corpus)
    assert _texts(site) == _texts(fresh)


def test_staged_changes_hold_only_the_changed_index_files_and_applied_give_a_fresh_index(
    conversion: Any, tmp_path: Path
) -> None:
    issues = [p for p in conversion.corpus.issues if p.docs]
    newest = max(issues, key=lambda p: (p.id.year or 0, p.id.number or 0, p.key))
    site, fresh, changes = tmp_path / "site", tmp_path / "fresh", tmp_path / "changes"
    index_site(site, replace(conversion.corpus, issues=tuple(p for p in issues if p is not newest)))
    (site / INDEX_DIR / "p" / "ff.json").write_text("{}", encoding="utf-8")  # a shard the new index lacks
    index_site(fresh, conversion.corpus)
    before = _texts(site)
    changes.mkdir()
    index: Index = index_files(conversion.corpus, previous=site)
    (changed, total), stale = write_index_changes(changes, index, site)
    written = _texts(changes)
    assert _texts(site) == before  # nothing published changed yet
    assert len(written) == changed and 0 < changed < total == len(_texts(fresh))
    assert all(before.get(rel) != text for rel, text in written.items())  # only what differs was written
    assert f"{INDEX_DIR}/p/ff.json" in stale
    apply_changes(changes, site, stale)
    assert _texts(site) == _texts(fresh)
