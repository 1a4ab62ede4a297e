"""Render a linked `Corpus` into the files of the generated part of `docs/`: path → text.

Markdown carries only headings (so that MkDocs builds the page outline and anchors from them); every
piece of source text in a paragraph, table or panel is emitted as escaped HTML, so nothing in a source
(`<script>`, `{{ }}`, `[link](…)`) is ever interpreted. One function per node type; links between pages
are relative directory URLs computed here.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import singledispatch

from converter.docnumber import find_doc_numbers
from converter.escape import esc
from converter.link import walk_blocks
from converter.model import (
    Attachment,
    Block,
    Box,
    Clause,
    Corpus,
    Footnote,
    Paragraph,
    PublishedDoc,
    PublishedIssue,
    Table,
)
from converter.pages import nav_entries
from converter.render_table import table_html
from converter.search import search_markup

GAZETTE = "宁夏回族自治区人民政府公报"
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_CHINESE_DATE = "{0}年{1}月{2}日"


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


# --------------------------------------------------------------------------------------------------
# Text


def md_heading_text(text: str) -> str:
    """Source text safe inside a Markdown heading: Markdown punctuation backslash-escaped, then HTML-escaped."""
    return html.escape(_MD_ESCAPE.sub(r"\\\1", text), quote=False)


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site-relative directory URLs (`2023/06/x/` → `../y/`)."""
    path, _, fragment = to_url.partition("#")
    target = posixpath.relpath(path or ".", from_url or ".")
    link = "./" if target == "." else target.rstrip("/") + "/"
    return f"{link}#{fragment}" if fragment else link


@dataclass(slots=True)
class Page:
    """What rendering one document page needs beyond a block: the document and its footnote pairing."""

    doc: PublishedDoc
    note_ids: dict[int, str] = field(default_factory=dict)
    """id() of each Footnote block → its element id (`fn-3`)."""
    pending: dict[str, deque[str]] = field(default_factory=dict)
    """Footnote mark → ids of the notes with that mark not yet referenced, in reading order."""
    referenced: set[str] = field(default_factory=set)
    cite: dict[int, str] = field(default_factory=dict)
    """id() of each Clause → its Chinese citation (《标题》（文号）三、（二）), for the copy button."""
    row_refs: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Clause anchor → (table anchor, row number) of the table row describing the same item."""

    @classmethod
    def of(cls, doc: PublishedDoc) -> Page:
        page = cls(doc)
        d = doc.document
        number = f"（{d.doc_number}）" if d.doc_number else ""
        parts: list[tuple[str, tuple[Block, ...]]] = [(f"《{nested(d.title)}》{number}", d.body)]
        parts += [(f"《{nested(e.title)}》{number}", e.blocks) for e in d.enclosed]
        parts += [(f"《{nested(d.title)}》{number}{a.label}", a.blocks) for a in d.attachments]
        for prefix, blocks in parts:
            _cite_paths(blocks, prefix, (), page.cite)
        notes = [b for b in walk_blocks(doc.document) if isinstance(b, Footnote)]
        for k, note in enumerate(notes, start=1):
            page.note_ids[id(note)] = f"fn-{k}"
            page.pending.setdefault(note.mark, deque()).append(f"fn-{k}")
        for table in (b for b in walk_blocks(doc.document) if isinstance(b, Table)):
            page.row_refs.update({a: (table.anchor, r) for r, a in enumerate(table.row_links, start=1) if a})
        return page

    def ref(self, match: re.Match[str]) -> str:
        """Link a footnote mark in running text to the next unreferenced note with that mark."""
        mark = match.group(1) or match.group(2)
        queue = self.pending.get(mark)
        if not queue:
            return match.group(0)
        target = queue.popleft()
        self.referenced.add(target)
        return f'<sup id="{target}-ref"><a class="gb-fnref" href="#{target}">{mark}</a></sup>'


def _cite_paths(blocks: tuple[Block, ...], prefix: str, path: tuple[Clause, ...], out: dict[int, str]) -> None:
    for block in blocks:
        if isinstance(block, Clause):
            out[id(block)] = prefix + clause_citation((*path, block))
            _cite_paths(block.children, prefix, (*path, block), out)


def clause_citation(path: tuple[Clause, ...]) -> str:
    """How a clause is cited: `三、（二）1.`; from a 第X条 on, `第五条第（二）项第1目`."""
    articles = [k for k, c in enumerate(path) if c.kind == "tiao"]
    if not articles:
        return "".join(c.label for c in path)
    out = path[articles[-1]].label
    for clause in path[articles[-1] + 1 :]:
        label = clause.label.rstrip(".、")
        out += f"第{label}项" if clause.kind in ("paren", "yi") else f"第{label}目"
    return out


_NOTE_REF = re.compile(r"<sup>([^<]{1,4})</sup>|(?<=[\u4e00-\u9fff”。，])([①-⑳])")


def linked(text: str, page: Page) -> str:
    """Escaped running text with each cited 文号 linked to its document, or marked as not in the gazette,
    and footnote marks linked to their notes."""
    out = _with_citations(text, page, esc)
    return _NOTE_REF.sub(page.ref, out) if page.pending else out


def linked_heading(text: str, page: Page) -> str:
    """Heading text for Markdown with cited 文号 linked (as `linked` does for paragraphs)."""
    return _with_citations(text, page, md_heading_text)


def _with_citations(text: str, page: Page, escape: Callable[[str], str]) -> str:
    """`text` escaped by `escape`, each cited 文号 a link to its document or marked as not in the gazette."""
    doc = page.doc
    targets = {str(c.doc_number): c.target for c in doc.citations}
    out: list[str] = []
    pos = 0
    for number, start, end in find_doc_numbers(text):
        out.append(escape(text[pos:start]))
        printed = escape(text[start:end])
        target = targets.get(str(number))
        if target is not None:
            out.append(f'<a class="gb-cite" href="{rel(doc.url, target)}">{printed}</a>')
        elif number != doc.document.doc_number:
            out.append(f'<span class="gb-cite-ext" title="本公报未收录此文件">{printed}</span>')
        else:
            out.append(printed)
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


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
    meta = published.issue.meta
    if meta.number:
        return f"{meta.year}年第{meta.number}期"
    return f"{meta.year}年（期号未印）" if meta.year else "年份不详（期号未印）"


# --------------------------------------------------------------------------------------------------
# Blocks


@singledispatch
def render_block(block: object, page: Page, level: int) -> Iterator[str]:
    raise TypeError(f"render_block: no renderer for {type(block).__name__}")


@render_block.register
def _(block: Paragraph, page: Page, level: int) -> Iterator[str]:
    parts = [linked(part, page) for part in block.text.split("\n")]
    yield f"<p>{'<br>'.join(parts)}</p>"


@render_block.register
def _(block: Footnote, page: Page, level: int) -> Iterator[str]:
    note_id = page.note_ids[id(block)]
    mark = esc(block.mark)
    if note_id in page.referenced:
        mark = f'<a class="gb-fnback" href="#{note_id}-ref" title="返回正文">{mark}</a>'
    yield f'<p class="gb-footnote" id="{note_id}">{mark} {linked(block.text, page)}</p>'


@render_block.register
def _(block: Clause, page: Page, level: int) -> Iterator[str]:
    hashes = "#" * min(level, 6)
    # 第一章 总则 as printed, with a space; 一、总体要求 and （一）指导思想 run on.
    gap = " " if block.label.startswith("第") else ""
    title = f"{block.label}{gap}{block.heading}".strip()
    cite = page.cite.get(id(block), "").replace('"', "＂").replace("}", "｝")
    yield f'{hashes} {linked_heading(title, page)} {{#{block.anchor} data-cite="{cite}"}}'
    yield from _row_ref(block, page)
    for child in block.children:
        yield from render_block(child, page, level + 1)


@render_block.register
def _(block: Table, page: Page, level: int) -> Iterator[str]:
    yield table_html(block, lambda text: linked(text, page))


def _row_ref(clause: Clause, page: Page) -> Iterator[str]:
    """Under a clause heading that a table row describes: a link to that row."""
    if ref := page.row_refs.get(clause.anchor):
        table, row = ref
        yield f'<p class="gb-rowref"><a href="#{table}-r{row}">见表格第{row}行</a></p>'


@render_block.register
def _(block: Box, page: Page, level: int) -> Iterator[str]:
    title = esc(f"{block.label} {block.title}".strip())
    inner = "".join(piece for child in block.children for piece in render_block(child, page, level + 1))
    yield f'<div class="admonition note gb-box" id="{block.anchor}"><p class="admonition-title">{title}</p>{inner}</div>'


def render_blocks(blocks: tuple[Block, ...], page: Page, level: int) -> list[str]:
    return [piece for block in blocks for piece in render_block(block, page, level)]


# --------------------------------------------------------------------------------------------------
# Pages


def render_document(doc: PublishedDoc, published: PublishedIssue) -> str:
    """A document page; previous/next within the issue come from Material's footer (nav order)."""
    d = doc.document
    out = [front_matter(d.title, description=f"{GAZETTE} {issue_label(published)}")]
    out.append(f"# {md_heading_text(d.title)}")
    out.append(_meta_panel(doc, published))
    if extra := search_markup(doc):
        out.append(extra)
    if d.subtitle:
        out.append('<p class="gb-subtitle">' + "<br>".join(esc(s) for s in d.subtitle) + "</p>")
    if d.addressees:
        out.append(f'<p class="gb-addressees">{esc(d.addressees)}：</p>')
    page = Page.of(doc)
    out += render_blocks(d.body, page, 2)
    if d.signatories or d.date:
        lines = [esc(s) for s in d.signatories] + ([esc(chinese_date(d.date))] if d.date else [])
        out.append('<p class="gb-signature">' + "<br>".join(lines) + "</p>")
    if d.publication_note:
        out.append(f'<p class="gb-note">{esc(d.publication_note)}</p>')
    for enclosed in d.enclosed:
        out.append(f"## {md_heading_text(enclosed.title)} {{#encl}}")
        out += render_blocks(enclosed.blocks, page, 3)
    if d.appointments:
        out += _appointments(doc)
    out += _attachments(d.attachments, page)
    if doc.cited_by:
        out.append("## 被引用 {#cited-by}")
        items = "".join(
            f'<li><a href="{rel(doc.url, url)}{"#" + anchor if anchor else ""}">{esc(url)}</a></li>'
            for url, anchor in doc.cited_by
        )
        out.append(f'<ul class="gb-cited-by">{items}</ul>')
    return "\n\n".join(out) + "\n"


def _meta_panel(doc: PublishedDoc, published: PublishedIssue) -> str:
    d = doc.document
    rows: list[tuple[str, str]] = []
    if d.doc_number:
        rows.append(("文号", esc(str(d.doc_number))))
    if d.signatories:
        rows.append(("发文机关", esc("、".join(d.signatories))))
    if d.date:
        rows.append(("成文日期", esc(chinese_date(d.date))))
    if d.publication_note:
        rows.append(("公开属性", esc(d.publication_note.strip("（）"))))
    issue_url = rel(doc.url, published.key + "/")
    rows.append(("刊期", f'<a href="{issue_url}">{esc(GAZETTE + " " + issue_label(published))}</a>'))
    source = f"{doc.source}：第{d.span.first}–{d.span.last}行"
    if doc.duplicate_sources:
        source += "（另见 " + "、".join(doc.duplicate_sources) + "）"
    # For editors: folded away, so that readers see the document's facts first.
    rows.append(("来源", f'<details class="gb-source"><summary>提取文本位置</summary><span>{esc(source)}</span></details>'))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    number = f"（{d.doc_number}）" if d.doc_number else ""
    cite = esc(f"《{nested(d.title)}》{number}")
    return f'<dl class="gb-meta gb-doc" data-cite="{cite}" data-issue-cite="{esc(issue_citation(published))}">{body}</dl>'


def _appointments(doc: PublishedDoc) -> list[str]:
    out: list[str] = []
    for k, appointment in enumerate(doc.document.appointments, start=1):
        number = str(appointment.doc_number) if appointment.doc_number else f"第{k}件"
        anchor = appointment.doc_number.slug if appointment.doc_number else f"appt{k}"
        out.append(f"## {md_heading_text(number)} {{#{anchor}}}")
        if appointment.date:
            out.append(f'<p class="gb-date">{esc(chinese_date(appointment.date))}</p>')
        if appointment.addressees:
            out.append(f'<p class="gb-addressees">{esc(appointment.addressees)}：</p>')
        if appointment.preamble:
            out.append(f"<p>{esc(appointment.preamble)}</p>")
        items = "".join(f"<li>{esc(decision)}</li>" for decision in appointment.decisions)
        out.append(f'<ul class="gb-decisions">{items}</ul>')
        out += [f'<p class="gb-appointment-note">{esc(note)}</p>' for note in appointment.notes]
    return out


def _attachments(attachments: tuple[Attachment, ...], page: Page) -> list[str]:
    out: list[str] = []
    for attachment in attachments:
        title = f"{attachment.label} {attachment.title}".strip()
        if attachment.omitted:
            # Nothing printed: an anchored note, not a heading over an empty section.
            out.append(f'<p class="gb-omitted" id="{attachment.anchor}">{esc(title)}（略，未在公报刊登）</p>')
            continue
        out.append(f"## {md_heading_text(title)} {{#{attachment.anchor}}}")
        out += render_blocks(attachment.blocks, page, 3)
    return out


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


def redirect_page(target: str, label: str) -> str:
    """A static redirect that works on any host: meta refresh, canonical link, and a visible link."""
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(label)}</title>"
        f'<link rel="canonical" href="{esc(target)}">'
        f'<meta http-equiv="refresh" content="0; url={esc(target)}">'
        f'</head><body><p><a href="{esc(target)}">{esc(label)}</a></p></body></html>\n'
    )


def render_wenhao(issues: list[PublishedIssue]) -> dict[str, str]:
    """A redirect page per published 文号 (works on any static host) and an index of them all."""
    files: dict[str, str] = {}
    rows: list[tuple[str, int, int, str, str]] = []
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
                files[f"{here}index.html"] = redirect_page(target, f"{number} {title}")
                rows.append((number.issuer, number.year, number.serial, url, title))
    out = [front_matter("文号索引"), "# 文号索引"]
    issuer = None
    for row in sorted(rows):
        if row[0] != issuer:
            issuer = row[0]
            out.append(f"## {md_heading_text(issuer)}")
        out.append(f'<p><a href="{rel("wenhao/", row[3])}">{esc(f"{row[0]}〔{row[1]}〕{row[2]}号")}</a> {esc(row[4])}</p>')
    files["wenhao/index.md"] = "\n\n".join(out) + "\n"
    return files
