"""Printed pages on a document page: the quiet margin notes 〔第5页〕 (`#page-5`), the panel's 页码 row and
the print citation (《宁夏回族自治区人民政府公报》2021年第4期第5页) that 复制引用 adds.

A page note stands before the first block printed (wholly or partly) on that page, so that a link to
`#page-5` shows everything of page 5. Ids are `page-N`: no clause, box, table or footnote id has that
shape (`ch2`, `p3-2`, `box2`, `table-1`, `fn-3`), and a printed page number occurs once in a document.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from converter.model import PageSpan, PublishedIssue
from converter.render.escape import esc
from converter.render.text import issue_citation


def page_anchor(page: int) -> str:
    """`page-5`: the id of the note where printed page 5 begins."""
    return f"page-{page}"


def page_note(page: int) -> str:
    """The margin note where a printed page begins."""
    return f'<p class="gb-page-mark"><span class="gb-page" id="{page_anchor(page)}" data-page="{page}">〔第{page}页〕</span></p>'


@dataclass(slots=True)
class PageNotes:
    """The page notes of one document not placed yet, handed out in reading order."""

    pending: deque[tuple[int, int]] = field(default_factory=deque)
    """(source line, page) of each page beginning not yet placed, in line order."""
    placed: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, pages: PageSpan | None) -> PageNotes:
        notes = cls()
        if pages is None:
            return notes
        if pages.first is not None:
            notes.pending.append((0, pages.first))  # before the first block, whatever its line
        notes.pending.extend((b.line, b.page) for b in pages.breaks)
        return notes

    def upto(self, line: int) -> Iterator[str]:
        """The notes of the pages that begin at or before a source line (a block ending there)."""
        while self.pending and self.pending[0][0] <= line:
            _, page = self.pending.popleft()
            if page not in self.placed:  # an id once per page
                self.placed.add(page)
                yield page_note(page)

    def rest(self) -> Iterator[str]:
        """The notes not placed yet (pages beginning in the 落款 or after the last block)."""
        yield from self.upto(1 << 62)


def complete(pages: PageSpan | None) -> bool:
    """Whether the page notes tell the page of every block: first and last known and every page between
    begins at a known break."""
    if pages is None or pages.first is None or pages.last is None:
        return False
    return [b.page for b in pages.breaks] == list(range(pages.first + 1, pages.last + 1))


def print_citation(published: PublishedIssue, page: int) -> str:
    """《宁夏回族自治区人民政府公报》2021年第4期第5页: where the printed gazette carries it."""
    return f"{issue_citation(published)}第{page}页"


def pages_label(pages: PageSpan) -> str | None:
    """The panel's 页码: 第3–5页, 第3页, 第3页起 (last page unknown), or None when the first is unknown."""
    if pages.first is None:
        return None
    if pages.last is None:
        return f"第{pages.first}页起"
    if pages.last == pages.first:
        return f"第{pages.first}页"
    return f"第{pages.first}–{pages.last}页"


def panel_row(pages: PageSpan | None) -> tuple[str, str] | None:
    """(label, HTML) of the panel's 页码 row, linked to the first page's note, or None."""
    label = pages_label(pages) if pages is not None else None
    if pages is None or pages.first is None or label is None:
        return None
    return ("页码", f'<a href="#{page_anchor(pages.first)}">{esc(label)}</a>')


def panel_attributes(pages: PageSpan | None, published: PublishedIssue) -> str:
    """Attributes of the document panel for 复制引用: the print citation of its first page, and whether
    a clause's page can be read from the page note before it."""
    if pages is None or pages.first is None:
        return ""
    out = f' data-print-cite="{esc(print_citation(published, pages.first))}"'
    if complete(pages):
        out += f' data-page-cite="{esc(issue_citation(published))}"'
    return out
