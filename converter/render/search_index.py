"""The site's search index, built from the converter's data (never from built HTML): path → JSON text,
written under `site/search-index/` by `publish/search.py` and read by `overrides/assets/javascripts/gb-search.js`.

Why a purpose-built index (README, "Search"): any run of two or more characters printed in a document
must find it. Word segmentation cannot promise that (the index and the browser cut words differently),
character n-grams can: every pair and every triple of adjacent units of a document's text is a key, a
query's keys are its triples (its pair when it has two units), and the documents holding all of them are
the candidates, checked against their text.

- A *unit* is one Han character or one run of ASCII letters and digits (after NFKC and lower-casing,
  written ` 2023` with a space in front); everything else (punctuation, white space) is dropped, so `宁政办发[2023]13号` and `宁政办发〔2023〕13号`
  have the same units. Keys never cross a *piece* (a paragraph line, a heading, a table cell).
- `docs.json`: the parts with their shard counts, facet names and, per document (id = position in issue order, so a newer
  issue has higher ids), its year, issuer and kind: what filters and ties need before any text.
- `p/<shard>.json` and `r/<shard>.json`: `{key: [id delta, count*4 + flags, …]}`, shard = FNV-1a of the
  key (`shard_of`) modulo the part's shard count (docs.json `parts`); `r/` holds the newest year's
  documents, `p/` every other (adding an issue of the current year rewrites only `r/`); flags: 1 = in the
  title or a 文号, 2 = in a heading. A single alphanumeric unit is a key too (`2023`).
- `d/<id>.json`: the document's address, title, 文号, issue and its text as sections
  `[anchor, heading, [piece, …]]`: the candidate check, the excerpt and the clause a result links to.
- `built.json` (`BUILT`): per part, a digest of its input and its shard count. The next build compares it
  and keeps a part whose input did not change as it is: adding an issue computes only `r/`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

import orjson

from converter.model import (
    KIND_LABELS,
    Block,
    Box,
    Clause,
    Footnote,
    Paragraph,
    PublishedDoc,
    PublishedIssue,
    Table,
)
from converter.render.browse import ISSUERS, issuer
from converter.render.search_patch import ReadFile, code_tag, entry, patched
from converter.render.search_postings import part_files
from converter.render.text import chinese_date, issue_label, year_label
from converter.urls import appointment_anchor

INDEX_DIR = "search-index"
"""Where the index goes inside the site; gb-search.js loads it from there."""

BUILT = "built.json"
"""Per part of the index, [digest of its input, shard count, …] (`search_patch.entry`): what the next build
compares to reuse the part, or to patch it."""

Section = tuple[str, str, list[str]]


def sections(doc: PublishedDoc) -> list[Section]:
    """A document's text as the page prints it, in sections opened by its headings: (anchor, heading,
    pieces). The first section (anchor "") holds what precedes the first heading."""
    d = doc.document
    out: list[Section] = [("", "", [*d.subtitle, *([d.addressees + "："] if d.addressees else [])])]
    _blocks(d.body, out)
    tail = [*d.signatories, *([chinese_date(d.date)] if d.date else [])]
    tail += [d.publication_note] if d.publication_note else []
    out[-1][2].extend(tail)
    for enclosed in d.enclosed:
        out.append(("encl", enclosed.title, []))
        _blocks(enclosed.blocks, out)
    for k, a in enumerate(d.appointments, start=1):
        pieces = [chinese_date(a.date)] if a.date else []
        pieces += [a.addressees + "："] if a.addressees else []
        pieces += [p for p in (a.preamble, *a.decisions, *a.notes) if p]
        out.append((appointment_anchor(a, k), str(a.doc_number) if a.doc_number else f"第{k}件", pieces))
    for att in d.attachments:
        title = f"{att.label} {att.title}".strip()
        if att.omitted:
            out[-1][2].append(f"{title}（略，未在公报刊登）")
            continue
        out.append((att.anchor, title, []))
        _blocks(att.blocks, out)
    return [(a, h, [p for piece in ps for p in piece.split("\n") if p.strip()]) for a, h, ps in out]


def _blocks(blocks: tuple[Block, ...], out: list[Section]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            out[-1][2].append(block.text)
        elif isinstance(block, Footnote):
            out[-1][2].append(f"{block.mark} {block.text}")
        elif isinstance(block, Table):
            pieces = [block.caption] if block.caption else []
            pieces += [cell for row in block.rows for cell in row if cell] if not block.low_confidence else list(block.raw)
            out[-1][2].extend(pieces)
        elif isinstance(block, Box):
            out[-1][2].append(f"{block.label} {block.title}".strip())
            _blocks(block.children, out)
        elif isinstance(block, Clause):
            gap = " " if block.label.startswith("第") else ""
            out.append((block.anchor, f"{block.label}{gap}{block.heading}".strip(), []))
            _blocks(block.children, out)


def search_index(
    issues: list[PublishedIssue],
    salt: str = "",
    previous: Mapping[str, object] | None = None,
    records: Callable[[PublishedIssue], list[str]] | None = None,
    read: ReadFile | None = None,
) -> dict[str, str]:
    """Every file of the search index (path under `INDEX_DIR` → JSON text). `BUILT` records, per part, a
    digest of what its postings are made of (`salt`, the code, and each document's id and record) and its
    shard count. A part whose entry equals the one in `previous` (the last site's `BUILT`) is not computed
    again and its shards are left out of the result: the caller keeps the last site's (`publish/search.py`).
    `records` gives an issue's `issue_records` (default: made here; the build keeps them between builds).
    With `read` (the last site's index files), a part whose input changed in a few documents only is
    patched (`search_patch`): the result holds only its shards that change, the caller keeps the others."""
    files: dict[str, str] = {}
    # Two parts: the newest year's documents (`r/`) and all the others (`p/`). Adding an issue of the
    # current year rewrites only `r/`, its records and docs.json; a new year moves the last one into `p/`.
    part_docs: dict[str, list[tuple[int, str]]] = {"p": [], "r": []}
    facets: dict[str, list[str]] = {"years": [], "issuers": [g for g, _ in ISSUERS], "kinds": list(KIND_LABELS)}
    table: list[int] = []
    ordered = sorted(issues, key=lambda p: (p.id.year or 0, p.id.number or 0, p.key))
    newest = ordered[-1].id.folder if ordered else ""
    digests = {name: hashlib.sha256(salt.encode()) for name in part_docs}
    every = [(d, p) for p in ordered for d in p.docs]
    texts = [text for p in ordered for text in (records or issue_records)(p)]
    for doc_id, ((doc, published), text) in enumerate(zip(every, texts, strict=True)):
        files[f"d/{doc_id}.json"] = text
        year = doc.issue.folder
        if year not in facets["years"]:
            facets["years"].append(year)
        table += [facets["years"].index(year), facets["issuers"].index(issuer(doc.document)),
                  facets["kinds"].index(doc.document.kind)]  # fmt: skip
        name = "r" if published.id.folder == newest else "p"
        part_docs[name].append((doc_id, text))
        digests[name].update(f"{doc_id}\0{text}\0".encode())
    built: dict[str, list[object]] = {}
    tag = code_tag(salt)
    for name, docs in part_docs.items():
        digest = digests[name].hexdigest()[:32]
        last = (previous or {}).get(name)
        if isinstance(last, list) and len(last) == 7 and last[0] == digest and isinstance(last[1], int):
            built[name] = last
        elif read is not None and (patch := patched(name, docs, last, tag, read)) is not None:
            files.update(patch[0])
            built[name] = [digest, *patch[1][1:]]
        else:
            shards, key_chars, entries = part_files(name, docs)
            files.update(shards)
            built[name] = entry(digest, len(shards), docs, key_chars, entries, tag)
    labels = {"years": [year_label(y) for y in facets["years"]], "issuers": [n for _, n in ISSUERS],
              "kinds": [KIND_LABELS[k] for k in KIND_LABELS]}  # fmt: skip
    shard_counts = [[name, part[1]] for name, part in built.items()]
    files["docs.json"] = _dump({"v": 2, "parts": shard_counts, **facets, "labels": labels, "docs": table})
    files[BUILT] = _dump(built)
    return files


def issue_records(published: PublishedIssue) -> list[str]:
    """The records (`d/<id>.json`) of an issue's documents, in printed order: made of nothing but the
    issue, so a build may keep them from one build to the next (`publish/pieces.py`)."""
    return [_dump(_record(doc, published)) for doc in published.docs]


def _record(doc: PublishedDoc, published: PublishedIssue) -> dict[str, object]:
    d = doc.document
    numbers = [str(n) for n in (d.doc_number, *(a.doc_number for a in d.appointments)) if n is not None]
    return {
        "u": doc.url,
        "t": d.title,
        "w": str(d.doc_number) if d.doc_number else "",
        "n": list(dict.fromkeys(numbers)),
        "i": doc.issue_key,
        "l": issue_label(published),
        "s": sections(doc),
    }


def _dump(data: object) -> str:
    return orjson.dumps(data).decode()
