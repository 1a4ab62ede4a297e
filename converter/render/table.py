"""Render a `Table` as HTML: header cells, merged cells as rowspan/colspan, row ids (`table-1-r3`),
`data-label`s for the phone layout (one card per row, docs/assets/tables.css), column widths from the
cells' display width, and the link from each row to the clause describing its item. A table below the
confidence threshold is shown as printed, with a notice, never as a wrong grid."""

from __future__ import annotations

import math
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from converter.model import Table
from converter.render.escape import esc
from converter.urls import row_anchor

SHORT = 16
"""Display width (a CJK character counts 2, `2015年（末）` is 12) up to which a column never wraps."""
MAX_FITTED_COLUMNS = 8
FITTED_EM = 60
"""A table of at most MAX_FITTED_COLUMNS whose columns need at most FITTED_EM (cell padding included)
fits the text column of a 1280 px screen (the outline is hidden on pages with tables); a wider one
scrolls sideways, its first column sticky."""
_PADDING_EM = 1.6


def table_html(block: Table, text_html: Callable[[str], str]) -> str:
    """A table as HTML: a grid with spans, row ids and column widths; below the confidence threshold a
    notice and the extracted lines as printed. `text_html` turns a cell's source text into escaped,
    linked HTML."""
    caption = f"<caption>{esc(block.caption)}</caption>" if block.caption else ""
    ident = f' id="{block.anchor}"' if block.anchor else ""
    if block.low_confidence:
        return (
            f'<div class="admonition warning gb-notice"{ident}><p class="admonition-title">表格按原文显示</p>'
            "<p>此表格在提取文本中被拆散，未能可靠重建；以下逐行保留原文内容，以印刷版为准。</p></div>\n\n"
            # Focusable and labelled: the block scrolls, and keyboard users must be able to scroll it.
            f'<pre class="gb-raw" tabindex="0" role="region" aria-label="表格原文">{esc(chr(10).join(block.raw))}</pre>'
        )
    covered = {
        (r + i, c + j) for r, c, rs, cs in block.merges for i in range(rs) for j in range(cs) if i or j
    }
    spans = {(r, c): (rs, cs) for r, c, rs, cs in block.merges}
    labels = _column_labels(block)
    layout = _layout(block)
    out: list[str] = []
    for r, row in enumerate(block.rows):
        cells: list[str] = []
        for c, cell in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            # A cell spanning columns takes no column's width; the first column sticks when the table scrolls.
            names = ([layout.classes[c]] if cs == 1 else []) + (["gb-first"] if c == 0 else [])
            attrs += f' class="{" ".join(names)}"' if names else ""
            if r < block.header_rows:
                cells.append(f'<th scope="col"{attrs}>{esc(cell)}</th>')
            else:
                content = _cell(block, r - block.header_rows, c, text_html(cell))
                cells.append(f'<td data-label="{esc(labels[c])}"{attrs}>{content}</td>')
        row_id = f' id="{row_anchor(block.anchor, r - block.header_rows + 1)}"' if block.anchor and r >= block.header_rows else ""
        out.append(f"<tr{row_id}>{''.join(cells)}</tr>")
    head, body = "".join(out[: block.header_rows]), "".join(out[block.header_rows :])
    kind = "gb-table gb-table--wide" if layout.wide else "gb-table"
    # The scroll box is a labelled, focusable region: keyboard users can scroll a wide table. The table's
    # class keeps Material from wrapping it in a second scroll box of its own.
    region = f' tabindex="0" role="region" aria-label="{esc(block.caption or "表格")}"' if layout.wide else ""
    columns = len(layout.classes)
    hint = f'<p class="gb-scroll-hint">本表共{columns}列，左右滑动可查看全部列 ⇆</p>' if layout.wide else ""
    return (
        f'<div class="{kind}"{ident}>{hint}<div class="md-typeset__scrollwrap"{region}><div class="md-typeset__table">'
        f'<table class="gb-grid"{layout.style}>{caption}{layout.colgroup}<thead>{head}</thead><tbody>{body}</tbody></table>'
        "</div></div></div>"
    )


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced grid: a wide (CJK, full-width) character counts 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True, slots=True)
class Layout:
    """How a table is laid out: whether it scrolls, and each column's class (nowrap or a minimum width)."""

    wide: bool
    """Too many or too wide columns for the text column: the table scrolls, its first column sticky."""
    classes: tuple[str, ...]
    """Per column: `gb-nw` (short cells: never wraps) or `gb-w5`…`gb-w8` (running text: minimum width, em)."""
    ems: tuple[int, ...]
    """Per column, its width in em (padding included) when the table scrolls."""

    @property
    def style(self) -> str:
        return f' style="width:{sum(self.ems)}em"' if self.wide else ""

    @property
    def colgroup(self) -> str:
        if not self.wide:
            return ""
        return "<colgroup>" + "".join(f'<col style="width:{em}em">' for em in self.ems) + "</colgroup>"


def _layout(table: Table) -> Layout:
    """Column widths from the content, in display width: a column whose cells are all short (numbers,
    years, units: at most SHORT) is as wide as its widest cell and never wraps; a column of running
    text gets a minimum of 5–8 em from its typical cell and shares the rest of the width with the other
    text columns (the browser's automatic layout gives more to the column with more text)."""
    covered = {(r + i, c + j) for r, c, rs, cs in table.merges for i in range(rs) for j in range(cs) if i or j}
    spanning = {(r, c) for r, c, _, cs in table.merges if cs > 1}
    classes: list[str] = []
    ems: list[int] = []
    need = 0.0
    for c in range(len(table.rows[0])):
        cells = [
            display_width(row[c])
            for r, row in enumerate(table.rows)
            if r >= table.header_rows and (r, c) not in covered and (r, c) not in spanning
        ] or [0]
        head = max(
            (display_width(table.rows[r][c]) for r in range(table.header_rows) if (r, c) not in covered | spanning),
            default=0,
        )
        typical = statistics.median(cells)
        if max(cells) <= SHORT:
            width = max(max(cells), min(head, 12)) / 2
            classes.append("gb-nw")
        else:
            width = min(8, max(5, math.ceil(typical / 2)))
            classes.append(f"gb-w{width}")
        need += width + _PADDING_EM
        # Scrolling: a fixed width with the padding; a short column as wide as its header allows (a long
        # header wraps), running text by the square root of its typical length, 8–20 em.
        scrolled = max(width, min(head, 16) / 2) if max(cells) <= SHORT else min(20, max(8, 1.6 * math.sqrt(typical)))
        ems.append(math.ceil(scrolled + _PADDING_EM))
    wide = len(classes) > MAX_FITTED_COLUMNS or need > FITTED_EM
    return Layout(wide, tuple(classes), tuple(ems))


def _column_labels(table: Table) -> list[str]:
    """Each column's header text for the phone layout's `data-label`; a header spanning columns names each."""
    labels = list(table.rows[0])
    for r, c, _, cs in table.merges:
        if r == 0:
            labels[c : c + cs] = [table.rows[0][c]] * cs
    return labels


def _cell(table: Table, row: int, column: int, content: str) -> str:
    """A body cell's HTML; in the linked column, also a link to the clause describing its row's item."""
    target = table.row_links[row] if row < len(table.row_links) else ""
    if not target or column != table.link_column:
        return content
    if "<a " in content:
        return f'{content} <a class="gb-rowlink" href="#{target}" title="见正文">¶</a>'
    return f'<a class="gb-rowlink" href="#{target}" title="见正文">{content}</a>'
