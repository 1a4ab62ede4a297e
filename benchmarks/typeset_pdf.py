"""Typeset a text extraction the way the gazette prints it, as a PDF: test input for `converter.read.pdf`.

    python -m benchmarks.typeset_pdf sources/2021-04.txt /tmp/2021-04.pdf

A4; the cover, editorial board and 目录 in one column, documents in two; Noto Serif CJK (宋体) for text,
Noto Sans CJK bold (黑体) for titles and headings; a running head over every document page and the
printed page number (`— 5 —`) under every page; tables ruled. Each content line of the extraction is one
printed paragraph, wrapped to the column: what the PDF reader must undo. Page furniture of the extraction
is left out (the layout prints its own). The roles (title, heading, table row) come from the converter's
own reading of the text, so that the PDF carries the same structure as the text.

Fonts: Debian's fonts-noto-cjk (`scripts/test.sh` installs it). Needs fpdf2 (a test dependency).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from converter.model import Line
from converter.parse.issue import parse_issue
from converter.read.clean import clean
from converter.read.segment import segment
from converter.read.source import read_source

FONTS = Path("/usr/share/fonts/opentype/noto")
SONG = FONTS / "NotoSerifCJK-Regular.ttc"
HEI = FONTS / "NotoSansCJK-Bold.ttc"
_SC = 2
"""Index of the Simplified Chinese face in the Noto CJK collections (JP, KR, SC, TC, HK)."""

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, TOP, BOTTOM = 56.0, 72.0, 770.0
GUTTER = 20.0
BODY, HEADING, TITLE, FURNITURE = 10.5, 12.0, 16.0, 9.0
RUNNING_HEAD = "宁夏回族自治区人民政府公报"


@dataclass(frozen=True, slots=True)
class Role:
    font: str
    size: float
    align: str  # "L", "C"
    indent: bool


_BODY = Role("song", BODY, "L", True)
_PLAIN = Role("song", BODY, "L", False)
_HEADING = Role("hei", HEADING, "L", False)
_TITLE = Role("hei", TITLE, "C", False)


class Typesetter:
    """Lays lines out in one or two columns, page by page; tables across the full width."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("song", fname=str(SONG), collection_font_number=_SC)
        self.pdf.add_font("hei", fname=str(HEI), collection_font_number=_SC)
        self.columns = 1
        self.column = 0
        self.y = TOP
        self.head = False
        self._new_page()

    # -- pages and columns -------------------------------------------------------------------------------
    def _new_page(self) -> None:
        self.pdf.add_page()
        page = self.pdf.page_no()
        self.pdf.set_font("song", size=FURNITURE)
        if self.head:
            self.pdf.set_xy(MARGIN_X, TOP - 30)
            self.pdf.cell(PAGE_W - 2 * MARGIN_X, 12, RUNNING_HEAD, align="C")
        self.pdf.set_xy(MARGIN_X, BOTTOM + 24)
        self.pdf.cell(PAGE_W - 2 * MARGIN_X, 12, f"— {page} —", align="C")
        self.column, self.y = 0, TOP

    def start(self, columns: int, head: bool) -> None:
        """Begin a new page laid out in `columns` columns."""
        self.columns, self.head = columns, head
        self._new_page()

    def _width(self) -> float:
        full = PAGE_W - 2 * MARGIN_X
        return full if self.columns == 1 else (full - GUTTER) / 2

    def _x(self) -> float:
        return MARGIN_X + self.column * (self._width() + GUTTER)

    def _room(self, height: float) -> None:
        if self.y + height <= BOTTOM:
            return
        if self.column + 1 < self.columns:
            self.column, self.y = self.column + 1, TOP
        else:
            self._new_page()

    # -- content -----------------------------------------------------------------------------------------
    def paragraph(self, text: str, role: Role) -> None:
        pdf = self.pdf
        pdf.set_font(role.font, size=role.size)
        lead = role.size * 1.6
        indent = 2 * role.size if role.indent else 0.0
        first = True
        rest = text
        while rest:
            width = self._width() - (indent if first else 0.0)
            fits = _fit(pdf, rest, width)
            self._room(lead)
            pdf.set_font(role.font, size=role.size)
            pdf.set_xy(self._x() + (indent if first else 0.0), self.y)
            pdf.cell(width, lead, rest[:fits], align=role.align)
            self.y += lead
            rest = rest[fits:]
            first = False
        self.y += role.size * 0.6  # the gap between paragraphs

    def table(self, rows: list[list[str]]) -> None:
        """A ruled table across the full page width, on pages of its own."""
        pdf = self.pdf
        if self.columns != 1 or self.y > TOP:
            self.start(1, self.head)
        pdf.set_font("song", size=BODY)
        ncols = max(len(row) for row in rows)
        width = (PAGE_W - 2 * MARGIN_X) / ncols
        lead = BODY * 1.4
        for row in rows:
            cells = [row[i] if i < len(row) else "" for i in range(ncols)]
            wrapped = [_wrap(pdf, cell, width - 6) for cell in cells]
            height = max(len(lines) for lines in wrapped) * lead + 6
            if self.y + height > BOTTOM:
                self._new_page()
            for i, lines in enumerate(wrapped):
                x = MARGIN_X + i * width
                pdf.rect(x, self.y, width, height)
                for k, line in enumerate(lines):
                    pdf.set_xy(x + 3, self.y + 3 + k * lead)
                    pdf.cell(width - 6, lead, line)
            self.y += height
        self.y += BODY

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _fit(pdf: FPDF, text: str, width: float) -> int:
    """How many leading characters of `text` fit in `width` (at least one)."""
    total = 0.0
    for i, ch in enumerate(text):
        total += pdf.get_string_width(ch)
        if total > width:
            return max(i, 1)
    return len(text)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    lines: list[str] = []
    while text:
        n = _fit(pdf, text, width)
        lines.append(text[:n])
        text = text[n:]
    return lines or [""]


def typeset(source: Path) -> bytes:
    """The PDF of one extraction (see the module docstring)."""
    cleaned = clean(read_source(source))
    segments = segment(cleaned)
    issue = parse_issue(cleaned, segments, None)
    titles: set[int] = set()
    first = {document.span.first: document.title_lines for document in issue.documents}
    for span in segments.documents:
        titles.update(line.no for line in span.lines[: first.get(span.lines[0].no, 0)])
    out = Typesetter()
    for line in segments.front:
        out.paragraph(line.text, _HEADING if line.hint else _PLAIN)
    for span in segments.documents:
        out.start(2, True)
        _lines(out, span.lines, titles)
    return out.output()


def _lines(out: Typesetter, lines: tuple[Line, ...], titles: set[int]) -> None:
    rows: list[list[str]] = []
    for line in lines:
        if line.tabbed:
            rows.append([cell.strip() for cell in line.text.split("\t")])
            continue
        if rows:
            out.table(rows)
            out.start(2, True)
            rows = []
        role = _TITLE if line.no in titles else _HEADING if line.hint else _BODY
        out.paragraph(line.text, role)
    if rows:
        out.table(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.typeset_pdf SOURCE.txt OUT.pdf", file=sys.stderr)
        return 2
    Path(argv[1]).write_bytes(typeset(Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
