"""Items 6 and 12: a search index that failed (a full disk: exit 0, empty files) is never published; what
input puts in a message or the report reaches the terminal escaped."""

from __future__ import annotations

import html
import re
import stat
from pathlib import Path

from hostile_cli import run

from benchmarks.harness import gongbao

FAKE_PAGEFIND = '''#!/bin/sh
# What Pagefind did on a full disk: exit 0, index files of 0 bytes.
while [ "$1" != "--site" ]; do shift; done
mkdir -p "$2/pagefind" && : > "$2/pagefind/pagefind-entry.json" && : > "$2/pagefind/pagefind.js"
exit 0
'''


def test_an_empty_search_index_is_never_published(project: Path, tmp_path: Path) -> None:
    entry = project / "site" / "pagefind" / "pagefind-entry.json"
    entry.parent.mkdir(parents=True)
    (project / "site" / ".gongbao-site").write_text("built by gongbao\n", encoding="utf-8")
    entry.write_text('{"version": "published"}', encoding="utf-8")
    good = entry.read_bytes()
    fake = tmp_path / "fake"
    fake.mkdir()
    script = fake / "pagefind"
    script.write_text(FAKE_PAGEFIND, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (fake / "pagefind_bin_extended.py").write_text(f"def get_executable():\n    return {str(script)!r}\n", encoding="utf-8")
    result = gongbao("build", cwd=project, env={"PYTHONPATH": str(fake)}, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Error:" in result.stderr and "expected Pagefind's index" in result.stderr, result.stderr
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
