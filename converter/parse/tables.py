"""Rebuild tables from body lines → `Table`: an exploded table (one cell fragment a line, its header
printed again at every page break) into rows × columns, and a tab-separated table with its merged cells.

An exploded table, as PDF extraction leaves it:

    序号 事项 主要内容 …        the header: one line of spaced column names
    1                          a row starts with its serial number on a line of its own,
    实施船 / 舶安全 / …        then each column's cell, wrapped to that column's width, column by column
    序号 事项 主要内容 …        a page break: the header again,
    1                          the serial again, then each cell continued, printed again, or left blank

Rebuilding, in order:

1. split the lines after the header into chunks at serial lines (the next number; or the same number
   right after a repeated header: the row continues); repeated headers are set aside;
2. estimate each column's wrap width: split every chunk into one segment per column so that the lines
   of a segment, but its last, share one width (`_self_costs`), and take the median per column; note
   too how often the column's cells end a sentence;
3. split every chunk again against those widths (`_width_costs`): a line far from its column's width
   costs, a line ending a sentence inside a cell costs a little, so does a cell that ends (or does not
   end) a sentence where its column's cells do not (do), an empty cell costs more; in a row that ran
   over page breaks, a segment that is exactly a cell of the row on another page is a gain in that
   column (a cell printed again: `_agreed_splits`);
4. join the chunks of one row: a cell printed again unchanged is set aside (`dropped`), other text is
   appended to the cell;
5. confidence: the share of rows with every cell filled and a low mean split cost. Lines before the
   first serial (or no serial at all) leave the table unbuilt (no rows, confidence 0): the page then
   shows the lines as printed.

The table runs to the end of the lines it is given (an attachment, a document part).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from converter.model import Furniture, Line, Span, Table
from converter.read.clean import width

HEADER_REPEAT = "repeated table header"
CELL_REPEAT = "repeated table cell"
THRESHOLD = 0.8
"""Below this confidence a table is shown as printed, with a notice (and listed in the editor report)."""
_SERIAL = re.compile(r"^[0-9]{1,3}$")
_SENTENCE_END = "。！？；"
_EMPTY_CELL = 3.0
_UNKNOWN = -1.0  # a sentence-end share that says nothing (cells cut by a page break end anywhere)
_ROW_COST = 0.5  # mean split cost per fragment above which a row is not trusted
_SPACED = re.compile(r"^[\u4e00-\u9fff]{1,3}(?: [\u4e00-\u9fff]{1,3})+$")

SegmentCost = Callable[[int, int, int], float]


def starts_exploded_table(lines: Sequence[Line], i: int) -> bool:
    """A header of four or more spaced words followed by many short fragments."""
    words = lines[i].text.split(" ")
    if len(words) < 4 or any(len(w) > 8 for w in words):
        return False
    following = lines[i + 1 : i + 9]
    return len(following) >= 6 and sum(width(x.text) <= 8 for x in following) >= 4


@dataclass(slots=True)
class _Chunk:
    serial: Line
    continues: bool
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    cells: list[list[Line]]
    cost: float = 0.0
    fragments: int = 0

    def text(self, c: int) -> str:
        return _join(self.cells[c])


def rebuild_exploded(lines: Sequence[Line], file: str) -> Table:
    """Rows × columns from an exploded table whose header is `lines[0]` (see the module docstring)."""
    header = lines[0]
    columns = tuple(header.text.split())
    dropped: list[Furniture] = []
    chunks, stray = _chunks(lines, dropped)
    k = len(columns) - 1
    widths, ends = _column_profiles([c.lines for c in chunks if not c.continues], k)
    rows: list[_Row] = []
    for group in _rows_of(chunks):
        splits = _agreed_splits(group, widths, ends)
        for chunk, (segments, cost) in zip(group, splits, strict=True):
            if chunk.continues and rows:
                _continue(rows[-1], segments, dropped)
                dropped.append(Furniture(chunk.serial.no, chunk.serial.text, CELL_REPEAT))
            else:
                rows.append(_Row([[chunk.serial], *segments]))
            rows[-1].cost += cost
            rows[-1].fragments += len(chunk.lines) + 1
    raw = tuple(line.text for line in lines)
    span = Span(file, lines[0].no, lines[-1].no)
    if stray or not rows:
        return Table(caption=None, rows=(), header_rows=0, confidence=0.0, raw=raw, span=span)
    trusted = sum(all(r.cells) and r.cost / r.fragments <= _ROW_COST for r in rows)
    return Table(
        caption=None,
        rows=(columns, *(tuple(_join(cell) for cell in r.cells) for r in rows)),
        header_rows=1,
        confidence=round(trusted / len(rows), 2),
        raw=raw,
        span=span,
        cell_lines=(
            ((header.no,),) * len(columns),
            *(tuple(tuple(x.no for x in c) for c in r.cells) for r in rows),
        ),
        dropped=tuple(sorted(dropped, key=lambda f: f.line)),
    )


def _rows_of(chunks: list[_Chunk]) -> list[list[_Chunk]]:
    """Chunks grouped by row: a row's first chunk and its continuations after page breaks."""
    groups: list[list[_Chunk]] = []
    for chunk in chunks:
        if chunk.continues and groups:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


def _agreed_splits(
    group: list[_Chunk], widths: list[float], ends: list[float]
) -> list[tuple[list[list[Line]], float]]:
    """Split each chunk of a row into its columns, each chunk after a page break knowing the cells of
    the chunks before it: a cell printed again (whole, or as on an earlier page) stays in its column."""
    # Only a row's last chunk has its cells complete: before a page break a cell may stop anywhere.
    cut = [_UNKNOWN] * len(ends)
    splits: list[tuple[list[list[Line]], float]] = []
    for chunk in group:
        known = [
            {_join(s[0][c]) for s in splits if s[0][c]} | {"".join(_join(s[0][c]) for s in splits)}
            for c in range(len(widths))
        ]
        splits.append(_split_chunk(chunk, widths, ends if chunk is group[-1] else cut, known if splits else []))
    return splits


def _split_chunk(
    chunk: _Chunk, widths: list[float], ends: list[float], known: Sequence[set[str]]
) -> tuple[list[list[Line]], float]:
    bounds, cost = _split(len(chunk.lines), len(widths), _width_costs(chunk.lines, widths, ends, known))
    return [chunk.lines[a:b] for a, b in itertools.pairwise(bounds)], max(cost, 0.0)


def _chunks(lines: Sequence[Line], dropped: list[Furniture]) -> tuple[list[_Chunk], list[Line]]:
    """Chunks at serial lines; repeated headers into `dropped`; lines before the first serial apart."""
    header = lines[0].text
    chunks: list[_Chunk] = []
    stray: list[Line] = []
    last, after_header = 0, True
    for line in lines[1:]:
        if line.text == header:
            dropped.append(Furniture(line.no, line.text, HEADER_REPEAT))
            after_header = True
            continue
        number = int(line.text) if _SERIAL.match(line.text) else None
        if number is not None and (number == last + 1 or (number == last and after_header and chunks)):
            chunks.append(_Chunk(line, continues=number == last))
            last = number
        elif chunks:
            chunks[-1].lines.append(line)
        else:
            stray.append(line)
        after_header = False
    return chunks, stray


def _continue(row: _Row, segments: list[list[Line]], dropped: list[Furniture]) -> None:
    """Join a row's continuation after a page break: a cell printed again unchanged is set aside.

    A cell printed again is also evidence of where the cell began and ended before the break: when the
    row's cell is the repeated text plus whole lines before (after) it, those lines belong to the
    column before (after), and are moved there.
    """
    for c, segment in enumerate(segments, start=1):
        text = _join(segment)
        if not segment:
            continue
        _realign(row, c, text)
        if text == row.text(c):
            dropped += [Furniture(x.no, x.text, CELL_REPEAT) for x in segment]
        else:
            row.cells[c] += segment


def _realign(row: _Row, c: int, repeated: str) -> None:
    cell = row.cells[c]
    before = row.cells[c - 1] if c > 1 else []
    after = row.cells[c + 1] if c + 1 < len(row.cells) else []
    for k in range(1, len(after) + 1):
        if _join(cell + after[:k]) == repeated:
            row.cells[c], row.cells[c + 1] = cell + after[:k], after[k:]
            return
    for k in range(len(before)):
        if _join(before[k:] + cell) == repeated:
            row.cells[c - 1], row.cells[c] = before[:k], before[k:] + cell
            return
    for k in range(1, len(cell)):
        if c > 1 and _join(cell[k:]) == repeated:
            row.cells[c - 1] = sorted(row.cells[c - 1] + cell[:k], key=lambda x: x.no)
            row.cells[c] = cell[k:]
            return
        if c + 1 < len(row.cells) and _join(cell[:k]) == repeated:
            row.cells[c + 1] = cell[k:] + row.cells[c + 1]
            row.cells[c] = cell[:k]
            return


def _join(segment: Sequence[Line]) -> str:
    return "".join(line.text for line in segment)


def _half_up(w: float) -> int:
    return math.floor(w + 0.5)


@dataclass(frozen=True, slots=True)
class _SelfCost:
    """A segment cost that is the same for every column: `by_end[j][i]` is the cost of lines i..j-1."""

    by_end: list[list[float]]

    def __call__(self, c: int, i: int, j: int) -> float:
        return self.by_end[j][i]


def _self_costs(lines: Sequence[Line]) -> _SelfCost:
    """Segment cost without known widths: lines (but the last) off the segment's own modal width."""
    ws = [width(x.text) for x in lines]
    n = len(ws)
    # Rounded widths shifted by 2, so that the windows below index a list from 0.
    rounded = [_half_up(w) + 2 for w in ws]
    stops = [0.3 if x.text[-1] in _SENTENCE_END else 0.0 for x in lines]
    by_end = [[math.inf] * j + [_EMPTY_CELL / 2] for j in range(n + 1)]
    for i in range(n):
        counts = [0] * (max(rounded, default=0) + 3)
        best, mode, penalty = 0, rounded[i], 0.0
        by_end[i + 1][i] = 0.0
        for j in range(i + 2, n + 1):
            v = rounded[j - 2]
            counts[v] += 1
            penalty += stops[j - 2]
            # Windows of three widths centred on v - 1, v, v + 1 (only on a width that occurs), unrolled.
            a, b, here, d, e = counts[v - 2 : v + 3]
            if b and a + b + here > best:
                best, mode = a + b + here, v - 1
            if b + here + d > best:
                best, mode = b + here + d, v
            if d and here + d + e > best:
                best, mode = here + d + e, v + 1
            by_end[j][i] = (j - 1 - i) - best + (1.0 if ws[j - 1] > mode - 2 + 1.5 else 0.0) + penalty
    return _SelfCost(by_end)


@dataclass(frozen=True, slots=True)
class _WidthCost:
    """Segment cost against each column's wrap width and sentence ends, as prefix sums: the cost of
    lines i..j-1 in column c is `inner[c][j-1] - inner[c][i] + last[c][j-1]`, except a segment that is
    a cell printed again on another page (`bonus`, by (c, i, j)), and an empty segment."""

    inner: list[list[float]]
    last: list[list[float]]
    bonus: dict[tuple[int, int, int], float]

    def __call__(self, c: int, i: int, j: int) -> float:
        if i == j:
            return _EMPTY_CELL
        if (c, i, j) in self.bonus:
            return self.bonus[c, i, j]
        return self.inner[c][j - 1] - self.inner[c][i] + self.last[c][j - 1]


def _width_costs(
    lines: Sequence[Line], widths: Sequence[float], ends: Sequence[float], known: Sequence[set[str]]
) -> _WidthCost:
    """`_WidthCost` for `lines`; `known`: per column, the cells of the same row printed on its other pages."""
    ws = [width(x.text) for x in lines]
    offsets = list(itertools.accumulate((len(x.text) for x in lines), initial=0))
    inner: list[list[float]] = []
    last: list[list[float]] = []
    for w_col, end in zip(widths, ends, strict=True):
        sums = [0.0]
        for line, w in zip(lines, ws, strict=True):
            d = abs(w - w_col)
            off = 0.0 if d <= 1 else ((d - 1) / w_col) ** 2 * 10
            sums.append(sums[-1] + off + (0.3 if line.text[-1] in _SENTENCE_END else 0.0))
        inner.append(sums)
        last.append([
            (0.0 if w <= w_col + 1 else ((w - w_col - 1) / w_col) ** 2 * 10)
            + (0.0 if end == _UNKNOWN else 0.6 * ((1 - end) if x.text[-1] in _SENTENCE_END else end))
            for x, w in zip(lines, ws, strict=True)
        ])
    bonus: dict[tuple[int, int, int], float] = {}
    for c, texts in enumerate(known):
        lengths = {len(text) for text in texts}
        longest = max(lengths, default=0)
        for i in range(len(lines)):
            j = i + 1
            while j <= len(lines) and offsets[j] - offsets[i] <= longest:
                if offsets[j] - offsets[i] in lengths and _join(lines[i:j]) in texts:
                    bonus[c, i, j] = -_EMPTY_CELL - 1.0  # printed again: surely this column
                j += 1
    return _WidthCost(inner, last, bonus)


def _split(n: int, k: int, seg_cost: SegmentCost) -> tuple[list[int], float]:
    """Boundaries 0 = b0 ≤ b1 ≤ … ≤ bk = n of k consecutive segments at least total cost."""
    if isinstance(seg_cost, _WidthCost):
        return _split_prefix(n, k, seg_cost)
    if isinstance(seg_cost, _SelfCost):
        return _split_same(n, k, seg_cost)
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        for j in range(n + 1):
            for i in range(j + 1):
                if best[c - 1][i] == math.inf:
                    continue
                value = best[c - 1][i] + seg_cost(c - 1, i, j)
                if value < best[c][j]:
                    best[c][j], back[c][j] = value, i
    return _trace(back, best, n, k)


def _split_prefix(n: int, k: int, cost: _WidthCost) -> tuple[list[int], float]:
    """`_split` in O(k·n) for prefix-sum costs: the best start of a non-empty segment ending at j is a
    running minimum of `best[c-1][i] - inner[c][i]`; the few `bonus` segments and the empty segment are
    tried apart."""
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    bonus_at: dict[tuple[int, int], list[int]] = {}
    for c, i, j in sorted(cost.bonus):
        bonus_at.setdefault((c, j), []).append(i)
    for c in range(1, k + 1):
        prev, cur, inner, last = best[c - 1], best[c], cost.inner[c - 1], cost.last[c - 1]
        low, low_i, here = math.inf, 0, back[c]
        for j in range(n + 1):
            value, start = (low + inner[j - 1] + last[j - 1], low_i) if low < math.inf else (math.inf, 0)
            for i in bonus_at.get((c - 1, j), ()):
                bonus = prev[i] + cost.bonus[c - 1, i, j]
                if bonus < value or (bonus == value and i < start):
                    value, start = bonus, i
            if prev[j] + _EMPTY_CELL < value:
                value, start = prev[j] + _EMPTY_CELL, j
            if value < math.inf:
                cur[j], here[j] = value, start
            if prev[j] - inner[j] < low:
                low, low_i = prev[j] - inner[j], j
    return _trace(back, best, n, k)


def _split_same(n: int, k: int, cost: _SelfCost) -> tuple[list[int], float]:
    """`_split` for a cost that is the same in every column: each step is one vector sum and minimum
    (the same sums, and the same first minimum, as the general loop)."""
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        prev = best[c - 1]
        for j in range(n + 1):
            values = list(map(operator.add, prev[: j + 1], cost.by_end[j]))
            value = min(values)
            if value < math.inf:
                best[c][j], back[c][j] = value, values.index(value)
    return _trace(back, best, n, k)


def _trace(back: list[list[int]], best: list[list[float]], n: int, k: int) -> tuple[list[int], float]:
    bounds = [n]
    for c in range(k, 0, -1):
        bounds.append(back[c][bounds[-1]])
    return bounds[::-1], best[k][n]


def _column_profiles(chunks: Sequence[Sequence[Line]], k: int) -> tuple[list[float], list[float]]:
    """Each column's wrap width and the share of its cells that end a sentence, from the first chunk of
    every row (where every column has a cell): split without widths, then again with the widths found,
    until they settle."""
    profile = _profile(chunks, k, None)
    for _ in range(3):
        again = _profile(chunks, k, profile)
        if again == profile:
            break
        profile = again
    return profile


def _profile(
    chunks: Sequence[Sequence[Line]], k: int, known: tuple[list[float], list[float]] | None
) -> tuple[list[float], list[float]]:
    """Widths (median over chunks of a segment's modal inner-line width) and sentence-end shares."""
    modes: list[list[float]] = [[] for _ in range(k)]
    singles: list[list[float]] = [[] for _ in range(k)]
    ends: list[list[bool]] = [[] for _ in range(k)]
    for lines in chunks:
        if len(lines) < k:
            continue
        seg_cost = _self_costs(lines) if known is None else _width_costs(lines, *known, ())
        bounds, _ = _split(len(lines), k, seg_cost)
        for c in range(k):
            segment = lines[bounds[c] : bounds[c + 1]]
            ends[c] += [segment[-1].text[-1] in _SENTENCE_END] if segment else []
            inner = Counter(_half_up(width(x.text)) for x in segment[:-1])
            if inner:
                modes[c].append(inner.most_common(1)[0][0])
            elif segment:
                singles[c].append(width(segment[0].text))
    widths = [float(statistics.median(m or s or [4.0])) for m, s in zip(modes, singles, strict=True)]
    return widths, [sum(e) / len(e) if e else 0.5 for e in ends]


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
