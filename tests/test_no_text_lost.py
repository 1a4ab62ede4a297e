"""No source text is lost: every CJK character of every non-furniture source line reaches the model, in
order (documents) or at least once (front matter), for the samples and for mutated samples (Hypothesis)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.errors import SourceError
from converter.model import Block, Box, Clause, Document, Footnote, Issue, Paragraph, SourceText, Table
from converter.pipeline import parse_source
from converter.read.source import read_source
from converter.render.document import chinese_date

SOURCES = sorted((Path(__file__).parent.parent / "sources").glob("*.txt"))
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def ideographs(text: str) -> list[str]:
    return _IDEOGRAPH.findall(text)


def _blocks(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Clause):
            yield block.label + block.heading
            yield from _blocks(block.children)
        elif isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Box):
            yield block.label + block.title
            yield from _blocks(block.children)
        elif isinstance(block, Table) and not rebuilt(block):
            yield from (block.caption or "", *("".join(row) for row in block.rows), *(() if block.rows else block.raw))


def rebuilt(table: Table) -> bool:
    """An exploded table rebuilt from fragments: a row continued after a page break is joined, so its
    text is not in source order (compared as a multiset, like footnotes)."""
    return bool(table.rows and table.cell_lines)


def document_text(document: Document) -> Iterator[str]:
    """The model's text of a document in reading order, as a reader sees it."""
    yield document.title
    yield str(document.doc_number or "")
    yield from document.subtitle
    yield document.addressees or ""
    yield from _blocks(document.body)
    yield from document.signatories
    yield chinese_date(document.date)
    yield document.publication_note or ""
    for enclosed in document.enclosed:
        yield enclosed.title
        yield from _blocks(enclosed.blocks)
    for attachment in document.attachments:
        yield attachment.label + attachment.title
        yield from _blocks(attachment.blocks)
    for appointment in document.appointments:
        yield from (str(appointment.doc_number or ""), chinese_date(appointment.date), appointment.addressees or "")
        yield from (appointment.preamble, *appointment.decisions, *appointment.notes)


def front_text(issue: Issue) -> Iterator[str]:
    meta = issue.meta
    yield f"{meta.year}年第{meta.number}期总第{meta.total_number}期{chinese_date(meta.published)}出版{meta.frequency}"
    yield "目录编辑委员会"
    if issue.board:
        yield from (role + "".join(names) + (issue.board.note or "") for role, names in issue.board.roles)
    for entry in issue.toc:
        yield (entry.section or "") + entry.title + str(entry.doc_number or "")
    if issue.colophon:
        yield from (label + value for label, value in issue.colophon.fields)


def is_subsequence(needle: list[str], haystack: list[str]) -> int:
    """Length of the longest prefix of `needle` found in order in `haystack` (== len(needle) when all is)."""
    it = iter(haystack)
    found = 0
    for ch in needle:
        for other in it:
            if other == ch:
                found += 1
                break
        else:
            break
    return found


def assert_nothing_lost(issue: Issue) -> None:
    lines = issue.source.lines
    furniture = {f.line for f in issue.furniture}
    covered: set[int] = set()
    for document in issue.documents:
        span = range(document.span.first, document.span.last + 1)
        covered.update(span)
        # Footnotes are set aside after the paragraph a page break cut: compared as a set, not in order.
        notes = [b for b in document.blocks() if isinstance(b, Footnote)]
        note_lines = {n.span.first for n in notes}
        assert Counter(ch for no in note_lines for ch in ideographs(lines[no - 1])) == Counter(
            ch for n in notes for ch in ideographs(n.text)
        )
        # Rebuilt tables: every line of the span in a cell, the caption or set aside (`dropped`).
        tables = [b for b in document.blocks() if isinstance(b, Table) and rebuilt(b)]
        table_lines = {no for t in tables for no in range(t.span.first, t.span.last + 1)} - furniture
        dropped = {f.line for t in tables for f in t.dropped}
        assert Counter(ch for no in table_lines - dropped for ch in ideographs(lines[no - 1])) == Counter(
            ch for t in tables for text in (t.caption or "", *(c for row in t.rows for c in row)) for ch in ideographs(text)
        )
        source = [
            ch for no in span if no not in furniture | note_lines | table_lines for ch in ideographs(lines[no - 1])
        ]
        model = [ch for text in document_text(document) for ch in ideographs(text)]
        found = is_subsequence(source, model)
        assert found == len(source), f"{document.title}: lost text near …{''.join(source[max(0, found - 10) : found + 10])}…"
    front = Counter(
        ch for no, line in enumerate(lines, 1) if no not in covered and no not in furniture for ch in ideographs(line)
    )
    missing = front - Counter(ch for text in front_text(issue) for ch in ideographs(text))
    assert not missing, f"front matter lost: {''.join(sorted(missing.elements()))}"


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_no_cjk_character_of_a_sample_is_lost(path: Path) -> None:
    assert_nothing_lost(parse_source(read_source(path)))


_SAMPLE_LINES = [read_source(p).lines for p in SOURCES]


@st.composite
def mutated(draw: st.DrawFn) -> SourceText:
    """A window of a sample with lines joined, split, duplicated, deleted and punctuation swapped."""
    lines = list(draw(st.sampled_from(_SAMPLE_LINES)))
    start = draw(st.integers(0, max(0, len(lines) - 80)))
    window = lines[start : start + draw(st.integers(5, 80))]
    for _ in range(draw(st.integers(0, 8))):
        if not window:
            break
        i = draw(st.integers(0, len(window) - 1))
        op = draw(st.sampled_from(["join", "split", "dup", "del", "punct", "blank"]))
        if op == "join" and i + 1 < len(window):
            window[i : i + 2] = [window[i] + window[i + 1]]
        elif op == "split" and len(window[i]) > 2:
            k = draw(st.integers(1, len(window[i]) - 1))
            window[i : i + 1] = [window[i][:k], window[i][k:]]
        elif op == "dup":
            window.insert(i, window[i])
        elif op == "del":
            del window[i]
        elif op == "punct":
            window[i] = window[i].translate(str.maketrans("，：（）。", ",:()."))
        elif op == "blank":
            window.insert(i, "")
    return SourceText("m.txt", "m.txt", "", "utf-8", tuple(window))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_samples_convert_without_loss_or_traceback(source: SourceText) -> None:
    try:
        issue = parse_source(source)
    except SourceError:
        return  # a clear error for text with no document in it is the right answer
    assert_nothing_lost(issue)
