"""Issue pages with their cover data and printed 目录, year pages, and the list of all issues."""

from __future__ import annotations

from converter.model import PublishedIssue
from converter.render.escape import esc
from converter.render.text import (
    GAZETTE,
    chinese_date,
    front_matter,
    issue_citation,
    issue_label,
    md_heading_text,
)
from converter.urls import issue_url, original_pdf_url, rel, rel_file, year_url


def render_issue(published: PublishedIssue) -> str:
    issue = published.issue
    meta = issue.meta
    label = issue_label(published)
    out = [front_matter(label, description=f"{GAZETTE} {label}"), f"# {md_heading_text(GAZETTE + ' ' + label)}"]
    cover: list[tuple[str, str]] = []
    if meta.year:
        cover.append(("年份", f"{meta.year}年"))
    if meta.number:
        cover.append(("期号", f"第{meta.number}期"))
    if meta.total_number:
        cover.append(("总期号", f"总第{meta.total_number}期"))
    if meta.published:
        cover.append(("出版日期", chinese_date(meta.published)))
    if meta.frequency:
        cover.append(("刊期", meta.frequency))
    if meta.inferred:
        cover.append(("说明", "本期提取文本缺少封面信息，年份由正文日期推断"))
    out.append(f'<dl class="gb-meta gb-cover" data-cite="{esc(issue_citation(published))}">' + "".join(f"<dt>{k}</dt><dd>{esc(v)}</dd>" for k, v in cover) + "</dl>")
    here = issue_url(published.id)
    if issue.original_pdf:
        href = rel_file(here, original_pdf_url(published.id))
        out.append(f'<p class="gb-original"><a href="{esc(href)}" type="application/pdf">下载本期原版PDF</a>'
                   f"（{esc(file_size(issue.original_pdf[1]))}）</p>")  # fmt: skip
    out.append("## 本期目录 {#toc}")
    if not issue.toc:
        out.append('<p class="gb-notice">本期提取文本未包含目录，以下为识别出的文件。</p>')
    out.append(toc_html(published, here))
    if issue.board:
        out.append("## 编辑委员会 {#board}")
        rows = "".join(f"<dt>{esc(role)}</dt><dd>{esc('　'.join(names))}</dd>" for role, names in issue.board.roles)
        note = f'<p class="gb-board-note">{esc(issue.board.note)}</p>' if issue.board.note else ""
        out.append(f'<dl class="gb-meta gb-board">{rows}</dl>{note}')
    if issue.colophon:
        out.append("## 版权信息 {#colophon}")
        rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in issue.colophon.fields)
        out.append(f'<dl class="gb-meta gb-colophon">{rows}</dl>')
    return "\n\n".join(out) + "\n"


def file_size(size: int) -> str:
    """A file size as a reader reads it: `850 KB`, `12.3 MB`."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def toc_html(published: PublishedIssue, here: str) -> str:
    """The printed 目录 of an issue (sections, titles linked, 文号, page), or its documents when none was printed."""
    issue = published.issue
    if not issue.toc:
        return '<ul class="gb-toc">' + "".join(
            f'<li><a href="{esc(rel(here, doc.url))}">{esc(doc.document.title)}</a></li>' for doc in published.docs
        ) + "</ul>"  # fmt: skip
    out: list[str] = []
    section: str | None = None
    items: list[str] = []
    for entry, target in zip(issue.toc, published.toc_links, strict=True):
        if entry.section != section:
            if items:
                out.append('<ul class="gb-toc">' + "".join(items) + "</ul>")
                items = []
            section = entry.section
            if section:
                out.append(f'<p class="gb-toc-section">{esc(section)}</p>')
        title = esc(entry.title)
        if target:
            title = f'<a href="{esc(rel(here, target))}">{title}</a>'
        number = (
            f'<span class="gb-toc-number">（{esc(str(entry.doc_number))}）</span>' if entry.doc_number else ""
        )
        page = f'<span class="gb-toc-page">{entry.page}</span>' if entry.page is not None else ""
        items.append(f"<li>{title}{number}{page}</li>")
    if items:
        out.append('<ul class="gb-toc">' + "".join(items) + "</ul>")
    return "\n\n".join(out)


def render_year(year: str, issues: list[PublishedIssue]) -> str:
    out = [front_matter(f"{year}年"), f"# {year}年"]
    items = "".join(
        f'<li><a href="{esc(rel(year_url(year), issue_url(p.id)))}">{esc(issue_label(p))}</a>（{len(p.docs)}篇）</li>' for p in issues
    )
    out.append(f'<ul class="gb-issues">{items}</ul>')
    return "\n\n".join(out) + "\n"


def render_issue_list(years: dict[str, list[PublishedIssue]]) -> str:
    out = [front_matter("全部期刊"), "# 全部期刊"]
    for year, issues in years.items():
        out.append(f"## {year}年 {{#y{year}}}")
        items = "".join(
            f'<li><a href="{esc(rel("issues/", issue_url(p.id)))}">{esc(issue_label(p))}</a>（{len(p.docs)}篇）</li>' for p in issues
        )
        out.append(f'<ul class="gb-issues">{items}</ul>')
    return "\n\n".join(out) + "\n"
