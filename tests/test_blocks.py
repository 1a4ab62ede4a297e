"""Clause nesting, anchors and paragraph joining, on readable fixture cases (tests/fixtures/clauses.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.model import Block, Box, Clause, Line, Paragraph, Table, walk
from converter.parse.blocks import parse_blocks
from converter.parse.nest import join_lines
from converter.read.clean import normalize

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
        if text.strip()  # a blank line leaves a gap in the line numbers, as cleaning does
    ]
    blocks, _ = parse_blocks(lines, "t.txt")
    assert outline(blocks) == expected


def test_anchor_prefix_and_uniqueness() -> None:
    lines = [Line(1, "一、甲", 0), Line(2, "二、乙", 0)]
    blocks, warnings = parse_blocks(lines, "t.txt", "att2-")
    assert [b.anchor for b in blocks if isinstance(b, Clause)] == ["att2-p1", "att2-p2"]
    assert warnings == ()


def test_punctuation_cut_off_its_text_is_widened_when_joined() -> None:
    # A narrow column left the mark alone at the head of a line, with no CJK text beside it to widen it.
    assert join_lines(["一次连续变换两条车道", normalize(";")]) == "一次连续变换两条车道；"
    assert join_lines([normalize("市、县(市、区"), normalize(")人民政府应当")]) == "市、县（市、区）人民政府应当"
    assert join_lines(["see p. 3", "(a)"]) == "see p. 3(a)"  # no CJK text: as printed


def test_numbering_gap_warns() -> None:
    _, warnings = parse_blocks([Line(1, "一、甲", 0), Line(7, "三、丙", 0)], "t.txt")
    assert [(w.line, w.code) for w in warnings] == [(7, "numbering-gap")]


def _anchors(blocks: tuple[Block, ...]) -> list[str]:
    return [b.anchor for b in walk(blocks) if isinstance(b, Clause)]


def test_a_box_ends_where_the_clause_numbering_around_it_goes_on() -> None:
    """Box items are short phrases without a final 。: the item before 三、 must not swallow it."""
    texts = ["二、重点任务", "（一）推进生态保护。加快实施一批重点工程。", "专栏1 重点工程", "1.黄河生态保护工程",
             "2.宁东基地建设工程", "三、保障措施", "（一）加强组织领导。各地各部门要高度重视。",
             "（二）强化督促检查。定期督查。"]  # fmt: skip
    blocks, _ = parse_blocks([Line(k, t, 0) for k, t in enumerate(texts, start=1)], "t.txt")
    box = next(b for b in walk(blocks) if isinstance(b, Box))
    assert [c.text for c in box.children if isinstance(c, Paragraph)] == ["1.黄河生态保护工程", "2.宁东基地建设工程"]
    assert _anchors(blocks) == ["p2", "p2-1", "p3", "p3-1", "p3-2"]


def test_an_exploded_table_ends_where_the_document_numbering_goes_on() -> None:
    """A table printed inside 一、 ends at 二、: the clauses after it keep their text and their ids."""
    row = ["甲乙丙", "丁戊", "天地玄黄宇宙", "洪荒日月盈昃", "辰宿列张。", "东西南", "北局", "二〇二五年", "底前"]
    texts = ["一、总体要求", "正文段落。", "表1 事项表", "序号 名称 说明 单位 期限"]
    for k in range(1, 7):
        texts += [str(k), *row]
    texts += ["二、保障措施", "（一）加强组织领导。各地各部门要高度重视。", "（二）强化督促检查。定期督查。"]
    blocks, _ = parse_blocks([Line(k, t, 0) for k, t in enumerate(texts, start=1)], "t.txt")
    assert _anchors(blocks) == ["p1", "p2", "p2-1", "p2-2"]
    table = next(b for b in walk(blocks) if isinstance(b, Table))
    assert not any("保障措施" in cell for row_ in table.rows for cell in row_)
    assert "保障措施" not in "".join(table.raw)


def test_two_exploded_tables_in_a_row_stay_two_tables() -> None:
    row = ["甲乙丙", "丁戊", "天地玄黄宇宙", "洪荒日月盈昃", "辰宿列张。", "东西南", "北局", "二〇二五年", "底前"]
    texts = ["一、总体要求", "正文段落。", "序号 名称 说明 单位 期限"]
    for k in range(1, 5):
        texts += [str(k), *row]
    texts += ["序号 项目 内容 部门 时限"]
    for k in range(1, 5):
        texts += [str(k), *row]
    blocks, _ = parse_blocks([Line(k, t, 0) for k, t in enumerate(texts, start=1)], "t.txt")
    tables = [b for b in walk(blocks) if isinstance(b, Table)]
    assert [t.rows[0] for t in tables] == [("序号", "名称", "说明", "单位", "期限"), ("序号", "项目", "内容", "部门", "时限")]
    assert [len(t.rows) for t in tables] == [5, 5]
