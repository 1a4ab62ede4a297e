"""The 主送 after a speech's subtitle lines (`converter/parse/document.py`), also when a narrow column cut
those lines into more than five."""

from __future__ import annotations

import pytest

from converter.pipeline import parse_source
from converter.read.source import decode_source

SUBTITLE = ["——2024年1月23日在宁夏回族自治区第十三届", "人民代表大会第二次会议上", "自治区人民政府主席 张雨浦"]
NARROW = ["——2024年1月23日在宁夏回", "族自治区第十三届", "人民代表大会第二次会议上", "自治区人民政府主席 张雨", "浦"]


@pytest.mark.parametrize("subtitle", [SUBTITLE, NARROW], ids=["as printed", "cut by a narrow column"])
def test_addressees_after_the_subtitle(subtitle: list[str]) -> None:
    text = "\n".join(["政府工作报告", *subtitle, "各位代表：", "现在，我代表自治区人民政府向大会报告工作。", "一、2023年工作总结", ""])
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    document = parse_source(source).documents[0]
    assert document.addressees == "各位代表"
