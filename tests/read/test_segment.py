"""Segmenting a cleaned source (`converter/read/segment.py`): front matter apart, one span per document
found by its 文号 line with the title lines above it, and a 人事任免 block of dated 文号 lines as one."""

from __future__ import annotations

from converter.read.clean import clean
from converter.read.segment import Segments, segment
from converter.read.source import decode_source

ISSUE = """宁夏回族自治区人民政府公报
目  录
【自治区人民政府文件】
自治区人民政府关于做好春耕生产的通知.................(3)
自治区人民政府关于做好春耕生产的通知
宁政发〔2024〕5号
各市、县（区）人民政府：
一、总体要求
做好春耕生产。
宁夏回族自治区人民政府
2024年3月1日
自治区人民政府办公厅关于印发
某某办法的通知
宁政办发〔2024〕9号
各市、县（区）人民政府：
现印发给你们。
宁夏回族自治区人民政府办公厅
2024年3月2日
人事任免
宁政干发〔2024〕3号 2024年1月5日
自治区人民政府决定：
张三任某某局局长；
宁政干发〔2024〕4号 2024年1月9日
自治区人民政府决定：
李四任某某厅副厅长。
"""


def _segments(text: str) -> Segments:
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    return segment(clean(source))


def test_front_matter_and_one_span_per_document() -> None:
    found = _segments(ISSUE)
    assert [line.no for line in found.front] == [1, 2, 3, 4]
    spans = [(d.lines[0].no, d.lines[-1].no) for d in found.documents]
    assert spans == [(5, 11), (12, 18), (19, 25)]


def test_a_title_over_two_lines_belongs_to_its_document() -> None:
    second = _segments(ISSUE).documents[1]
    assert [line.text for line in second.lines[:3]] == ["自治区人民政府办公厅关于印发", "某某办法的通知", "宁政办发〔2024〕9号"]
    assert second.lines[second.anchor].text == "宁政办发〔2024〕9号"


def test_dated_wenhao_lines_are_one_appointments_block() -> None:
    documents = _segments(ISSUE).documents
    assert [d.appointments for d in documents] == [False, False, True]
    assert documents[2].lines[0].text == "人事任免"


def test_without_front_matter_the_first_lines_are_a_document() -> None:
    found = _segments("政府工作报告\n——2024年1月在自治区人民代表大会上\n各位代表：\n现在，我代表自治区人民政府报告工作。\n")
    assert found.front == ()
    assert len(found.documents) == 1 and found.documents[0].lines[0].text == "政府工作报告"
