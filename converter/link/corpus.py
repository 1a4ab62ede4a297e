"""Link parsed issues into a `Corpus`: issue URLs, document slugs, duplicates, TOC ↔ documents, citations.

Two passes, as in any cross-referencing system: first index every published document by 文号 and
title, then resolve what points at them. A miss never fails: it degrades to text and a report line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from pypinyin import Style, lazy_pinyin

from converter.docnumber import DocNumber
from converter.layout import normalise_title
from converter.model import (
    Citation,
    Corpus,
    Document,
    Duplicate,
    Issue,
    PublishedDoc,
    PublishedIssue,
)
from converter.parse.statements import document_texts
from converter.urls import document_url, issue_keys

_SLUG_LETTERS = 10


def link(issues: Iterable[Issue]) -> Corpus:
    """Place every document once, link TOC entries and citations; newest issue first."""
    ordered = sorted(issues, key=_priority)
    keys = issue_keys(ordered)
    published: dict[str, tuple[Issue, Document]] = {}  # identity → first extraction
    urls: dict[str, str] = {}  # identity → url
    placed: list[tuple[Issue, list[tuple[Document, str]], list[Duplicate]]] = []
    other_sources: dict[str, list[str]] = {}  # url → sources of further extractions
    for issue in ordered:
        key = keys[issue.source.name]
        used: set[str] = set()
        docs: list[tuple[Document, str]] = []
        duplicates: list[Duplicate] = []
        for document in issue.documents:
            identity = _identity(document, issue)
            if identity in published:
                first_issue, first_doc = published[identity]
                duplicates.append(
                    Duplicate(
                        source=issue.source.name,
                        title=document.title,
                        of_url=urls[identity],
                        of_source=first_issue.source.name,
                        differences=_differences(first_doc, document),
                    )
                )
                other_sources.setdefault(urls[identity], []).append(issue.source.name)
                continue
            slug = _unique(slug_for(document, issue), used)
            published[identity] = (issue, document)
            urls[identity] = document_url(key, slug)
            docs.append((document, slug))
        placed.append((issue, docs, duplicates))

    by_number: dict[DocNumber, str] = {}
    for identity, url in urls.items():
        document = published[identity][1]
        if document.doc_number is not None:
            by_number[document.doc_number] = url
        for appointment in document.appointments:
            if appointment.doc_number is not None:
                by_number.setdefault(appointment.doc_number, f"{url}#{appointment.doc_number.slug}")

    citations: dict[str, tuple[Citation, ...]] = {}
    cited_by: dict[str, list[tuple[str, str]]] = {}
    for issue, docs, _ in placed:
        for document, slug in docs:
            url = document_url(keys[issue.source.name], slug)
            found = tuple(_citations(document, by_number))
            citations[url] = found
            for citation in found:
                if citation.target is not None:
                    cited_by.setdefault(citation.target.split("#")[0], []).append((url, citation.clause))

    result: list[PublishedIssue] = []
    for issue, docs, duplicates in placed:
        key = keys[issue.source.name]
        published_docs = tuple(
            PublishedDoc(
                document=document,
                issue=key,
                slug=slug,
                source=issue.source.name,
                citations=citations[document_url(key, slug)],
                cited_by=tuple(sorted(set(cited_by.get(document_url(key, slug), [])))),
                duplicate_sources=tuple(other_sources.get(document_url(key, slug), [])),
            )
            for document, slug in docs
        )
        if not published_docs and not issue.toc:
            # Every document of this extraction is published from another one: no issue page.
            result.append(PublishedIssue(issue, key, (), (), tuple(duplicates)))
            continue
        toc_links = tuple(_toc_target(entry.doc_number, entry.title, published_docs) for entry in issue.toc)
        result.append(PublishedIssue(issue, key, published_docs, toc_links, tuple(duplicates)))
    result.sort(key=_newest_first)
    return Corpus(issues=tuple(result))


def _priority(issue: Issue) -> tuple[int, str]:
    """Extractions with printed cover data are preferred as the published copy; then by file name."""
    return (0 if issue.meta.number else 1, issue.source.name)


def _newest_first(published: PublishedIssue) -> tuple[int, int, str]:
    meta = published.issue.meta
    return (-(meta.year or 0), -(meta.number or 0), published.key)


def _identity(document: Document, issue: Issue) -> str:
    """What makes two extractions the same document: its 文号; without one, its title, its year (of the
    落款, else of the issue: a second extraction may have lost the date line) and the 文号 of its 人事任免
    decisions (every issue has a 人事任免 part, every year a 政府工作报告)."""
    if document.doc_number is not None:
        return str(document.doc_number)
    year = document.date[:4] if document.date else str(issue.meta.year or "")
    parts = [normalise_title(document.title), year]
    parts += [str(a.doc_number or a.date or "") for a in document.appointments]
    return "title:" + "|".join(parts)


def slug_for(document: Document, issue: Issue) -> str:
    """`nzbf-2023-13` from the 文号; else pinyin initials of the title and the year (`zfgzbg-2024`)."""
    if document.doc_number is not None:
        return document.doc_number.slug
    letters = "".join(lazy_pinyin(normalise_title(document.title), style=Style.FIRST_LETTER))
    letters = re.sub(r"[^a-z0-9]", "", letters.lower())[:_SLUG_LETTERS] or "doc"
    year = issue.meta.year or (int(document.date[:4]) if document.date else 0)
    return f"{letters}-{year}" if year else letters


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _toc_target(number: DocNumber | None, title: str, docs: tuple[PublishedDoc, ...]) -> str | None:
    for doc in docs:
        if number is not None and doc.document.doc_number == number:
            return doc.url
    wanted = normalise_title(title)
    for doc in docs:
        have = normalise_title(doc.document.title)
        if wanted and (wanted == have or wanted in have or have in wanted):
            return doc.url
    return None


def _citations(document: Document, index: dict[DocNumber, str]) -> Iterator[Citation]:
    for number, anchor in document.mentions:
        yield Citation(doc_number=number, clause=anchor, target=index.get(number))


def _differences(a: Document, b: Document, limit: int = 40) -> tuple[str, ...]:
    """Where two extractions of one document differ: unified diff lines of their running text."""
    left = [text for _, text in document_texts(a)]
    right = [text for _, text in document_texts(b)]
    diff = difflib.unified_diff(left, right, lineterm="", n=0)
    lines = [line for line in diff if not line.startswith(("---", "+++", "@@"))]
    return tuple(line[:200] for line in lines[:limit])
