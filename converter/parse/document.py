"""Parse one document span (`segment.DocSpan`) into a `Document`: header, body, 落款, enclosed documents
and attachments, or the decisions of a 人事任免 block.

Layout of a gazette document, top to bottom (every part but the title optional):
title · 文号 · subtitle lines (a speech's occasion and speaker) · 主送 · body · 落款 (issuer lines, date) ·
publication note (（此件公开发布）) · enclosed document (title, body) · 附件 sections (`附件2`, title, body).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from converter.docnumber import match_doc_number_line
from converter.model import (
    Attachment,
    Block,
    Box,
    Clause,
    DocSpan,
    Document,
    Enclosed,
    Kind,
    Line,
    Paragraph,
    Span,
    Table,
    Warning_,
    walk,
)
from converter.numbering import match_date, match_marker
from converter.parse.appointments import parse_appointments
from converter.parse.blocks import FINAL, WRAP_MAX, WRAP_MIN, parse_blocks, typical_width, unclosed_bracket
from converter.parse.nest import join_lines
from converter.read.clean import normalize, unspaced, width

_SIGNATORY_MAX = 3
_PUBLICATION_NOTE = re.compile(r"^（(此件|此页)[^）]{1,12}）$")
_ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*(\d{1,2})?$")
_ATTACHMENT_ITEM = re.compile(r"^(?:附\s*件\s*[：:]\s*)?(?:(\d{1,2})\s*[.．、]\s*)?(.+)$")
_OMITTED = re.compile(r"[（(]略[）)]")
_PARENTHETICAL = re.compile(r"^（[^）]*）$")
_LIST_NUMBER = re.compile(r"^\d{1,2}\s*[.．、]")
_SERIAL_HEADER = "序号"
_SAME_ITEM = 0.8  # text similarity above which a table cell and a clause heading name the same item
_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff]+")

# A title ends with the name of a document type; the kind follows from it. Order matters: longest first.
_KINDS: tuple[tuple[str, Kind], ...] = (
    ("人事任免", "appointments"), ("通知", "notice"), ("通告", "notice"), ("公告", "notice"),
    ("意见", "opinion"), ("通报", "bulletin"), ("报告", "report"), ("决定", "decision"),
    ("规则", "rules"), ("办法", "rules"), ("规定", "rules"), ("细则", "rules"), ("条例", "rules"),
    ("方案", "other"), ("规划", "other"), ("计划", "other"), ("纲要", "other"), ("清单", "other"),
    ("措施", "other"), ("批复", "other"), ("函", "other"), ("要点", "other"), ("表", "other"),
)  # fmt: skip
_TITLE_SUFFIX = tuple(suffix for suffix, _ in _KINDS)


def kind_of(title: str) -> Kind:
    """Document kind from the document type its title ends with (a trailing parenthetical ignored)."""
    bare = re.sub(r"（[^）]*）$", "", title)
    for suffix, kind in _KINDS:
        if bare.endswith(suffix):
            return kind
    return "other"


def parse_document(span: DocSpan, file: str) -> tuple[Document, tuple[Warning_, ...]]:
    """Parse a document span; never fails: what is not recognised stays in the body as paragraphs."""
    lines = span.lines
    warnings: list[Warning_] = []
    if span.anchor is None:  # no 文号: the title may still be printed over two or three lines
        (title, i), doc_number = _title(lines), None
        title_lines = i
    else:
        # Spacing is decided on the whole title: a wrapped fragment may look like a list of words; a title
        # is none (a space left between its words is stray).
        title = unspaced(normalize(join_lines([line.text for line in lines[: span.anchor]]))) or lines[span.anchor].text
        found = match_doc_number_line(lines[span.anchor].text)
        doc_number = found[0] if found else None
        i = span.anchor + 1 if span.anchor > 0 else 1
        title_lines = max(span.anchor, 1)
    whole = Span(file, lines[0].no, lines[-1].no)

    if span.appointments:
        appointments = parse_appointments(lines[span.anchor or 0 :], file)
        return (
            Document(
                title=title, doc_number=None, kind="appointments", subtitle=(), addressees=None, body=(),
                signatories=(), date=None, publication_note=None, enclosed=(), attachments=(),
                appointments=appointments, span=whole,
            ),
            (),
        )  # fmt: skip

    subtitle, addressees, i = _header(lines, i)
    sign_at = _signature(lines, i)
    body_end = sign_at[0] if sign_at else len(lines)
    body, body_warnings = parse_blocks(lines[i:body_end], file, "")
    warnings.extend(body_warnings)
    signatories: tuple[str, ...] = ()
    date = note = None
    enclosed: list[Enclosed] = []
    rest_start = body_end
    if sign_at:
        first, date_at = sign_at
        names = lines[first:date_at]  # the wrap width joins a name to the one above: of one line, not needed
        signatories = _signatories(names, typical_width(lines) if len(names) > 1 else None)
        date = match_date(lines[date_at].text)
        rest_start = date_at + 1
        if rest_start < len(lines) and _PUBLICATION_NOTE.match(lines[rest_start].text):
            note = lines[rest_start].text
            rest_start += 1
    rest = lines[rest_start:]
    sections = _attachment_sections(rest)
    pre_attachments = rest[: sections[0][0]] if sections else rest
    if pre_attachments:
        encl_title, n = _title(pre_attachments)
        encl_blocks, encl_warnings = parse_blocks(pre_attachments[n:], file, "encl-")
        warnings.extend(encl_warnings)
        enclosed.append(
            Enclosed(
                title=encl_title,
                kind=kind_of(encl_title),
                blocks=encl_blocks,
                span=Span(file, pre_attachments[0].no, pre_attachments[-1].no),
            )
        )
    printed: list[Attachment] = []
    for k, (start, number) in enumerate(sections):
        end = sections[k + 1][0] if k + 1 < len(sections) else len(rest)
        part = rest[start + 1 : end]
        att_title, n = _title(part) if part else ("", 0)
        blocks, att_warnings = parse_blocks(part[n:], file, f"att{number}-")
        warnings.extend(att_warnings)
        label = rest[start].text.replace(" ", "")
        printed.append(
            Attachment(
                label=label, number=number, title=att_title, omitted=False, anchor=f"att{number}",
                blocks=blocks, span=Span(file, rest[start].no, rest[end - 1].no),
            )
        )  # fmt: skip
    listed = _listed_attachments(list(walk(body)) + [b for e in enclosed for b in walk(e.blocks)])
    attachments = _merge_attachments(listed, printed)
    body, enclosed, attachments = _number_tables(body, enclosed, attachments)
    document = Document(
        title=title, doc_number=doc_number, kind=kind_of(title), subtitle=subtitle, addressees=addressees,
        body=body, signatories=signatories, date=date, publication_note=note, enclosed=tuple(enclosed),
        attachments=attachments, appointments=(), span=whole, title_lines=title_lines,
    )  # fmt: skip
    return document, tuple(warnings)


_HEADER_LINES, _HEADER_CHARS = 5, 100


def _header(lines: Sequence[Line], i: int) -> tuple[tuple[str, ...], str | None, int]:
    """Subtitle lines and 主送 (a line, possibly wrapped, ending in a colon) right after the title/文号:
    within five lines, or more where a narrow column cut them short (the text above it is what counts)."""
    for j in range(i, len(lines)):
        text = lines[j].text
        if j - i >= _HEADER_LINES and sum(len(line.text) for line in lines[i:j]) > _HEADER_CHARS:
            break
        if match_marker(text) is not None or (text[-1] in FINAL and not text.endswith("：")):
            break
        if text.endswith("："):
            start = _addressees_start(lines, i, j)
            subtitle = tuple(line.text for line in lines[i:start])
            return subtitle, join_lines([line.text for line in lines[start : j + 1]]).rstrip("："), j + 1
    return (), None, i


def _addressees_start(lines: Sequence[Line], i: int, colon: int) -> int:
    """First line of a 主送 that ends on line `colon`: a wrapped 主送 runs up to the highest line above
    that starts with 各… or ends a name with ，/、 (各市、县（区）人民政府，/ 自治区政府各部门、各直属 /
    机构：), through lines that end no sentence; a subtitle (——…) is not part of it."""
    start = colon
    for k in range(colon - 1, i - 1, -1):
        text = lines[k].text
        if text[-1] in FINAL or text.startswith("——"):
            break
        if text.startswith("各") or text[-1] in "，、":
            start = k
    return start


def _signature(lines: Sequence[Line], start: int) -> tuple[int, int] | None:
    """(first signatory line, date line) of the first 落款 after `start`: issuer lines then a date."""
    for d in range(start + 1, len(lines)):
        if match_date(lines[d].text) is None:
            continue
        first = d
        while first - 1 >= start and d - (first - 1) <= _SIGNATORY_MAX and _is_signatory(lines[first - 1].text):
            first -= 1
        if first < d:
            return first, d
    return None


def _is_signatory(text: str) -> bool:
    """An issuer's name: short, no sentence, no clause, no list (，), no bracket closed from the line above."""
    return (
        len(text) <= 30 and text[-1] not in FINAL and match_marker(text) is None and "：" not in text
        and "，" not in text and text.count("）") <= text.count("（") and text.count(")") <= text.count("(")
    )  # fmt: skip


def _signatories(lines: Sequence[Line], wrap: float | None) -> tuple[str, ...]:
    """Issuer names, one a line; a name cut at the wrap width continues on a short line below it
    (`宁夏回族自治区人民政府办` / `公厅`), which no issuer's full name is. One name a line: a space left
    inside one is stray (`宁夏回族自 治区人民政府办公厅`)."""
    names: list[str] = []
    for line in lines:
        if names and wrap is not None and abs(width(names[-1]) - wrap) <= 1 and width(line.text) <= wrap / 2:
            names[-1] += line.text
        else:
            names.append(line.text)
    return tuple(map(unspaced, names))


def _attachment_sections(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """(index, number) of each `附件` / `附件2` label line that starts a printed attachment."""
    sections: list[tuple[int, int]] = []
    for k, line in enumerate(lines):
        m = _ATTACHMENT_LABEL.match(line.text)
        if m and k + 1 < len(lines):
            sections.append((k, int(m.group(1) or 1)))
    return sections


def _title(lines: Sequence[Line]) -> tuple[str, int]:
    """Title at the head of an enclosed document or attachment, and how many lines it takes."""
    taken = 1
    title = lines[0].text
    wrap: float | None = None
    measured = False  # the wrap width: measured (over the whole part) the first time a line could show it
    while taken < min(len(lines), 3):
        nxt = lines[taken].text
        if _PARENTHETICAL.match(nxt) or unclosed_bracket(title):  # `…计划（2021年—` / `2023年）`
            title += nxt
            taken += 1
            continue
        if match_marker(nxt) or nxt[-1] in FINAL or len(nxt) > 40:
            break
        # A title line cut at the wrap width goes on on a short line (`中华人民共和国粮食安全保` / `障法`). A
        # wrap width is never outside WRAP_MIN … WRAP_MAX: most lines cannot show one.
        cut_at, rest = width(lines[taken - 1].text), width(nxt)
        if WRAP_MIN - 1 <= cut_at <= WRAP_MAX + 1 and rest <= WRAP_MAX / 2:
            if not measured:
                wrap, measured = typical_width(lines), True
            if wrap is not None and abs(cut_at - wrap) <= 1 and rest <= wrap / 2:
                title = join_lines([title, nxt])
                taken += 1
                continue
        # A line that already ends like a title (…代表) goes on only when the next one ends it again.
        longer = join_lines([title, nxt]).endswith(_TITLE_SUFFIX)
        if not longer and (title.endswith(_TITLE_SUFFIX) or not _is_title_tail(lines, taken)):
            break
        title = join_lines([title, nxt])
        taken += 1
    return unspaced(normalize(title)), taken  # a title is no list of words: a space in it is stray


def _is_title_tail(lines: Sequence[Line], k: int) -> bool:
    """Whether joining one more line then another would end the title (a three-line title)."""
    return k + 1 < len(lines) and join_lines([lines[k].text, lines[k + 1].text]).endswith(_TITLE_SUFFIX)


def _listed_attachments(blocks: Sequence[Block]) -> list[Attachment]:
    """Attachments named in a `附件：1. …（略）` list in the body."""
    found: list[Attachment] = []
    for block in blocks:
        if not isinstance(block, Paragraph) or not re.match(r"^附\s*件\s*[：:]", block.text):
            continue
        items = block.text.split("\n")
        entries: list[str] = []  # a line that starts no item goes on with the item above (a wrapped title)
        for item in items:
            if entries and not _LIST_NUMBER.match(item):
                entries[-1] = join_lines([entries[-1], item])
            else:
                entries.append(item)
        numbered = len(entries) > 1 and all(re.match(r"^(附\s*件\s*[：:]\s*)?\d", item) for item in entries)
        entries = entries if numbered else [join_lines(items)]
        for k, item in enumerate(entries, start=1):
            m = _ATTACHMENT_ITEM.match(item.strip())
            if not m:
                continue
            number = int(m.group(1)) if m.group(1) else k
            text = m.group(2).strip()
            omitted = bool(_OMITTED.search(text))
            title = _OMITTED.sub("", text).strip()
            label = f"附件{number}" if numbered else "附件"
            found.append(
                Attachment(label, number, title, omitted, f"att{number}", (), block.span)
            )
    return found


def _merge_attachments(listed: list[Attachment], printed: list[Attachment]) -> tuple[Attachment, ...]:
    """One entry per attachment number: the printed one where printed, else the listed one."""
    by_number: dict[int, Attachment] = {a.number: a for a in listed}
    for attachment in printed:
        listed_one = by_number.get(attachment.number)
        if listed_one is not None and not attachment.title:
            attachment = Attachment(
                attachment.label, attachment.number, listed_one.title, False, attachment.anchor,
                attachment.blocks, attachment.span,
            )  # fmt: skip
        by_number[attachment.number] = attachment
    return tuple(by_number[n] for n in sorted(by_number))


def _number_tables(
    body: tuple[Block, ...], enclosed: list[Enclosed], attachments: tuple[Attachment, ...]
) -> tuple[tuple[Block, ...], list[Enclosed], tuple[Attachment, ...]]:
    """Give every table of a document its id (`table-1`… in reading order) and its row links."""
    parts = [body, *(e.blocks for e in enclosed), *(a.blocks for a in attachments)]
    clauses = [b for part in parts for b in walk(part) if isinstance(b, Clause) and b.heading]
    count = iter(range(1, 10_000))

    def visit(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """`blocks` with their tables numbered: the same tuple when it holds no table at any depth (a
        document has thousands of clauses and a few tables)."""
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Table):
                column, links = _row_links(block, clauses)
                block = replace(block, anchor=f"table-{next(count)}", row_links=links, link_column=column)
            elif isinstance(block, Clause | Box) and (children := visit(block.children)) is not block.children:
                block = replace(block, children=children)
            out.append(block)
        return blocks if all(map(operator.is_, out, blocks)) else tuple(out)

    return (
        visit(body),
        [replace(e, blocks=visit(e.blocks)) for e in enclosed],
        tuple(replace(a, blocks=visit(a.blocks)) for a in attachments),
    )


def _row_links(table: Table, clauses: list[Clause]) -> tuple[int, tuple[str, ...]]:
    """For a trusted table numbered by 序号: the column that best matches clause headings and, per body
    row, the clause whose heading names the same item as the row's cell there; (0, ()) when none does."""
    body = table.rows[table.header_rows :]
    if table.low_confidence or not body or table.rows[0][0].replace(" ", "") != _SERIAL_HEADER:
        return 0, ()
    best: tuple[int, int, list[str]] = (0, 0, [])
    headings = [(SequenceMatcher(None, "", _words(c.heading), autojunk=True), c.anchor) for c in clauses]
    for c in range(1, len(table.rows[0])):
        links = list(_matches([row[c] for row in body], headings))
        found = sum(bool(link) for link in links)
        if found > best[0]:
            best = (found, c, links)
    found, column, links = best
    return (column, tuple(links)) if found >= max(2, len(body) // 2) else (0, ())


def _matches(cells: list[str], headings: list[tuple[SequenceMatcher[str], str]]) -> Iterator[str]:
    """Per cell, the anchor of the unused heading most like it (similarity at least `_SAME_ITEM`), or "".
    The matchers hold the headings as their second sequence; the cheap upper bounds skip most pairs."""
    used: set[str] = set()
    for cell in cells:
        text = _words(cell)
        scored: list[tuple[float, str]] = []
        for matcher, anchor in headings:
            if anchor in used:
                continue
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() >= _SAME_ITEM and matcher.quick_ratio() >= _SAME_ITEM:
                scored.append((matcher.ratio(), anchor))
        score, anchor = max(scored, default=(0.0, ""))
        if text and score >= _SAME_ITEM:
            used.add(anchor)
            yield anchor
        else:
            yield ""


def _words(text: str) -> str:
    """The text's word characters and ideographs, nothing else (its other characters removed in runs, not
    its word characters found one by one)."""
    return _NOT_WORD.sub("", text)
