"""Chinese numerals, dates, and the clause-marker table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.numbering import (
    MARKER_KINDS,
    MarkerKind,
    anchor_part,
    cn_to_int,
    find_dates,
    format_label,
    int_to_cn,
    match_date,
    match_marker,
)

KIND = {kind.name: kind for kind in MARKER_KINDS}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("九十九", 99), ("一百", 100),
        ("一百零五", 105), ("一百一十", 110), ("一百十", 110), ("两", 2), ("两百", 200), ("〇", 0), ("零", 0),
        ("一千零五十", 1050), ("二〇二三", 2023), ("23", 23), ("２３", 23),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "十十", "一百零", "零五", "是", "一是", "2.5", "百"])
def test_cn_to_int_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="expected a Chinese or Arabic numeral"):
        cn_to_int(text)


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (105, "一百零五"),
     (110, "一百一十"), (999, "九百九十九"), (1001, "一千零一")],
)
def test_int_to_cn(n: int, text: str) -> None:
    assert int_to_cn(n) == text


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_int_to_cn_range(n: int) -> None:
    with pytest.raises(ValueError, match="1 to 9999"):
        int_to_cn(n)


@given(st.integers(1, 9999))
def test_numeral_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


def test_marker_table_order() -> None:
    assert [(k.name, k.rank, k.id_prefix) for k in MARKER_KINDS] == [
        ("bian", 0, "pt"), ("zhang", 1, "ch"), ("jie", 2, "sec"), ("tiao", 3, "art"), ("yi", 4, ""),
        ("paren", 5, ""), ("arabic", 6, ""), ("paren_arabic", 7, ""), ("circled", 8, ""),
    ]


@pytest.mark.parametrize(
    ("line", "kind", "number", "label", "rest"),
    [
        ("第一编 总则", "bian", 1, "第一编", "总则"),
        ("第一章 总  则", "zhang", 1, "第一章", "总  则"),
        ("第十二章", "zhang", 12, "第十二章", ""),
        ("第一节 脱贫成效", "jie", 1, "第一节", "脱贫成效"),
        ("第五条 本办法自发布之日起施行。", "tiao", 5, "第五条", "本办法自发布之日起施行。"),
        ("第五条本办法", "tiao", 5, "第五条", "本办法"),
        ("第 3 条 适用范围", "tiao", 3, "第三条", "适用范围"),
        ("第一百零五条", "tiao", 105, "第一百零五条", ""),
        ("一、总体要求", "yi", 1, "一、", "总体要求"),
        ("十一，保障措施", "yi", 11, "十一、", "保障措施"),
        ("三．重点任务", "yi", 3, "三、", "重点任务"),
        ("（一）指导思想。坚持", "paren", 1, "（一）", "指导思想。坚持"),
        ("(一) 传统产业", "paren", 1, "（一）", "传统产业"),
        ("（ 二 ）", "paren", 2, "（二）", ""),
        ("（十三）强化考核", "paren", 13, "（十三）", "强化考核"),
        ("1. 稳定粮食播种面积和产量。", "arabic", 1, "1.", "稳定粮食播种面积和产量。"),
        ("2．推进", "arabic", 2, "2.", "推进"),
        ("3、完善", "arabic", 3, "3.", "完善"),
        ("12.", "arabic", 12, "12.", ""),
        ("（1）加强", "paren_arabic", 1, "（1）", "加强"),
        ("(12) 做好", "paren_arabic", 12, "（12）", "做好"),
        ("⑵ 做好", "paren_arabic", 2, "（2）", "做好"),
        ("① 保险密度：指", "circled", 1, "①", "保险密度：指"),
        ("⑳末项", "circled", 20, "⑳", "末项"),
    ],
)
def test_match_marker(line: str, kind: str, number: int, label: str, rest: str) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert (marker.kind.name, marker.number, marker.label, marker.rest) == (kind, number, label, rest)


@pytest.mark.parametrize(
    "line",
    [
        "一是加力推进投资消费提质增效。",
        "一批小而精、小而强的中小企业",
        "十分重要",
        "1.5%以上",
        "2023年",
        "2023年第6期",
        "13",
        "(5G)、移动物联网",
        "(半月刊)",
        "（2023）",
        "第一批改革试点经验",
        "五,房地产开发投资增速全国第三。",  # a hard-wrapped sentence, ASCII comma: not 一、
        "（0）",
        "",
    ],
)
def test_not_a_marker(line: str) -> None:
    assert match_marker(line) is None


@pytest.mark.parametrize(
    ("kind", "number", "part"),
    [("bian", 1, "pt1"), ("zhang", 2, "ch2"), ("jie", 3, "sec3"), ("tiao", 5, "art5"), ("yi", 2, "2"),
     ("paren", 3, "3"), ("arabic", 1, "1"), ("paren_arabic", 4, "4"), ("circled", 2, "2")],
)
def test_anchor_part(kind: str, number: int, part: str) -> None:
    assert anchor_part(KIND[kind], number) == part


@given(st.sampled_from(MARKER_KINDS), st.integers(1, 20))
def test_label_reads_back_as_the_same_marker(kind: MarkerKind, number: int) -> None:
    marker = match_marker(format_label(kind, number) + "正文")
    assert marker is not None
    assert (marker.kind, marker.number, marker.rest) == (kind, number, "正文")


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2023年3月2日", "2023-03-02"),
        ("2021 年 2 月 28 日", "2021-02-28"),
        ("二〇二三年三月二日", "2023-03-02"),
        ("二〇二〇年十二月三十一日", "2020-12-31"),
        ("  2020年11月26日 ", "2020-11-26"),
        ("2023年2月30日", None),
        ("2023年3月", None),
        ("2023年3月2日印发", None),
        ("宁政干发〔2020〕13号 2020年11月26日", None),
    ],
)
def test_match_date(line: str, iso: str | None) -> None:
    assert match_date(line) == iso


def test_find_dates_in_running_text() -> None:
    text = "2023年1月19日印发，自2023 年 3 月 2 日起施行，二〇二三年十二月三十一日废止；2023年2月30日不算。"
    assert find_dates(text) == ["2023-01-19", "2023-03-02", "2023-12-31"]
