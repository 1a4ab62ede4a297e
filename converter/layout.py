"""The gazette's printed vocabulary that more than one stage recognises: the headings that open an
issue's front matter (目录, 编辑委员会) and the colophon's labels (版权页)."""

from __future__ import annotations

import re

TOC_HEADING = re.compile(r"^目\s*录$")
BOARD_HEADING = re.compile(r"^编\s*辑\s*委\s*员\s*会$")

# Colophon labels as printed (letter-spacing removed). A label line is `label：value`.
COLOPHON_LABELS = (
    "主编", "副主编", "责任编辑", "编辑", "主管", "主办", "编辑出版", "出版", "地址", "邮政编码", "邮编",
    "电话", "传真", "电子邮箱", "邮箱", "网址", "国际标准连续出版物号", "国内统一连续出版物号",
    "国际标准刊号", "国内统一刊号", "印刷", "发行", "定价",
)  # fmt: skip
COLOPHON = re.compile(r"^(?P<label>" + "|".join(sorted(COLOPHON_LABELS, key=len, reverse=True)) + r")：(?P<value>.*)$")



def is_front_heading(text: str) -> bool:
    """A 目录 or 编辑委员会 heading: the mark of an issue's front matter."""
    return bool(TOC_HEADING.match(text) or BOARD_HEADING.match(text))


TOC_SECTION = re.compile(r"^【(.+)】$")
"""A 目录 section line: 【自治区人民政府文件】."""
TOC_TAIL = re.compile(r"^(?P<head>.*?)\s*[.．…·。]{2,}\s*[（(]\s*(?P<page>\d{1,4})\s*[）)]$")
"""A 目录 entry's last line: optional title text, optional (文号), leader dots, (page)."""


def is_toc_line(text: str) -> bool:
    """A line of a printed 目录 (a section, or an entry ending in leader dots and its page): never a title."""
    return bool(TOC_SECTION.match(text) or TOC_TAIL.match(text))


def normalise_title(title: str) -> str:
    """A title with spacing, punctuation and quotes removed, for matching 目录 entries and duplicates."""
    return re.sub(r"[\s《》〈〉“”\"'（）()、，,·—\-]", "", title)


def is_colophon_label(text: str) -> bool:
    """A `label：value` line of the colophon (版权页)."""
    return bool(COLOPHON.match(text))
