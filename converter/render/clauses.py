"""A `Document` → its text piece by piece, keyed by permanent id: what the change report compares and the
per-document open data lists.

Each numbered clause (and each 专栏) is one piece holding only its own text: its heading and the
paragraphs, footnotes and tables directly under it, not its sub-clauses (they are pieces of their own),
so a fixed word shows in exactly the clause that holds it. The text of a part that stands outside any
numbered clause (the document's preamble and closing, an enclosed document's or an attachment's
unnumbered text) is a piece too, keyed by the part's anchor: "" for the document itself, `encl`,
`att2`; those keys are never clause ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from converter.model import Block, Box, Clause, Document, Footnote, PageSpan, Paragraph, Table
from converter.render.document import clause_citation


@dataclass(frozen=True, slots=True)
class Piece:
    """The own text of one clause, box or unnumbered part of a document."""

    id: str
    """The anchor on the document page (`p3-2`, `ch2-art5`, `box2`), or the part's key (`""`, `encl`, `att2`)."""
    label: str
    """The marker as printed (`第三条`, `（二）`, `专栏2`); the part's name for a part."""
    citation: str
    """How readers cite it: `第三条`, `三、（二）`, `附件2三、`; the part's name for a part."""
    text: str
    """Its own text: heading, then its paragraphs, footnotes and table rows, one per line."""
    page: int | None
    """The printed page it begins on, when known."""
    clause: bool
    """True for a numbered clause or box, False for the text of a part outside them."""


def pieces(document: Document) -> Iterator[Piece]:
    """Every piece of a document in reading order; a part's unnumbered text first, when it has any."""
    parts: list[tuple[str, str, str, tuple[Block, ...], int]] = [("", "正文", "", document.body, document.span.first)]
    parts += [("encl", f"《{e.title}》", f"《{e.title}》", e.blocks, e.span.first) for e in document.enclosed]
    parts += [(a.anchor, a.label, a.label, a.blocks, a.span.first) for a in document.attachments]
    for key, name, prefix, blocks, first in parts:
        loose = _own_text(blocks)
        if loose:
            yield Piece(key, name, name, loose, page_at(document.pages, first), False)
        found: list[Piece] = []
        _walk(blocks, prefix, (), document.pages, found)
        yield from found


def _walk(blocks: tuple[Block, ...], prefix: str, path: tuple[Clause, ...], pages: PageSpan | None, out: list[Piece]) -> None:
    """The pieces of `blocks`' clauses and boxes, each before its children's, appended to `out` (not yielded
    up through a generator per level: every build takes the pieces of every document)."""
    for block in blocks:
        if isinstance(block, Clause):
            text = "\n".join(x for x in (block.heading, _own_text(block.children)) if x)
            here = (*path, block)
            out.append(Piece(block.anchor, block.label, prefix + clause_citation(here), text, page_at(pages, block.span.first), True))
            _walk(block.children, prefix, here, pages, out)
        elif isinstance(block, Box):
            text = "\n".join(x for x in (block.title, _own_text(block.children)) if x)
            out.append(Piece(block.anchor, block.label, prefix + block.label, text, page_at(pages, block.span.first), True))
            _walk(block.children, prefix, path, pages, out)


def _own_text(blocks: tuple[Block, ...]) -> str:
    """The text of the blocks that are not clauses or boxes, one line per paragraph, note or table row."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Footnote):
            lines.append(f"{block.mark}{block.text}")
        elif isinstance(block, Table):
            lines += [x for x in (block.caption,) if x]
            lines += [" | ".join(row) for row in block.rows] if block.rows else list(block.raw)
    return "\n".join(lines)


def page_at(pages: PageSpan | None, line: int) -> int | None:
    """The printed page a source line is on: the last page beginning at or before it, else the first page."""
    if pages is None:
        return None
    found = pages.first
    for page_break in pages.breaks:
        if page_break.line <= line:
            found = page_break.page
    return found
