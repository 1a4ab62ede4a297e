"""The real site, built with `mkdocs build --strict`: links resolve, clause headings carry their ids, and
source text is inert."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _page_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_every_toc_link_resolves_to_a_document_page(built_site: Path) -> None:
    issue_pages = sorted(built_site.glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    # Not the redirects from addresses published earlier (published-ids.json).
    issue_pages = [p for p in issue_pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(issue_pages) == 4
    checked = 0
    for page in issue_pages:
        base = "/" + page.parent.relative_to(built_site).as_posix() + "/"
        for link in _soup(page).select("ul.gb-toc a[href]"):
            target = _page_file(built_site, urlparse(urljoin(base, link["href"])).path)
            assert target.is_file(), f"{base}: TOC link {link['href']} has no page"
            assert _soup(target).h1 is not None
            checked += 1
    assert checked >= 12


def test_every_clause_heading_has_its_id(built_site: Path) -> None:
    index = json.loads((built_site / "api" / "index.json").read_text(encoding="utf-8"))
    pages = 0
    for issue in index["issues"]:
        data = json.loads((built_site / issue["json"]).read_text(encoding="utf-8"))
        for document in data["documents"]:
            if not document["url"]:
                continue
            soup = _soup(built_site / document["url"] / "index.html")
            ids = {h.get("id") for h in soup.select("h2, h3, h4, h5, h6")}
            missing = [o["id"] for o in document["outline"] if o["id"] not in ids]
            assert not missing, f"{document['url']}: headings without their id: {missing[:5]}"
            pages += 1
    assert pages == 14


def test_wenhao_redirects_point_at_the_document(built_site: Path) -> None:
    page = built_site / "wenhao" / "nzbf-2023-13" / "index.html"
    refresh = _soup(page).find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"].endswith("url=../../2023/06/nzbf-2023-13/")


def test_source_text_is_escaped_in_the_built_site(hostile_site: Path) -> None:
    page = next(hostile_site.glob("2024/*/nzbf-2024-99/index.html"))
    soup = _soup(page)
    article = soup.select_one("article")
    assert article is not None
    assert not article.select("script, img[src=x], a[href^=javascript], b")
    text = article.get_text()
    for visible in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "{{ config }}", '{% include "x" %}',
                    "[点击](javascript:alert(3))", "<b>粗体</b>"):  # fmt: skip
        assert visible in text, f"{visible!r} should be shown as text"


@pytest.mark.parametrize("key", ["2023/06", "2021/04"])
def test_issue_page_shows_cover_board_and_colophon(built_site: Path, key: str) -> None:
    soup = _soup(built_site / key / "index.html")
    assert soup.select_one("#board") and soup.select_one("#colophon") and soup.select_one("#toc")
    cover = soup.select_one("dl.gb-cover").get_text()
    assert "半月刊" in cover and "总第" in cover
