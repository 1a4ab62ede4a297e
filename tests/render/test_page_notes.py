"""Printed pages on the document pages (`converter/render/pages.py`): the margin notes 〔第5页〕 with their
`#page-5` anchors, the 页码 row, and the print citation that 复制引用 adds."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from converter.pipeline import convert, docs_files

PAGED = (Path(__file__).resolve().parent.parent / "fixtures" / "paged.txt").read_text(encoding="utf-8")
_NOTE = re.compile(r'<span class="gb-page" id="page-(\d+)" data-page="\1">〔第\1页〕</span>')


class _Anchors(HTMLParser):
    """Page notes (id → text), links (href) and the document panel's print citation of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.print_cite: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = dict(attrs)
        if "gb-page" in (at.get("class") or "").split() and at.get("id"):
            self._in = at["id"]
            self.notes[self._in or ""] = ""
        if tag == "a" and at.get("href"):
            self.hrefs.append(at["href"] or "")
        if tag == "dl" and "gb-doc" in (at.get("class") or "").split():
            self.print_cite = at.get("data-print-cite")

    def handle_data(self, data: str) -> None:
        if self._in:
            self.notes[self._in] += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def test_built_pages_of_the_2021_issue_carry_their_first_page_anchor(built_site: Path) -> None:
    pages = sorted((built_site / "2021" / "04").glob("*/index.html"))
    assert len(pages) == 5
    firsts = []
    for page in pages:
        found = _Anchors()
        found.feed(page.read_text(encoding="utf-8"))
        assert len(found.notes) == 1, page  # the 目录 gives the first page only
        ((anchor, text),) = found.notes.items()
        number = int(anchor.removeprefix("page-"))
        assert text == f"〔第{number}页〕"
        assert f"#{anchor}" in found.hrefs  # the 页码 row links to it
        assert found.print_cite == f"《宁夏回族自治区人民政府公报》2021年第4期第{number}页"
        firsts.append(number)
    assert sorted(firsts) == [3, 20, 23, 25, 25]


def test_a_page_note_stands_before_the_block_its_page_begins_in(tmp_path: Path) -> None:
    source = tmp_path / "paged.txt"
    source.write_text(PAGED, encoding="utf-8")
    files = docs_files(convert([source]))
    first = next(text for path, text in files.items() if path.endswith("nzbf-2024-1.md"))
    notes = [m.start() for m in _NOTE.finditer(first)]
    assert [m.group(1) for m in _NOTE.finditer(first)] == ["5", "6"]
    assert notes[0] < first.index("一、总体要求") < notes[1] < first.index("二、工作措施")
    assert "<dt>页码</dt><dd><a href=\"#page-5\">第5–6页</a></dd>" in first
    # Every page's beginning is marked: a clause's page can be read from the note before it.
    assert 'data-page-cite="《宁夏回族自治区人民政府公报》2024年（期号未印）"' in first
    second = next(text for path, text in files.items() if path.endswith("nzbf-2024-2.md"))
    assert [m.group(1) for m in _NOTE.finditer(second)] == ["7"]


def test_no_known_page_gives_no_note_and_no_print_citation(tmp_path: Path) -> None:
    source = tmp_path / "plain.txt"
    source.write_text("\n".join(line for line in PAGED.split("\n") if not line.startswith("—")), encoding="utf-8")
    for text in docs_files(convert([source])).values():
        assert "gb-page" not in text and "data-print-cite" not in text and "<dt>页码</dt>" not in text
