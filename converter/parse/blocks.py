"""Group the lines of a document body into units (`parse.nest` makes them blocks): paragraphs (wrapped lines
joined), tables, boxes, footnotes and the numbered clauses, nested into a tree with permanent anchors.

Rules, in order, for each line (a catch-all paragraph rule last, so no line is ever dropped):

1. tab-separated lines form a table (the short line above them is its caption, `专栏1 …` included);
2. a line of four or more spaced words followed by short fragments starts an exploded table, rebuilt
   by `parse.exploded` (the short line above it is its caption);
3. `专栏2 标题` followed by items `1.` `2.` … is a box (专栏): its items are not clauses of the chapter;
4. `附件：` starts an attachment list, whose numbered items stay with it;
5. a clause marker (`numbering.match_marker`) that continues the numbering in force starts a clause;
   a marker that would repeat or jump far back (`一、二、三产业…`) is ordinary text;
6. otherwise the line continues the open paragraph when that paragraph's last line ends no sentence
   or was wrapped at the full line width; else it starts a new paragraph.

A source with a blank line after every printed line whose lines a narrower column cut again is read at
both widths (`_recut`): a piece cut again goes on on the next line, which then starts no heading.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from converter.model import Block, Line, Warning_
from converter.numbering import CIRCLED, TIAO, Marker, format_label, match_marker
from converter.parse.exploded import header_length, repeated_header, starts_exploded_table
from converter.parse.nest import BOX, FOOTNOTE, ITEM_NUMBER, RANK, RUN_IN_MAX, Unit, join_lines, nest
from converter.read.clean import unspaced, width

FINAL = "。！？；：!?;…"
_CLOSERS = "”’」』）)"
_MAX_GAP = 3
_MIN_WRAPPED = 5
WRAP_MIN, WRAP_MAX = 10, 45
"""The narrowest and widest wrap width (`typical_width`): lines narrower or wider tell nothing of it."""
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[：:]")
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.．、]")
# Bracket pairs; a half-width parenthesis pairs with a full-width one (`(2021年—` … `2023年）`).
_OPENERS, _CLOSERS_OF = ("（(", "〔", "[", "【", "《", "“"), ("）)", "〕", "]", "】", "》", "”")
_ANY_OPENER = re.compile("[" + re.escape("".join(_OPENERS)) + "]")
_PAIR_OF = {opener: (opens, closes) for opens, closes in zip(_OPENERS, _CLOSERS_OF, strict=True) for opener in opens}
"""Each opening bracket → its pair's opening and closing brackets."""


def typical_width(lines: Sequence[Line], markers: dict[int, Marker | None] | None = None) -> float | None:
    """The width at which the extraction hard-wrapped lines, or None when it did not wrap. `markers`: the
    lines' markers by index as far as asked (`_marker_of`), kept for a caller that asks again."""
    widths: Counter[int] = Counter()
    # Each line's marker asked once (as a line, then as the one above).
    markers = {} if markers is None else markers
    for k, line in enumerate(lines):
        if line.tabbed or line.hint or line.text[-1] in FINAL:
            continue
        w = width(line.text)
        if not WRAP_MIN <= w <= WRAP_MAX or _marker_of(lines, k, markers) is not None:
            continue
        above = _marker_of(lines, k - 1, markers) if k else None
        if above is None or above.rest:  # not the title of a label alone on its line (`第三章` / `国土空间规划`)
            widths[round(w)] += 1
    if not widths:
        return None
    # Text wrapped twice (at the page width, then again narrower) has lines at the narrow width and the
    # remainders of the first wrap; the wrap width is the widest that many lines reach, not the commonest.
    top = widths.most_common(1)[0][1]
    if top < _MIN_WRAPPED:
        return None
    return float(max(w for w, count in widths.items() if count >= _MIN_WRAPPED and 3 * count >= top))


def _marker_of(lines: Sequence[Line], k: int, markers: dict[int, Marker | None]) -> Marker | None:
    """`match_marker` of line k, asked once per line and kept in `markers`."""
    if k not in markers:
        markers[k] = match_marker(lines[k].text)
    return markers[k]


def parse_blocks(
    lines: Sequence[Line], file: str, prefix: str = ""
) -> tuple[tuple[Block, ...], tuple[Warning_, ...]]:
    """Group lines into paragraphs, tables and nested clauses; anchors get `prefix` (`encl-`, `att2-`).

    The wrap width is measured on these lines alone: a body, an enclosed plan and an attachment table
    may each have been set at another width.
    """
    warnings: list[Warning_] = []
    markers: dict[int, Marker | None] = {}  # the lines' markers: asked for the wrap width, then grouping
    wrap, cut = _recut(lines, typical_width(lines, markers))
    units = _group(lines, wrap, warnings, markers, cut)
    return nest(units, file, prefix, warnings), tuple(warnings)


def _recut(lines: Sequence[Line], wrap: float | None) -> tuple[float | None, frozenset[int]]:
    """A source that leaves a blank line after every printed line, its lines cut again by a narrower
    column: the printed lines end before a blank line, and give the wrap width; a line with no blank line
    after it that reaches the narrower width was cut again, and goes on on the next (its number is
    returned; printed lines too may follow each other with no blank line between). A line reaches the
    narrower width when at most one cell wider (as it may have been printed: `_printed_width`) or three
    cells short of it (an indented first line, a line cut before a wide character). Else (wrap, nothing)."""
    ends = [b.no > a.no + 1 for a, b in itertools.pairwise(lines)]
    if not ends or not 0.2 <= sum(ends) / len(ends) <= 0.8:
        return wrap, frozenset()
    rows: list[Line] = []  # the printed lines, their pieces joined again
    for line, glued in zip(lines, [False, *(not end for end in ends)], strict=True):
        if glued:
            rows[-1] = replace(rows[-1], text=rows[-1].text + line.text)
        else:
            rows.append(line)
    printed = typical_width(rows)
    if printed is None or wrap is None or printed <= wrap + 2:
        return wrap, frozenset()
    return printed, frozenset(
        line.no for line, end in zip(lines, ends, strict=False)
        if not end and wrap - 3 <= width(line.text) and _printed_width(line.text) <= wrap + 1
    )  # fmt: skip


_WIDENED = re.compile("[（），：；！？]")


def _printed_width(text: str) -> float:
    """The narrowest width a cleaned line may have been printed at: cleaning widens ASCII punctuation
    (`(电动)` → `（电动）`), so each full-width parenthesis or mark may have taken half a cell."""
    return width(text) - 0.5 * len(_WIDENED.findall(text))


def _group(
    lines: Sequence[Line],
    wrap: float | None,
    warnings: list[Warning_],
    markers: dict[int, Marker | None],
    cut: frozenset[int] = frozenset(),
) -> list[Unit]:
    units: list[Unit] = []
    notes: list[Unit] = []  # footnotes waiting for the paragraph they interrupted to end
    open_kinds: list[tuple[str, int]] = []  # (kind, number) of the clauses open, outermost first
    last_seen: dict[str, int] = {}

    def start(unit: Unit) -> None:
        units.extend(notes)
        notes.clear()
        units.append(unit)

    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        current = units[-1] if units else None
        kind, j = "", i
        if line.tabbed:
            kind, j = "table", next((k for k in range(i, len(lines)) if not lines[k].tabbed), len(lines))
        elif starts_exploded_table(lines, i):
            # To the end of the part, or to a heading that continues the outermost numbering in force
            # (the document's next 二、 or 第五条 after a table printed inside its 一、 or 第四条), or to
            # the header of another table (its own header again is a page break inside this one).
            kind, header = "pre", lines[i : i + header_length(lines, i)]
            j = next(
                (
                    k
                    for k in range(i + 1, len(lines))
                    if _continues(_marker_of(lines, k, markers), open_kinds[:1])
                    or (starts_exploded_table(lines, k) and not repeated_header(lines, k, header))
                ),
                len(lines),
            )
        if kind:
            table = Unit(kind, list(lines[i:j]), closed=True, cut=cut)
            # A short line without a full stop just before the table is its caption.
            if current and current.kind == "para" and len(current.lines) == 1 and _is_caption(current.lines[0]):
                table.lines.insert(0, units.pop().lines[0])
            start(table)
            i = j
            continue
        if (j := _box_end(lines, i, wrap, open_kinds, markers)) > i:
            box = list(lines[i:j])
            if _heading_tail(lines, i, wrap):  # the title cut by the column: one title line again
                box[:2] = [replace(box[0], text=join_lines([box[0].text, box[1].text]))]
            start(Unit("box", box, closed=True))
            i = j
            continue
        if _ATTACHMENT_LIST.match(text):
            j = i + 1
            while j < len(lines) and _continues_attachment_list(lines[i], lines[j], lines[j - 1]):
                j += 1
            start(Unit("list", list(lines[i:j]), closed=True))
            i = j
            continue
        if _is_footnote(line, current, wrap):
            notes.append(Unit("note", [line], closed=True))
            i += 1
            continue
        # A line that goes on from a line cut again inside a sentence is no heading, whatever it starts with.
        cut_above = i > 0 and lines[i - 1].no in cut and lines[i - 1].text[-1] not in FINAL + ":"
        marker = None if cut_above else _marker_of(lines, i, markers)
        inside = current is not None and not current.closed and _is_open(current, wrap)
        # Inside a word: the line above was cut by the column right after an ideograph (`…国家的统` / `一、安全…`),
        # in running text longer than a title (a heading cut at the width, `…粮食安全根基` / `1.稳定…`, is done).
        mid_word = (  # asked only of a line with a marker
            marker is not None and inside and current is not None and _cut_in_word(current.lines[-1].text, wrap)
            and sum(width(ln.text) for ln in current.lines) > RUN_IN_MAX
        )  # fmt: skip
        if marker is not None and _accept(marker, open_kinds, last_seen, line, warnings, inside, mid_word):
            rank = marker.kind.rank
            while open_kinds and RANK[open_kinds[-1][0]] >= rank:
                open_kinds.pop()
            open_kinds.append((marker.kind.name, marker.number))
            last_seen[marker.kind.name] = marker.number
            closed = _closed_heading(text, None if line.hint else wrap) and line.no not in cut
            taken = 2 if closed and _heading_tail(lines, i, wrap) else 1
            if closed and taken == 1 and _title_below(lines, i, marker, wrap):
                below = lines[i + 1]
                warnings.append(Warning_(below.no, "heading-next-line", f"{marker.label}的文字取自下一行：{below.text[:40]}"))
                taken = 2
            start(Unit("clause", list(lines[i : i + taken]), marker=marker, closed=closed))
            i += taken
            continue
        # `inside` is `_is_open(current, wrap)` here: current is open.
        if current is None or current.closed or _ends_enumeration(units) or not (inside or current.lines[-1].no in cut):
            start(Unit("para", [line]))
        else:
            current.lines.append(line)
        i += 1
    units.extend(notes)
    return units


def _is_footnote(line: Line, current: Unit | None, wrap: float | None) -> bool:
    """`<sup>①</sup> …` always; `① …` only where it cuts an unfinished sentence (a page foot)."""
    m = FOOTNOTE.match(line.text)
    if m is None:
        return False
    if m["sup"]:
        return True
    return current is not None and not current.closed and _is_open(current, wrap)


def _accept(
    marker: Marker,
    open_kinds: list[tuple[str, int]],
    last_seen: dict[str, int],
    line: Line,
    warnings: list[Warning_],
    inside: bool = False,
    mid_word: bool = False,
) -> bool:
    """Whether a marker continues the numbering in force (else it is ordinary text). `inside`: the line
    comes inside an unfinished sentence (the line above ends none); `mid_word`: inside a word, the line
    above cut at the wrap width after an ideograph, where a first number (`一、`) opens no numbering."""
    name, n = marker.kind.name, marker.number
    open_numbers = [number for kind, number in open_kinds if kind == name]
    previous = open_numbers[-1] if open_numbers else last_seen.get(name, 0)
    opens = not open_numbers and n == 1
    if (n == previous + 1 or opens) and not (opens and mid_word):
        return True
    # A gap is a skipped number; but ② where no ① began is an inline enumeration (`①…；②…`) cut by a wrap,
    # and a number inside an unfinished sentence (`全国第` / `三，实现了…`) is the sentence going on.
    if previous < n <= previous + _MAX_GAP and (previous > 0 or marker.kind is not CIRCLED) and not inside:
        warnings.append(
            Warning_(line.no, "numbering-gap", f"expected {format_label(marker.kind, previous + 1)}, found {marker.label}")
        )
        return True
    if n <= previous and _closed_heading(line.text, None):
        warnings.append(
            Warning_(
                line.no,
                "numbering-repeat",
                f"expected {format_label(marker.kind, previous + 1)}, found {marker.label} again; kept as text",
            )
        )
    return False


def _cut_in_word(text: str, wrap: float | None) -> bool:
    """Whether a line ends in an ideograph at the wrap width: the column cut it, inside a sentence."""
    return wrap is not None and abs(width(text) - wrap) <= 1 and "\u4e00" <= text[-1] <= "\u9fff"


def _closed_heading(text: str, wrap: float | None) -> bool:
    """A heading line that stands alone: short, no sentence in it, not cut at the wrap width.

    A markdown `#` on the line is taken as evidence that it was not wrapped (the caller passes no width).
    """
    if any(ch in FINAL for ch in text) or text[-1] in _CLOSERS:
        return False
    # A first line is indented by two characters, so a wrapped heading line may be short of the width.
    # Spaces kept between words (a stray OCR space may make a line look like a list) took no place in print.
    printed = width(unspaced(text))
    if wrap is not None and wrap - 3 <= printed <= wrap + 1:
        return False
    return printed <= RUN_IN_MAX


def _heading_tail(lines: Sequence[Line], i: int, wrap: float | None) -> bool:
    """Whether line i, a heading marked `#` and cut at the wrap width (`## 二、健全绿色低碳循环`), goes on
    on the next line: a short line that ends no sentence, or a very short one (`示范行动。`) or one after a
    pause (`优化产业结构，` / `增强产业聚集度。`), and is no heading itself (`发展的生产体系`)."""
    # The marks (`## `) took their place on the printed line too.
    line = lines[i]
    if wrap is None or not line.hint or abs(width(line.text) + (line.hint + 1) / 2 - wrap) > 1 or i + 1 >= len(lines):
        return False
    tail = lines[i + 1]
    return (
        not tail.tabbed and not tail.hint and match_marker(tail.text) is None
        and (tail.text[-1] not in FINAL or width(tail.text) <= wrap / 2 or line.text[-1] in "，、")
        and width(tail.text) < wrap - 1
    )  # fmt: skip


def _title_below(lines: Sequence[Line], i: int, marker: Marker, wrap: float | None) -> bool:
    """Whether line i is a label alone (`第三节`) whose title is the next line (`国土空间规划`): a heading
    line itself, standing alone, with no number. Else the title would run on into the paragraph below.
    An article (第X条) has no title: the line below is its text."""
    if marker.rest or marker.kind is TIAO or i + 1 >= len(lines):
        return False
    below = lines[i + 1]
    return (
        not below.tabbed and match_marker(below.text) is None and not BOX.match(below.text)
        and _closed_heading(below.text, None if below.hint else wrap)
    )  # fmt: skip


def _is_open(unit: Unit, wrap: float | None) -> bool:
    """Whether the next line may continue this unit's last line."""
    last = unit.lines[-1].text
    # A bracket left open (`unclosed_bracket`) continues any unit; it is looked for only where nothing
    # else decides (most lines end inside a sentence).
    if unit.kind == "clause" and len(unit.lines) == 1 and unit.closed:
        return unclosed_bracket(last)
    if last[-1] not in FINAL and not (last[-1] in _CLOSERS and len(last) > 1 and last[-2] in FINAL):
        return True
    return unclosed_bracket(last) or (wrap is not None and abs(width(unspaced(last)) - wrap) <= 1)


def _ends_enumeration(units: list[Unit]) -> bool:
    """Whether the last unit is the last item of an enumeration: an item ending in 。 after an item of the
    same numbering ending in ；. Its full stop at the wrap width ends the list, not a wrapped line."""
    last = units[-1]
    if last.kind != "clause" or last.marker is None or last.lines[-1].text[-1] != "。":
        return False
    kind, number = last.marker.kind, last.marker.number
    previous = next((u for u in reversed(units[:-1]) if u.marker is not None and u.marker.kind is kind), None)
    return previous is not None and previous.marker is not None and previous.marker.number == number - 1 and (
        previous.lines[-1].text[-1] == "；"
    )


def unclosed_bracket(text: str) -> bool:
    """A bracket opened and not closed on the line (`[责任单位：` … `自治区自然资源厅]` on the next)."""
    # Only the kinds of bracket opened on the line are counted (most lines: none, or one or two kinds).
    for opener in set(_ANY_OPENER.findall(text)):
        opens, closes = _PAIR_OF[opener]
        if sum(map(text.count, opens)) > sum(map(text.count, closes)):
            return True
    return False


def _is_caption(line: Line) -> bool:
    return width(line.text) <= 40 and line.text[-1] not in FINAL


def _box_end(
    lines: Sequence[Line],
    i: int,
    wrap: float | None,
    open_kinds: list[tuple[str, int]],
    markers: dict[int, Marker | None],
) -> int:
    """End (exclusive) of a box starting at line i: a `专栏N 标题` line, then items 1. 2. … (wrapped
    lines of an item included), up to a line that is not the next item and continues the numbering of
    the clauses around the box (items are short phrases without a final 。, so an item would otherwise
    run on into the next clause); i itself when line i does not start a box."""
    title = lines[i].text
    if not BOX.match(title) or width(title) > RUN_IN_MAX or title[-1] in FINAL:
        return i
    j, expected = (i + 2 if _heading_tail(lines, i, wrap) else i + 1), 1
    while j < len(lines) and not lines[j].tabbed:
        m = ITEM_NUMBER.match(lines[j].text)
        if m and int(m.group(1)) == expected:
            expected += 1
        elif (
            expected == 1
            or not _is_open(Unit("para", [lines[j - 1]]), wrap)
            or _continues(_marker_of(lines, j, markers), open_kinds)
        ):
            break
        j += 1
    return j if expected > 1 else i


def _continues(marker: Marker | None, open_kinds: list[tuple[str, int]]) -> bool:
    """Whether a line's marker is the next number of one of the open clauses' numberings."""
    return marker is not None and any(
        kind == marker.kind.name and marker.number == number + 1 for kind, number in open_kinds
    )


def _continues_attachment_list(first: Line, line: Line, previous: Line) -> bool:
    if _LIST_ITEM.match(line.text) and width(line.text) <= 60:
        return True
    # An item's title wrapped by a narrow column: cut inside brackets, or a short rest with no marker.
    if _LIST_ITEM.search(first.text) and match_marker(line.text) is None and line.text[-1] not in FINAL:
        text = previous.text
        if unclosed_bracket(text) or (text[-1] not in FINAL + _CLOSERS and width(line.text) <= 20):
            return True
    # A single-item list wrapped onto a second short line.
    return (
        not _LIST_ITEM.search(first.text)
        and first.text[-1] not in FINAL
        and width(line.text) <= 20
        and line.text[-1] not in FINAL
        and match_marker(line.text) is None
        and not line.text.startswith("附件")
    )
