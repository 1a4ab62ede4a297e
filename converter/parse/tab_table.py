"""Rebuild a tab-separated table (one row a line, cells between tabs) into a `Table` with its merged cells."""

from __future__ import annotations

import re
from collections.abc import Sequence

from converter.model import Line, Span, Table

_SPACED = re.compile(r"^[\u4e00-\u9fff]{1,3}(?: [\u4e00-\u9fff]{1,3})+$")


def tab_table(lines: Sequence[Line], caption: str | None, span: Span) -> Table:
    """A tab-separated table: cells as printed (letter-spacing undone), ragged rows padded, merged cells
    found: a header cell followed by empty header cells spans them; a first-column cell followed by
    empty first-column cells in filled rows spans those rows."""
    rows = [[_unspace(cell.strip()) for cell in line.text.split("\t")] for line in lines]
    columns = max(len(row) for row in rows)
    padded = tuple(tuple(row + [""] * (columns - len(row))) for row in rows)
    regular = sum(len(row) == columns for row in rows) / len(rows)
    return Table(
        caption=caption,
        rows=padded,
        header_rows=1,
        confidence=round(0.5 + 0.5 * regular, 2),
        raw=((caption,) if caption else ()) + tuple(line.text for line in lines),
        span=span,
        merges=_merges(padded),
    )


def _unspace(cell: str) -> str:
    """`巩固 拓展 脱贫` (a vertical label set in short groups) → `巩固拓展脱贫`."""
    return cell.replace(" ", "") if _SPACED.match(cell) else cell


def _merges(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int, int, int], ...]:
    merges: list[tuple[int, int, int, int]] = []
    header, body = rows[0], rows[1:]
    for c, cell in enumerate(header):
        span = 1
        while c + span < len(header) and not header[c + span] and any(row[c + span] for row in body):
            span += 1
        if cell and span > 1:
            merges.append((0, c, 1, span))
    for r in range(1, len(rows)):
        if not rows[r][0]:
            continue
        span = 1
        while r + span < len(rows) and not rows[r + span][0] and any(rows[r + span][1:]):
            span += 1
        if span > 1:
            merges.append((r, 0, span, 1))
    return tuple(merges)
