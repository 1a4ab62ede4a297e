"""The editor's report (`converter/render/report.py`): where the converter was unsure comes first in each
issue, marked, so that an editor looks there first."""

from __future__ import annotations

from pathlib import Path

from converter.pipeline import convert
from converter.render.report import report_items, report_markdown, unsure

TEXT = """某某市实施
《中华人民共和国某某法》办法
第一章 总则
第一条 为了实施本法，制定本办法。
第三条 本办法自公布之日起施行。
"""


def test_unsure_places_come_first_and_are_marked(tmp_path: Path) -> None:
    source = tmp_path / "law.txt"
    source.write_text(TEXT, encoding="utf-8")
    items = report_items(convert([source]).corpus, [])
    codes = [item.code for item in items]
    assert "joined-title" in codes
    flags = [unsure(item) for item in items]
    assert flags == sorted(flags, reverse=True), codes  # every unsure item before every other one
    assert sum(flags) >= 2  # the joined title and the numbering gap (第二条 missing)
    lines = report_markdown(items).split("\n- ")[1:]
    marked = [line for line in lines if line.startswith("**先核对** ")]
    assert lines[: len(marked)] == marked and len(marked) == sum(flags)
    assert any("`joined-title`" in line and "某某市实施《中华人民共和国某某法》办法" in line for line in marked)


def test_a_heading_whose_text_came_from_the_next_line_is_marked(tmp_path: Path) -> None:
    source = tmp_path / "law.txt"
    source.write_text("某某条例\n第 一 章\n总  则\n第一条 为了规范管理，制定本条例。\n第二章 附则\n第二条 本条例自公布之日起施行。\n", encoding="utf-8")
    items = [item for item in report_items(convert([source]).corpus, []) if "heading-next-line" in item.message]
    assert [(item.line, item.message) for item in items] == [(3, "[heading-next-line] 第一章的文字取自下一行：总则")]
    assert unsure(items[0])
