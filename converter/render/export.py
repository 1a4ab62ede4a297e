"""Export an `Issue` (with its place in the linked `Corpus`) as JSON of schema `gongbao/issue@1`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from converter.model import (
    Block,
    Box,
    Clause,
    Corpus,
    Document,
    Footnote,
    Furniture,
    Issue,
    PageSpan,
    Paragraph,
    PublishedDoc,
    Table,
    Validity,
)
from converter.render.document import first_words, numbered_paragraph
from converter.urls import api_issue_path, issue_url, table_anchor

SCHEMA = "gongbao/issue@1"
_ISSN = re.compile(r"ISSN\s*([0-9]{4}[-—–][0-9]{3}[0-9Xx])")
_CN = re.compile(r"CN\s*([0-9]{2}[-—–][0-9]{4}/[A-Z])")

Json = dict[str, Any]


def issue_json(issue: Issue, corpus: Corpus) -> Json:
    """Describe what one extraction holds, and where its documents are published."""
    published = next((p for p in corpus.issues if p.issue.source.name == issue.source.name), None)
    placed_docs = {id(d.document): d for d in published.docs} if published else {}
    meta = issue.meta
    key = published.id if published else None
    duplicates = published.duplicates if published else ()
    tables: list[Json] = []
    documents = []
    for document in issue.documents:
        placed = placed_docs.get(id(document))
        documents.append(_document(document, placed, tables))
    duplicate_of = None
    if duplicates:
        first = duplicates[0]
        duplicate_of = {
            "document": first.of_url.rstrip("/").rsplit("/", 1)[-1],
            "url": first.of_url,
            "source": first.of_source,
            "differences": list(first.differences),
        }
    return {
        "schema": SCHEMA,
        "source": {
            "file": issue.source.name,
            "sha256": issue.source.sha256,
            "encoding": issue.source.encoding,
            "lines": len(issue.source.lines),
        },
        "issue": {
            "year": meta.year,
            "number": meta.number,
            "total_number": meta.total_number,
            "published": meta.published,
            "frequency": meta.frequency,
            "inferred": meta.inferred,
            "url": issue_url(key) if key and published and published.docs else None,
        },
        "editorial_board": {role: list(names) for role, names in issue.board.roles} if issue.board else None,
        "colophon": _colophon(issue),
        "toc": [
            {
                "section": entry.section,
                "title": entry.title,
                "doc_number": str(entry.doc_number) if entry.doc_number else None,
                "page": entry.page,
                "document": _slug(link) if link else None,
            }
            for entry, link in zip(issue.toc, published.toc_links if published else [None] * len(issue.toc), strict=True)
        ],
        "documents": documents,
        "appointments": [
            {
                "doc_number": str(a.doc_number) if a.doc_number else None,
                "date": a.date,
                "addressees": a.addressees,
                "preamble": a.preamble,
                "decisions": list(a.decisions),
                "notes": list(a.notes),
                "source_lines": [a.span.first, a.span.last],
            }
            for document in issue.documents
            for a in document.appointments
        ],
        "tables": tables,
        "furniture": [{"line": f.line, "text": f.text, "reason": f.reason} for f in _furniture(issue)],
        "warnings": [{"line": w.line, "code": w.code, "message": w.message} for w in issue.warnings],
        "duplicate_of": duplicate_of,
    }


def _furniture(issue: Issue) -> list[Furniture]:
    """Page furniture of the source, with the headers and cells that tables printed again after a page
    break (set aside while rebuilding them), in line order."""
    dropped = [f for d in issue.documents for b in d.blocks() if isinstance(b, Table) for f in b.dropped]
    return sorted([*issue.furniture, *dropped], key=lambda f: f.line)


def _slug(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _colophon(issue: Issue) -> dict[str, str] | None:
    if issue.colophon is None:
        return None
    fields = {label or "其他": value for label, value in issue.colophon.fields}
    text = " ".join(fields.values())
    if m := _ISSN.search(text):
        fields["ISSN"] = m.group(1).replace("—", "-").replace("–", "-")
    if m := _CN.search(text):
        fields["CN"] = m.group(1).replace("—", "-").replace("–", "-")
    return fields


def _document(document: Document, placed: PublishedDoc | None, tables: list[Json]) -> Json:
    slug = placed.slug if placed else None
    blocks = [_block(b, "", slug, tables) for b in document.body]
    for enclosed in document.enclosed:
        blocks += [_block(b, "encl", slug, tables) for b in enclosed.blocks]
    for attachment in document.attachments:
        blocks += [_block(b, attachment.anchor, slug, tables) for b in attachment.blocks]
    return {
        "slug": slug,
        "url": placed.url if placed else None,
        "title": document.title,
        "doc_number": str(document.doc_number) if document.doc_number else None,
        "kind": document.kind,
        "subtitle": list(document.subtitle),
        "addressees": document.addressees,
        "signatories": list(document.signatories),
        "date": document.date,
        "publication_note": document.publication_note,
        "enclosed_documents": [{"title": e.title, "kind": e.kind} for e in document.enclosed],
        "attachments": [
            {"label": a.label, "title": a.title, "omitted": a.omitted, "anchor": a.anchor}
            for a in document.attachments
        ],
        "outline": list(outline(document)),
        "blocks": blocks,
        "citations": [
            {"doc_number": str(c.doc_number), "in": c.clause, "target": c.target}
            for c in (placed.citations if placed else ())
        ],
        "cited_by": [{"document": url, "in": anchor} for url, anchor in (placed.cited_by if placed else ())],
        # What it stops, repeals, amends or replaces, and who does so to it: explicit sentences only.
        "relations": [
            {"kind": r.kind, "target": str(r.target), "clause": r.clause, "sentence": r.sentence}
            for r in (placed.relations if placed else document.stated)
        ],
        "affected_by": [
            {"document": url, "doc_number": number or None, "kind": r.kind, "clause": r.clause, "sentence": r.sentence}
            for url, number, r in (placed.affected_by if placed else ())
        ],
        # When it takes effect and until when, by its own explicit sentence (null when it says nothing).
        "validity": _validity(placed.validity if placed else document.validity),
        "pages": _pages(document.pages, document),
        "source_lines": [document.span.first, document.span.last],
    }


def _validity(found: Validity | None) -> Json | None:
    if found is None:
        return None
    return {"effective": found.effective, "effective_text": found.effective_text or None, "until": found.until,
            "clause": found.clause, "sentence": found.sentence}  # fmt: skip


def _pages(pages: PageSpan | None, document: Document) -> Json | None:
    """Printed pages: first and last (null when unknown), the page the 目录 prints, and where each page
    that begins inside the document begins: its source line and the clause it falls in ("" = none)."""
    if pages is None:
        return None
    clauses = [b for b in document.blocks() if isinstance(b, Clause)]

    def clause_at(line: int) -> str:
        inside = [c.anchor for c in clauses if c.span.first <= line <= c.span.last]
        return inside[-1] if inside else ""  # the innermost: walked after the clauses holding it

    return {
        "first": pages.first,
        "last": pages.last,
        "toc_page": pages.toc_page,
        "breaks": [{"page": b.page, "line": b.line, "in": clause_at(b.line)} for b in pages.breaks],
    }


def outline(document: Document) -> Iterator[Json]:
    """Every numbered heading in reading order; level 1 = the top level of its part."""
    parts: list[tuple[str, tuple[Block, ...]]] = [("", document.body)]
    parts += [("encl", e.blocks) for e in document.enclosed]
    parts += [(a.anchor, a.blocks) for a in document.attachments]
    for part, blocks in parts:
        yield from _outline(blocks, part, 1)


def _outline(blocks: tuple[Block, ...], part: str, level: int) -> Iterator[Json]:
    for block in blocks:
        if isinstance(block, Clause):
            # A numbered paragraph has no title: its entry gets the sentence's first words.
            sentence = numbered_paragraph(block)
            text = block.heading if sentence is None else first_words(sentence)
            yield {"id": block.anchor, "part": part, "level": level, "label": block.label, "text": text}
            yield from _outline(block.children, part, level + 1)


def _block(block: Block, part: str, slug: str | None, tables: list[Json]) -> Json:
    lines = [block.span.first, block.span.last]
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "source_lines": lines}
    if isinstance(block, Footnote):
        return {"type": "footnote", "mark": block.mark, "text": block.text, "source_lines": lines}
    if isinstance(block, Clause):
        return {
            "type": "heading",
            "id": block.anchor,
            "kind": block.kind,
            "label": block.label,
            "text": block.heading,
            "children": [_block(child, part, slug, tables) for child in block.children],
            "source_lines": lines,
        }
    if isinstance(block, Table):
        # `id` numbers the tables of the issue (the export's key); `anchor` is the table's id on its
        # document page (`table-N` counts per document), for linking to it.
        table_id = table_anchor(len(tables) + 1)
        body = block.rows[block.header_rows :]
        tables.append(
            {
                "id": table_id,
                "document": slug,
                "anchor": block.anchor or None,
                "caption": block.caption,
                "columns": list(block.rows[0]) if block.rows else [],
                "rows": [list(row) for row in body],
                "confidence": block.confidence,
                # The lines as printed, which the page shows instead of rows when the rebuild is unsure.
                "printed": list(block.raw) if block.low_confidence else None,
                # (row, column, rowspan, colspan), row 0 = the header; covered cells are "".
                "merges": [list(m) for m in block.merges],
                "row_links": [
                    {"row": r, "column": block.link_column, "clause": a}
                    for r, a in enumerate(block.row_links, start=1)
                    if a
                ],
                "source_lines": lines,
            }
        )
        return {"type": "table", "id": table_id, "anchor": block.anchor or None, "source_lines": lines}
    if isinstance(block, Box):
        return {
            "type": "box",
            "id": block.anchor,
            "label": block.label,
            "title": block.title,
            "children": [_block(child, part, slug, tables) for child in block.children],
            "source_lines": lines,
        }
    raise TypeError(f"export: no JSON form for {type(block).__name__}")


def api_index(corpus: Corpus) -> Json:
    """`/api/index.json`: every published issue with its JSON file and documents."""
    return {
        "schema": "gongbao/index@1",
        "issues": [
            {
                "key": p.key,
                "url": issue_url(p.id),
                "json": api_issue_path(p.id),
                "year": p.issue.meta.year,
                "number": p.issue.meta.number,
                "documents": [{"slug": d.slug, "title": d.document.title, "url": d.url} for d in p.docs],
            }
            for p in corpus.issues
            if p.docs
        ],
    }
