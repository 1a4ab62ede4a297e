"""The cell-splitting solver (`converter/parse/cell_split.py`): both fast splits reach the optimum that the
plain O(k·n²) search over every boundary (kept here as the oracle) finds."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.model import Line
from converter.parse.cell_split import self_costs, split_cells, width_costs


def least_total_cost(n: int, k: int, seg_cost: Callable[[int, int, int], float]) -> float:
    """The oracle: the least total cost of k consecutive segments of n lines, by trying every boundary."""
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        for j in range(n + 1):
            for i in range(j + 1):
                if best[c - 1][i] < math.inf:
                    best[c][j] = min(best[c][j], best[c - 1][i] + seg_cost(c - 1, i, j))
    return best[k][n]


_FRAGMENT = st.tuples(st.integers(1, 14), st.sampled_from(["", "。", "；", "，"]))


@settings(max_examples=150, deadline=None)
@given(
    fragments=st.lists(_FRAGMENT, max_size=22),
    widths=st.lists(st.floats(2, 14), min_size=1, max_size=6),
    ends=st.lists(st.one_of(st.just(-1.0), st.floats(0, 1)), min_size=6, max_size=6),
    repeated=st.tuples(st.integers(0, 5), st.integers(0, 21), st.integers(1, 6)),
)
def test_fast_cell_splits_find_the_optimum_of_the_general_search(
    fragments: list[tuple[int, str]], widths: list[float], ends: list[float], repeated: tuple[int, int, int]
) -> None:
    """Both fast splits (prefix sums against column widths; one cost for every column) reach the least
    total cost that the general O(k·n²) search over every boundary finds."""
    lines = [Line(no=n + 1, text="字" * count + end, hint=0) for n, (count, end) in enumerate(fragments)]
    k = len(widths)
    known: list[set[str]] = [set() for _ in range(k)]
    column, start, length = repeated
    if lines and column < k:
        start = min(start, len(lines) - 1)
        known[column].add("".join(x.text for x in lines[start : start + length]))
    for cost in (width_costs(lines, widths, ends[:k], known), self_costs(lines)):
        fast_bounds, fast = split_cells(len(lines), k, cost)
        general = least_total_cost(len(lines), k, cost)
        assert fast == pytest.approx(general, abs=1e-9)
        assert fast_bounds[0] == 0 and fast_bounds[-1] == len(lines) and fast_bounds == sorted(fast_bounds)
        assert sum(cost(c, a, b) for c, (a, b) in enumerate(itertools.pairwise(fast_bounds))) == pytest.approx(fast)
