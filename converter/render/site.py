"""The generated part of `docs/` as a whole: every page's path and text (`render`), the navigation
(`nav`), and the pages above the documents: issue pages with their printed 目录, year pages, the list
of all issues, and the 文号 index with a redirect page per 文号. Document pages are `render.py`'s.
"""

from __future__ import annotations

import html
import json

from converter.model import Corpus, PublishedIssue
from converter.render.document import (
    GAZETTE,
    chinese_date,
    front_matter,
    issue_citation,
    issue_label,
    md_heading_text,
    rel,
    render_document,
)
from converter.render.escape import esc
from converter.render.pages import nav_entries


def render(corpus: Corpus) -> dict[str, str]:
    """Every generated file under docs/, keyed by path relative to docs/ (POSIX separators)."""
    files: dict[str, str] = {}
    issues = [p for p in corpus.issues if p.docs]
    years: dict[str, list[PublishedIssue]] = {}
    for published in issues:
        years.setdefault(published.key.split("/")[0], []).append(published)
        files[f"{published.key}/index.md"] = render_issue(published)
        for doc in published.docs:
            files[f"{published.key}/{doc.slug}.md"] = render_document(doc, published)
    for year, year_issues in years.items():
        files[f"{year}/index.md"] = render_year(year, year_issues)
    files["issues.md"] = render_issue_list(years)
    files.update(render_wenhao(issues))
    return files


def nav(corpus: Corpus) -> list[object]:
    """The MkDocs nav: home, years (newest first) → issues → documents in printed order, about."""
    years: dict[str, list[object]] = {}
    for published in corpus.issues:
        if not published.docs:
            continue
        year = published.key.split("/")[0]
        entries: list[object] = [f"{published.key}/index.md"]
        # Nav titles reach the theme's templates unescaped: escape source text here.
        entries += [{html.escape(doc.document.title): f"{published.key}/{doc.slug}.md"} for doc in published.docs]
        years.setdefault(year, [f"{year}/index.md"]).append({issue_label(published): entries})
    return [
        {"首页": "index.md"},
        {"全部期刊": "issues.md"},
        *({y: e} for y, e in years.items()),
        *nav_entries(corpus),
        {"说明": "about.md"},
    ]


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
    here = published.key + "/"
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


def toc_html(published: PublishedIssue, here: str) -> str:
    """The printed 目录 of an issue (sections, titles linked, 文号, page), or its documents when none was printed."""
    issue = published.issue
    if not issue.toc:
        return '<ul class="gb-toc">' + "".join(
            f'<li><a href="{rel(here, doc.url)}">{esc(doc.document.title)}</a></li>' for doc in published.docs
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
            title = f'<a href="{rel(here, target)}">{title}</a>'
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
        f'<li><a href="{rel(year + "/", p.key + "/")}">{esc(issue_label(p))}</a>（{len(p.docs)}篇）</li>' for p in issues
    )
    out.append(f'<ul class="gb-issues">{items}</ul>')
    return "\n\n".join(out) + "\n"


def render_issue_list(years: dict[str, list[PublishedIssue]]) -> str:
    out = [front_matter("全部期刊"), "# 全部期刊"]
    for year, issues in years.items():
        out.append(f"## {year}年 {{#y{year}}}")
        items = "".join(
            f'<li><a href="{rel("issues/", p.key + "/")}">{esc(issue_label(p))}</a>（{len(p.docs)}篇）</li>' for p in issues
        )
        out.append(f'<ul class="gb-issues">{items}</ul>')
    return "\n\n".join(out) + "\n"


def redirect_html(target: str, title: str, body: str) -> str:
    """A static redirect page that works on any host: a script that keeps the visitor's `#anchor` (when
    `target` names none), meta refresh, canonical link, and `body` (HTML) with a visible link."""
    to = esc(target)
    keep = "" if "#" in target else " + location.hash"
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>"
        f'<link rel="canonical" href="{to}">'
        f'<script>location.replace("{to}"{keep})</script>'
        f'<meta http-equiv="refresh" content="0; url={to}">'
        f"</head><body>{body}</body></html>\n"
    )


def render_wenhao(issues: list[PublishedIssue]) -> dict[str, str]:
    """A redirect page per published 文号 (works on any static host), an index of them all with a note
    for each cited 文号 the gazette does not carry, and `wenhao/numbers.json`: every 文号 as printed →
    where the 404 page sends a reader who typed it (the document, or its 本公报未收录 note)."""
    files: dict[str, str] = {}
    rows: list[tuple[str, int, int, str, str]] = []
    numbers: dict[str, str] = {}
    for published in issues:
        for doc in published.docs:
            # A document's own 文号, and each 人事任免 decision's 文号 (to its anchor on the page).
            targets = [(doc.document.doc_number, doc.url, doc.document.title)]
            targets += [(a.doc_number, f"{doc.url}#{a.doc_number.slug}", f"{doc.document.title}（{a.date or ''}）")
                        for a in doc.document.appointments if a.doc_number is not None]  # fmt: skip
            for number, url, title in targets:
                if number is None:
                    continue
                here = f"wenhao/{number.slug}/"
                target = rel(here, url)
                label = f"{number} {title}"
                files[f"{here}index.html"] = redirect_html(target, label, f'<p><a href="{esc(target)}">{esc(label)}</a></p>')
                rows.append((number.issuer, number.year, number.serial, url, title))
                numbers.setdefault(str(number), url)
    out = [front_matter("文号索引"), "# 文号索引"]
    issuer = None
    for row in sorted(rows):
        if row[0] != issuer:
            issuer = row[0]
            out.append(f"## {md_heading_text(issuer)}")
        out.append(f'<p><a href="{rel("wenhao/", row[3])}">{esc(f"{row[0]}〔{row[1]}〕{row[2]}号")}</a> {esc(row[4])}</p>')
    out += _not_in_gazette(issues, numbers)
    files["wenhao/index.md"] = "\n\n".join(out) + "\n"
    files["wenhao/numbers.json"] = json.dumps(numbers, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
    return files


def _not_in_gazette(issues: list[PublishedIssue], numbers: dict[str, str]) -> list[str]:
    """One anchored note per 文号 cited in the gazette but not published in it, with the documents that
    cite it; each is added to `numbers` (→ `wenhao/#<anchor>`)."""
    cited: dict[str, list[tuple[str, str]]] = {}
    anchors: dict[str, str] = {}
    for published in issues:
        for doc in published.docs:
            for citation in doc.citations:
                printed = str(citation.doc_number)
                if citation.target is not None or printed in numbers:
                    continue
                if printed not in anchors:
                    # Two issuers with the same initials: the second note gets a suffix.
                    anchor, k = f"x-{citation.doc_number.slug}", 1
                    while anchor in anchors.values():
                        k += 1
                        anchor = f"x-{citation.doc_number.slug}-{k}"
                    anchors[printed] = anchor
                citing = cited.setdefault(printed, [])
                link = (f"{doc.url}#{citation.clause}" if citation.clause else doc.url, doc.document.title)
                if link not in citing:
                    citing.append(link)
    if not cited:
        return []
    out = ["## 本公报未收录的文号 {#not-in-gazette}", '<p class="gb-lead">以下文号在公报刊登的文件中被引用，但该文件本身未在本公报刊登。</p>']
    for printed in sorted(cited):
        numbers[printed] = f"wenhao/#{anchors[printed]}"
        users = "、".join(f'<a href="{rel("wenhao/", url)}">{esc(title)}</a>' for url, title in cited[printed])
        out.append(f'<p class="gb-not-in-gazette" id="{anchors[printed]}"><strong>{esc(printed)}</strong>：本公报未收录。引用它的文件：{users}</p>')
    return out
