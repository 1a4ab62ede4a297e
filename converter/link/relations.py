"""Relations between documents: each document's stated relations (`parse/statements.py`, read when it
was parsed) placed on it, and on each document acted on, who acts on it."""

from __future__ import annotations

from dataclasses import replace

from converter.docnumber import DocNumber
from converter.model import Corpus, PublishedDoc, Relation


def add_relations(corpus: Corpus) -> Corpus:
    """The corpus with each document's relations, and on each document acted on, who acts on it."""
    stated = {doc.url: doc.document.stated for issue in corpus.issues for doc in issue.docs}
    acting: dict[DocNumber, list[tuple[str, str, Relation]]] = {}
    for issue in corpus.issues:
        for doc in issue.docs:
            for relation in stated[doc.url]:
                acting.setdefault(relation.target, []).append((doc.url, str(doc.document.doc_number or ""), relation))

    def placed(doc: PublishedDoc) -> PublishedDoc:
        number = doc.document.doc_number
        by = tuple(acting.get(number, ())) if number is not None else ()
        return replace(doc, relations=stated[doc.url], affected_by=by, validity=doc.document.validity)

    return Corpus(tuple(replace(issue, docs=tuple(placed(d) for d in issue.docs)) for issue in corpus.issues))
