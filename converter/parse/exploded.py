"""Rebuild an exploded table (one cell fragment a line, its header printed again at every page break) from
body lines into a `Table` of rows × columns (the cell-splitting solver is `cell_split.py`).

An exploded table, as PDF extraction leaves it:

    序号 事项 主要内容 …        the header: one line of spaced column names
    1                          a row starts with its serial number on a line of its own,
    实施船 / 舶安全 / …        then each column's cell, wrapped to that column's width, column by column
    序号 事项 主要内容 …        a page break: the header again,
    1                          the serial again, then each cell continued, printed again, or left blank

Rebuilding, in order:

0. the header may run over lines a narrow column cut (`header_length`); it is known again when printed
   again cut elsewhere (`repeated_header`: spaces aside), and its column names come from where its
   printings put spaces and line ends (`_columns`); fragments a narrower column cut again (`cut`) are
   joined back first;
1. split the lines after the header into chunks at serial lines (the next number; or the same number
   right after a repeated header: the row continues); repeated headers are set aside, also from the
   lines shown as printed when the table is not rebuilt;
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
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from converter.model import Furniture, Line, Span, Table
from converter.parse.cell_split import (
    SENTENCE_END,
    UNKNOWN,
    half_up,
    join_cell,
    self_costs,
    split_cells,
    width_costs,
)
from converter.read.clean import unspaced, width

HEADER_REPEAT = "repeated table header"
CELL_REPEAT = "repeated table cell"
_SERIAL = re.compile(r"^[0-9]{1,3}$")
_ROW_COST = 0.5  # mean split cost per fragment above which a row is not trusted


def starts_exploded_table(lines: Sequence[Line], i: int) -> bool:
    """A header of four or more spaced words followed by many short fragments."""
    words = lines[i].text.split(" ")
    if len(words) < 4 or any(len(w) > 8 for w in words):
        return False
    following = lines[i + 1 : i + 9]
    return len(following) >= 6 and sum(width(x.text) <= 8 for x in following) >= 4


_HEADER_PIECES = 4


def header_length(lines: Sequence[Line], i: int) -> int:
    """How many lines the header at line i spans: a narrow column cuts it (`序号 事项 … 具体落实举` /
    `措 完成时限 国发批次`). The lines after it up to the first serial that are short words go with it when
    they are two or more words, or when the header so cut is printed again further on (cleaning joins a
    cut-off character to the next word, `限国发批次`; a single word alone is not known to name a column)."""
    n = 1
    while (
        n < _HEADER_PIECES and i + n < len(lines) and not _SERIAL.match(text := lines[i + n].text)
        and text[-1] not in SENTENCE_END and all(len(w) <= 8 for w in text.split(" "))
    ):  # fmt: skip
        n += 1
    while n > 1 and not (
        all(" " in x.text for x in lines[i + 1 : i + n])
        or any(repeated_header(lines, k, key) for key in [_key(lines[i : i + n])] for k in range(i + n, len(lines)))
    ):
        n -= 1
    return n


def repeated_header(lines: Sequence[Line], k: int, header: Sequence[Line] | str) -> int:
    """How many lines from line k print `header` again, cut anywhere (spaces aside); 0 when they do not.
    `header` may be given as its `_key` (measured once for a scan over many lines)."""
    key = header if isinstance(header, str) else _key(header)
    if not key.startswith(lines[k].text.lstrip()[:1]):  # the first line starts as the header does (most do not)
        return 0
    found = ""
    for n, line in enumerate(lines[k : k + _HEADER_PIECES], start=1):
        found += _key([line])
        if found == key:
            return n
        if not key.startswith(found):
            return 0
    return 0


def _key(lines: Sequence[Line]) -> str:
    return "".join(line.text.replace(" ", "") for line in lines)


def _columns(printings: Sequence[Sequence[Line]]) -> tuple[str, ...]:
    """Column names from every printing of a header: split where the first printing has a space, and
    where it was cut at a line's end unless another printing runs the word on across that place. (A line
    without spaces is no evidence: cleaning takes `措 完成时限` for letter-spacing.)"""
    gaps: list[dict[int, str]] = []  # per printing: place in the key → "space", "cut" or "joined"
    for lines in printings:
        kinds: dict[int, str] = {}
        at = 0
        for n, line in enumerate(lines):
            if n:
                kinds[at] = "cut"
            words = line.text.split(" ")
            for word_no, word in enumerate(words):
                if word_no:
                    kinds[at] = "space"
                for _ in word[1:]:
                    at += 1
                    kinds.setdefault(at, "joined" if len(words) > 1 else "unknown")
                at += 1 if word else 0
        gaps.append(kinds)
    first = gaps[0]
    key = _key(printings[0])
    # A line as wide as the widest was cut by the column, wherever it stood: there, only a space printed
    # at that place elsewhere makes a break between names. A shorter line ended at the end of a name.
    widest = max(width(x.text) for x in printings[0])
    blind = {at for at, x in zip(_line_ends(printings[0]), printings[0], strict=False) if width(x.text) >= widest - 1}
    cuts = [
        at for at, kind in sorted(first.items())
        if kind == "space" or any(g.get(at) == "space" for g in gaps[1:])
        or (kind == "cut" and at not in blind and not any(g.get(at) == "joined" for g in gaps[1:]))
    ]  # fmt: skip
    return tuple(key[a:b] for a, b in itertools.pairwise([0, *cuts, len(key)]) if a < b)


def _line_ends(lines: Sequence[Line]) -> list[int]:
    """Where each line but the last ends, as a place in the key."""
    return list(itertools.accumulate(len(_key([x])) for x in lines[:-1]))


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
        return join_cell(self.cells[c])


def rebuild_exploded(lines: Sequence[Line], file: str, cut: frozenset[int] = frozenset()) -> Table:
    """Rows × columns from an exploded table whose header is `lines[0]` (see the module docstring);
    `cut`: lines a narrower column cut again, whose fragment goes on on the next line."""
    header = lines[: header_length(lines, 0)]
    dropped: list[Furniture] = []
    pieces: dict[int, list[int]] = {}  # a fragment cut again → the numbers of its lines
    chunks, stray, printings = _chunks(lines, header, dropped, _Pieces(cut, pieces))
    columns = _columns([header, *printings])
    k = len(columns) - 1
    # each line measured once (as read: a fragment cut again is measured joined back)
    measured = {line.no: width(line.text) for chunk in chunks for line in chunk.lines}
    # A row's first chunk is a group's first: the splits settled on while profiling are the groups'.
    widths, ends, settled = _column_profiles([c.lines for c in chunks if not c.continues], k, measured)
    rows: list[_Row] = []
    for g, group in enumerate(_rows_of(chunks)):
        splits = _agreed_splits(group, widths, ends, measured, settled[g] if len(group) == 1 else None)
        for chunk, (segments, cost) in zip(group, splits, strict=True):
            if chunk.continues and rows:
                _continue(rows[-1], segments, dropped)
                dropped.append(Furniture(chunk.serial.no, chunk.serial.text, CELL_REPEAT))
            else:
                rows.append(_Row([[chunk.serial], *segments]))
            rows[-1].cost += cost
            rows[-1].fragments += len(chunk.lines) + 1
    # As printed, but without the header printed again at each page break (page furniture, as anywhere).
    repeats = [f for f in dropped if f.reason == HEADER_REPEAT]
    repeated = {f.line for f in repeats}
    raw = tuple(line.text for line in lines if line.no not in repeated)
    span = Span(file, lines[0].no, lines[-1].no)
    if stray or not rows:
        return Table(caption=None, rows=(), header_rows=0, confidence=0.0, raw=raw, span=span, dropped=tuple(repeats))
    trusted = sum(all(r.cells) and r.cost / r.fragments <= _ROW_COST for r in rows)
    return Table(
        caption=None,
        rows=(columns, *(tuple(join_cell(cell) for cell in r.cells) for r in rows)),
        header_rows=1,
        confidence=round(trusted / len(rows), 2),
        raw=raw,
        span=span,
        cell_lines=(
            (tuple(x.no for x in header),) * len(columns),
            *(tuple(tuple(n for x in c for n in pieces.get(x.no, [x.no])) for c in r.cells) for r in rows),
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
    group: list[_Chunk],
    widths: list[float],
    ends: list[float],
    measured: dict[int, float],
    settled: tuple[list[int], float] | None,
) -> list[tuple[list[list[Line]], float]]:
    """Split each chunk of a row into its columns, each chunk after a page break knowing the cells of
    the chunks before it: a cell printed again (whole, or as on an earlier page) stays in its column.
    `settled`: the split of a row of one chunk, already made against these widths and ends, or None."""
    if settled is not None:
        bounds, cost = settled
        return [([group[0].lines[a:b] for a, b in itertools.pairwise(bounds)], max(cost, 0.0))]
    # Only a row's last chunk has its cells complete: before a page break a cell may stop anywhere.
    cut = [UNKNOWN] * len(ends)
    splits: list[tuple[list[list[Line]], float]] = []
    for chunk in group:
        known = [
            {join_cell(s[0][c]) for s in splits if s[0][c]} | {"".join(join_cell(s[0][c]) for s in splits)}
            for c in range(len(widths))
        ]
        ws = [measured[x.no] for x in chunk.lines]
        costs = width_costs(chunk.lines, widths, ends if chunk is group[-1] else cut, known if splits else [], ws)
        bounds, cost = split_cells(len(chunk.lines), len(widths), costs)
        splits.append(([chunk.lines[a:b] for a, b in itertools.pairwise(bounds)], max(cost, 0.0)))
    return splits


@dataclass(frozen=True, slots=True)
class _Pieces:
    """Fragments cut again by a narrower column, joined back as they are read."""

    cut: frozenset[int]
    """Lines whose fragment goes on on the next line."""
    lines: dict[int, list[int]]
    """A joined fragment's first line → the numbers of all its lines."""

    def add(self, fragments: list[Line], line: Line) -> None:
        last = fragments[-1] if fragments else None
        if last is not None and self.lines.get(last.no, [last.no])[-1] in self.cut:
            self.lines.setdefault(last.no, [last.no]).append(line.no)
            fragments[-1] = replace(last, text=last.text + line.text)
        else:
            fragments.append(line)


def _chunks(
    lines: Sequence[Line], header: Sequence[Line], dropped: list[Furniture], pieces: _Pieces
) -> tuple[list[_Chunk], list[Line], list[Sequence[Line]]]:
    """Chunks at serial lines; repeated headers into `dropped` (and returned, each as printed); lines
    before the first serial apart."""
    chunks: list[_Chunk] = []
    stray: list[Line] = []
    printings: list[Sequence[Line]] = []
    last, after_header = 0, True
    k, key = len(header), _key(header)
    while k < len(lines):
        line = lines[k]
        k += 1
        if n := repeated_header(lines, k - 1, key):
            printings.append(lines[k - 1 : k - 1 + n])
            dropped += [Furniture(x.no, x.text, HEADER_REPEAT) for x in printings[-1]]
            k += n - 1
            after_header = True
            continue
        number = int(line.text) if _SERIAL.match(line.text) else None
        if number is not None and (number == last + 1 or (number == last and after_header and chunks)):
            chunks.append(_Chunk(line, continues=number == last))
            last = number
        elif chunks:
            # A fragment is running text wrapped to its column, no list of words: a space in it is stray.
            text = unspaced(line.text)
            pieces.add(chunks[-1].lines, line if text == line.text else replace(line, text=text))
        else:
            stray.append(line)
        after_header = False
    return chunks, stray, printings


def _continue(row: _Row, segments: list[list[Line]], dropped: list[Furniture]) -> None:
    """Join a row's continuation after a page break: a cell printed again unchanged is set aside.

    A cell printed again is also evidence of where the cell began and ended before the break: when the
    row's cell is the repeated text plus whole lines before (after) it, those lines belong to the
    column before (after), and are moved there.
    """
    for c, segment in enumerate(segments, start=1):
        text = join_cell(segment)
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
    # Each move below needs the repeated text to begin or end as the cell does, or the cell as it: the
    # lines are joined for every count only where it does (most cells: nowhere).
    text = join_cell(cell)
    if repeated.startswith(text):
        for k in range(1, len(after) + 1):
            if join_cell(cell + after[:k]) == repeated:
                row.cells[c], row.cells[c + 1] = cell + after[:k], after[k:]
                return
    if repeated.endswith(text):
        for k in range(len(before)):
            if join_cell(before[k:] + cell) == repeated:
                row.cells[c - 1], row.cells[c] = before[:k], before[k:] + cell
                return
    if not (text.startswith(repeated) or text.endswith(repeated)):
        return
    for k in range(1, len(cell)):
        if c > 1 and join_cell(cell[k:]) == repeated:
            row.cells[c - 1] = sorted(row.cells[c - 1] + cell[:k], key=lambda x: x.no)
            row.cells[c] = cell[k:]
            return
        if c + 1 < len(row.cells) and join_cell(cell[:k]) == repeated:
            row.cells[c + 1] = cell[k:] + row.cells[c + 1]
            row.cells[c] = cell[:k]
            return


_Split = tuple[list[int], float]
"""A chunk's split: its column boundaries and its cost."""


def _column_profiles(
    chunks: Sequence[Sequence[Line]], k: int, measured: dict[int, float]
) -> tuple[list[float], list[float], list[_Split | None]]:
    """Each column's wrap width and the share of its cells that end a sentence, from the first chunk of
    every row (where every column has a cell): split without widths, then again with the widths found,
    until they settle. Also each chunk's split against the settled widths and shares (None where there is
    none: a chunk too short to profile, or widths that did not settle)."""
    profile, _ = _profile(chunks, k, None, measured)
    settled: list[_Split | None] = [None] * len(chunks)
    for _ in range(3):
        again, splits = _profile(chunks, k, profile, measured)
        if again == profile:
            settled = splits
            break
        profile = again
    return *profile, settled


def _profile(
    chunks: Sequence[Sequence[Line]],
    k: int,
    known: tuple[list[float], list[float]] | None,
    measured: dict[int, float],
) -> tuple[tuple[list[float], list[float]], list[_Split | None]]:
    """Widths (median over chunks of a segment's modal inner-line width) and sentence-end shares; and the
    split of each chunk they were found from."""
    modes: list[list[float]] = [[] for _ in range(k)]
    singles: list[list[float]] = [[] for _ in range(k)]
    ends: list[list[bool]] = [[] for _ in range(k)]
    splits: list[_Split | None] = []
    for lines in chunks:
        if len(lines) < k:
            splits.append(None)
            continue
        ws = [measured[x.no] for x in lines]
        seg_cost = self_costs(lines, ws) if known is None else width_costs(lines, *known, (), ws)
        bounds, cost = split_cells(len(lines), k, seg_cost)
        splits.append((bounds, cost))
        for c in range(k):
            segment = lines[bounds[c] : bounds[c + 1]]
            ends[c] += [segment[-1].text[-1] in SENTENCE_END] if segment else []
            inner = Counter(half_up(w) for w in ws[bounds[c] : bounds[c + 1]][:-1])
            if inner:
                modes[c].append(inner.most_common(1)[0][0])
            elif segment:
                singles[c].append(ws[bounds[c]])
    widths = [float(statistics.median(m or s or [4.0])) for m, s in zip(modes, singles, strict=True)]
    return (widths, [sum(e) / len(e) if e else 0.5 for e in ends]), splits
