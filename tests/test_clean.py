"""Cleaning: furniture, letter-spacing, punctuation width, and idempotence."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converter.model import SourceText
from converter.read.clean import clean, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("目 录", "目录"),
        ("编 辑 委 员 会", "编辑委员会"),
        ("## 编辑委员会", "编辑委员会"),
        ("第一章 总  则", "第一章总则"),
        ("城 镇 调 查 失 业 率 保 持 在", "城镇调查失业率保持在"),
        ("到 2027 年，达到 70%", "到2027年，达到70%"),
        ("一 、 2 0 2 3 年 工 作 总 结", "一、2023年工作总结"),
        ("第 1 2 3 号", "第123号"),
        ("1 2 3 4", "1 2 3 4"),
        ("自治区党委 人民政府", "自治区党委 人民政府"),
        ("发布政令 宣传政策", "发布政令 宣传政策"),
        ("措 完成时限 国发批次", "措 完成时限 国发批次"),  # a list of words, its first cut off by the column
        ("指 导工作 服务社会", "指 导工作 服务社会"),
        ("总 体 要求", "总体要求"),
        ("现在,我代表自治区人民政府向大会报告工", "现在，我代表自治区人民政府向大会报告工"),
        ("各位代表:", "各位代表："),
        ("(一)圆满完成目标任务", "（一）圆满完成目标任务"),
        ("电 话:(0951)6363835", "电话：(0951)6363835"),
        ("网 址:http://www.nx.gov.cn", "网址：http://www.nx.gov.cn"),
        ("**（四）加强核查监管。**各地各部门", "（四）加强核查监管。各地各部门"),
        ("宁夏回族自治区人民政府办公厅  ", "宁夏回族自治区人民政府办公厅"),
        ("ISSN 1008-0783", "ISSN 1008-0783"),
        ("$\\alpha$ 系数", "α 系数"),
        ("$x^2$ 系数", "$x^2$ 系数"),
        ("13项 (落实举措", "13项（落实举措"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def _source(lines: list[str]) -> SourceText:
    return SourceText(name="t.txt", path="t.txt", sha256="", encoding="utf-8", lines=tuple(lines))


def test_furniture_is_recorded_with_reason() -> None:
    cleaned = clean(_source(["正文第一行。", "", "— 12 —", "13", "**"]))
    assert [line.text for line in cleaned.lines] == ["正文第一行。", "13"]
    assert [(f.line, f.reason) for f in cleaned.furniture] == [(3, "page number"), (5, "markup only")]


def test_tabbed_lines_keep_cells() -> None:
    cleaned = clean(_source(["类别\t指 标\t\t2020年", "\t1\t脱贫地区农民收入\t—"]))
    assert [line.tabbed for line in cleaned.lines] == [True, True]
    assert cleaned.lines[0].text.split("\t") == ["类别", "指标", "", "2020年"]
    assert cleaned.lines[1].text.split("\t") == ["", "1", "脱贫地区农民收入", "—"]


def test_rows_cut_by_a_narrow_column_are_joined_by_the_tab_count_of_the_rows() -> None:
    # Every row has three tabs; a narrow column cut every one: inside a cell, and right before a tab.
    cut = ["类别⇥指标⇥2020年⇥20", "25年", "巩固拓展脱贫攻坚成果", "⇥1⇥脱贫地区农民收入", "增速⇥—", "⇥2⇥农村低收入人口医",
           "保参保率⇥100"]  # fmt: skip
    cleaned = clean(_source([line.replace("⇥", "\t") for line in cut]))
    assert [line.text.split("\t") for line in cleaned.lines] == [
        ["类别", "指标", "2020年", "2025年"],
        ["巩固拓展脱贫攻坚成果", "1", "脱贫地区农民收入增速", "—"],
        ["", "2", "农村低收入人口医保参保率", "100"],
    ]


_TEXT = st.text(
    alphabet=st.sampled_from(list("宁夏回族自治区人民政府公报目录第一二三章条 　,:;!?()（）。，：12345abc#*-.《》“”\t")),
    max_size=60,
)


@settings(max_examples=300)
@given(_TEXT)
@example("::::“")  # a run of colons before CJK widened three a pass: a fourth pass changed it again
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(_TEXT)
def test_normalize_keeps_every_cjk_character(text: str) -> None:
    ideographs = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    assert [ch for ch in normalize(text) if "\u4e00" <= ch <= "\u9fff"] == ideographs


@settings(max_examples=100)
@given(st.lists(_TEXT, max_size=20))
def test_clean_twice_is_clean_once(lines: list[str]) -> None:
    once = clean(_source(lines))
    twice = clean(_source([line.text for line in once.lines]))
    assert [line.text for line in twice.lines] == [line.text for line in once.lines]


def test_running_heads_beside_page_numbers_are_furniture() -> None:
    from converter.read.source import decode_source

    page = ["第一条 本办法所称公报，是指宁夏回族自治区人民政府公报的正文内容。", "第二条 适用范围。"]
    text = "\n".join([*page, "— 1 —", "宁夏回族自治区人民政府公报", *page, "— 2 —", "宁夏回族自 治区人民政府公报", *page, "— 3 —",
                      "宁夏回族自治区人民政府公报", *page])  # fmt: skip
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    cleaned = clean(source)
    reasons = {f.line: f.reason for f in cleaned.furniture}
    assert [reasons[n] for n in (4, 8, 12)] == ["running head"] * 3
    assert [reasons[n] for n in (3, 7, 11)] == ["page number"] * 3
    assert all(line.text.replace(" ", "") != "宁夏回族自治区人民政府公报" for line in cleaned.lines)  # line 8: a stray space
    assert sum(line.text.startswith("第一条") for line in cleaned.lines) == 4  # content beside a page stays


def test_a_cell_printed_again_beside_page_numbers_is_no_running_head() -> None:
    from converter.read.source import decode_source

    # An exploded table's row runs over two page breaks: its first cell (出入境) is printed again right
    # below the running head each time, as near the page number as the head itself.
    text = "\n".join(["1", "正文第一行。", "— 1 —", "宁夏回族自治区人民政府公报", "出入境", "人员综合", "服务平台", "正文一行。",
                      "— 2 —", "宁夏回族自治区人民政府公报", "出入境", "人员证件", "业务预约", "正文二行。", "— 3 —",
                      "宁夏回族自治区人民政府公报", "正文第四行。"])  # fmt: skip
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    cleaned = clean(source)
    heads = [f.line for f in cleaned.furniture if f.reason == "running head"]
    assert heads == [4, 10, 16]
    assert [line.no for line in cleaned.lines if line.text == "出入境"] == [5, 11]
