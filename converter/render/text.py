"""The gazette's words on a page: its name, issue and year labels, dates, citations, and source text made
safe for Markdown headings and front matter."""

from __future__ import annotations

import html
import json
import re

import orjson

from converter.model import PublishedIssue

GAZETTE = "宁夏回族自治区人民政府公报"
"""The gazette's name, as cited."""
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_CHINESE_DATE = "{0}年{1}月{2}日"


def dump_json(data: object, sort_keys: bool = False) -> str:
    """JSON as every generated file writes it: UTF-8 text, two-space indent, a final newline. orjson, because
    the standard library indents in pure Python: at 240 issues that was 15 s of an incremental build."""
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    return orjson.dumps(data, option=option).decode()


def md_heading_text(text: str) -> str:
    """Source text safe inside a Markdown heading: Markdown punctuation backslash-escaped, then HTML-escaped."""
    return html.escape(_MD_ESCAPE.sub(r"\\\1", text), quote=False)


def front_matter(title: str, **extra: str) -> str:
    """YAML front matter; values JSON-quoted (YAML reads them as plain strings) and HTML-escaped, because
    MkDocs themes print page titles and meta into templates without escaping them."""
    lines = [f"title: {json.dumps(html.escape(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(html.escape(value), ensure_ascii=False)}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def chinese_date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return _CHINESE_DATE.format(int(y), int(m), int(d))


def nested(title: str) -> str:
    """A title quoted inside 《…》: its own book-title marks become 〈…〉."""
    return title.replace("《", "〈").replace("》", "〉")


def issue_citation(published: PublishedIssue) -> str:
    """《宁夏回族自治区人民政府公报》2023年第6期"""
    return f"《{GAZETTE}》{issue_label(published)}"


def issue_label(published: PublishedIssue) -> str:
    """`2023年第6期`; without a number, the publication date (`2024年2月15日（期号未印）`) or the year."""
    meta = published.issue.meta
    if meta.number:
        return f"{meta.year}年第{meta.number}期"
    if meta.published:
        return f"{chinese_date(meta.published)}（期号未印）"
    return f"{meta.year}年（期号未印）" if meta.year else "年份不详（期号未印）"


def year_label(folder: str) -> str:
    """How a reader sees a year folder: `2023年`, or `年份不详` for the issues with no year (`undated`)."""
    return f"{folder}年" if folder.isdigit() else "年份不详"
