"""Tables and 专栏 boxes: exploded tables rebuilt (fixtures, the 2024 sample, random synthetic tables),
tab-separated tables with merged cells, boxes, table ids, row links, rendering and JSON."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.model import LOW_CONFIDENCE, Box, Clause, Document, Issue, Line, Span, Table
from converter.parse.blocks import parse_blocks
from converter.parse.exploded import CELL_REPEAT, HEADER_REPEAT, rebuild_exploded
from converter.parse.tab_table import tab_table
from converter.pipeline import Conversion
from converter.render.document import Page, render_block
from converter.render.export import issue_json

FIXTURES = Path(__file__).parent / "fixtures" / "tables"


def _cases(name: str) -> list[tuple[str, list[str], list[str]]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cases = []
    for chunk in text.split("\n## ")[1:]:
        title, _, body = chunk.partition("\n")
        given_, _, expected = body.partition("\n.\n")
        cases.append((title, given_.strip("\n").split("\n"), expected.strip("\n").split("\n")))
    return cases


def _lines(texts: list[str]) -> list[Line]:
    return [Line(no, text, 0, "\t" in text) for no, text in enumerate(texts, start=1)]


def _issue(conversion: Conversion, prefix: str) -> Issue:
    return next(i for i in conversion.issues if i.source.name.startswith(prefix))


def _tables(document: Document) -> list[Table]:
    return [b for b in document.blocks() if isinstance(b, Table)]


# --------------------------------------------------------------------------------------------------
# Invariants of a rebuilt table


def assert_fragments_accounted_for(table: Table, lines: dict[int, str]) -> None:
    """Every line of the table region is in exactly one cell or set aside as a repeat (never both, never
    twice); each cell is its lines joined; a repeated cell's text is already in its row."""
    in_cells = [no for row in table.cell_lines[1:] for cell in row for no in cell]
    dropped = [f.line for f in table.dropped]
    assert len(in_cells) == len(set(in_cells)), "a fragment used twice"
    assert not set(in_cells) & set(dropped)
    region = {no for no in lines if table.span.first <= no <= table.span.last}
    header = {no for cell in table.cell_lines[0] for no in cell}
    assert set(in_cells) | set(dropped) | header == region
    for row, cells in zip(table.rows[1:], table.cell_lines[1:], strict=True):
        assert [("".join(lines[no] for no in cell)) for cell in cells] == list(row)
    for furniture in table.dropped:
        assert furniture.text == lines[furniture.line]
        assert furniture.reason in (HEADER_REPEAT, CELL_REPEAT)
    row_text = {no: "".join(row) for row, cells in zip(table.rows, table.cell_lines, strict=True) for c in cells for no in c}
    repeats = [f for f in table.dropped if f.reason == CELL_REPEAT]
    assert all(any(f.text in text for text in row_text.values()) for f in repeats)


@pytest.mark.parametrize(("name", "given", "expected"), _cases("exploded.txt"), ids=[c[0] for c in _cases("exploded.txt")])
def test_exploded_fixture(name: str, given: list[str], expected: list[str]) -> None:
    lines = _lines(given)
    table = rebuild_exploded(lines, "t.txt")
    assert [" | ".join(row) for row in table.rows] == expected
    assert table.confidence >= LOW_CONFIDENCE
    assert_fragments_accounted_for(table, {x.no: x.text for x in lines})


@pytest.mark.parametrize(("name", "given", "expected"), _cases("tabbed.txt"), ids=[c[0] for c in _cases("tabbed.txt")])
def test_tabbed_fixture(name: str, given: list[str], expected: list[str]) -> None:
    lines = _lines([text.replace("⇥", "\t") for text in given])
    table = tab_table(lines, None, Span("t.txt", 1, len(lines)))
    rows = [e for e in expected if not e.startswith("merge ")]
    merges = [tuple(int(n) for n in e.split()[1:]) for e in expected if e.startswith("merge ")]
    assert [" | ".join(row) for row in table.rows] == rows
    assert list(table.merges) == merges


def test_lines_before_the_first_serial_leave_the_table_as_printed() -> None:
    texts = ["编号 名称 说明 单位 期限", "多出", "1", "甲乙丙", "天地玄黄", "东西", "本年", "一", "二"]
    table = rebuild_exploded(_lines(texts), "t.txt")
    assert table.rows == () and table.confidence == 0.0 and table.raw == tuple(texts)


def test_fragments_cut_again_by_a_narrower_column_are_joined_back() -> None:
    _, given, expected = _cases("exploded.txt")[0]
    k = given.index("天地玄黄宇宙")
    lines = _lines([*given[:k], "天地玄", "黄宇宙", *given[k + 1 :]])
    table = rebuild_exploded(lines, "t.txt", frozenset({k + 1}))  # line k + 1 goes on on the next
    assert [" | ".join(row) for row in table.rows] == expected
    assert_fragments_accounted_for(table, {x.no: x.text for x in lines})


def test_a_header_cut_inside_a_name_at_the_full_width_is_joined_there() -> None:
    # Every printing cut at the same places: the first line, as wide as any, was cut by the column (单|位);
    # the second, shorter, ended after a name.
    header = ["编号 名称 说明 单", "位 期限 备注"]
    texts = [*header, "1", "甲乙丙", "天地玄黄", "东西", "本年", "无", *header, "1", "宇宙洪荒", "2", "丁戊", "日月盈昃", "南北", "明年", "有"]
    table = rebuild_exploded(_lines(texts), "t.txt")
    assert table.rows[0] == ("编号", "名称", "说明", "单位", "期限", "备注")
    assert [f.line for f in table.dropped if f.reason == HEADER_REPEAT] == [9, 10]


def test_a_table_left_as_printed_drops_its_header_printed_again() -> None:
    texts = ["编号 名称 说明 单位 期限", "多出", "1", "甲乙丙", "天地玄黄", "东西", "本年", "编号 名称 说明", "单位 期限", "一"]
    table = rebuild_exploded(_lines(texts), "t.txt")
    assert table.rows == () and table.raw == tuple(texts[:7] + texts[9:])
    assert [(f.line, f.reason) for f in table.dropped] == [(8, HEADER_REPEAT), (9, HEADER_REPEAT)]


# --------------------------------------------------------------------------------------------------
# The 2024 sample: the 13-row replication table


@pytest.fixture(scope="module")
def replication(conversion: Conversion) -> tuple[Document, Table, dict[int, str]]:
    issue = _issue(conversion, "2024-unnumbered")
    document = next(d for d in issue.documents if any(t.rows and t.cell_lines for t in _tables(d)))
    table = next(t for t in _tables(document) if t.cell_lines)
    return document, table, dict(enumerate(issue.source.lines, start=1))


def test_replication_table_is_13_rows_of_7_columns(replication: tuple[Document, Table, dict[int, str]]) -> None:
    _, table, _ = replication
    header, *body = table.rows
    assert len(header) == 7 and header[0] == "序号"
    assert [row[0] for row in body] == [str(n) for n in range(1, 14)]
    assert all(len(row) == 7 and all(row) for row in body)
    assert not any(cell in header for row in body for cell in row[1:])
    assert all(row[6].endswith("项）") and row[6].startswith("《") for row in body)
    assert table.confidence >= LOW_CONFIDENCE
    assert table.anchor == "table-1"


def test_replication_table_loses_and_duplicates_nothing(replication: tuple[Document, Table, dict[int, str]]) -> None:
    _, table, source = replication
    lines = {no: text.strip() for no, text in source.items() if text.strip()}
    # Cleaning normalises punctuation: compare with the cleaned lines the table was built from.
    in_table = {no for row in table.cell_lines for cell in row for no in cell} | {f.line for f in table.dropped}
    assert in_table <= set(lines)
    headers = [f for f in table.dropped if f.reason == HEADER_REPEAT]
    assert len(headers) >= 8 and all(f.text == table.raw[0] for f in headers)
    cells = Counter(ch for row in table.rows[1:] for cell in row for ch in cell)
    assert sum(cells.values()) > 5000


def test_rows_over_a_page_break_are_joined_with_every_unit_and_its_measures(
    replication: tuple[Document, Table, dict[int, str]],
) -> None:
    _, table, _ = replication
    body = table.rows[1:]
    # A row printed over three pages: its units once, its measures for each unit in order.
    three_pages = max(body, key=lambda row: len(row[4]))
    units = three_pages[3].split("，")
    assert len(units) == len(set(units)) >= 2
    measures = three_pages[4]
    starts = [measures.find(unit + "：") for unit in units if unit + "：" in measures]
    assert len(starts) >= 2 and starts == sorted(starts) and starts[0] == 0


def test_each_row_links_to_the_clause_describing_its_item(replication: tuple[Document, Table, dict[int, str]]) -> None:
    document, table, _ = replication
    headings = {b.anchor: b.heading for b in document.blocks() if isinstance(b, Clause)}
    assert table.link_column == 1
    assert len(table.row_links) == 13 and all(table.row_links) and len(set(table.row_links)) == 13
    for row, anchor in zip(table.rows[1:], table.row_links, strict=True):
        assert headings[anchor].rstrip("。") == row[1]


# --------------------------------------------------------------------------------------------------
# The 2022 sample: tab tables with merged cells, 专栏 boxes


def test_tab_table_with_a_caption_and_merged_cells(conversion: Conversion) -> None:
    issue = _issue(conversion, "2022-04")
    tables = [t for d in issue.documents for t in _tables(d)]
    first = next(t for t in tables if t.merges)
    assert first.caption is not None and first.caption.startswith("专栏1")
    header_spans = [m for m in first.merges if m[0] == 0]
    assert header_spans == [(0, 1, 1, 2)]
    row_spans = [m for m in first.merges if m[0] > 0]
    assert [m[2] for m in row_spans] == [10, 3] and first.rows[1][0].count(" ") == 0
    assert all(t.anchor.startswith("table-") for t in tables)


def test_boxes_are_admonitions_whose_items_are_not_clauses(conversion: Conversion) -> None:
    issue = _issue(conversion, "2022-04")
    plan = issue.documents[1]
    boxes = [b for b in plan.blocks() if isinstance(b, Box)]
    assert [b.number for b in boxes] == [2, 3, 4, 5, 6]
    assert [b.anchor for b in boxes] == [f"encl-box{n}" for n in range(2, 7)]
    assert [len(b.children) for b in boxes][:2] == [4, 3]
    box_lines = {no for b in boxes for no in range(b.span.first, b.span.last + 1)}
    clauses = [b for b in plan.blocks() if isinstance(b, Clause)]
    assert not [c for c in clauses if c.span.first in box_lines]


def test_box_with_wrapped_items_and_no_box_without_items() -> None:
    texts = ["专栏3 基础行动", "1.开展学前教育普及普惠发展县", "创建。", "2.城乡义务教育。", "其后正文。"]
    blocks, _ = parse_blocks(_lines(texts), "t.txt")
    box = blocks[0]
    assert isinstance(box, Box) and box.title == "基础行动" and box.anchor == "box3"
    assert [c.text for c in box.children] == ["1.开展学前教育普及普惠发展县创建。", "2.城乡义务教育。"]  # type: ignore[union-attr]
    alone, _ = parse_blocks(_lines(["专栏3 基础行动", "其后正文。"]), "t.txt")
    assert not any(isinstance(b, Box) for b in alone)


# --------------------------------------------------------------------------------------------------
# Rendering and JSON


def _page(conversion: Conversion, prefix: str, slug: str) -> Page:
    published = next(p for p in conversion.corpus.issues if p.issue.source.name.startswith(prefix))
    return Page.of(next(d for d in published.docs if d.slug == slug))


def test_rendered_table_has_ids_labels_links_and_back_links(conversion: Conversion) -> None:
    page = _page(conversion, "2024-unnumbered", "nzbf-2023-54")
    table = next(t for t in _tables(page.doc.document) if t.cell_lines)
    html = "".join(render_block(table, page, 3))
    assert 'id="table-1"' in html and 'id="table-1-r13"' in html
    assert html.count("<tr") == 14 and html.count('data-label="完成时限"') == 13
    assert 'class="gb-rowlink" href="#encl-p2-3"' in html
    assert page.row_refs["encl-p2-3"] == ("table-1", 3)
    clause = next(b for b in page.doc.document.blocks() if isinstance(b, Clause) and b.anchor == "encl-p2-3")
    assert '<a href="#table-1-r3">' in "\n".join(render_block(clause, page, 3))


def test_low_confidence_table_is_shown_as_printed(conversion: Conversion) -> None:
    page = _page(conversion, "2024-unnumbered", "nzbf-2023-54")
    table = Table("表", (("a", "b"), ("1", "2")), 1, 0.5, ("a b", "1 2"), Span("t.txt", 1, 2), anchor="table-9")
    html = "".join(render_block(table, page, 3))
    assert "gb-notice" in html and 'class="gb-raw"' in html and ">a b\n1 2</pre>" in html and "<table" not in html


def test_rendered_merges_and_box(conversion: Conversion) -> None:
    published = next(p for p in conversion.corpus.issues if p.issue.source.name.startswith("2022-04"))
    doc = published.docs[1]
    page = Page.of(doc)
    first = next(t for t in _tables(doc.document) if t.merges)
    html = "".join(render_block(first, page, 3))
    assert '<th scope="col" colspan="2">指标</th>' in html and 'rowspan="10"' in html
    box = next(b for b in doc.document.blocks() if isinstance(b, Box))
    out = "".join(render_block(box, page, 3))
    assert out.startswith('<div class="admonition note gb-box" id="encl-box2"><p class="admonition-title">专栏2 ')


def test_json_tables_and_furniture(conversion: Conversion) -> None:
    issue = _issue(conversion, "2024-unnumbered")
    data = issue_json(issue, conversion.corpus)
    (table,) = data["tables"]
    assert table["id"] == "table-1" and table["document"] == "nzbf-2023-54"
    assert len(table["columns"]) == 7 and [r[0] for r in table["rows"]] == [str(n) for n in range(1, 14)]
    assert table["confidence"] >= LOW_CONFIDENCE and table["source_lines"][0] == 3212
    assert [link["row"] for link in table["row_links"]] == list(range(1, 14))
    reasons = Counter(f["reason"] for f in data["furniture"])
    assert reasons[HEADER_REPEAT] >= 8 and reasons[CELL_REPEAT] > 0
    lines = [f["line"] for f in data["furniture"]]
    assert lines == sorted(lines)


def test_json_table_ids_are_unique_in_an_issue_and_anchors_name_the_page_element(conversion: Conversion) -> None:
    """2022 第4期 has tables in two documents: `id` numbers them through the issue (the export's key),
    `anchor` is each one's id on its own page, where the numbering starts again."""
    data = issue_json(_issue(conversion, "2022-04"), conversion.corpus)
    ids = [t["id"] for t in data["tables"]]
    assert ids == [f"table-{k}" for k in range(1, len(ids) + 1)] and len(ids) >= 3
    assert {(t["document"], t["anchor"]) for t in data["tables"]} == {
        ("nzbf-2021-93", "table-1"), ("nzbf-2021-94", "table-1"), ("nzbf-2021-94", "table-2"),
    }  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Synthetic exploded tables (Hypothesis): random rows, wrapping and page breaks rebuilt exactly

_FIRST_CJK = 0x4E00


@st.composite
def exploded_tables(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, ...]]]:
    """The lines of an exploded table and the rows it was made from.

    Each column has a wrap width, neighbours differing by two or more; wide columns (≥5) hold sentences
    (ending in 。), narrow ones names; every cell wraps at least once (so that each column's width
    shows, as in a printed table); a table has three rows or more. Every character is distinct, so no
    cell repeats another by chance.
    A row may run over page breaks: the header is printed again, then the serial, then each cell's next
    lines or, for a cell already complete, the whole cell again (as the gazette prints it; a cell left
    blank instead is covered by the fixtures: next to a short fragment it is ambiguous).
    """
    k = draw(st.integers(3, 5))
    widths: list[int] = []
    for _ in range(k):
        choices = [w for w in (2, 3, 5, 6, 9, 12, 17) if not widths or abs(w - widths[-1]) >= 2]
        widths.append(draw(st.sampled_from(choices)))
    header = " ".join(["序号", *(f"列{chr(_FIRST_CJK + 0x5000 + c)}" for c in range(k))])
    next_char = iter(range(_FIRST_CJK + draw(st.integers(0, 100)), 0x9FFF))
    lines = [header]
    rows: list[tuple[str, ...]] = []
    for n in range(1, draw(st.integers(3, 7)) + 1):
        cells: list[list[str]] = []
        for w in widths:
            size = draw(st.integers(w + 2, 4 * w if w >= 5 else 3 * w))
            text = "".join(chr(next(next_char)) for _ in range(size - (w >= 5)))
            text += "。" if w >= 5 else ""
            wrapped = [text[i : i + w] for i in range(0, len(text), w)]
            if len(wrapped) > 1 and wrapped[-1] == "。":  # a full stop never starts a line: it hangs
                wrapped[-2:] = [wrapped[-2] + "。"]
            cells.append(wrapped)
        rows.append((str(n), *("".join(c) for c in cells)))
        pages = draw(st.integers(1, 3))
        # A page holds at least two lines of a row: a break never falls right after its first line.
        breaks = st.lists(st.integers(2, 99), min_size=pages - 1, max_size=pages - 1)
        cuts = [[*sorted(min(b, len(c)) for b in draw(breaks)), len(c)] for c in cells]
        done = [0] * k
        for page in range(pages):
            if page:
                lines.append(header)
            lines.append(str(n))
            for c, cell in enumerate(cells):
                if done[c] == len(cell):
                    lines += cell  # complete: printed again
                    continue
                end = max(done[c] + 1, cuts[c][page])
                lines += cell[done[c] : end]
                done[c] = end
    return lines, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exploded_tables())
def test_synthetic_exploded_table_is_rebuilt_exactly(case: tuple[list[str], list[tuple[str, ...]]]) -> None:
    texts, rows = case
    lines = _lines(texts)
    table = rebuild_exploded(lines, "t.txt")
    assert list(table.rows[1:]) == rows
    assert table.confidence >= LOW_CONFIDENCE
    assert_fragments_accounted_for(table, {x.no: x.text for x in lines})
