"""Nest grouped lines (`Unit`s, from `parse.blocks`) into blocks: the numbered clause tree with permanent
anchors from the printed numbering, paragraphs with wrapped lines joined, tables, 专栏 boxes, footnotes.

A clause closes every open clause of its rank or lower (the ordered marker table, `numbering.MARKER_KINDS`);
its anchor joins the numbers of the clauses it sits in (`p3-2-1`, `ch2-art5`), prefixed inside an
enclosed document or attachment (`encl-`, `att2-`), made unique with a warning when printed twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from converter.model import Block, Box, Clause, Footnote, Line, Paragraph, Span, Table, Warning_
from converter.numbering import MARKER_KINDS, TIAO, Marker, anchor_part
from converter.parse.exploded import rebuild_exploded, starts_exploded_table
from converter.parse.tab_table import tab_table
from converter.read.clean import unspaced, widen_punctuation, width

RUN_IN_MAX = 40
_TITLE_MAX = 24
BOX = re.compile(r"^专栏\s*(?P<number>\d{1,2})\s*(?P<title>.*)$")
ITEM_NUMBER = re.compile(r"^(\d{1,2})\s*[.．、]")
# A footnote line: `<sup>①</sup> 注文` or `① 注文` (the latter only where it interrupts a sentence).
FOOTNOTE = re.compile(r"^(?:<sup>(?P<sup>[^<]{1,4})</sup>|(?P<circled>[①-⑳]))\s*(?P<text>.+)$")
RANK = {kind.name: kind.rank for kind in MARKER_KINDS}


@dataclass(slots=True)
class Unit:
    """A group of source lines that become one block (mutable only while `parse.blocks` groups lines)."""

    kind: str  # para | clause | table | pre | box | list | note
    lines: list[Line]
    marker: Marker | None = None
    closed: bool = False
    cut: frozenset[int] = frozenset()
    """Lines a narrower column cut again, going on on the next line (read in an exploded table)."""


@dataclass(slots=True)
class _Open:
    """A clause being assembled on the nesting stack."""

    marker: Marker
    heading: str
    anchor: str
    first: int
    last: int
    children: list[Block] = field(default_factory=list)


def join_lines(texts: Sequence[str]) -> str:
    """Join hard-wrapped lines: no space in Chinese text, one space between two ASCII words, punctuation
    widened across the joins. Lines of running text are no lists of words: spaces kept between CJK words
    on a short line are dropped."""
    out = ""
    for text in texts if len(texts) < 2 else map(unspaced, texts):
        if out and out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha():
            out += " "
        out += text
    # A mark cut off its text by the column (`…车道` / `;`) is widened as on the line it was cut from.
    return widen_punctuation(out) if len(texts) > 1 else out


def nest(units: list[Unit], file: str, prefix: str, warnings: list[Warning_]) -> tuple[Block, ...]:
    root: list[Block] = []
    stack: list[_Open] = []
    used: set[str] = set()

    def target() -> list[Block]:
        return stack[-1].children if stack else root

    def close_to(rank: int) -> None:
        while stack and RANK[stack[-1].marker.kind.name] >= rank:
            done = stack.pop()
            target().append(_freeze(done, file))

    for unit in units:
        first, last = unit.lines[0].no, unit.lines[-1].no
        span = Span(file, first, last)
        if unit.kind == "clause" and unit.marker is not None:
            marker = unit.marker
            close_to(marker.kind.rank)
            text = unspaced(join_lines([marker.rest] + [line.text for line in unit.lines[1:]]))
            heading, rest = _split_run_in(text, article=marker.kind is TIAO)
            parts = [anchor_part(c.marker.kind, c.marker.number) for c in stack]
            parts.append(anchor_part(marker.kind, marker.number))
            anchor = _unique(prefix + _ensure_letter("-".join(parts)), used, first, warnings)
            opened = _Open(marker, heading, anchor, first, last)
            if rest:
                opened.children.append(Paragraph(rest, span))
            stack.append(opened)
        elif unit.kind == "table":
            target().append(_table(unit, span))
        elif unit.kind == "pre":
            target().append(_exploded(unit, file))
        elif unit.kind == "box":
            target().append(_box(unit, file, prefix, used, warnings))
        elif unit.kind == "note":
            m = FOOTNOTE.match(unit.lines[0].text)
            assert m is not None  # grouped as a note because it matched
            target().append(Footnote(m["sup"] or m["circled"], m["text"].strip(), span))
        elif unit.kind == "list":
            target().append(Paragraph("\n".join(line.text for line in unit.lines), span))
        else:
            text = join_lines([line.text for line in unit.lines])
            if stack and not stack[-1].heading and not stack[-1].children:
                # `第 三 章` / `国土空间规划`: the label alone on its line, its text on the next; shown joined.
                warnings.append(Warning_(first, "heading-next-line", f"{stack[-1].marker.label}的文字取自下一行：{text[:40]}"))
            target().append(Paragraph(text, span))
        if stack:
            stack[-1].last = max(stack[-1].last, last)
    close_to(-1)
    return tuple(root)


def _freeze(opened: _Open, file: str) -> Clause:
    last = max([opened.last] + [child.span.last for child in opened.children])
    return Clause(
        kind=opened.marker.kind.name,
        number=opened.marker.number,
        label=opened.marker.label,
        heading=opened.heading,
        anchor=opened.anchor,
        children=tuple(opened.children),
        span=Span(file, opened.first, last),
    )


def _split_run_in(text: str, article: bool = False) -> tuple[str, str]:
    """Split a clause's text into heading and body.

    A short text is all heading (`总体要求`); a run-in heading ends at its first full stop
    (`指导思想。` + `以习近平…`), except an article's first sentence longer than a title; a numbered
    paragraph, whose text is a sentence rather than a short title, keeps only its number as the heading
    and the whole text as its body: a long text with no full stop early on (`一、根据《宪法》…，制定本规则。`), or one sentence with nothing after it that is longer than a
    title (`四、自治区人民政府由主席、副主席、秘书长和各厅厅长、各委员会主任组成。`).
    """
    if width(text) <= RUN_IN_MAX:
        return ("", text) if _is_sentence(text) else (text, "")
    for i, ch in enumerate(text[: RUN_IN_MAX + 1]):
        if ch in "。：:":
            head, rest = text[: i + 1], text[i + 1 :].strip()
            # An article (第X条) has no run-in title that is a whole sentence: its text was joined to the
            # next paragraph because it ended at the wrap width (a plan's `（七）…便利化。` is a title).
            return (head, rest) if rest and not (article and _is_sentence(head)) else ("", text)
    return "", text


def _is_sentence(text: str) -> bool:
    """A whole clause text that reads as a sentence, not a title: it ends in a full stop and is longer
    than a title. `1.实施一批重大绿色改造项目。` and `（一）优化产业结构，增强产业聚集度。` are titles (a pause
    inside does not make a sentence: titles of plans pair two phrases)."""
    return text[-1:] in "。；" and width(text) > _TITLE_MAX


def _ensure_letter(anchor: str) -> str:
    return "p" + anchor if anchor[:1].isdigit() else anchor


def _unique(anchor: str, used: set[str], line: int, warnings: list[Warning_]) -> str:
    if anchor not in used:
        used.add(anchor)
        return anchor
    n = 2
    while f"{anchor}-{n}" in used:
        n += 1
    warnings.append(Warning_(line, "duplicate-anchor", f"expected a unique clause number, found {anchor} again"))
    used.add(f"{anchor}-{n}")
    return f"{anchor}-{n}"


def _table(unit: Unit, span: Span) -> Table:
    """A tab-separated table, the short line above it as its caption."""
    lines = unit.lines
    caption = None
    if not lines[0].tabbed:
        caption, lines = lines[0].text, lines[1:]
    return tab_table(lines, caption, span)


def _exploded(unit: Unit, file: str) -> Table:
    """An exploded table rebuilt, the short line above its header as its caption."""
    lines = unit.lines
    caption = None
    if len(lines) > 1 and starts_exploded_table(lines, 1):
        caption, lines = lines[0].text, lines[1:]
    table = rebuild_exploded(lines, file, unit.cut)
    if caption is None:
        return table
    return replace(table, caption=caption, raw=(caption, *table.raw), span=Span(file, unit.lines[0].no, table.span.last))


def _box(unit: Unit, file: str, prefix: str, used: set[str], warnings: list[Warning_]) -> Box:
    """A 专栏 box: its title line, then one paragraph per numbered item (wrapped lines joined)."""
    m = BOX.match(unit.lines[0].text)
    assert m is not None  # grouped as a box because it matched
    items: list[list[Line]] = []
    for line in unit.lines[1:]:
        if ITEM_NUMBER.match(line.text) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    children = tuple(
        Paragraph(join_lines([x.text for x in item]), Span(file, item[0].no, item[-1].no)) for item in items
    )
    number = int(m["number"])
    anchor = _unique(f"{prefix}box{number}", used, unit.lines[0].no, warnings)
    label = unit.lines[0].text[: m.start("title")].replace(" ", "")
    return Box(label, number, m["title"].strip(), anchor, children, Span(file, unit.lines[0].no, unit.lines[-1].no))
