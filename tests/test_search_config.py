"""The search setup, without a browser: Pagefind segments Chinese, indexes only document pages, and each
page carries its 文号 as a filter value; MkDocs builds no lunr index."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
import yaml

from converter.docnumber import DocNumber
from converter.model import IssueKey
from converter.publish import search
from converter.render import search as markup

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "坚持把全面推进乡村振兴作为新时代三农工作总抓手，加快建设农业强区，持续推进绿色低碳循环发展，"
    "全面推行证明事项告知承诺制，实施船舶安全检查智能选船机制。"
)


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml has !ENV and !!python tags: read them as null."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _page(body: str, marked: bool) -> str:
    marker = f'<div class="gb-search-data" {markup.DOC_MARKER} hidden></div>' if marked else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<nav class="md-nav">导航栏目录文字</nav>'
        f'<article class="md-content__inner md-typeset"><h1 id="t">关于做好工作的通知</h1>{marker}'
        f'<dl class="gb-meta"><dt>来源</dt><dd>元数据面板文字</dd></dl><p>{body}</p></article></body></html>'
    )


def _cbor(data: bytes, i: int = 0) -> tuple[Any, int]:
    """Just enough CBOR to read Pagefind's index chunks (ints, strings, arrays, maps)."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value, i = int.from_bytes(data[i : i + size], "big"), i + size
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major in (2, 3):
        raw = data[i : i + value]
        return (raw.decode() if major == 3 else raw), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _cbor(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, i = _cbor(data, i)
            mapping[key], i = _cbor(data, i)
        return mapping, i
    raise ValueError(f"unexpected CBOR major type {major}")


def indexed_words(site: Path) -> set[str]:
    """Every word in a built Pagefind index."""
    words: set[str] = set()
    for chunk in (site / search.PAGEFIND_DIR / "index").glob("*.pf_index"):
        data = gzip.decompress(chunk.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        index, _ = _cbor(data[len(b"pagefind_dcd") :])
        words.update(entry[0] for entry in index[0])
    return words


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("pagefind") / "site"
    (site / "2023/06/doc").mkdir(parents=True)
    (site / "2023/06/doc/index.html").write_text(_page(PARAGRAPH, marked=True), encoding="utf-8")
    (site / "2023/06/index.html").write_text(_page("期刊目录页面独有词语", marked=False), encoding="utf-8")
    search.index_site(site)
    return site


def test_chinese_is_segmented_into_words(tiny_site: Path) -> None:
    words = indexed_words(tiny_site)
    # Without segmentation (Pagefind's standard build, or a page language it does not segment) a run of
    # Han characters up to the next punctuation mark is one token, and none of these words exists.
    assert {"乡村", "振兴", "绿色", "船舶", "承诺"} <= words, sorted(words)[:50]
    assert not any(len(word) > 20 for word in words), [w for w in words if len(w) > 20]


def test_only_document_content_is_indexed(tiny_site: Path) -> None:
    words = indexed_words(tiny_site)
    assert "乡村" in words
    assert not {"导航", "元数据", "期刊"} & words  # navigation, metadata panel, issue (non-document) page


def test_search_markup_marks_the_page_and_gives_every_wenhao_as_a_key_word() -> None:
    from types import SimpleNamespace

    number = DocNumber.parse("宁政办发[2023]13号")
    appointment = SimpleNamespace(doc_number=DocNumber.parse("宁政干发（2020）14号"))
    document = SimpleNamespace(doc_number=number, appointments=(appointment,))
    doc = SimpleNamespace(document=document, issue=IssueKey(2023, 6), issue_key="2023/06")
    html = markup.search_markup(doc)  # type: ignore[arg-type]
    assert markup.DOC_MARKER in html and " hidden" in html
    assert 'data-pagefind-meta="wenhao:宁政办发〔2023〕13号"' in html
    keys = f"{markup.wenhao_key(number)} {markup.wenhao_key(appointment.doc_number)}"
    assert f'data-pagefind-meta="wenhao_keys:{keys}"' in html
    assert 'data-pagefind-meta="issue:2023/06"' in html
    assert 'data-pagefind-meta="issue_label:2023年第6期"' in html


def test_wenhao_key_is_one_ascii_word_and_no_serial_is_a_prefix_of_another() -> None:
    key = markup.wenhao_key(DocNumber.parse("宁政办发〔2023〕13号"))
    # gb-search.js makes the same word from a typed 文号: code points in hex (5 digits), year, serial.
    assert key == "wh05b810653f0529e053d1y2023n13z"
    assert key.isascii() and key.isalnum()
    assert not markup.wenhao_key(DocNumber.parse("宁政办发〔2023〕130号")).startswith(key)


def test_the_wenhao_key_is_indexed_as_a_word(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "d").mkdir(parents=True)
    key = markup.wenhao_key(DocNumber.parse("宁政办发〔2023〕13号"))
    marker = f'{markup.DOC_MARKER} hidden><span data-pagefind-meta="wenhao_keys:{key}"></span>'
    (site / "d/index.html").write_text(
        _page(PARAGRAPH, marked=True).replace(f"{markup.DOC_MARKER} hidden>", marker)
    )
    search.index_site(site)
    assert key in indexed_words(site)


def test_mkdocs_builds_no_lunr_index_and_the_header_searches_with_pagefind() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "search" not in names, "Material's search plugin would build (and ship) the whole lunr index"
    assert config["theme"]["language"] == "zh"  # <html lang="zh-CN">: Pagefind indexes the site as Chinese
    partial = (ROOT / "overrides/partials/gb-search.html").read_text(encoding="utf-8")
    assert "gb-search.js" in partial and 'name="search"' not in partial
    assert '{% include "partials/gb-search.html" %}' in (ROOT / "overrides/partials/header.html").read_text(
        encoding="utf-8"
    )


def test_the_extended_pagefind_binary_is_used() -> None:
    assert "extended" in search.pagefind_binary().name
