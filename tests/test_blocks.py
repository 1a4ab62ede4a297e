"""Clause nesting, anchors and paragraph joining, on readable fixture cases (tests/fixtures/clauses.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.clean import normalize
from converter.model import Block, Clause, Line, Paragraph, Table
from converter.parse.blocks import parse_blocks

FIXTURES = Path(__file__).parent / "fixtures" / "clauses.txt"


def _cases() -> list[tuple[str, list[str], list[str]]]:
    cases: list[tuple[str, list[str], list[str]]] = []
    for chunk in FIXTURES.read_text(encoding="utf-8").split("\n## ")[1:]:
        name, _, body = chunk.partition("\n")
        given, _, expected = body.partition("\n.\n")
        cases.append((name, given.strip("\n").split("\n"), expected.strip("\n").split("\n")))
    return cases


def outline(blocks: tuple[Block, ...], depth: int = 0) -> list[str]:
    out: list[str] = []
    pad = "  " * depth
    for block in blocks:
        if isinstance(block, Clause):
            out.append(f"{pad}{block.anchor} {block.label} {block.heading}")
            out += outline(block.children, depth + 1)
        elif isinstance(block, Paragraph):
            out.append(f"{pad}¶ {block.text}")
        elif isinstance(block, Table):
            out.append(f"{pad}▦")
    return out


@pytest.mark.parametrize(("name", "given", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_clause_fixture(name: str, given: list[str], expected: list[str]) -> None:
    lines = [
        Line(no=i, text=text if "\t" in text else normalize(text), hint=0, tabbed="\t" in text)
        for i, text in enumerate(given, start=1)
    ]
    blocks, _ = parse_blocks(lines, "t.txt")
    assert outline(blocks) == expected


def test_anchor_prefix_and_uniqueness() -> None:
    lines = [Line(1, "一、甲", 0), Line(2, "二、乙", 0)]
    blocks, warnings = parse_blocks(lines, "t.txt", "att2-")
    assert [b.anchor for b in blocks if isinstance(b, Clause)] == ["att2-p1", "att2-p2"]
    assert warnings == ()


def test_numbering_gap_warns() -> None:
    _, warnings = parse_blocks([Line(1, "一、甲", 0), Line(7, "三、丙", 0)], "t.txt")
    assert [(w.line, w.code) for w in warnings] == [(7, "numbering-gap")]
