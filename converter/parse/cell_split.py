"""The cell-splitting solver of exploded tables: a row's lines → one consecutive segment per column at
least total cost, for two costs (`self_costs`: lines of a segment share one width; `width_costs`: lines
fit known column widths). Both run in O(k·n) per row; `tests/parse/test_cell_split.py` checks them
against the plain O(k·n²) search over every boundary."""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from converter.model import Line
from converter.read.clean import width

SENTENCE_END = "。！？；"
EMPTY_CELL = 3.0
"""What an empty cell costs."""
UNKNOWN = -1.0
"""A sentence-end share that says nothing (cells cut by a page break end anywhere)."""


def join_cell(segment: Sequence[Line]) -> str:
    return "".join([line.text for line in segment])  # a list: join makes one of a generator anyway


def half_up(w: float) -> int:
    return math.floor(w + 0.5)



@dataclass(frozen=True, slots=True)
class SelfCost:
    """A segment cost that is the same for every column: `by_end[j][i]` is the cost of lines i..j-1."""

    by_end: list[list[float]]

    def __call__(self, c: int, i: int, j: int) -> float:
        return self.by_end[j][i]


def self_costs(lines: Sequence[Line], ws: Sequence[float] | None = None) -> SelfCost:
    """Segment cost without known widths: lines (but the last) off the segment's own modal width; `ws`:
    the lines' widths (`width` of each text) when the caller has them."""
    ws = [width(x.text) for x in lines] if ws is None else ws
    n = len(ws)
    # Rounded widths shifted by 2, so that the windows below index a list from 0.
    rounded = [half_up(w) + 2 for w in ws]
    stops = [0.3 if x.text[-1] in SENTENCE_END else 0.0 for x in lines]
    # Per line but the last: the three windows that take it (below, at and above its width), its penalty,
    # the width of the line after it; read as one tuple a step.
    steps = [(v - 1, v, v + 1, stop, w_next) for v, stop, w_next in zip(rounded, stops, ws[1:], strict=False)]
    size = max(rounded, default=0) + 3
    # starting[i][j] = by_end[j][i]: the costs of the segments that start at line i, by their end j.
    starting: list[list[float]] = []
    for i in range(n):
        # counts[m]: lines of width m in the segment; near[m] = counts[m - 1] + counts[m] + counts[m + 1],
        # the window of three widths centred on m (it counts only on a width that occurs).
        counts = [0] * size
        near = [0] * size
        # best: the largest window; wide: the width above which a segment's last line is too wide, the
        # mode of its window (shifted back by 2) plus 1.5.
        best, wide, penalty = 0, rounded[i] - 2 + 1.5, 0.0
        row = [math.inf] * i + [EMPTY_CELL / 2, 0.0]
        append = row.append  # the loop below runs n²/2 times a table chunk: no attribute lookup in it
        # Segment i..j-1 for j = i + 2, …: v is the width of line j - 2 (below it u, above it x), w_last the
        # width of line j - 1.
        for length, (u, v, x, stop, w_last) in enumerate(steps[i:], start=1):
            counts[v] += 1
            # The three windows that take the line, each read once.
            near_u = near[u] = near[u] + 1
            near_v = near[v] = near[v] + 1
            near_x = near[x] = near[x] + 1
            penalty += stop
            if near_u > best and counts[u]:
                best, wide = near_u, u - 2 + 1.5
            if near_v > best:
                best, wide = near_v, v - 2 + 1.5
            if near_x > best and counts[x]:
                best, wide = near_x, x - 2 + 1.5
            # A whole number plus the penalty: the same float as adding 1.0 or 0.0 for the last line first.
            append(length - best + (w_last > wide) + penalty)
        starting.append(row)
    starting.append([math.inf] * n + [EMPTY_CELL / 2])
    by_end = [list(column[: j + 1]) for j, column in enumerate(zip(*starting, strict=True))]
    return SelfCost(by_end)


@dataclass(frozen=True, slots=True)
class WidthCost:
    """Segment cost against each column's wrap width and sentence ends, as prefix sums: the cost of
    lines i..j-1 in column c is `inner[c][j-1] - inner[c][i] + last[c][j-1]`, except a segment that is
    a cell printed again on another page (`bonus`, by (c, i, j)), and an empty segment."""

    inner: list[list[float]]
    last: list[list[float]]
    bonus: dict[tuple[int, int, int], float]

    def __call__(self, c: int, i: int, j: int) -> float:
        if i == j:
            return EMPTY_CELL
        if (c, i, j) in self.bonus:
            return self.bonus[c, i, j]
        return self.inner[c][j - 1] - self.inner[c][i] + self.last[c][j - 1]


def width_costs(
    lines: Sequence[Line],
    widths: Sequence[float],
    ends: Sequence[float],
    known: Sequence[set[str]],
    ws: Sequence[float] | None = None,
) -> WidthCost:
    """`WidthCost` for `lines`; `known`: per column, the cells of the same row printed on its other pages;
    `ws`: the lines' widths (`width` of each text) when the caller has them."""
    ws = [width(x.text) for x in lines] if ws is None else ws
    stops = [x.text[-1] in SENTENCE_END for x in lines]
    inner_stops = [0.3 if stop else 0.0 for stop in stops]
    distinct = set(ws)
    inner: list[list[float]] = []
    last: list[list[float]] = []
    for w_col, end in zip(widths, ends, strict=True):
        # Each cost once per distinct line width (a chunk has few), then looked up line by line.
        off = {w: 0.0 if abs(w - w_col) <= 1 else ((abs(w - w_col) - 1) / w_col) ** 2 * 10 for w in distinct}
        over = {w: 0.0 if w <= w_col + 1 else ((w - w_col - 1) / w_col) ** 2 * 10 for w in distinct}
        # Running sums of off + stop, added in that order line by line: every other running sum of the
        # two interleaved.
        steps = itertools.chain.from_iterable(zip(map(off.__getitem__, ws), inner_stops, strict=True))
        inner.append(list(itertools.accumulate(steps, initial=0.0))[::2])
        if end == UNKNOWN:
            last.append(list(map(over.__getitem__, ws)))
        else:
            at_stop, elsewhere = 0.6 * (1 - end), 0.6 * end
            last.append([over[w] + (at_stop if stop else elsewhere) for w, stop in zip(ws, stops, strict=True)])
    bonus: dict[tuple[int, int, int], float] = {}
    # Only for cells printed again (a row's chunks after its first): lines i..j-1 joined are
    # joined[offsets[i] : offsets[j]].
    joined = join_cell(lines) if known else ""
    offsets = list(itertools.accumulate((len(x.text) for x in lines), initial=0)) if known else []
    # Lines are never empty: offsets rise strictly, and a length from line i ends at one line j at most.
    ending = {offset: j for j, offset in enumerate(offsets)} if known else {}
    for c, texts in enumerate(known):
        lengths = sorted({len(text) for text in texts if text})
        for i in range(len(lines)):
            for length in lengths:
                j = ending.get(offsets[i] + length)
                if j is not None and joined[offsets[i] : offsets[j]] in texts:
                    bonus[c, i, j] = -EMPTY_CELL - 1.0  # printed again: surely this column
    return WidthCost(inner, last, bonus)


def split_cells(n: int, k: int, cost: WidthCost | SelfCost) -> tuple[list[int], float]:
    """Boundaries 0 = b0 ≤ b1 ≤ … ≤ bk = n of k consecutive segments at least total cost."""
    if isinstance(cost, WidthCost):
        return _split_prefix(n, k, cost)
    return _split_same(n, k, cost)


def _split_prefix(n: int, k: int, cost: WidthCost) -> tuple[list[int], float]:
    """`split_cells` in O(k·n) for prefix-sum costs: the best start of a non-empty segment ending at j is a
    running minimum of `best[c-1][i] - inner[c][i]`; the few `bonus` segments and the empty segment are
    tried apart."""
    if not cost.bonus:
        return _split_plain(n, k, cost)
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
            if prev[j] + EMPTY_CELL < value:
                value, start = prev[j] + EMPTY_CELL, j
            if value < math.inf:
                cur[j], here[j] = value, start
            if prev[j] - inner[j] < low:
                low, low_i = prev[j] - inner[j], j
    return _trace(back, best, n, k)


def _split_plain(n: int, k: int, cost: WidthCost) -> tuple[list[int], float]:
    """`_split_prefix` without `bonus` segments (a chunk that is a row's first): the same sums, the same
    choices."""
    inf = math.inf  # local names in the loop below, which runs k·n times a chunk
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        prev, cur, here = best[c - 1], best[c], back[c]
        inner, last = cost.inner[c - 1], cost.last[c - 1]
        empty = prev[0] + EMPTY_CELL  # j = 0: only the empty segment
        if empty < inf:
            cur[0] = empty
        low, low_i = prev[0] - inner[0], 0
        if not low < inf:
            low, low_i = inf, 0
        # j, prev[j], inner[j - 1], last[j - 1], inner[j] for j = 1 … n (inner holds n + 1 sums)
        for j, p, inner_before, last_before, inner_at in zip(
            range(1, n + 1), prev[1:], inner, last, inner[1:], strict=False
        ):
            if low < inf:
                value, start = low + inner_before + last_before, low_i
            else:
                value, start = inf, 0
            if p + EMPTY_CELL < value:
                value, start = p + EMPTY_CELL, j
            if value < inf:
                cur[j], here[j] = value, start
            if p - inner_at < low:
                low, low_i = p - inner_at, j
    return _trace(back, best, n, k)


def _split_same(n: int, k: int, cost: SelfCost) -> tuple[list[int], float]:
    """`split_cells` for a cost that is the same in every column: each step is one vector sum and minimum
    (the same sums, and the same first minimum, as the general loop). The first column starts at line 0
    only; of the last column only the end at n is needed; where a segment starts is found again only for
    the ends the trace visits."""
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        prev = best[c - 1]
        if c == 1:  # prev is 0 at line 0, infinite elsewhere: the sum at 0 is the first minimum
            best[1] = [prev[0] + by_end[0] for by_end in cost.by_end]
            continue
        for j in range(n + 1) if c < k else (n,):
            best[c][j] = min(map(operator.add, prev, cost.by_end[j]))  # as long as by_end[j]: j + 1
    bounds = [n]
    for c in range(k, 0, -1):
        j, value = bounds[-1], best[c][bounds[-1]]
        if c == 1 or not value < math.inf:
            bounds.append(0)
        else:
            bounds.append(list(map(operator.add, best[c - 1], cost.by_end[j])).index(value))
    return bounds[::-1], best[k][n]


def _trace(back: list[list[int]], best: list[list[float]], n: int, k: int) -> tuple[list[int], float]:
    bounds = [n]
    for c in range(k, 0, -1):
        bounds.append(back[c][bounds[-1]])
    return bounds[::-1], best[k][n]
