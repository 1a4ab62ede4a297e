"""Render a `Table` as HTML: header cells, merged cells as rowspan/colspan, row ids (`table-1-r3`),
`data-label`s for the phone layout (one card per row, docs/assets/tables.css), column widths from the
cells' typical length, and the link from each row to the clause describing its item. A table below the
confidence threshold is shown as printed, with a notice, never as a wrong grid."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable

from converter.model import Table
from converter.parse.tables import THRESHOLD
from converter.render.escape import esc


def table_html(block: Table, text_html: Callable[[str], str]) -> str:
    """A table as HTML: a grid with spans, row ids and column widths; below the confidence threshold a
    notice and the extracted lines as printed. `text_html` turns a cell's source text into escaped,
    linked HTML."""
    caption = f"<caption>{esc(block.caption)}</caption>" if block.caption else ""
    ident = f' id="{block.anchor}"' if block.anchor else ""
    if not block.rows or block.confidence < THRESHOLD:
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
    out: list[str] = []
    for r, row in enumerate(block.rows):
        cells: list[str] = []
        for c, cell in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            if r < block.header_rows:
                cells.append(f'<th scope="col"{attrs}>{esc(cell)}</th>')
            else:
                content = _cell(block, r - block.header_rows, c, text_html(cell))
                cells.append(f'<td data-label="{esc(labels[c])}"{attrs}>{content}</td>')
        row_id = f' id="{block.anchor}-r{r - block.header_rows + 1}"' if block.anchor and r >= block.header_rows else ""
        out.append(f"<tr{row_id}>{''.join(cells)}</tr>")
    head, body = "".join(out[: block.header_rows]), "".join(out[block.header_rows :])
    style, cols = _widths(block)
    return (
        f'<div class="gb-table"{ident}><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        f"<table{style}>{caption}{cols}<thead>{head}</thead><tbody>{body}</tbody></table></div></div></div>"
    )


def _widths(table: Table) -> tuple[str, str]:
    """The table's style attribute and a colgroup: column widths (em) from the typical length of each
    column's cells, so that short columns stay narrow, running text gets a readable measure and a wide
    table scrolls sideways (on a phone the cards ignore them)."""
    body = table.rows[table.header_rows :] or table.rows
    ems = [
        min(20, max(3, round(1.6 * math.sqrt(statistics.median(len(row[c]) for row in body)))))
        for c in range(len(table.rows[0]))
    ]
    cols = "".join(f'<col style="width:{em}em">' for em in ems)
    return f' style="table-layout:fixed;width:{sum(ems) + 2 * len(ems)}em"', f"<colgroup>{cols}</colgroup>"


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
