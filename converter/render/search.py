"""Search on the pages: the marker a document page carries, and the results page `/search/?q=…`.
The index itself is `render/search_index.py`; the browser side is `overrides/assets/javascripts/gb-search.js`."""

from __future__ import annotations

from converter.model import PublishedDoc
from converter.render.text import front_matter

DOC_MARKER = "data-gb-search-doc"
"""Attribute that marks a document page (gb-search.js marks the query's words on such a page)."""

SEARCH_PAGE = "search.md"
"""The results page (`/search/?q=…&year=…&issuer=…&kind=…`), filled in by gb-search.js."""


def search_markup(doc: PublishedDoc) -> str:
    """Hidden marker of a document page."""
    return f'<div class="gb-search-data" {DOC_MARKER} hidden></div>'


def search_page() -> str:
    """The results page: a form, the filters and the list, all driven by gb-search.js; without script a
    note says so."""
    form = (
        '<form class="gb-search-page" role="search" action="./">'
        '<label for="gb-q">搜索</label> '
        '<input id="gb-q" type="search" name="q" autocomplete="off" placeholder="标题、正文中的词语，文号或姓名"> '
        '<select name="year" aria-label="年份"><option value="">全部年份</option></select> '
        '<select name="issuer" aria-label="发文机关"><option value="">全部发文机关</option></select> '
        '<select name="kind" aria-label="文件类型"><option value="">全部类型</option></select> '
        '<button type="submit" class="md-button">搜索</button></form>'
    )
    results = (
        '<div class="gb-search-results" id="gb-results" aria-live="polite">'
        '<p class="gb-search-status">搜索需要启用 JavaScript。</p><ol class="gb-search-list"></ol></div>'
    )
    return "\n\n".join([front_matter("搜索", description="在公报全部文件中搜索"), "# 搜索", form, results]) + "\n"
