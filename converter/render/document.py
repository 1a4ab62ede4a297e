"""Render a linked `Corpus` into the files of the generated part of `docs/`: path → text.

Markdown carries only headings (so that MkDocs builds the page outline and anchors from them); every
piece of source text in a paragraph, table or panel is emitted as escaped HTML, so nothing in a source
(`<script>`, `{{ }}`, `[link](…)`) is ever interpreted. One function per node type; links between pages
are relative directory URLs computed here.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import singledispatch

from converter.docnumber import find_doc_numbers
from converter.model import (
    Attachment,
    Block,
    Box,
    Clause,
    Footnote,
    Paragraph,
    PublishedDoc,
    PublishedIssue,
    Relation,
    Table,
)
from converter.render.escape import esc
from converter.render.pages import PageNotes, panel_attributes, panel_row
from converter.render.search import search_markup
from converter.render.table import table_html
from converter.render.text import (
    GAZETTE,
    chinese_date,
    front_matter,
    issue_citation,
    issue_label,
    md_heading_text,
    nested,
)
from converter.urls import appointment_anchor, issue_url, original_pdf_url, rel, rel_file, row_anchor

# --------------------------------------------------------------------------------------------------
# Text


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
    notes: PageNotes = field(default_factory=PageNotes)
    """The printed-page notes (〔第5页〕) still to place before the blocks they belong before."""

    @classmethod
    def of(cls, doc: PublishedDoc) -> Page:
        page = cls(doc)
        d = doc.document
        page.notes = PageNotes.of(d.pages)
        number = f"（{d.doc_number}）" if d.doc_number else ""
        parts: list[tuple[str, tuple[Block, ...]]] = [(f"《{nested(d.title)}》{number}", d.body)]
        parts += [(f"《{nested(e.title)}》{number}", e.blocks) for e in d.enclosed]
        parts += [(f"《{nested(d.title)}》{number}{a.label}", a.blocks) for a in d.attachments]
        for prefix, blocks in parts:
            _cite_paths(blocks, prefix, (), page.cite)
        notes = [b for b in doc.document.blocks() if isinstance(b, Footnote)]
        for k, note in enumerate(notes, start=1):
            page.note_ids[id(note)] = f"fn-{k}"
            page.pending.setdefault(note.mark, deque()).append(f"fn-{k}")
        for table in (b for b in doc.document.blocks() if isinstance(b, Table)):
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
            out.append(f'<a class="gb-cite" href="{esc(rel(doc.url, target))}">{printed}</a>')
        elif number != doc.document.doc_number:
            out.append(f'<span class="gb-cite-ext" title="本公报未收录此文件">{printed}</span>')
        else:
            out.append(printed)
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Blocks


@singledispatch
def render_block(block: object, page: Page, level: int) -> Iterator[str]:
    raise TypeError(f"render_block: no renderer for {type(block).__name__}")


@render_block.register
def _(block: Paragraph, page: Page, level: int) -> Iterator[str]:
    yield from page.notes.upto(block.span.last)
    parts = [linked(part, page) for part in block.text.split("\n")]
    yield f"<p>{'<br>'.join(parts)}</p>"


@render_block.register
def _(block: Footnote, page: Page, level: int) -> Iterator[str]:
    yield from page.notes.upto(block.span.last)
    note_id = page.note_ids[id(block)]
    mark = esc(block.mark)
    if note_id in page.referenced:
        mark = f'<a class="gb-fnback" href="#{note_id}-ref" title="返回正文">{mark}</a>'
    yield f'<p class="gb-footnote" id="{note_id}">{mark} {linked(block.text, page)}</p>'


@render_block.register
def _(block: Clause, page: Page, level: int) -> Iterator[str]:
    hashes = "#" * min(level, 6)
    cite = _attribute(page.cite.get(id(block), ""))
    children = block.children
    sentence = numbered_paragraph(block)
    # The heading's own lines (with a numbered paragraph's sentence) end where its first other child begins.
    rest = children[1:] if sentence is not None else children
    yield from page.notes.upto(rest[0].span.first - 1 if rest else block.span.last)
    if sentence is not None:
        # A numbered paragraph (一、 then a sentence): the label runs into the text. It stays a heading,
        # drawn as body text (.gb-para), so that it keeps its id, ¶, 复制引用 and its place in search
        # results; the outline shows its first words.
        text = linked_heading(sentence.replace("\n", " "), page)
        text = _NOTE_REF.sub(page.ref, text) if page.pending else text
        label = f'<span class="gb-para-label">{esc(block.label)}</span>'
        toc = _attribute(html.escape(block.label + first_words(sentence), quote=False))
        yield f'{hashes} {label}{text} {{#{block.anchor} .gb-para data-cite="{cite}" data-toc-label="{toc}"}}'
        children = children[1:]
    else:
        # 第一章 总则 as printed, with a space; 一、总体要求 and （一）指导思想 run on.
        gap = " " if block.label.startswith("第") else ""
        title = f"{block.label}{gap}{block.heading}".strip()
        yield f'{hashes} {linked_heading(title, page)} {{#{block.anchor} data-cite="{cite}"}}'
    yield from _row_ref(block, page)
    for child in children:
        yield from render_block(child, page, level + 1)


def numbered_paragraph(clause: Clause) -> str | None:
    """The sentence of a numbered paragraph (a clause with no title whose text is its first paragraph),
    or None for a clause with a title."""
    if clause.heading or not clause.children or not isinstance(clause.children[0], Paragraph):
        return None
    return clause.children[0].text


_PAUSES = "，。；：！？"
_FIRST_WORDS = 14


def first_words(text: str) -> str:
    """The start of a sentence for an outline entry: up to its first pause when that comes early, else
    its first 14 characters and an ellipsis."""
    text = text.replace("\n", " ")
    for i, ch in enumerate(text[: _FIRST_WORDS + 4]):
        if ch in _PAUSES:
            return text[:i] + ("…" if i + 1 < len(text) else "")
    return text if len(text) <= _FIRST_WORDS + 4 else text[:_FIRST_WORDS] + "…"


def _attribute(value: str) -> str:
    """A value inside an attr_list's double quotes: no quote or closing brace can end it early."""
    return value.replace('"', "＂").replace("}", "｝")


@render_block.register
def _(block: Table, page: Page, level: int) -> Iterator[str]:
    yield from page.notes.upto(block.span.last)
    yield table_html(block, lambda text: linked(text, page))


def _row_ref(clause: Clause, page: Page) -> Iterator[str]:
    """Under a clause heading that a table row describes: a link to that row."""
    if ref := page.row_refs.get(clause.anchor):
        table, row = ref
        yield f'<p class="gb-rowref"><a href="#{row_anchor(table, row)}">见表格第{row}行</a></p>'


@render_block.register
def _(block: Box, page: Page, level: int) -> Iterator[str]:
    title = esc(f"{block.label} {block.title}".strip())
    yield from page.notes.upto(block.children[0].span.first - 1 if block.children else block.span.last)
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
    out += [_status_banner(doc, url, number, relation) for url, number, relation in doc.affected_by]
    out.append(_meta_panel(doc, published))
    if extra := search_markup(doc):
        out.append(extra)
    page = Page.of(doc)
    out += page.notes.upto(0)  # the page the document begins on
    if d.subtitle:
        out.append('<p class="gb-subtitle">' + "<br>".join(esc(s) for s in d.subtitle) + "</p>")
    if d.addressees:
        out.append(f'<p class="gb-addressees">{esc(d.addressees)}：</p>')
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
    out += page.notes.rest()
    if doc.cited_by:
        out.append("## 被引用 {#cited-by}")
        items = "".join(
            f'<li><a href="{esc(rel(doc.url, url))}{"#" + anchor if anchor else ""}">{esc(url)}</a></li>'
            for url, anchor in doc.cited_by
        )
        out.append(f'<ul class="gb-cited-by">{items}</ul>')
    return "\n\n".join(out) + "\n"


RELATION_LABELS = {"stops": "停止执行", "repeals": "废止", "amends": "修改", "replaces": "代替"}
"""Relation.kind → what the gazette calls it; on the earlier document: 已停止执行, 已废止, 已修改, 已被代替."""
_STATUS = {"stops": "已停止执行", "repeals": "已废止", "amends": "已修改", "replaces": "已被代替"}


def _status_banner(doc: PublishedDoc, url: str, number: str, relation: Relation) -> str:
    """On a document a later one acts on: what happened, by which document (linked to the clause), and
    the sentence that says so, quoted."""
    where = f"{url}#{relation.clause}" if relation.clause else url
    by = f'<a href="{esc(rel(doc.url, where))}">{esc(number or "后发文件")}</a>'
    return (
        f'<div class="admonition warning gb-status"><p class="admonition-title">{_STATUS[relation.kind]} — 依据 {by}</p>'
        f"<blockquote><p>{esc(relation.sentence)}</p></blockquote></div>"
    )


def _relation_html(doc: PublishedDoc, relation: Relation) -> str:
    """A 效力 entry of the panel: what this document does to which one (linked when the gazette has it),
    and where it says so."""
    target = next((c.target for c in doc.citations if c.doc_number == relation.target and c.target), None)
    name = esc(str(relation.target))
    if target is not None:
        name = f'<a href="{esc(rel(doc.url, target))}">{name}</a>'
    where = f'（<a href="#{esc(relation.clause)}">见原文</a>）' if relation.clause else ""
    return f"{RELATION_LABELS[relation.kind]} {name}{where}"


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
    if doc.validity and (when := _validity_html(doc)):
        rows.append(("施行", when))
    if doc.relations:
        rows.append(("效力", "；".join(_relation_html(doc, relation) for relation in doc.relations)))
    to_issue = rel(doc.url, issue_url(published.id))
    rows.append(("刊期", f'<a href="{esc(to_issue)}">{esc(GAZETTE + " " + issue_label(published))}</a>'))
    if pages := panel_row(d.pages):
        rows.append(pages)
    if published.issue.original_pdf:
        rows.append(("原版", _original_link(doc, published)))
    source = f"{doc.source}：第{d.span.first}–{d.span.last}行"
    if doc.duplicate_sources:
        source += "（另见 " + "、".join(doc.duplicate_sources) + "）"
    # For editors: folded away, so that readers see the document's facts first.
    rows.append(("来源", f'<details class="gb-source"><summary>提取文本位置</summary><span>{esc(source)}</span></details>'))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    number = f"（{d.doc_number}）" if d.doc_number else ""
    cite = esc(f"《{nested(d.title)}》{number}")
    return f'<dl class="gb-meta gb-doc" data-cite="{cite}" data-issue-cite="{esc(issue_citation(published))}"{panel_attributes(d.pages, published)}>{body}</dl>'


def _validity_html(doc: PublishedDoc) -> str:
    """`自2024年3月1日起施行，有效期至2029年2月28日`, linked to the clause that says so."""
    found = doc.validity
    if found is None:
        return ""
    parts = [found.effective_text] if found.effective_text else []
    if found.until:
        parts.append(f"有效期至{chinese_date(found.until)}")
    if not parts:
        return ""
    href = f"#{found.clause}" if found.clause else ""
    text = esc("，".join(parts))
    title = esc(found.sentence)
    return f'<a href="{esc(href)}" title="{title}">{text}</a>' if href else f'<span title="{title}">{text}</span>'


def _original_link(doc: PublishedDoc, published: PublishedIssue) -> str:
    """The printed original, opened at the document's first page when the PDF was the source."""
    pages = published.issue.source.pages
    first = doc.document.span.first
    page = pages[first - 1] if 0 < first <= len(pages) else None
    href = rel_file(doc.url, original_pdf_url(published.id) + (f"#page={page}" if page else ""))
    label = f"原版PDF第{page}页" if page else "本期原版PDF"
    return f'<a href="{esc(href)}" type="application/pdf">{label}</a>'


def _appointments(doc: PublishedDoc) -> list[str]:
    out: list[str] = []
    for k, appointment in enumerate(doc.document.appointments, start=1):
        number = str(appointment.doc_number) if appointment.doc_number else f"第{k}件"
        anchor = appointment_anchor(appointment, k)
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
