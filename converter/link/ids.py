"""Permanent ids: a linked `Corpus` → its manifest (page URL → anchors), and the redirects and anchor
aliases that keep the URLs and anchors of an earlier published build working.

URLs and clause anchors are promises to readers (DESIGN.md, "URLs and ids"). Anchors are made in
`parse/blocks.py` from the printed numbering only, so rewrapping or a punctuation fix never moves them;
what can still move them is a changed 文号 (the URL), a document placed in another issue, an issue that
gets its number, or a fixed numbering typo. This module compares the current corpus with the manifest
of the last published build (`published-ids.json`, kept in the repository, written by
`publish.manifest.write_published`) and finds what bridges the gap; `render/wenhao.py` writes it.

The rules:

1. The manifest lists every issue page (`2023/06/`, no anchors) and every document page
   (`2023/06/nzbf-2023-13/`) with its permanent anchors: clause anchors (`p3-2`, `ch2-art5`,
   `encl-p1`, `att2-p1`), `encl` for an enclosed document, `att1`… for attachments and the 文号 slug of
   each 人事任免 decision. Anchors are sorted; they are ASCII and unique within a page.
2. A document URL of the previous build that is no longer published gets a redirect page
   `docs/<old url>/index.html` (meta refresh, canonical link, a plain link, and a one-line script that
   keeps the `#anchor`) to the new URL of the same document, found by, in order: the same 文号 slug
   (the last URL segment) anywhere in the corpus; the same title (when the previous manifest recorded
   titles, see `published`); the same non-empty set of anchors in the same issue, when exactly one
   new document there has it. An issue URL that is gone (`2024/x1/` once a sidecar gives
   the number) redirects to the issue where most of its documents went.
3. An anchor of the previous build that a page (at its old or its new URL) no longer has is mapped to
   the closest surviving anchor: the same numbering path under another prefix (`p3-2` ↔ `encl-p3-2`),
   else the same path ignoring grouping levels 编/章/节 (`ch2-art5` ↔ `art5`), else its nearest
   surviving ancestor (`p3-2-1` → `p3-2` → `p3`, then the prefix itself: `att2`). The map is
   `docs/api/aliases.json`, `{new page URL: {old anchor: new anchor}}`, which `assets/permalinks.js`
   reads when the address names an id that is not on the page.
4. What cannot be bridged (a URL with no matching document, an anchor with no surviving ancestor) is
   listed by `broken`, for a test and the report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from converter.layout import normalise_title
from converter.model import Box, Clause, Corpus, PublishedDoc, PublishedIssue, Table
from converter.urls import appointment_anchor, issue_url

SCHEMA = "gongbao/ids@1"
_PREFIXES = ("encl", "att")
_GROUPING = re.compile(r"(?:pt|ch|sec)[0-9]+")  # 编, 章, 节: levels that may appear or vanish around 条


_last_manifest: list[tuple[Corpus, dict[str, list[str]]]] = []
"""The manifest of the last corpus asked for: a build asks for it about eight times (moves, aliases,
broken, redirects, ids.json), and at 240 issues each costs 0.2 s."""


def manifest(corpus: Corpus, pages_of: Callable[[PublishedIssue], list[str]] | None = None) -> dict[str, list[str]]:
    """Page URL → sorted anchors, for every published issue and document page (a new dict each time; the
    anchor lists are shared with the next caller: not to be changed). The first call for `corpus` makes
    it from each issue's `issue_manifest`, or from what `pages_of` gives for it (the same, kept by the build
    between builds: `publish.pieces`); later calls return it."""
    if not (_last_manifest and _last_manifest[0][0] is corpus):
        _last_manifest[:] = [(corpus, _manifest(corpus, pages_of or issue_manifest))]
    return dict(_last_manifest[0][1])


def issue_manifest(published: PublishedIssue) -> list[str]:
    """One issue's pages in the manifest, flat: the issue page, then each document page, each as its URL,
    how many anchors it has, and those anchors, sorted."""
    flat = [issue_url(published.id), "0"]
    for doc in published.docs:
        anchors = sorted(set(_anchors(doc)))
        flat += [doc.url, str(len(anchors)), *anchors]
    return flat


def _manifest(corpus: Corpus, pages_of: Callable[[PublishedIssue], list[str]]) -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {}
    for published in corpus.issues:
        if not published.docs:
            continue
        flat, at = pages_of(published), 0
        while at < len(flat):
            count = int(flat[at + 1])
            pages[flat[at]] = flat[at + 2 : at + 2 + count]
            at += 2 + count
    return dict(sorted(pages.items()))


def _anchors(doc: PublishedDoc) -> Iterator[str]:
    d = doc.document
    yield from (block.anchor for block in d.blocks() if isinstance(block, Clause | Box | Table) and block.anchor)
    if d.enclosed:
        yield "encl"
    yield from (attachment.anchor for attachment in d.attachments)
    yield from (appointment_anchor(a, k) for k, a in enumerate(d.appointments, start=1))


def published(corpus: Corpus, previous: Mapping[str, object] | None = None) -> dict[str, object]:
    """The content of `published-ids.json`: the manifest plus each document's title, for rule 2.

    With `previous` (the file as it was), what it promised stays promised: its URLs and anchors are
    kept beside the current ones, so that an id published once keeps its redirect or alias after any
    number of later publications, not only until the next one."""
    pages = manifest(corpus)
    titles = {doc.url: doc.document.title for issue in corpus.issues for doc in issue.docs}
    old_pages, old_titles = _previous(previous or {})
    for url, anchors in old_pages.items():
        pages[url] = sorted(set(pages.get(url, ())) | set(anchors))
    for url, title in old_titles.items():
        titles.setdefault(url, title)
    return {"schema": SCHEMA, "pages": dict(sorted(pages.items())), "titles": dict(sorted(titles.items()))}


def _previous(previous: Mapping[str, object]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(pages, titles) from either a plain manifest or the `published` shape."""
    if previous.get("schema") == SCHEMA:
        pages, titles = previous.get("pages", {}), previous.get("titles", {})
    else:
        pages, titles = previous, {}
    assert isinstance(pages, Mapping) and isinstance(titles, Mapping)
    return (
        {str(url): [str(a) for a in anchors] for url, anchors in pages.items() if isinstance(anchors, list)},
        {str(url): str(title) for url, title in titles.items()},
    )


_last_moves: list[tuple[Corpus, Mapping[str, object], dict[str, str | None]]] = []
"""The moves of the last corpus and previous manifest asked for: a build asks four times (redirects,
aliases, broken), and each indexes every document again."""


def moves(previous: Mapping[str, object], corpus: Corpus) -> dict[str, str | None]:
    """Old URL → new URL (None when nothing matches) for every previous URL no longer published (a new
    dict each time; `previous` is not to be changed once asked about)."""
    if not (_last_moves and _last_moves[0][0] is corpus and _last_moves[0][1] == previous):
        _last_moves[:] = [(corpus, previous, _moves(previous, corpus))]
    return dict(_last_moves[0][2])


def _moves(previous: Mapping[str, object], corpus: Corpus) -> dict[str, str | None]:
    pages, titles = _previous(previous)
    current = manifest(corpus)
    lost = sorted(url for url in pages if url not in current)
    found: dict[str, str | None] = {}
    if not lost:
        return found
    docs = _Documents(corpus, current)
    for url in lost:
        if not _is_issue(url):
            found[url] = docs.same_document(url, pages[url], titles.get(url))
    for url in lost:
        if not _is_issue(url):
            continue
        went = Counter(
            target.rsplit("/", 2)[0] + "/"
            for old, target in found.items()
            if target is not None and old.startswith(url)
        )
        found[url] = went.most_common(1)[0][0] if went else None
    return found


def _is_issue(url: str) -> bool:
    return url.count("/") == 2  # `2023/06/`; documents are `2023/06/slug/`


class _Documents:
    """The published documents indexed by what rule 2 matches a lost URL on: each URL list sorted, so the
    first is the one a scan of all documents in URL order would pick. Indexed once per `moves`: scanning
    every document for every lost URL took seconds at hundreds of issues."""

    def __init__(self, corpus: Corpus, current: dict[str, list[str]]) -> None:
        self.current = current
        self.by_number: dict[str, list[str]] = {}
        self.by_slug: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.by_issue: dict[str, list[str]] = {}
        docs = {doc.url: doc for issue in corpus.issues for doc in issue.docs}  # one per URL, as `current`
        for doc in docs.values():
            number = doc.document.doc_number
            if number:
                self.by_number.setdefault(number.slug, []).append(doc.url)
            self.by_slug.setdefault(doc.slug, []).append(doc.url)
            self.by_title.setdefault(normalise_title(doc.document.title), []).append(doc.url)
            self.by_issue.setdefault(doc.url.rsplit("/", 2)[0] + "/", []).append(doc.url)
        for index in (self.by_number, self.by_slug, self.by_title):
            for urls in index.values():
                urls.sort()

    def same_document(self, url: str, anchors: list[str], title: str | None) -> str | None:
        """The new URL of the document once at `url` (rule 2), or None."""
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        if hit := self.by_number.get(slug) or self.by_slug.get(slug):
            return hit[0]
        if title is not None and (by_title := self.by_title.get(normalise_title(title))):
            return by_title[0]
        if anchors:
            issue = url.rsplit("/", 2)[0] + "/"
            wanted = sorted(set(anchors))
            same = [u for u in self.by_issue.get(issue, []) if self.current[u] == wanted]
            if len(same) == 1:
                return same[0]
        return None


def aliases(previous: Mapping[str, object], corpus: Corpus) -> dict[str, dict[str, str]]:
    """New page URL → {old anchor: closest surviving anchor} for anchors the previous build had."""
    pages, _ = _previous(previous)
    current = manifest(corpus)
    where = {url: url for url in pages if url in current}
    where.update({old: new for old, new in moves(previous, corpus).items() if new is not None})
    out: dict[str, dict[str, str]] = {}
    for old_url, new_url in sorted(where.items()):
        have = set(current[new_url])
        for anchor in pages[old_url]:
            if anchor in have:
                continue
            target = closest(anchor, have)
            if target is not None:
                out.setdefault(new_url, {}).setdefault(anchor, target)
    return {url: dict(sorted(m.items())) for url, m in sorted(out.items())}


def closest(anchor: str, have: set[str]) -> str | None:
    """The surviving anchor closest to a lost one (rule 3), or None."""
    prefix, path = _split(anchor)
    same_path = sorted(a for a in have if _split(a)[1] == path and path)
    if same_path:
        return same_path[0]
    core = _ungrouped(path)
    same_core = sorted(a for a in have if _split(a)[0] == prefix and _ungrouped(_split(a)[1]) == core and core)
    if same_core:
        return same_core[0]
    for n in range(len(path) - 1, -1, -1):
        candidate = _join(prefix, path[:n])
        if candidate in have:
            return candidate
    return None


def _split(anchor: str) -> tuple[str, tuple[str, ...]]:
    """`att2-p3-1` → ('att2', ('3', '1')); `ch2-art5` → ('', ('ch2', 'art5'))."""
    head, _, rest = anchor.partition("-")
    prefix = ""
    if head.startswith(_PREFIXES) and (head == "encl" or head[3:].isdigit()):
        prefix, anchor = head, rest
    if anchor[:1] == "p" and anchor[1:2].isdigit():
        anchor = anchor[1:]
    return prefix, tuple(anchor.split("-")) if anchor else ()


def _join(prefix: str, path: tuple[str, ...]) -> str:
    body = "-".join(path)
    if body[:1].isdigit():
        body = "p" + body
    return "-".join(part for part in (prefix, body) if part)


def _ungrouped(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part for part in path if not _GROUPING.fullmatch(part))




def broken(previous: Mapping[str, object], corpus: Corpus) -> list[str]:
    """URLs and `url#anchor`s of `previous` that this build can neither serve nor redirect (rule 4)."""
    pages, _ = _previous(previous)
    current = manifest(corpus)
    found = moves(previous, corpus)
    mapped = aliases(previous, corpus)
    out: list[str] = []
    for url, anchors in sorted(pages.items()):
        new = url if url in current else found.get(url)
        if new is None:
            out.append(url)
            continue
        out += [f"{url}#{a}" for a in anchors if a not in current[new] and a not in mapped.get(new, {})]
    return out
