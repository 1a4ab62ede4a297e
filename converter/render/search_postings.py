"""Postings of the search index: document records → `p/<shard>.json` / `r/<shard>.json` texts. What a
key is (`units`, `keys`) and where it goes (`shard_of`) are defined here for `render/search_index.py`,
which says what the files hold, and for gb-search.js, which cuts a query the same way.

An archive's postings are tens of millions of (key, document) pairs (32 million at 720 issues), too
many for a Python step each (47 s of CPU at 720). `part_postings` makes them with numpy instead:

1. a group of pieces is NFKC-folded and lower-cased as one text, the pieces joined by `\\n`; its code
   points are read as an array, and each unit becomes a number (`_unit_ids`): a Han character its code
   point, an alphanumeric run `_RUN_BASE` + its number in order of first sight, a piece break 0;
2. a document's keys are those numbers packed three to an integer (`_key_ids`: a pair is a triple with
   no first unit, an alphanumeric unit one with no first two), counted by `np.unique`;
3. a part's (key, document, value) entries are sorted by key, in buckets of a few million so the sort's
   copies stay small, and written out key by key in the order of the key's text, as `postings_python`
   does, which defines them and is used when the numbers of alphanumeric runs do not fit.
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from itertools import chain, compress, pairwise, repeat

import numpy as np
import orjson

TITLE, HEADING = 1, 2
"""Posting flags: the key occurs in the title or a 文号 / in a heading."""

MAX_COUNT = 255
"""A key's count in a document is capped at this (`count * 4 + flags` stays small)."""

_SHARD_BYTES = 24_000
"""Aimed-at raw size of a postings shard: a query of n keys fetches at most n shards."""

_HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
"""The Han characters that are units: 〇, the CJK unified ideographs with their extensions, and the
compatibility ideographs."""
_HAN = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in _HAN_RANGES)
_UNIT = re.compile(f"[{_HAN}]| [0-9a-z]+")
_ALNUM = re.compile("[0-9a-z]+")
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
"""UTF-16 in this machine's byte order: its code units read as native unsigned shorts (`shard_of`)."""

_BITS = 21
"""Bits of one unit's number in a packed key: three fit in 63."""
_RUN_BASE = 0x40000
"""Numbers of alphanumeric runs start here, above every Han code point (the last is U+3134F)."""
_MAX_RUNS = (1 << _BITS) - _RUN_BASE
"""Distinct alphanumeric runs a part may hold for the packed keys (beyond: `postings_python`)."""
_BUCKET_ENTRIES = 2_000_000
"""About how many entries are sorted at once: the sort's copies cost about 60 bytes an entry."""


def _edges() -> np.ndarray:
    """Where the buckets of packed keys begin: alphanumeric units alone; pairs by their first unit and
    triples by theirs, each cut into ranges of the common ideographs (U+4E00–U+9FFF) and one range each for
    the rarer Han characters and the alphanumeric runs. A bucket is a contiguous range of sorted keys, so a
    document's keys are cut by `searchsorted`; how even the buckets are only decides how much a sort holds."""
    common = np.linspace(0x4E00, 0xA000, 25, dtype=np.int64)
    first = [0, 1, *common.tolist(), 0x40000]  # a pair's or a triple's first unit
    return np.array([0, *(u << _BITS for u in first[1:]), *(u << 2 * _BITS for u in first[1:])], dtype=np.int64)


_BUCKET_EDGES = _edges()

Record = dict[str, object]
"""A document's search record (`render/search_index.py` `_record`): title `t`, 文号 `n`, sections `s`."""


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


def shard_count(key_chars: int, entries: int) -> int:
    """How many shards a part's postings are cut into: a power of two from 16 to 8192, by their raw size
    (`key_chars`: the length of every key together; `entries`: (key, document) pairs, 12 bytes each)."""
    size = key_chars + 12 * entries
    shards = 16
    while shards < 8192 and size / shards > _SHARD_BYTES:
        shards *= 2
    return shards


Part = tuple[dict[str, str], int, int]
"""A part's postings shards (`name`/<shard>.json → JSON text), with the two sizes `shard_count` cuts them
by: the length of all its keys together and its (key, document) entries."""


def part_postings(name: str, docs: Sequence[tuple[int, str]]) -> dict[str, str]:
    """The postings shards of one part (`name`/<shard>.json → JSON text) over its documents (id, record as
    JSON text), ids ascending: `{key: [id, value, id delta, value, …]}`, a value being the key's count in the document
    (at most `MAX_COUNT`) * 4 + its flags; in each shard the keys in the order of their text."""
    return part_files(name, docs)[0]


def part_files(name: str, docs: Sequence[tuple[int, str]]) -> Part:
    """`part_postings`, with the part's sizes."""
    runs: dict[str, int] = {}
    buckets: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = defaultdict(list)
    sizes: Counter[int] = Counter()
    for doc_id, text in docs:
        title, headings, body = _pieces(orjson.loads(text))
        in_title, in_heading = _key_ids(title, runs), _key_ids(headings, runs)
        if len(runs) > _MAX_RUNS:
            return _files(name, postings_python(docs))
        found, counts = np.unique(np.concatenate((in_title, in_heading, _key_ids(body, runs))), return_counts=True)
        values = (np.minimum(counts, MAX_COUNT) << 2).astype(np.uint16)
        values[np.searchsorted(found, in_title)] |= TITLE  # `found` is sorted and holds them all
        values[np.searchsorted(found, in_heading)] |= HEADING
        bounds = [*np.searchsorted(found, _BUCKET_EDGES).tolist(), len(found)]
        for b, (start, end) in enumerate(pairwise(bounds)):
            if end > start:
                # copies, not views: a bucket's arrays are let go once it is sorted, not with the last one
                buckets[b].append((doc_id, np.array(found[start:end]), np.array(values[start:end])))
                sizes[b] += end - start
    names = [""] * _RUN_BASE + [" " + run for run in runs]
    keyed: list[tuple[str, np.ndarray]] = []
    for group in _merged(buckets, sizes):
        found, flat, starts = _sorted_entries(group)
        ends = [*starts[1:].tolist(), len(found)]
        for key, start, end in zip(_key_texts(found[starts], names), starts.tolist(), ends, strict=True):
            keyed.append((key, flat[2 * start : 2 * end]))
    keyed.sort(key=operator.itemgetter(0))
    key_chars, entries = sum(len(key) for key, _ in keyed), sum(len(flat) for _, flat in keyed) // 2
    grouped: list[dict[str, np.ndarray]] = [{} for _ in range(shard_count(key_chars, entries))]
    for key, flat in keyed:
        grouped[shard_of(key, len(grouped))][key] = flat
    files = {f"{name}/{n:x}.json": orjson.dumps(group, option=orjson.OPT_SERIALIZE_NUMPY).decode() for n, group in enumerate(grouped)}
    return files, key_chars, entries


def _pieces(record: Record) -> tuple[list[str], list[str], list[str]]:
    """A record's title pieces (title, 文号), headings and body pieces."""
    sections: list[tuple[str, str, list[str]]] = record["s"]  # type: ignore[assignment]
    numbers: list[str] = record["n"]  # type: ignore[assignment]
    return [str(record["t"]), *numbers], [h for _, h, _ in sections], [p for _, _, ps in sections for p in ps]


def _unit_ids(pieces: list[str], runs: dict[str, int]) -> np.ndarray:
    """The units of `pieces` as numbers, a piece break as 0 (see the module's docstring). A newly seen
    alphanumeric run is numbered in `runs`. One pass over the text, whatever the number of pieces: a
    piece holds no `\\n` (`sections` cut them there) and NFKC and lower-casing never make or join one."""
    text = _folded("\n".join(pieces))
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    han = np.zeros(len(points), dtype=bool)
    for low, high in _HAN_RANGES:
        han |= (points >= low) & (points <= high)
    alnum = ((points >= 0x30) & (points <= 0x39)) | ((points >= 0x61) & (points <= 0x7A))
    starts = np.array(alnum)
    starts[1:] &= ~alnum[:-1]
    points[starts] = [_RUN_BASE + runs.setdefault(run, len(runs)) for run in _ALNUM.findall(text)]
    brk = points == 0x0A
    points[brk] = 0
    found: np.ndarray = points[han | starts | brk]
    return found


def _folded(text: str) -> str:
    """`unicodedata.normalize("NFKC", text).lower()`, as `units` folds a text, cheaper: the full-width
    forms of ASCII and the ideographic space, in nearly every Chinese text and enough to make NFKC rewrite
    all of it (5 s of CPU at 720 issues), are first replaced by their NFKC images (0xFEE0 below, a space).
    Each character's decomposition is unchanged, so NFKC is too; and the result is then often NFKC
    already, which is checked quickly."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    wide, space = (points >= 0xFF01) & (points <= 0xFF5E), points == 0x3000
    if wide.any() or space.any():
        points = np.array(points)  # a copy: the buffer's is read-only
        points[wide] -= 0xFEE0
        points[space] = 0x20
        text = points.tobytes().decode("utf-32-le")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _key_ids(pieces: list[str], runs: dict[str, int]) -> np.ndarray:
    """Every key of `pieces` (`keys` of each one's units), packed: three units of `_BITS` bits, a pair's
    first and an alphanumeric unit's first two 0."""
    u = _unit_ids(pieces, runs)
    a, b, c = u[:-2], u[1:-1], u[2:]
    pairs = (u[:-1] << _BITS | u[1:])[(u[:-1] != 0) & (u[1:] != 0)]
    triples = (a << 2 * _BITS | b << _BITS | c)[(a != 0) & (b != 0) & (c != 0)]
    return np.concatenate((pairs, triples, u[u >= _RUN_BASE]))


def _merged(
    buckets: dict[int, list[tuple[int, np.ndarray, np.ndarray]]], sizes: Counter[int]
) -> Iterable[list[tuple[int, np.ndarray, np.ndarray]]]:
    """The buckets' entries in groups of about `_BUCKET_ENTRIES`, each bucket's documents in id order
    (a group's buckets one after another: their keys do not meet); each bucket is let go once yielded."""
    group: list[tuple[int, np.ndarray, np.ndarray]] = []
    held = 0
    for b in sorted(buckets):
        group += buckets.pop(b)
        held += sizes[b]
        if held >= _BUCKET_ENTRIES:
            yield group
            group, held = [], 0
    if group:
        yield group


def _sorted_entries(group: list[tuple[int, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A group's entries sorted by key (a key's documents in id order): the keys, the flat postings
    (id or id delta, value, …) and where each key's entries start."""
    found = np.concatenate([keys_ for _, keys_, _ in group])
    ids = np.repeat(np.array([doc_id for doc_id, _, _ in group], dtype=np.int32), [len(k) for _, k, _ in group])
    values = np.concatenate([v for _, _, v in group])
    group.clear()
    order = np.argsort(found, kind="stable")  # stable: each key's entries stay in document order
    found, ids, values = found[order], ids[order], values[order]
    del order
    first = np.ones(len(found), dtype=bool)
    first[1:] = found[1:] != found[:-1]
    deltas = np.array(ids)
    deltas[1:] -= ids[:-1]
    deltas[first] = ids[first]  # a key's first document: its id itself
    flat = np.empty(2 * len(found), dtype=np.int32)  # ids and values are far below 2**31
    flat[0::2], flat[1::2] = deltas, values
    return found, flat, np.flatnonzero(first)


def _key_texts(packed: np.ndarray, names: list[str]) -> list[str]:
    """Packed keys as the texts `keys` writes: each unit's text, Han characters as themselves and
    alphanumeric runs from `names` (by number); a unit 0 is none."""
    mask = (1 << _BITS) - 1
    firsts, seconds, thirds = (packed >> 2 * _BITS).tolist(), (packed >> _BITS & mask).tolist(), (packed & mask).tolist()
    return [_unit_text(a, names) + _unit_text(b, names) + _unit_text(c, names) for a, b, c in zip(firsts, seconds, thirds, strict=True)]


def _unit_text(unit: int, names: list[str]) -> str:
    return "" if unit == 0 else chr(unit) if unit < _RUN_BASE else names[unit]


def postings_python(docs: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """key → [doc id, value, doc id, value, …] over the documents of one part, ids ascending: what
    `part_postings` computes with numpy, step by step (the reference for its tests, and what a part with
    more distinct alphanumeric runs than the packed keys hold is made with)."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for doc_id, text in docs:
        counts, in_title, in_heading = doc_keys(orjson.loads(text))
        capped: Iterable[int] = counts.values()
        if max(capped, default=0) > MAX_COUNT:  # rare: only then a min() per key
            capped = map(min, capped, repeat(MAX_COUNT))
        # postings[key] += (doc_id, count*4) for every key, in C: one step per key of a document adds up.
        values = zip(repeat(doc_id), map(operator.lshift, capped, repeat(2)))
        deque(map(list.extend, map(postings.__getitem__, counts), values), maxlen=0)
        for key in in_title:  # few: the flags are set on the entries just added
            postings[key][-1] |= TITLE
        for key in in_heading:
            postings[key][-1] |= HEADING
    return postings


def _files(name: str, postings: dict[str, list[int]]) -> Part:
    """`postings_python`'s postings as the shard files of part `name` (as `part_postings` writes them)."""
    key_chars, entries = sum(map(len, postings)), sum(map(len, postings.values())) // 2
    shards = shard_count(key_chars, entries)
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for key in sorted(postings):
        flat = postings[key]
        ids = flat[::2]
        flat[2::2] = map(operator.sub, ids[1:], ids)  # ids as deltas: smaller numbers
        grouped[shard_of(key, shards)][key] = flat
    return {f"{name}/{n:x}.json": orjson.dumps(group).decode() for n, group in enumerate(grouped)}, key_chars, entries


def doc_keys(record: Record) -> tuple[Counter[str], set[str], set[str]]:
    """For one document record: its keys with their counts, those in its title or a 文号, those in a heading."""
    title, headings, body = _pieces(record)
    in_title = list(chain.from_iterable(keys(units(piece)) for piece in title))
    in_heading = list(chain.from_iterable(keys(units(heading)) for heading in headings))
    counts = Counter(in_title)
    counts.update(in_heading)
    counts.update(chain.from_iterable(keys(units(piece)) for piece in body))
    return counts, set(in_title), set(in_heading)
