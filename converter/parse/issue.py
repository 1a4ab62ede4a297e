"""Parse a segmented source into an `Issue`: front matter, documents, and what had to be inferred."""

from __future__ import annotations

import re
from dataclasses import replace

from converter.docnumber import DocNumber
from converter.errors import SourceError, quote
from converter.model import CleanSource, Document, Furniture, Issue, IssueMeta, Warning_
from converter.numbering import find_dates
from converter.parse.document import parse_document
from converter.parse.front import parse_front
from converter.parse.pages import page_lines, paginate
from converter.parse.statements import with_statements
from converter.read.segment import Segments
from converter.read.sidecar import Sidecar

_MIN_CJK = 20


def parse_issue(clean: CleanSource, segments: Segments, sidecar: Sidecar | None) -> Issue:
    """Parse front matter and every document span; infer the year when the cover is missing; give each
    document its printed pages (`parse.pages`)."""
    source = clean.source
    warnings: list[Warning_] = []
    furniture: list[Furniture] = list(clean.furniture)
    front = parse_front(segments.front, source) if segments.front else None
    if front is not None:
        furniture.extend(front.furniture)
    documents = []
    for span in segments.documents:
        text = "".join(line.text for line in span.lines)
        if span.anchor is None and len(re.findall(r"[\u4e00-\u9fff]", text)) < _MIN_CJK:
            furniture.extend(Furniture(line.no, line.text, "no document") for line in span.lines)
            continue
        document, doc_warnings = parse_document(span, source.name)
        documents.append(document)
        warnings.extend(doc_warnings)
    if not documents:
        first = clean.lines[0].no if clean.lines else 0
        raise SourceError(
            source.path, first, "expected at least one document (a title with a 文号 line, or text), found none"
        )
    meta = front.meta if front is not None else IssueMeta(None, None, None, None, None, False, None)
    if meta.year is None:
        # Lines joined: a narrow column wraps a date (`2020年6` / `月6日`) as readily as any text.
        dates = sorted(find_dates("".join(line.text for line in clean.lines)))
        if dates:
            meta = IssueMeta(int(dates[-1][:4]), meta.number, meta.total_number, meta.published,
                             meta.frequency, True, meta.span)  # fmt: skip
            warnings.append(Warning_(0, "inferred-year", f"no cover data: year {meta.year} inferred from the latest date {dates[-1]}"))
    if sidecar is not None:
        meta = IssueMeta(
            year=sidecar.year or meta.year,
            number=sidecar.number or meta.number,
            total_number=sidecar.total_number or meta.total_number,
            published=sidecar.published or meta.published,
            frequency=meta.frequency,
            inferred=meta.inferred and sidecar.year is None,
            span=meta.span,
        )
    if sidecar is not None and sidecar.kinds:
        documents = _override_kinds(documents, sidecar, warnings)
    pages, page_warnings = page_lines(clean.furniture, clean.lines)
    warnings.extend(page_warnings)
    documents = paginate(documents, pages, front.toc if front else ())
    if meta.number is None:
        warnings.append(Warning_(0, "no-issue-number", "no issue number printed; state it in a sidecar .meta.yml"))
    return Issue(
        source=source,
        meta=meta,
        board=front.board if front else None,
        toc=front.toc if front else (),
        colophon=front.colophon if front else None,
        documents=tuple(with_statements(d) for d in documents),
        furniture=tuple(sorted(furniture, key=lambda f: f.line)),
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
    )


def _override_kinds(documents: list[Document], sidecar: Sidecar, warnings: list[Warning_]) -> list[Document]:
    """Apply the sidecar's `kinds:`; a key that names no document is a warning."""
    wanted = dict(sidecar.kinds)
    out: list[Document] = []
    used: set[str] = set()
    for document in documents:
        keys = [document.title] + ([str(document.doc_number)] if document.doc_number else [])
        for key in list(wanted):
            if key in keys or _same_number(key, document):
                document = replace(document, kind=wanted[key])  # type: ignore[arg-type]
                used.add(key)
        out.append(document)
    for key in wanted.keys() - used:
        warnings.append(Warning_(0, "sidecar-unmatched", f"expected a document {quote(repr(key))} for kinds:, found none"))
    return out


def _same_number(key: str, document: Document) -> bool:
    try:
        return document.doc_number is not None and DocNumber.parse(key) == document.doc_number
    except ValueError:
        return False
