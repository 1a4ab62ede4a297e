"""Item 1 and 2: no path derived from input leaves docs/, site/ or build/; no attribute carries markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_cli import run


def _manifest(project: Path, url: str) -> None:
    data = {"schema": "gongbao/ids@1", "pages": {url: []},
            "titles": {url: "自治区人民政府办公厅关于做好测试工作的通知"}}  # fmt: skip
    (project / "published-ids.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("url", ["{outside}/", "../../escaped/x/", "2024/../../../escaped/", "a/\"><script>x/"])
def test_published_ids_cannot_write_outside_the_project(project: Path, tmp_path: Path, url: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _manifest(project, url.replace("{outside}", str(outside)))
    result = run(project, "build", "--no-site")
    assert result.returncode == 1
    assert "Error: published-ids.json: expected a site-relative page URL" in result.stderr
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escaped").exists() and not (project.parent / "escaped").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"schema": "gongbao/ids@1", "pages": {"2024/x1/": [', "expected valid JSON"),
        (b"", "found an empty file"),
        (b'{"pages": {"\xff\xfe": []}}', "expected UTF-8 JSON"),
        (b'{"schema": "gongbao/ids@1", "pages": []}', "expected pages to be an object"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"schema": "gongbao/ids@1", "pages": {"2024/x1/": ["a b"]}}', "expected anchors of letters"),
        (b'{"schema": "gongbao/ids@1", "pages": {}, "titles": {"2024/x1/": 3}}', "expected the title"),
    ],
    ids=["truncated", "empty", "not-utf8", "pages-list", "deep", "bad-anchor", "bad-title"],
)
def test_a_broken_published_ids_is_a_clear_error(project: Path, content: bytes, expected: str) -> None:
    (project / "published-ids.json").write_bytes(content)
    result = run(project, "build", "--no-site")
    assert result.returncode == 1
    assert "Error: published-ids.json" in result.stderr and expected in result.stderr, result.stderr[-2000:]
    assert len(result.stderr) < 2000


def test_a_file_name_never_reaches_an_attribute_unescaped(project: Path) -> None:
    evil = 'x"><img src=1 onerror=alert(1)>.txt'
    (project / "sources" / "a.txt").rename(project / "sources" / evil)
    result = run(project, "build", "--no-site")
    assert result.returncode == 0, result.stderr
    for page in (project / "docs").rglob("*"):
        if page.suffix in (".md", ".html", ".xml"):
            text = page.read_text(encoding="utf-8")
            assert "<img src=1" not in text, page
            assert "unnumbered-" not in text, page


def test_every_address_in_an_attribute_is_escaped(conversion) -> None:  # type: ignore[no-untyped-def]
    """Addresses come from the gazette's data, but if one ever held markup it would still be text."""
    from dataclasses import replace

    from converter.render.site import render_site

    evil = 'x"><img src=1 onerror=alert(1)>'
    corpus = replace(conversion.corpus, issues=tuple(
        replace(i, docs=tuple(replace(d, slug=evil + d.slug) for d in i.docs)) for i in conversion.corpus.issues
    ))  # fmt: skip
    # Pages only: the JSON and CSV open data hold addresses as data, never read as markup.
    pages = {path: text for path, text in render_site(corpus, {}).items() if not path.endswith((".json", ".csv"))}
    assert pages
    assert [path for path, text in pages.items() if "<img src=1" in text] == []
