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
import operator
import re
import sys
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from itertools import chain, compress, repeat

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
from converter.render.text import chinese_date, issue_label, year_label
from converter.urls import appointment_anchor

INDEX_DIR = "search-index"
"""Where the index goes inside the site; gb-search.js loads it from there."""

BUILT = "built.json"
"""Per part of the index, [digest of its input, shard count]: what the next build compares to reuse it."""

TITLE, HEADING = 1, 2
"""Posting flags: the key occurs in the title or a 文号 / in a heading."""

_MAX_COUNT = 255
_SHARD_BYTES = 24_000
"""Aimed-at raw size of a postings shard: a query of n keys fetches at most n shards."""

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_UNIT = re.compile(f"[{_HAN}]| [0-9a-z]+")
_ALNUM = re.compile("[0-9a-z]+")
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
"""UTF-16 in this machine's byte order: its code units read as native unsigned shorts (`shard_of`)."""

Section = tuple[str, str, list[str]]


def units(text: str) -> list[str]:
    """A text's units: Han characters, and ASCII alphanumeric runs each written with a space in front
    (` 2023`), NFKC-folded and lower-cased."""
    return _UNIT.findall(_ALNUM.sub(r" \g<0>", unicodedata.normalize("NFKC", text).lower()))


def keys(unit_list: list[str]) -> list[str]:
    """The index keys of a run of units: each adjacent pair written together (`营商`, `发 2023`,
    ` 2023 13`, ` 13号`), each adjacent triple (`营商环`), and each alphanumeric unit on its own (` 2023`).
    A query of three units or more is looked up by its triples only: documents that hold every pair
    of a phrase but not the phrase are many (工业园区实行: 12 of 1161 at 720 issues), and each would cost
    the browser a record to rule out; with triples they are few (`benchmarks/search.py`)."""
    pairs = list(map(operator.add, unit_list, unit_list[1:]))
    # The alphanumeric units are those below "!" (they begin with a space, every Han unit is above it).
    return [*pairs, *map(operator.add, pairs, unit_list[2:]), *compress(unit_list, map("!".__gt__, unit_list))]


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32 bit) over the key's UTF-16 code units, modulo the shard count (gb-search.js: `shardOf`)."""
    h = 0x811C9DC5
    for unit in memoryview(key.encode(_UTF16)).cast("H"):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h % shards


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
) -> dict[str, str]:
    """Every file of the search index (path under `INDEX_DIR` → JSON text). `BUILT` records, per part, a
    digest of what its postings are made of (`salt`, the code, and each document's id and record) and its
    shard count. A part whose entry equals the one in `previous` (the last site's `BUILT`) is not computed
    again and its shards are left out of the result: the caller keeps the last site's (`publish/search.py`).
    `records` gives an issue's `issue_records` (default: made here; the build keeps them between builds)."""
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
    for name, docs in part_docs.items():
        digest = digests[name].hexdigest()[:32]
        last = (previous or {}).get(name)
        if isinstance(last, list) and len(last) == 2 and last[0] == digest and isinstance(last[1], int):
            built[name] = last
        else:
            built[name] = [digest, _write_part(name, _postings(docs), files)]
    labels = {"years": [year_label(y) for y in facets["years"]], "issuers": [n for _, n in ISSUERS],
              "kinds": [KIND_LABELS[k] for k in KIND_LABELS]}  # fmt: skip
    shard_counts = [[name, shards] for name, (_, shards) in built.items()]
    files["docs.json"] = _dump({"v": 2, "parts": shard_counts, **facets, "labels": labels, "docs": table})
    files[BUILT] = _dump(built)
    return files


def _postings(docs: list[tuple[int, str]]) -> defaultdict[str, list[int]]:
    """key → [doc id, value, doc id, value, …] over the documents of one part (id, record as JSON text),
    ids ascending; a value is the key's count in the document (at most `_MAX_COUNT`) * 4 + its flags."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for doc_id, text in docs:
        counts, in_title, in_heading = _doc_keys(orjson.loads(text))
        capped: Iterable[int] = counts.values()
        if max(capped, default=0) > _MAX_COUNT:  # rare: only then a min() per key
            capped = map(min, capped, repeat(_MAX_COUNT))
        # postings[key] += (doc_id, count*4) for every key, in C: one step per key of a document adds up.
        values = zip(repeat(doc_id), map(operator.lshift, capped, repeat(2)))
        deque(map(list.extend, map(postings.__getitem__, counts), values), maxlen=0)
        for key in in_title:  # few: the flags are set on the entries just added
            postings[key][-1] |= TITLE
        for key in in_heading:
            postings[key][-1] |= HEADING
    return postings


def _write_part(name: str, postings: dict[str, list[int]], files: dict[str, str]) -> int:
    """The postings of one part as `name/<shard>.json` files in `files`; returns the shard count (a power
    of two from 16 to 8192, by the part's size)."""
    size = sum(len(k) + 6 * len(v) for k, v in postings.items())
    shards = 16
    while shards < 8192 and size / shards > _SHARD_BYTES:
        shards *= 2
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for key in sorted(postings):
        flat = postings[key]
        ids = flat[::2]
        flat[2::2] = map(operator.sub, ids[1:], ids)  # ids as deltas: smaller numbers
        grouped[shard_of(key, shards)][key] = flat
    for n, group in enumerate(grouped):
        files[f"{name}/{n:x}.json"] = _dump(group)
    return shards


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


def _doc_keys(record: dict[str, object]) -> tuple[Counter[str], set[str], set[str]]:
    """For one document record: its keys with their counts, those in its title or a 文号, those in a heading."""
    title = [str(record["t"]), *(str(n) for n in record["n"])]  # type: ignore[attr-defined]
    sections: list[Section] = record["s"]  # type: ignore[assignment]
    in_title = list(chain.from_iterable(keys(units(piece)) for piece in title))
    in_heading = list(chain.from_iterable(keys(units(heading)) for _, heading, _ in sections))
    counts = Counter(in_title)
    counts.update(in_heading)
    counts.update(chain.from_iterable(keys(units(piece)) for _, _, pieces in sections for piece in pieces))
    return counts, set(in_title), set(in_heading)


def _dump(data: object) -> str:
    return orjson.dumps(data).decode()
