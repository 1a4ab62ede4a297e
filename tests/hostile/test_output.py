"""Items 6 and 12: a search index that could not be written (a full disk) is never published; what
input puts in a message or the report reaches the terminal escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hostile_cli import run

from benchmarks.harness import gongbao

FULL_DISK = '''# sitecustomize: the disk fills up while the search index is written.
import errno, pathlib
_write = pathlib.Path.write_bytes
def write_bytes(self, data):
    if "search-index" in str(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))
    return _write(self, data)
pathlib.Path.write_bytes = write_bytes
'''


def test_a_search_index_that_could_not_be_written_is_never_published(project: Path, tmp_path: Path) -> None:
    assert run(project, "build").returncode == 0
    entry = project / "site" / "search-index" / "docs.json"
    good = entry.read_bytes()
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sitecustomize.py").write_text(FULL_DISK, encoding="utf-8")
    (project / "sources" / "a.txt").write_text((project / "sources" / "a.txt").read_text(encoding="utf-8") + "\n补充。\n",
                                               encoding="utf-8")  # fmt: skip
    result = gongbao("build", cwd=project, env={"PYTHONPATH": str(fake)}, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Error:" in result.stderr and "No space left on device" in result.stderr, result.stderr
    assert entry.read_bytes() == good  # the published site is the old one, whole
    assert list(project.glob(".site-new-*")) == []


def test_check_shows_control_characters_escaped(project: Path) -> None:
    (project / "sources" / "e\x1b]0;pwned\x07\x1b[2J.txt").write_bytes(b"")
    result = run(project, "check")
    assert result.returncode == 1
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "\\x1b]0;pwned\\x07" in result.stdout
    assert "\x1b" not in (project / "build" / "report.md").read_text(encoding="utf-8")


def test_footer_links_are_escaped_once(tmp_path: Path) -> None:
    from hostile_cli import TINY, many_documents
    from projects import make_project

    text = many_documents(2).replace("第2项测试工作", "第2项<甲>工作") + "\n" + TINY.replace("7号", "70号")
    project = make_project(tmp_path / "project", {"a.txt": text})
    assert run(project, "build").returncode == 0
    labels = [
        html.unescape(label)  # what a screen reader reads
        for page in (project / "site").rglob("*.html")
        for label in re.findall(r'<a aria-label="([^"]*)" class="?md-footer__link', page.read_text(encoding="utf-8"))
    ]
    assert any("<甲>" in label for label in labels), labels
    assert not any("&lt;" in label for label in labels), labels
