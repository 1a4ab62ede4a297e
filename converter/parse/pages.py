"""Give each parsed `Document` its printed pages (`PageSpan`) from the page-number lines and the 目录.

How the extraction prints pages (the gazette, like the laws of the development corpus, prints the page
number at the foot of each page: `— 39 —`): a page-number line N ends page N, so the content lines
after page-number line N−1 and up to line N are on page N, and page N+1 begins at the first content line
after it. Page numbers are trusted only where they run on by one: content between `— 6 —` and `— 8 —`
(a page without a number, a stray figure) is on no known page, and the sequence break is a warning.
Content after the last page-number line is on no known page either (its page number was not printed).

The 目录 gives each document's first page. A document's first page comes from the page-number lines
where they know it, else from the 目录; its last page from the page-number lines, or, when the next
document in the 目录 begins on the same page as it, that page. Nothing else is guessed: unknown is None.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from converter.layout import normalise_title
from converter.model import Document, Furniture, Line, PageBreak, PageSpan, TocEntry, Warning_

PAGE_NUMBER_REASON = "page number"
"""The `Furniture.reason` cleaning gives a page-number line (`read.clean`)."""
_DIGITS = re.compile(r"\d{1,4}")


@dataclass(frozen=True, slots=True)
class PageLines:
    """The page-number lines of one source, read as the pages of its content lines."""

    marks: tuple[tuple[int, int], ...]
    """(source line, printed number) of each page-number line, in line order."""
    content: tuple[int, ...]
    """Source line numbers of the content lines, in order (where a page begins)."""

    def page_of(self, line: int) -> int | None:
        """The printed page a content line is on, or None where the page numbers do not tell."""
        k = bisect.bisect_left([no for no, _ in self.marks], line)
        if k == len(self.marks):
            return None  # after the last page number: its own number was not printed
        number = self.marks[k][1]
        return number if k == 0 or self.marks[k - 1][1] == number - 1 else None

    def breaks(self) -> list[PageBreak]:
        """Each page that begins after a page-number line, has content, and whose own number follows on."""
        out: list[PageBreak] = []
        for (no, number), (next_no, following) in zip(self.marks, self.marks[1:], strict=False):
            at = bisect.bisect_right(self.content, no)
            if following == number + 1 and at < len(self.content) and self.content[at] < next_no:
                out.append(PageBreak(page=following, line=self.content[at]))
        return out


def page_lines(furniture: Sequence[Furniture], content: Sequence[Line]) -> tuple[PageLines, list[Warning_]]:
    """The page-number lines among the furniture, and a warning at each that does not run on by one."""
    marks: list[tuple[int, int]] = []
    warnings: list[Warning_] = []
    for item in sorted(furniture, key=lambda f: f.line):
        if item.reason != PAGE_NUMBER_REASON or not (m := _DIGITS.search(item.text)):
            continue
        number = int(m.group())
        if marks and number != marks[-1][1] + 1:
            warnings.append(Warning_(item.line, "page-sequence",
                f"expected page number {marks[-1][1] + 1} after {marks[-1][1]} (line {marks[-1][0]}), found {number}; "
                "the pages of the text between are left unknown"))  # fmt: skip
        marks.append((item.line, number))
    return PageLines(tuple(marks), tuple(line.no for line in content)), warnings


def toc_pages(documents: Sequence[Document], toc: Sequence[TocEntry]) -> list[int | None]:
    """For each document, the page of its 目录 entry (by 文号, else by title), or None. An entry is
    used for one document only."""
    used: set[int] = set()
    out: list[int | None] = []
    for document in documents:
        k = _entry_for(document, toc, used)
        if k is not None:
            used.add(k)
        out.append(toc[k].page if k is not None else None)
    return out


def _entry_for(document: Document, toc: Sequence[TocEntry], used: set[int]) -> int | None:
    free = [(k, e) for k, e in enumerate(toc) if k not in used]
    if document.doc_number is not None:
        for k, entry in free:
            if entry.doc_number == document.doc_number:
                return k
    have = normalise_title(document.title)
    for k, entry in free:
        wanted = normalise_title(entry.title)
        if have and wanted and (entry.doc_number is None or document.doc_number is None) and (
            wanted == have or wanted in have or have in wanted
        ):
            return k
    return None


def paginate(documents: Sequence[Document], pages: PageLines, toc: Sequence[TocEntry]) -> list[Document]:
    """Documents with `pages` set (see the module docstring for what is known and what is left None)."""
    printed = toc_pages(documents, toc)
    breaks = pages.breaks()
    out: list[Document] = []
    for k, document in enumerate(documents):
        span = document.span
        first = pages.page_of(span.first)
        last = pages.page_of(span.last)
        toc_page = printed[k]
        if first is None:
            first = toc_page
        following = printed[k + 1] if k + 1 < len(printed) else None
        if last is None and first is not None and following == first and toc_page == first:
            last = first  # the next document begins on the page this one begins on: it ends there too
        inside = tuple(b for b in breaks if span.first < b.line <= span.last)
        if first is None and last is None and not inside:
            out.append(document)
            continue
        out.append(replace(document, pages=PageSpan(first=first, last=last, breaks=inside, toc_page=toc_page)))
    return out
