"""Validity relations between documents, read from explicit sentences only: a sentence that names a 文号
and says 停止执行, 废止, 修改 or 代替 of it (`…（宁政发〔2023〕7号）停止执行。`, `同时废止《…》（…号）`). Never
a guess: no sentence, no relation; the sentence is kept so that readers are shown it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from converter.docnumber import DocNumber, find_doc_numbers
from converter.link.corpus import document_texts
from converter.model import Corpus, Document, PublishedDoc, Relation

# The phrase right after the 文号 (past its closing brackets and an adverb: `（…号）同时废止`), or right before
# the title that carries it (`同时废止《…》（…号）`). Anything looser would be a guess.
_ADVERB = r"(?:同时|予以|即行|一并|相应)?"
_AFTER = {
    "stops": re.compile(rf"^[）)》〕\s]*{_ADVERB}停止执行"),
    "repeals": re.compile(rf"^[）)》〕\s]*{_ADVERB}废止"),
    "replaces": re.compile(rf"^[）)》〕\s]*{_ADVERB}(?:代替|替代)"),
    "amends": re.compile(r"^[）)》〕\s]*(?:第[^。；，（(]{1,20})?(?:修改为|作如下修改)"),
}
_BEFORE = {
    "stops": re.compile(r"停止执行\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
    "repeals": re.compile(r"废止\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
    "replaces": re.compile(r"(?:代替|替代)\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
}
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


def relations(document: Document) -> tuple[Relation, ...]:
    """The relations a document states, in reading order; one per (kind, target)."""
    found: dict[tuple[str, str], Relation] = {}
    for anchor, text in document_texts(document):
        for sentence in _sentences(text):
            for number, start, end in find_doc_numbers(sentence):
                if number == document.doc_number:
                    continue
                kind = _kind(sentence[:start], sentence[end:])
                if kind is not None:
                    found.setdefault((kind, str(number)), Relation(kind, number, anchor, sentence))  # type: ignore[arg-type]
    return tuple(found.values())


def _kind(before: str, after: str) -> str | None:
    """What a sentence says of the 文号 between `before` and `after`, or None when it says nothing."""
    for kind, pattern in _AFTER.items():
        if pattern.match(after):
            return kind
    for kind, pattern in _BEFORE.items():
        if pattern.search(before):
            return kind
    return None


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE.finditer(text.replace("\n", "")):
        sentence = match.group(0).strip()
        if sentence:
            yield sentence


def add_relations(corpus: Corpus) -> Corpus:
    """The corpus with each document's relations, and on each document acted on, who acts on it."""
    stated = {doc.url: relations(doc.document) for issue in corpus.issues for doc in issue.docs}
    acting: dict[DocNumber, list[tuple[str, str, Relation]]] = {}
    for issue in corpus.issues:
        for doc in issue.docs:
            for relation in stated[doc.url]:
                acting.setdefault(relation.target, []).append((doc.url, str(doc.document.doc_number or ""), relation))

    def placed(doc: PublishedDoc) -> PublishedDoc:
        number = doc.document.doc_number
        by = tuple(acting.get(number, ())) if number is not None else ()
        return replace(doc, relations=stated[doc.url], affected_by=by)

    return Corpus(tuple(replace(issue, docs=tuple(placed(d) for d in issue.docs)) for issue in corpus.issues))
