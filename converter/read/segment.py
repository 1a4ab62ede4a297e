"""Split a cleaned source (`CleanSource`) into front matter and one line span per document (`Segments`).

A document is found by its anchor, a line that is a 文号 by itself (`宁政办发〔2023〕13号`); its title is
the run of short lines printed just above the anchor. Consecutive anchors that carry a date on the same
line (`宁政干发〔2020〕13号 2020年11月26日`) are the decisions of one 人事任免 block, whose title is the line
above the first of them. Text before the first document is front matter when it holds a 目录 or an
编辑委员会; otherwise it is a document without 文号 (a report, a speech) whose title is its first line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from converter.docnumber import match_doc_number_line
from converter.layout import is_colophon_label, is_front_heading, is_toc_line
from converter.model import CleanSource, DocSpan, Line
from converter.numbering import match_date, match_marker
from converter.read.clean import width

_FINAL = "。！？；：!?;…"
_MAX_TITLE_LINES = 6
_MAX_APPOINTMENTS_TITLE_LINES = 2  # `自治区人民政府人事任免`, cut once by a narrow column
_MAX_TITLE_WIDTH = 60
_MAX_ONE_LINE_TITLE = 200
"""A title printed on one line just above its 文号 may be longer than `_MAX_TITLE_WIDTH` (the printed page
wraps it, an extraction may not), as long as it reads as a title: no sentence punctuation in it."""
_SENTENCE = "。；：;:"
_CLOSING = "）)〕]】》”’，、。；："


@dataclass(frozen=True, slots=True)
class Segments:
    """A source cut into front matter and documents."""

    front: tuple[Line, ...]
    """Cover, editorial board, 目录 and colophon lines (empty when the extraction has none)."""
    documents: tuple[DocSpan, ...]
    """Documents in printed order."""


def segment(clean: CleanSource) -> Segments:
    """Cut the cleaned lines into front matter and document spans."""
    lines = _join_cut_dates(clean.lines)
    anchors = [i for i, line in enumerate(lines) if _is_anchor(line)]
    starts: list[tuple[int, int, bool]] = []  # (title start, anchor index, appointments)
    previous_end = 0
    i = 0
    while i < len(anchors):
        a = anchors[i]
        dated = _is_dated_anchor(lines[a])
        if dated:
            # A 人事任免 block: this and the following dated anchors; title = the heading line above.
            j = i
            while j + 1 < len(anchors) and _is_dated_anchor(lines[anchors[j + 1]]):
                j += 1
            start = _title_start(lines, a, previous_end, limit=_MAX_APPOINTMENTS_TITLE_LINES)
            starts.append((start, a, True))
            previous_end = anchors[j] + 1
            i = j + 1
            continue
        start = _title_start(lines, a, previous_end, limit=_MAX_TITLE_LINES)
        starts.append((start, a, False))
        previous_end = a + 1
        i += 1

    first_start = starts[0][0] if starts else len(lines)
    head = lines[:first_start]
    front: tuple[Line, ...] = ()
    spans: list[DocSpan] = []
    if any(is_front_heading(line.text) for line in head):
        front = head
    elif head:
        spans.append(DocSpan(lines=head, anchor=None, appointments=False))
    for k, (start, anchor, appointments) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        spans.append(DocSpan(lines=lines[start:end], anchor=anchor - start, appointments=appointments))
    return Segments(front=front, documents=tuple(spans))


def _join_cut_dates(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """A 文号 line whose date a narrow column cut (`宁政干发〔2020〕13号 2020年` / `11月26日`) as one line."""
    out: list[Line] = []
    k = 0
    while k < len(lines):
        found = match_doc_number_line(lines[k].text)
        if found is not None and found[1] and k + 1 < len(lines) and match_date(found[1]) is None:
            joined = lines[k].text + lines[k + 1].text
            rest = match_doc_number_line(joined)
            if rest is not None and match_date(rest[1]) is not None:
                out.append(replace(lines[k], text=joined))
                k += 2
                continue
        out.append(lines[k])
        k += 1
    return tuple(out)


def _is_anchor(line: Line) -> bool:
    """A 文号 printed on a line by itself (optionally with its date), not a TOC entry."""
    found = match_doc_number_line(line.text)
    if found is None:
        return False
    rest = found[1]
    return rest == "" or match_date(rest) is not None


def _is_dated_anchor(line: Line) -> bool:
    found = match_doc_number_line(line.text)
    return found is not None and found[1] != "" and match_date(found[1]) is not None


def _title_start(lines: tuple[Line, ...], anchor: int, floor: int, limit: int) -> int:
    """Index of the first title line above an anchor: short lines that end no sentence, at most `limit`."""
    start = anchor
    while start - 1 >= floor and anchor - (start - 1) <= limit:
        text = lines[start - 1].text
        if not _could_be_title(text, adjacent=start == anchor):
            break
        start -= 1
    # A line that only closes what the line above opened (`)` of a wrapped colophon line) starts no title;
    # a title marked as a heading (`#`, a hint) starts at its first marked line, not on the tail of a
    # wrapped colophon line above it (`印刷：…机要印` / `刷厂` / `# 自治区…`).
    while start < anchor and lines[start].text[0] in _CLOSING:
        start += 1
    marked = [k for k in range(start, anchor) if lines[k].hint]
    if marked:
        return marked[0]
    # A colophon line as wide as the widest title line was cut by the wrap: the line below ends its value.
    if start < anchor - 1 and start > floor and is_colophon_label(lines[start - 1].text):
        if width(lines[start - 1].text) >= max(width(line.text) for line in lines[start:anchor]) - 1:
            start += 1
    return start


def _could_be_title(text: str, adjacent: bool = False) -> bool:
    """A line that may belong to a title; `adjacent`: the line right above the 文号, which may be long."""
    if len(text) > _MAX_TITLE_WIDTH and not (
        adjacent and len(text) <= _MAX_ONE_LINE_TITLE and not any(c in text for c in _SENTENCE)
    ):
        return False
    if text[-1] in _FINAL or "\t" in text:
        return False
    if text.startswith(("（此件", "附件")) or match_date(text) or is_colophon_label(text):
        return False
    if is_front_heading(text) or is_toc_line(text):  # the 目录 above the first document
        return False
    if match_doc_number_line(text) is not None:
        return False
    marker = match_marker(text)
    return marker is None or marker.kind.name in ("zhang", "bian")
