"""Write the editor's report (`build/report.md`) from a linked corpus: what needs a decision, per issue."""

from __future__ import annotations

import itertools

from converter.link import normalise_title, walk_blocks
from converter.model import Corpus, PublishedIssue, Table
from converter.render import issue_label

LOW_CONFIDENCE = 0.8


def report(corpus: Corpus, errors: list[str]) -> str:
    """Markdown report: errors first, then per issue what was inferred, unmatched, duplicated or dropped."""
    out = ["# gongbao 编辑报告", ""]
    if errors:
        out += ["## 错误（未转换的来源文件）", ""] + [f"- `{e}`" for e in errors] + [""]
    for published in corpus.issues:
        out += _issue(published)
    return "\n".join(out).rstrip() + "\n"


def _issue(published: PublishedIssue) -> list[str]:
    issue = published.issue
    name = issue.source.name
    out = [f"## {issue_label(published)} — `{name}`", ""]
    if issue.meta.inferred:
        out.append(f"- 推断：年份 {issue.meta.year}（封面信息缺失；可用 `{name.rsplit('.', 1)[0]}.meta.yml` 指定）")
    for warning in issue.warnings:
        out.append(f"- 警告 `{warning.code}` {name}:{warning.line}: {warning.message}")
    for entry, target in zip(issue.toc, published.toc_links, strict=True):
        if target is None:
            out.append(f"- 目录条目无对应文件 {name}:{entry.span.first}: {entry.title}")
    toc_titles = [normalise_title(e.title) for e in issue.toc]
    if issue.toc:
        for doc in published.docs:
            title = normalise_title(doc.document.title)
            if doc.url not in published.toc_links and not any(title in t or t in title for t in toc_titles):
                out.append(f"- 文件不在目录中 {name}:{doc.document.span.first}: {doc.document.title}")
    pages = [e.page for e in issue.toc if e.page is not None]
    for a, b in itertools.pairwise(pages):
        if b < a:
            out.append(f"- 目录页码倒序：{a} → {b}")
    for doc in published.docs:
        for citation in doc.citations:
            if citation.target is None:
                out.append(f"- 未收录的引用 {doc.url}#{citation.clause}: {citation.doc_number}")
        for table in (b for b in walk_blocks(doc.document) if isinstance(b, Table)):
            if table.confidence < LOW_CONFIDENCE:
                out.append(
                    f"- 低可信度表格 {name}:{table.span.first}–{table.span.last}（{table.confidence:.2f}）: {table.caption or ''}"
                )
    for duplicate in published.duplicates:
        out.append(f"- 重复提取：{duplicate.title}（已发布于 {duplicate.of_url}，来源 {duplicate.of_source}）")
        out += [f"    - `{line}`" for line in duplicate.differences[:10]]
    if issue.furniture:
        out.append(f"- 页面杂项（已移除，共 {len(issue.furniture)} 行）：")
        out += [f"    - {name}:{f.line} [{f.reason}] {f.text}" for f in issue.furniture]
    out.append("")
    return out
