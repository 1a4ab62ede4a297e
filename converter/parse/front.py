"""Parse an issue's front matter lines into cover data, 编辑委员会, 目录 and colophon.

The front matter of the gazette is printed in a fixed order (masthead, board, cover data, 目录,
colophon) but extraction may interleave it with page furniture; each line is classified on its own by
the patterns below, and every line ends in one of the parts or in `furniture` with a reason.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from converter.docnumber import match_doc_number_line
from converter.layout import BOARD_HEADING, COLOPHON, TOC_HEADING, TOC_SECTION, TOC_TAIL, is_colophon_label
from converter.model import (
    Colophon,
    EditorialBoard,
    Furniture,
    IssueMeta,
    Line,
    SourceText,
    Span,
    TocEntry,
)
from converter.numbering import match_date
from converter.read.clean import normalize

_FREQUENCY = re.compile(r"^（(半月刊|月刊|旬刊|周刊|季刊)）$")
_ISSUE_NO = re.compile(r"^(\d{4})\s*年\s*第\s*(\d{1,3})\s*期$")
_TOTAL_NO = re.compile(r"^（?总\s*第\s*(\d{1,5})\s*期）?$")
_PUBLISHED = re.compile(r"^(.+日)\s*出版$")
_ROLE = re.compile(r"^(?P<role>[\u4e00-\u9fff]{1,6})：(?P<rest>.*)$")
_NOTE = re.compile(r"^（[^）]*）$")
# A running slogan printed on TOC pages: two or more four-character phrases (发布政令 宣传政策).
# What a narrow column leaves of an entry's last line on the next line: leader dots, `(`, page digits, `)`.
_TAIL_PIECE = re.compile(r"^[.．…·。\s]*[（(]?\s*\d*\s*[）)]?$")
_SLOGAN = re.compile(r"^[\u4e00-\u9fff]{4}( [\u4e00-\u9fff]{4})+$")

def _is_slogan(text: str) -> bool:
    """Four-character phrases spaced apart (发布政令 宣传政策), also with a stray space inside a phrase
    (`发布 政令 宣传政策`): spaces at least between every four characters."""
    if _SLOGAN.match(text):
        return True
    words = text.split(" ")
    if len(words) < 2 or not all(re.fullmatch(r"[\u4e00-\u9fff]+", w) for w in words):
        return False
    ends = set(itertools.accumulate(len(w) for w in words))
    total = max(ends)
    return total % 4 == 0 and total >= 8 and all(at in ends for at in range(4, total, 4))


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What the front matter holds."""

    meta: IssueMeta
    board: EditorialBoard | None
    toc: tuple[TocEntry, ...]
    colophon: Colophon | None
    furniture: tuple[Furniture, ...]


def parse_front(lines: tuple[Line, ...], source: SourceText) -> FrontMatter:
    """Classify each front-matter line into cover data, board, TOC, colophon or furniture."""
    file = source.name
    furniture: list[Furniture] = []
    cover: dict[str, object] = {}
    cover_lines: list[int] = []
    board_lines: list[Line] = []
    toc_lines: list[Line] = []
    colophon_lines: list[Line] = []
    mode = "cover"
    seen_toc = False
    for line in lines:
        text = line.text
        if _is_slogan(text):
            furniture.append(Furniture(line.no, text, "page slogan"))
            continue
        if _cover_field(text, cover):
            cover_lines.append(line.no)
            continue
        if BOARD_HEADING.match(text):
            mode = "board"
            continue
        if TOC_HEADING.match(text):
            if seen_toc:
                furniture.append(Furniture(line.no, text, "repeated header"))
            seen_toc = True
            mode = "toc"
            continue
        if is_colophon_label(text):
            mode = "colophon"
        if mode == "board":
            board_lines.append(line)
        elif mode == "toc":
            toc_lines.append(line)
        elif mode == "colophon":
            colophon_lines.append(line)
        else:
            furniture.append(Furniture(line.no, text, "masthead"))

    meta = IssueMeta(
        year=_int(cover.get("year")),
        number=_int(cover.get("number")),
        total_number=_int(cover.get("total")),
        published=str(cover["published"]) if "published" in cover else None,
        frequency=str(cover["frequency"]) if "frequency" in cover else None,
        inferred=False,
        span=Span(file, min(cover_lines), max(cover_lines)) if cover_lines else None,
    )
    toc, toc_furniture = parse_toc(toc_lines, file)
    board = parse_board(board_lines, source) if board_lines else None
    colophon = parse_colophon(colophon_lines, file) if colophon_lines else None
    return FrontMatter(meta, board, toc, colophon, tuple(furniture + toc_furniture))


def _cover_field(text: str, cover: dict[str, object]) -> bool:
    """Record a cover-data line (半月刊, 年第N期, 总第N期, 出版日期) in `cover`; False when it is none."""
    if m := _FREQUENCY.match(text):
        cover["frequency"] = m.group(1)
    elif m := _ISSUE_NO.match(text):
        cover["year"], cover["number"] = int(m.group(1)), int(m.group(2))
    elif m := _TOTAL_NO.match(text):
        cover["total"] = int(m.group(1))
    elif (m := _PUBLISHED.match(text)) and (date := match_date(m.group(1))):
        cover["published"] = date
    else:
        return False
    return True


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def parse_board(lines: list[Line], source: SourceText) -> EditorialBoard:
    """编辑委员会: `role：names` lines, then name lines continuing the last role.

    Names are read from the raw source line, where the printed spacing still separates them; a run of
    single characters is letter-spacing inside two-character names (`李 明 杨 武` → 李明, 杨武).
    """
    roles: list[tuple[str, list[str]]] = []
    note: str | None = None
    for line in lines:
        raw = source.lines[line.no - 1]
        m = _ROLE.match(line.text)
        if m:
            role = m.group("role")
            rest = re.split(r"[:：]", raw, maxsplit=1)[-1]
            if _NOTE.match(m.group("rest")):
                note, rest = m.group("rest"), ""
            roles.append((role, _names(rest)))
        elif roles:
            roles[-1][1].extend(_names(raw))
        else:
            roles.append(("", _names(raw)))
    return EditorialBoard(
        roles=tuple((role, tuple(names)) for role, names in roles),
        note=note,
        span=Span(source.name, lines[0].no, lines[-1].no),
    )


def _names(raw: str) -> list[str]:
    tokens = [t for t in re.split(r"[\s\u3000]+", raw.replace("#", "")) if t]
    names: list[str] = []
    pending = ""
    for token in tokens:
        if len(token) == 1:
            pending += token
            if len(pending) == 2:
                names.append(pending)
                pending = ""
        else:
            if pending:
                names.append(pending)
                pending = ""
            names.append(token)
    if pending:
        names.append(pending)
    return names


def parse_toc(lines: list[Line], file: str) -> tuple[tuple[TocEntry, ...], list[Furniture]]:
    """目录 entries: title lines up to a line ending in leader dots and a page number."""
    entries: list[TocEntry] = []
    furniture: list[Furniture] = []
    section: str | None = None
    pending: list[Line] = []
    for line in _unwrap_toc(lines):
        text = line.text
        if m := TOC_SECTION.match(text):
            section = "【" + m.group(1).replace(" ", "") + "】"
            continue
        tail = TOC_TAIL.match(text)
        if not tail:
            pending.append(line)
            continue
        head = tail.group("head").strip()
        doc_number = None
        found = match_doc_number_line(head) if head else None
        if found is not None:
            doc_number = found[0]
            head = found[1]
        title_parts = [p.text for p in pending] + ([head] if head else [])
        title = normalize("".join(title_parts))  # spacing decided on the whole title, not per line
        first = pending[0].no if pending else line.no
        entries.append(
            TocEntry(
                section=section,
                title=title,
                doc_number=doc_number,
                page=int(tail.group("page")),
                span=Span(file, first, line.no),
            )
        )
        pending = []
    for line in pending:
        furniture.append(Furniture(line.no, line.text, "unterminated TOC entry"))
    return tuple(entries), furniture


def _unwrap_toc(lines: list[Line]) -> list[Line]:
    """目录 lines as printed before a narrow column wrapped them: a `【section` cut before its `】`, and an
    entry's last line whose leader dots or page went on to the next lines (`..... (1` / `0)`), joined."""
    out: list[Line] = []
    for line in lines:
        if out:
            prev = out[-1].text
            if (prev.startswith("【") and "】" not in prev) or (_TAIL_PIECE.match(line.text) and not TOC_TAIL.match(prev)):
                out[-1] = replace(out[-1], text=prev + line.text)
                continue
        out.append(line)
    return out


def parse_colophon(lines: list[Line], file: str) -> Colophon:
    """Colophon `label：value` lines; a line without a label continues the previous value."""
    fields: list[tuple[str, str]] = []
    for line in lines:
        m = COLOPHON.match(line.text)
        if m:
            fields.append((m.group("label"), m.group("value").strip()))
        elif fields:
            label, value = fields[-1]
            names = _is_name(value.split("、")[-1]) and _is_name(line.text)
            fields[-1] = (label, f"{value}、{line.text}" if names else value + line.text)
        else:
            fields.append(("", line.text))
    return Colophon(fields=tuple(fields), span=Span(file, lines[0].no, lines[-1].no))


def _is_name(text: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text))
