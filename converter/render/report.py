"""The editor's report from a linked corpus: every item that needs a decision, per issue, as Markdown or JSON.

Items, each with the source file and line it is about: conversion errors, inferred metadata, parser
warnings, TOC entries without a document and documents missing from the TOC, printed page numbers out of
order, documents whose 目录 page is not the page their page-number lines show, citations of documents not in the gazette, low-confidence tables, duplicate extractions with their
differences, and the lines set aside as page furniture (listed so that an editor sees nothing of
substance went).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields

from converter.errors import MAX_QUOTE, printable, quote
from converter.layout import normalise_title
from converter.model import Corpus, PublishedIssue, Table
from converter.render.text import dump_json, issue_label


@dataclass(frozen=True, slots=True)
class Item:
    """One thing in the report."""

    code: str
    """Stable code: error, inferred, warning, toc-unlinked, not-in-toc, page-order, page-mismatch,
    citation-outside, low-confidence-table, duplicate, furniture."""
    issue: str
    """Issue label (2023年第6期), or '' for errors before any issue was known."""
    file: str
    """Source file the item is about."""
    line: int
    """Source line (0 = the file as a whole)."""
    message: str
    """What was found, in the editor's language."""
    details: tuple[str, ...] = ()
    """Further lines (a duplicate's text differences)."""


def report_items(corpus: Corpus, errors: list[tuple[str, int, str]]) -> list[Item]:
    """Everything that needs an editor's decision; `errors` are (file, line, message) of failed sources."""
    items = [Item("error", "", file, line, message) for file, line, message in errors]
    for published in corpus.issues:
        items += _issue(published)
    return items


def report_markdown(items: list[Item]) -> str:
    out = ["# gongbao 编辑报告", ""]
    if not items:
        out.append("没有需要处理的事项。")
    heading = None
    for item in items:
        title = f"{item.issue} — `{item.file}`" if item.issue else "错误（未转换的来源文件）"
        if title != heading:
            out += ["", f"## {title}", ""]
            heading = title
        mark = "**先核对** " if unsure(item) else ""
        out.append(f"- {mark}`{item.code}` {item.file}:{item.line}: {item.message}")
        out += [f"    - `{d}`" for d in item.details]
    return printable("\n".join(out).rstrip() + "\n")  # source text may hold ESC or BEL: shown, never obeyed


def report_json(items: list[Item]) -> str:
    # Its fields as they are (`dataclasses.asdict` copies each value deeply: a third of a second for the
    # tens of thousands of items of an archive, to encode the same strings, numbers and lists).
    data = {"schema": "gongbao/report@1", "items": [{name: getattr(item, name) for name in _FIELDS} for item in items]}
    return dump_json(data)


_FIELDS = tuple(f.name for f in fields(Item))


def _issue(published: PublishedIssue) -> list[Item]:
    issue = published.issue
    name = issue.source.name
    label = issue_label(published)
    out: list[Item] = []

    def add(code: str, line: int, message: str, details: tuple[str, ...] = ()) -> None:
        # Messages quote source lines: at most MAX_QUOTE characters of each (a 10,000-character line once
        # filled the report and the terminal).
        out.append(Item(code, label, name, line, quote(message, MAX_QUOTE + 100), tuple(quote(d) for d in details)))

    if issue.meta.inferred:
        add("inferred", 0, f"年份 {issue.meta.year} 由正文日期推断；可在 {name.rsplit('.', 1)[0]}.meta.yml 中指定")
    for warning in issue.warnings:
        add("warning", warning.line, f"[{warning.code}] {warning.message}")
    for entry, target in zip(issue.toc, published.toc_links, strict=True):
        if target is None:
            add("toc-unlinked", entry.span.first, f"目录条目无对应文件：{entry.title}")
    toc_titles = [normalise_title(e.title) for e in issue.toc]
    if issue.toc:
        for doc in published.docs:
            title = normalise_title(doc.document.title)
            if doc.url not in published.toc_links and not any(title in t or t in title for t in toc_titles):
                add("not-in-toc", doc.document.span.first, f"文件不在目录中：{doc.document.title}")
    entries = [e for e in issue.toc if e.page is not None]
    for a, b in itertools.pairwise(entries):
        if b.page is not None and a.page is not None and b.page < a.page:
            add("page-order", b.span.last, f"目录页码倒序：{a.page} → {b.page}")
    for doc in published.docs:
        for citation in doc.citations:
            if citation.target is None:
                add("citation-outside", doc.document.span.first,
                    f"引用的 {citation.doc_number} 未收录于本公报（{doc.url}#{citation.clause}）")  # fmt: skip
        for table in (b for b in doc.document.blocks() if isinstance(b, Table)):
            if table.low_confidence:
                add("low-confidence-table", table.span.first,
                    f"表格可信度 {table.confidence:.2f}（第{table.span.first}–{table.span.last}行）：{table.caption or ''}")  # fmt: skip
        pages = doc.document.pages
        if pages is not None and pages.toc_page is not None and pages.first not in (None, pages.toc_page):
            add("page-mismatch", doc.document.span.first,
                f"目录页码为第{pages.toc_page}页，正文页码行为第{pages.first}页（采用页码行）：{doc.document.title}")  # fmt: skip
        if doc.document.title_lines > 1:
            add("joined-title", doc.document.span.first,
                f"标题由{doc.document.title_lines}行拼接而成，请核对：{doc.document.title}")  # fmt: skip
    for duplicate in published.duplicates:
        add("duplicate", 0, f"重复提取：{duplicate.title}（已发布于 {duplicate.of_url}，来源 {duplicate.of_source}）",
            duplicate.differences[:10])  # fmt: skip
    for furniture in issue.furniture:
        add("furniture", furniture.line, f"[{furniture.reason}] {furniture.text}")
    return sorted(out, key=lambda item: not unsure(item))  # where the converter was unsure: first


UNSURE = ("low-confidence-table", "joined-title", "page-mismatch")
"""Report codes of what the converter decided without being sure; an editor looks there first."""


def unsure(item: Item) -> bool:
    """Whether an item marks a place the converter was unsure of (a numbering gap is one too, and a heading
    whose text came from the next line)."""
    return item.code in UNSURE or item.message.startswith(("[numbering-gap]", "[heading-next-line]"))
