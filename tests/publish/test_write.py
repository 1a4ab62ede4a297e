"""Writing (`converter/publish/write.py`): a staged copy links unchanged generated files and writes changed
ones, the swap puts generated entries in place and leaves hand-written files where they are, and no
generated path leaves its root."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.errors import ConversionError
from converter.publish.write import inside, stage_tree, swap_generated


def test_stage_and_swap_keep_unchanged_files_and_hand_written_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("手写\n", encoding="utf-8")
    first = stage_tree(docs, {"2024/a.md": "甲\n", "2024/b.md": "乙\n", "feed.xml": "<feed/>\n"})
    assert first.changed == {"2024/a.md", "2024/b.md", "feed.xml"} and first.removed == frozenset()
    swap_generated(first.path, docs)
    inode = (docs / "2024" / "a.md").stat().st_ino
    second = stage_tree(docs, {"2024/a.md": "甲\n", "2024/c.md": "丙\n"})
    assert second.changed == {"2024/c.md"}
    assert second.removed == {"2024/b.md", "feed.xml"}
    assert (second.path / "2024" / "a.md").stat().st_ino == inode  # the same file: mtime kept
    swap_generated(second.path, docs)
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) == ["2024/a.md", "2024/c.md", "about.md"]
    assert (docs / "about.md").read_text(encoding="utf-8") == "手写\n"
    assert not (docs / "feed.xml").exists()


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../x", "", "a//b"])
def test_no_generated_path_leaves_its_root(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ConversionError):
        inside(tmp_path, rel)
