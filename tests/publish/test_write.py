"""Writing (`converter/publish/write.py`): staged changes hold only the generated files that changed,
applying them puts those in place and removes what went (hand-written files stay), a killed application is
finished by the next build, and no generated path leaves its root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converter.errors import ConversionError
from converter.publish.write import (
    JOURNAL,
    apply_changes,
    finish_applying,
    inside,
    link_tree,
    stage_tree,
    walk_files,
)


def _tree(root: Path) -> dict[str, str]:
    return {rel: (root / rel).read_text(encoding="utf-8") for rel in sorted(walk_files(root))}


def test_staged_changes_hold_what_changed_and_applied_keep_unchanged_files_and_hand_written_ones(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("手写\n", encoding="utf-8")
    first = stage_tree(
        docs, {"2024/a.md": "甲\n", "2024/b.md": "乙\n", "feed.xml": "<feed/>\n", "old/x.md": "旧\n"}
    )
    assert (
        first.changed == {"2024/a.md", "2024/b.md", "feed.xml", "old/x.md"} and first.removed == frozenset()
    )
    apply_changes(first.path, docs, first.removed)
    assert not first.path.exists()
    inode = (docs / "2024" / "a.md").stat().st_ino
    second = stage_tree(docs, {"2024/a.md": "甲\n", "2024/c.md": "丙\n"}, kept=["2024/b.md"])
    assert second.changed == {"2024/c.md"}
    assert second.removed == {"feed.xml", "old/x.md"}
    assert sorted(walk_files(second.path)) == [".generated", "2024/c.md"]  # nothing unchanged is copied
    assert _tree(docs)["2024/b.md"] == "乙\n"  # nothing applied yet
    apply_changes(second.path, docs, second.removed)
    assert sorted(walk_files(docs)) == [".generated", "2024/a.md", "2024/b.md", "2024/c.md", "about.md"]
    assert (docs / "2024" / "a.md").stat().st_ino == inode  # the same file: mtime kept
    assert (docs / "about.md").read_text(encoding="utf-8") == "手写\n"
    assert not (docs / "old").exists()  # a folder left empty goes


def test_an_application_cut_short_is_finished_by_the_next_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    apply_changes(stage_tree(docs, {"a.md": "甲\n", "b/c.md": "乙\n"}).path, docs, ())
    staged = stage_tree(docs, {"a.md": "甲二\n", "d.md": "丁\n"})
    # as kill -9 leaves it: the journal written, one file moved, the removal not done
    (staged.path / JOURNAL).write_text(json.dumps(sorted(staged.removed)), encoding="utf-8")
    (staged.path / "a.md").replace(docs / "a.md")
    untouched = stage_tree(docs, {"a.md": "never\n"})  # staged but never applied: the sweep's
    finish_applying(docs)
    assert _tree(docs) == {".generated": "a.md\nd.md\n", "a.md": "甲二\n", "d.md": "丁\n"}
    assert not staged.path.exists() and untouched.path.exists()


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../x", "", "a//b"])
def test_no_generated_path_leaves_its_root(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ConversionError):
        inside(tmp_path, rel)


def test_linked_files_follow_their_file_and_are_never_written_through(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "json"
    docs.mkdir()
    (docs / "a.json").write_text("甲1\n", encoding="utf-8")
    (docs / "b.json").write_text("乙1\n", encoding="utf-8")
    out.mkdir()
    (out / "hand.txt").write_text("手写\n", encoding="utf-8")
    link_tree(out, {"a.json": docs / "a.json", "b.json": docs / "b.json", "c.json": "丙1\n", "gone.json": "去\n"})
    assert _tree(out) == {".generated": "a.json\nb.json\nc.json\ngone.json\n", "a.json": "甲1\n", "b.json": "乙1\n",
                          "c.json": "丙1\n", "gone.json": "去\n", "hand.txt": "手写\n"}  # fmt: skip
    kept = (out / "c.json").stat().st_ino
    (docs / "b.new").write_text("乙2\n", encoding="utf-8")
    (docs / "b.new").replace(docs / "b.json")  # docs/ files are replaced, never written in place
    link_tree(out, {"a.json": docs / "a.json", "b.json": docs / "b.json", "c.json": "丙1\n"})
    assert _tree(out) == {".generated": "a.json\nb.json\nc.json\n", "a.json": "甲1\n", "b.json": "乙2\n",
                          "c.json": "丙1\n", "hand.txt": "手写\n"}  # fmt: skip
    assert (out / "c.json").stat().st_ino == kept  # unchanged text: left as it is
    (out / ".b.json.tmp").write_text("killed\n", encoding="utf-8")
    link_tree(out, {"a.json": "甲2\n"})  # a linked file given a text instead: replaced, not written through
    assert (docs / "a.json").read_text(encoding="utf-8") == "甲1\n" and (out / "a.json").read_text(encoding="utf-8") == "甲2\n"
    assert sorted(walk_files(out)) == [".generated", "a.json", "hand.txt"]
