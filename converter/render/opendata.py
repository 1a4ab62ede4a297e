"""A linked `Corpus` → the open data beside the JSON API: one JSON file per document with its clauses
(`data/documents/<year>/<NN>/<slug>.json`, the page's URL path), and the citation graph
(`data/citations.csv`, `data/citations.json`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from converter.model import Corpus, PublishedDoc, PublishedIssue
from converter.render.clauses import pieces

DATA = "data/"
CITATIONS_CSV = f"{DATA}citations.csv"
CITATIONS_JSON = f"{DATA}citations.json"
CITATION_FIELDS = ("from_doc_number", "from_url", "clause", "to_doc_number", "to_url")
"""Columns of the citation graph: the citing document, the clause the citation stands in ("" = outside
any numbered clause), the cited 文号 and the URL of the cited document ("" when not in the gazette)."""

Json = dict[str, Any]


def document_data_path(doc: PublishedDoc) -> str:
    """`data/documents/2023/06/nzbf-2023-13.json`: the page URL's path, so it is unique as the page is."""
    return f"{DATA}documents/{doc.url.rstrip('/')}.json"


def document_data(doc: PublishedDoc, published: PublishedIssue) -> Json:
    """One document as open data (`gongbao/document@1`): its clauses with id, label, citation, own text
    and printed page, and the text standing outside numbered clauses, part by part."""
    d = doc.document
    found = list(pieces(d))
    return {
        "schema": "gongbao/document@1",
        "url": doc.url,
        "slug": doc.slug,
        "issue": published.key,
        "title": d.title,
        "doc_number": str(d.doc_number) if d.doc_number else None,
        "date": d.date,
        "clauses": [
            {"id": p.id, "label": p.label, "citation": p.citation, "text": p.text, "page": p.page}
            for p in found
            if p.clause
        ],
        "unnumbered": [{"part": p.id, "label": p.label, "text": p.text, "page": p.page} for p in found if not p.clause],
    }


def citation_edges(corpus: Corpus) -> list[Json]:
    """Every citation of a 文号 in running text, document by document in published order."""
    return [
        {
            "from_doc_number": str(doc.document.doc_number) if doc.document.doc_number else "",
            "from_url": doc.url,
            "clause": citation.clause,
            "to_doc_number": str(citation.doc_number),
            "to_url": citation.target or "",
        }
        for published in corpus.issues
        for doc in published.docs
        for citation in doc.citations
    ]


def citations_json(corpus: Corpus) -> Json:
    """The citation graph as JSON (`gongbao/citations@1`)."""
    return {"schema": "gongbao/citations@1", "fields": list(CITATION_FIELDS), "edges": citation_edges(corpus)}


def citations_csv(corpus: Corpus) -> str:
    """The citation graph as CSV (UTF-8, a header row, `\\n` line ends)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CITATION_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(citation_edges(corpus))
    return out.getvalue()
