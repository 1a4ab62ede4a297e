"""Printed pages (`converter/parse/pages.py`): each document's first and last page and the page breaks
inside it, from the 目录 and from the page-number lines (`— 5 —`, printed at the foot of each page)."""

from __future__ import annotations

import re
from pathlib import Path

from converter.model import Issue
from converter.pipeline import convert, parse_source
from converter.read.source import decode_source
from converter.render.export import issue_json
from converter.render.report import report_items, unsure

SOURCES = Path(__file__).resolve().parent.parent.parent / "sources"

# Two documents over three printed pages, each page ending in its number and the next opening with the
# running head, as the gazette prints them.
PAGED = (Path(__file__).resolve().parent.parent / "fixtures" / "paged.txt").read_text(encoding="utf-8")


def _issue(tmp_path: Path, text: str, name: str = "paged.txt") -> Issue:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    source, _ = decode_source(path.read_bytes(), str(path))
    return parse_source(source)


def _line(text: str, start: str) -> int:
    """1-based number of the first line of `text` that starts with `start`."""
    return next(k for k, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


def test_the_2021_issue_documents_get_their_目录_pages() -> None:
    path = SOURCES / "2021-04.txt"
    # The 目录 as printed, read here and not by the converter: `(宁政办发[2021]3号) ..... (3)`.
    printed = [int(m.group(1)) for line in path.read_text(encoding="utf-8").splitlines()
               if (m := re.search(r"\.{3,}\s*[（(](\d+)[）)]\s*$", line))]  # fmt: skip
    assert printed == [3, 20, 23, 25, 25]
    (issue,) = convert([path]).issues
    pages = [d.pages for d in issue.documents]
    assert all(p is not None for p in pages)
    assert [p.first for p in pages if p] == printed
    assert [p.toc_page for p in pages if p] == printed
    assert [p.breaks for p in pages if p] == [()] * len(printed)  # no page-number lines in this extraction
    # Only the 目录: the last page is unknown, except where the next document begins on the same page.
    assert [p.last for p in pages if p] == [None, None, None, 25, None]


def test_page_number_lines_give_first_and_last_pages_and_the_breaks(tmp_path: Path) -> None:
    issue = _issue(tmp_path, PAGED)
    first, second = (d.pages for d in issue.documents)
    assert first is not None and second is not None
    assert (first.first, first.last, first.toc_page) == (5, 6, None)
    assert [(b.page, b.line) for b in first.breaks] == [(6, _line(PAGED, "二、工作措施"))]
    assert (second.first, second.last, second.breaks) == (7, 7, ())
    assert not [w for w in issue.warnings if w.code == "page-sequence"]


def test_page_numbers_that_do_not_run_on_leave_the_pages_between_unknown(tmp_path: Path) -> None:
    text = PAGED.replace("— 6 —", "— 9 —").replace("— 7 —", "— 10 —")
    issue = _issue(tmp_path, text)
    first, second = (d.pages for d in issue.documents)
    assert first is not None and second is not None
    # Text between 5 and 9 may be on pages 6 to 9: not said. Page 10 follows 9, so the second is known.
    assert (first.first, first.last, first.breaks) == (5, None, ())
    assert (second.first, second.last) == (10, 10)
    (warning,) = [w for w in issue.warnings if w.code == "page-sequence"]
    assert warning.line == _line(text, "— 9 —") and "expected page number 6" in warning.message


def test_no_目录_and_no_page_lines_give_no_pages(tmp_path: Path) -> None:
    text = "\n".join(line for line in PAGED.split("\n") if not line.startswith("—"))
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")
    conversion = convert([tmp_path / "plain.txt"])
    (issue,) = conversion.issues
    assert [d.pages for d in issue.documents] == [None, None]
    assert [d["pages"] for d in issue_json(issue, conversion.corpus)["documents"]] == [None, None]
    # The sample extraction without front matter says nothing either.
    sample = convert([SOURCES / "nzbf-2023-13.txt"])
    assert [d["pages"] for d in issue_json(sample.issues[0], sample.corpus)["documents"]] == [None]


def test_a_目录_page_the_page_lines_contradict_is_reported(tmp_path: Path) -> None:
    lines = (SOURCES / "2021-04.txt").read_text(encoding="utf-8").split("\n")
    # Page numbers 5 and 6 inside the first document, which the 目录 puts on page 3.
    at_5 = _line("\n".join(lines), "2. 分类分层推进智能改造")
    at_6 = _line("\n".join(lines), "（三）突出项目示范带动")
    lines[at_6:at_6] = ["", "— 6 —"]
    lines[at_5:at_5] = ["", "— 5 —"]
    path = tmp_path / "2021-04.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    conversion = convert([path])
    (issue,) = conversion.issues
    pages = issue.documents[0].pages
    assert pages is not None
    assert (pages.first, pages.toc_page, pages.last) == (5, 3, 6)  # the page lines win
    assert [b.page for b in pages.breaks] == [6]
    assert issue.documents[1].pages is not None and issue.documents[1].pages.first == 20  # after the last number: the 目录's
    items = [i for i in report_items(conversion.corpus, []) if i.code == "page-mismatch"]
    assert len(items) == 1 and unsure(items[0])
    assert "第3页" in items[0].message and "第5页" in items[0].message
    assert items[0].line == issue.documents[0].span.first
    export = issue_json(issue, conversion.corpus)["documents"][0]["pages"]
    assert export["first"] == 5 and export["toc_page"] == 3
    # Page 6 begins at the first line after `— 5 —`: the item that follows 2. (3.), in the enclosed plan.
    (page_6,) = export["breaks"]
    assert page_6["page"] == 6 and lines[page_6["line"] - 1].startswith("3. 提升智能改造服务能力")
    assert page_6["in"].startswith("encl-p3-") and page_6["in"].endswith("-3")
