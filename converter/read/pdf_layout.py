"""The geometry of a PDF's pages → lines in reading order: furniture set aside, columns read in turn,
wrapped lines joined, ruled tables rebuilt (see `read.pdf`, which reads the characters for this module).

PDF coordinates: points, y growing upwards. Every threshold is relative to the font size of the text
concerned or to the page, never to a particular layout.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Char", "Rule", "lay_out"]

_BAND = 0.12
"""Top and bottom share of the page where running heads and page numbers are printed."""
_PAGE_NUMBER = re.compile(r"^[-—–·\s]*(\d{1,4})[-—–·\s]*$|^第\s*(\d{1,4})\s*页$")
_GAP = 1.5
"""A horizontal gap wider than this many character widths separates two columns (or table cells)."""
_SPACE = 0.5
"""A gap wider than this many character widths inside a line was printed as a space."""
_TITLE = 1.3
"""Text this many times the body size or more is a title (`#`)."""
_RULE = 2.5
"""A path thinner than this (points) is a ruling line."""


@dataclass(frozen=True, slots=True)
class Char:
    code: int
    left: float
    bottom: float
    right: float
    top: float
    size: float
    bold: bool
    page: int


@dataclass(frozen=True, slots=True)
class Rule:
    left: float
    bottom: float
    right: float
    top: float


@dataclass(slots=True)
class Item:
    """A printed line piece (or a table row) on one page."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float
    bold: bool
    page: int
    column: int = 0
    """0 or 1 in a two-column stretch, -1 across the page."""
    table: bool = False
    bounds: tuple[float, float] = field(default=(0.0, 0.0))
    """Left and right edge of the column (or the page's text) this item is set in."""


class Page(NamedTuple):
    """What `read.pdf` reads off one page for the layout."""

    width: float
    height: float
    chars: list[Char]
    rules: list[Rule]
    """Bounds of the page's path objects: ruling lines and rectangles."""
    images: int


def lay_out(pages: list[Page]) -> tuple[list[str], list[int], list[tuple[int, str]]]:
    """(lines, PDF page of each line, (line number, furniture reason) pairs) of a whole PDF."""
    margins: list[list[Item]] = []
    bodies: list[tuple[list[Item], list[Item], float]] = []
    for page in pages:
        tables, rest = _tables(page.rules, page.chars)
        items = _items(rest)
        margins.append([i for i in items if i.bottom > page.height * (1 - _BAND) or i.top < page.height * _BAND])
        bodies.append((items, tables, page.width))
    repeated = Counter(_shape(i) for margin in margins for i in margin)
    sizes = Counter(c.size for page in pages for c in page.chars)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0

    often = max(2, len(pages) // 5)
    reasons = {id(i): reason for margin in margins for i in margin if (reason := _furniture(i, repeated, often))}
    flows = [([i for i in items if id(i) not in reasons] + tables, width) for items, tables, width in bodies]
    gutters = [_gutter(flow, width, 3) for flow, width in flows]
    found = Counter(round(g / 5) * 5 for g in gutters if g is not None)
    usual = found.most_common(1)[0][0] if found else None
    out = _Out()
    for (flow, width), (items, _, _), gutter in zip(flows, bodies, gutters, strict=True):
        if gutter is None and usual is not None and _gutter(flow, width, 1, [usual]) is not None:
            gutter = usual  # a page with little text in one column, set like the others
        body = _reading_order(flow, gutter)
        furniture = sorted((i for i in items if id(i) in reasons), key=lambda i: -i.top)
        middle = (min((i.bottom for i in body), default=0) + max((i.top for i in body), default=0)) / 2
        for item in furniture:
            if item.bottom >= middle:
                out.later(item, reasons[id(item)])
        for item in body:
            out.add(item, body_size)
        for item in furniture:
            if item.bottom < middle:
                out.later(item, reasons[id(item)])
    out.flush()
    return out.lines, out.pages, out.furniture


class _Out:
    """Paragraphs accumulated line piece by line piece; furniture waits until the paragraph ends."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pages: list[int] = []
        self.furniture: list[tuple[int, str]] = []
        self.open: Item | None = None
        self.text = ""
        self.page = 0
        self.prefix = ""
        self.waiting: list[tuple[Item, str]] = []

    def add(self, item: Item, body_size: float) -> None:
        if self.open is not None and not item.table and _continues(self.open, item):
            self.text = _joined((self.text, item.text))
            self.open = item
            return
        self.flush()
        self.open, self.text, self.page = item, item.text, item.page
        self.prefix = "" if item.table else "# " if item.size >= body_size * _TITLE else "## " if item.bold else ""

    def later(self, item: Item, reason: str) -> None:
        self.waiting.append((item, reason))
        if self.open is None:
            self.flush()

    def flush(self) -> None:
        if self.open is not None:
            self._line(self.prefix + self.text.rstrip(), self.page)
            self.open = None
        for item, reason in self.waiting:
            self._line(item.text.rstrip(), item.page)
            self.furniture.append((len(self.lines), reason))
        self.waiting = []

    def _line(self, text: str, page: int) -> None:
        if self.lines:
            self.lines.append("")
            self.pages.append(page)
        self.lines.append(text)
        self.pages.append(page)


def _continues(a: Item, b: Item) -> bool:
    """Whether `b` carries on the paragraph or title that `a` was wrapped from."""
    if a.table or abs(a.size - b.size) > 0.6 or a.bold != b.bold:
        return False
    same_run = a.page == b.page and a.column == b.column
    if same_run and a.bottom - b.top > 0.45 * b.size:
        return False  # a blank between them: a new paragraph
    full = a.right >= a.bounds[1] - _GAP * a.size
    if not full:
        return False
    if b.left <= b.bounds[0] + 0.6 * b.size:
        return True
    # A centred title: the wrapped line ran the width, the rest is centred under it.
    middle = (b.bounds[0] + b.bounds[1]) / 2
    return same_run and a.left <= a.bounds[0] + _GAP * a.size and abs((b.left + b.right) / 2 - middle) < b.size


def _joined(lines: Iterable[str]) -> str:
    """Lines wrapped in a paragraph or a cell joined back: a space only between two ASCII words, or where
    the line was broken at a printed space (kept at the end of the line)."""
    text = ""
    for line in lines:
        text += (" " if _ascii_word(text[-1:]) and _ascii_word(line[:1]) else "") + line
    return text


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _shape(item: Item) -> tuple[str, int]:
    """A margin line's text with its numbers blanked, and its height on the page to 5 points."""
    return re.sub(r"\d+", "#", item.text.replace(" ", "")), round(item.bottom / 5)


def _furniture(item: Item, repeated: Counter[tuple[str, int]], often: int) -> str | None:
    """Why a line in the page margin is furniture: a page number, or a head printed at the same height on
    at least `often` pages."""
    if _PAGE_NUMBER.match(item.text.strip()):
        return "page number"
    if repeated[_shape(item)] >= often and len(item.text) <= 60:
        return "running head"
    return None


def _items(chars: list[Char]) -> list[Item]:
    """Line pieces: characters on one baseline, split where a gap is wider than `_GAP` characters."""
    items: list[Item] = []
    row: list[Char] = []
    for char in sorted(chars, key=lambda c: (-(c.top + c.bottom) / 2, c.left)):
        if row and abs((char.top + char.bottom) / 2 - (row[0].top + row[0].bottom) / 2) > 0.4 * char.size:
            items += _pieces(row)
            row = []
        row.append(char)
    if row:
        items += _pieces(row)
    return items


def _pieces(row: list[Char]) -> list[Item]:
    row.sort(key=lambda c: c.left)
    pieces: list[list[Char]] = [[row[0]]]
    for char in row[1:]:
        if char.left - pieces[-1][-1].right > _GAP * char.size:
            pieces.append([char])
        else:
            pieces[-1].append(char)
    return [_item(piece) for piece in pieces if "".join(chr(c.code) for c in piece).strip()]


def _item(chars: list[Char]) -> Item:
    text = ""
    for prev, char in zip([None, *chars], chars, strict=False):
        if prev is not None and char.left - prev.right > _SPACE * char.size and not text.endswith(" "):
            text += " "
        text += chr(char.code)
    sizes = Counter(c.size for c in chars if not chr(c.code).isspace())
    bold = sum(c.bold for c in chars) * 2 > len(chars)
    return Item(text.lstrip(), min(c.left for c in chars), min(c.bottom for c in chars),
                max(c.right for c in chars), max(c.top for c in chars),
                sizes.most_common(1)[0][0] if sizes else chars[0].size, bold, chars[0].page)  # fmt: skip


def _reading_order(items: list[Item], gutter: float | None) -> list[Item]:
    """Columns one after the other; an item across the gutter ends the stretch of columns above it."""
    if not items:
        return []
    left_edge = min(i.left for i in items)
    right_edge = max(i.right for i in items)
    for item in items:
        if gutter is None or (item.left < gutter < item.right):
            item.column, item.bounds = -1, (left_edge, right_edge)
        else:
            item.column = 0 if item.right <= gutter else 1
    for column in (0, 1):
        inside = [i for i in items if i.column == column]
        if inside:
            bounds = (min(i.left for i in inside), max(i.right for i in inside))
            for item in inside:
                item.bounds = bounds
    ordered: list[Item] = []
    stretch: list[Item] = []
    for item in sorted(items, key=lambda i: -i.top):
        if item.column == -1:
            ordered += sorted(stretch, key=lambda i: (i.column, -i.top))
            stretch = []
            ordered.append(item)
        else:
            stretch.append(item)
    return ordered + sorted(stretch, key=lambda i: (i.column, -i.top))


def _gutter(items: list[Item], width: float, least: int, candidates: list[float] | None = None) -> float | None:
    """The x of a gap between two columns with at least `least` items on either side, crossed by at most a
    third of the items (a tenth when `candidates` are given: the gutter of the other pages); or None."""
    best: tuple[int, float] | None = None
    for x in candidates or [width * step / 100 for step in range(30, 71)]:
        left = sum(1 for i in items if i.right <= x)
        right = sum(1 for i in items if i.left >= x)
        crossing = len(items) - left - right
        share = 10 if candidates else 3
        if (min(left, right) >= max(least, 1) and crossing * share <= len(items)
                and (best is None or crossing < best[0])):  # fmt: skip
            best = (crossing, x)
    return None if best is None else best[1]


def _tables(rules: list[Rule], chars: list[Char]) -> tuple[list[Item], list[Char]]:
    """Ruled tables as one item per row (cells joined by tabs), and the characters outside them."""
    horizontal: list[tuple[float, float, float]] = []  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = []  # (x, y0, y1)
    for r in rules:
        w, h = r.right - r.left, r.top - r.bottom
        if h < _RULE and w > _RULE:
            horizontal.append(((r.top + r.bottom) / 2, r.left, r.right))
        elif w < _RULE and h > _RULE:
            vertical.append(((r.left + r.right) / 2, r.bottom, r.top))
        elif w > _RULE and h > _RULE:
            horizontal += [(r.bottom, r.left, r.right), (r.top, r.left, r.right)]
            vertical += [(r.left, r.bottom, r.top), (r.right, r.bottom, r.top)]
    if len(horizontal) < 2 or len(vertical) < 2:
        return [], chars
    items: list[Item] = []
    inside: set[int] = set()
    for box in _grids(horizontal, vertical):
        ys = _cluster(y for y, x0, x1 in horizontal if box[0] - 1 <= x0 and x1 <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1)
        xs = _cluster(x for x, y0, y1 in vertical if box[1] - 1 <= y0 and y1 <= box[3] + 1 and box[0] - 1 <= x <= box[2] + 1)
        if len(ys) < 2 or len(xs) < 3:
            continue  # a box or a single rule, not a table
        cells: dict[tuple[int, int], list[Char]] = {}
        for index, char in enumerate(chars):
            cx, cy = (char.left + char.right) / 2, (char.top + char.bottom) / 2
            if xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]:
                inside.add(index)
                row = sum(1 for y in ys if y > cy) - 1
                col = sum(1 for x in xs if x < cx) - 1
                cells.setdefault((row, col), []).append(char)
        for row in range(len(ys) - 1):
            texts = [_joined(i.text for i in _items(cells.get((row, col), []))).strip() for col in range(len(xs) - 1)]
            if any(texts):
                size = Counter(c.size for (r, _), cs in cells.items() if r == row for c in cs).most_common(1)
                top = len(ys) - row - 1
                items.append(Item("\t".join(texts), xs[0], ys[top - 1], xs[-1], ys[top],
                                  size[0][0] if size else 10.0, False, chars[0].page, table=True))
    return items, [c for index, c in enumerate(chars) if index not in inside]


def _grids(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (left, bottom, right, top) of groups of rules that touch each other."""
    boxes = [(x0, y, x1, y) for y, x0, x1 in horizontal] + [(x, y0, x, y1) for x, y0, y1 in vertical]
    while True:
        merged: list[tuple[float, float, float, float]] = []
        for box in boxes:
            for k, m in enumerate(merged):
                if box[0] <= m[2] + 2 and m[0] <= box[2] + 2 and box[1] <= m[3] + 2 and m[1] <= box[3] + 2:
                    merged[k] = (min(m[0], box[0]), min(m[1], box[1]), max(m[2], box[2]), max(m[3], box[3]))
                    break
            else:
                merged.append(box)
        if len(merged) == len(boxes):
            return merged
        boxes = merged


def _cluster(values: object) -> list[float]:
    """Sorted distinct positions, positions within 2 points of each other counted as one."""
    out: list[float] = []
    for v in sorted(values):  # type: ignore[call-overload]
        if not out or v - out[-1] > 2:
            out.append(v)
    return out
