"""A part of the search index patched instead of made again: (the part's documents, the last build's entry
for it, its files) → the shard files that change, or None when it cannot be patched.

Fixing a character of an older issue's source changes one document's record, and with it a handful of
keys; making the part's postings again means every document of it (8 s of CPU at 720 issues). So when
the last build's part held the same documents under the same ids, made by the same code, the documents
whose records differ from the last site's (`d/<id>.json`) have their entries taken out of the keys that
change and put back as they are now, in the shards of those keys only. The result is the files
`search_postings.part_files` makes, byte for byte (`tests/render/test_search_patch.py`): each key's
entries in id order with ids as deltas, a shard's keys in the order of their text.

A part is made again instead when its shard count would change, when more than `MAX_CHANGED` documents
changed, or when a file of the last site (a shard, a record) is missing or is not what a build writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import accumulate, pairwise

import orjson

from converter.render.search_postings import HEADING, MAX_COUNT, TITLE, doc_keys, shard_count, shard_of

MAX_CHANGED = 64
"""At most this many changed documents are patched in; more, and the part is made again (as cheap)."""

Entry = list[object]
"""A part's entry in `BUILT`: [digest of its input, shard count, first id, document count, key chars,
entries, code tag] (`entry`)."""

ReadFile = Callable[[str], str | None]
"""The last site's index file at a path under the index (`d/3.json`, `p/1f.json`), None when missing."""


def code_tag(salt: str) -> str:
    """What names the code that made a part (its keys and shards): a digest of the build's salt."""
    return hashlib.sha256(salt.encode()).hexdigest()[:16]


def entry(digest: str, shards: int, docs: Sequence[tuple[int, str]], key_chars: int, entries: int, tag: str) -> Entry:
    """A part's `BUILT` entry: what the next build compares to keep the part, or to patch it."""
    first = docs[0][0] if docs else 0
    return [digest, shards, first, len(docs), key_chars, entries, tag]


def patched(name: str, docs: Sequence[tuple[int, str]], last: object, tag: str, read: ReadFile) -> tuple[dict[str, str], Entry] | None:
    """The files of part `name` that differ from the last site's, and the part's new entry (its digest
    left to the caller, ""), for its documents `docs` (id, record), given its `last` entry; None when the
    part is to be made again."""
    if not (isinstance(last, list) and len(last) == 7 and last[6] == tag and docs):
        return None
    _, shards, first, count, key_chars, entries, _ = last
    if not all(isinstance(n, int) for n in (shards, first, count, key_chars, entries)):
        return None
    if (first, count) != (docs[0][0], len(docs)):
        return None
    changed: dict[int, tuple[str, str]] = {}
    for doc_id, text in docs:
        before = read(f"d/{doc_id}.json")
        if before is None:
            return None
        if before != text:
            changed[doc_id] = (before, text)
            if len(changed) > MAX_CHANGED:
                return None
    made = _patch(name, changed, shards, (key_chars, entries), read)
    if made is None:
        return None
    files, key_chars, entries = made
    if shard_count(key_chars, entries) != shards:
        return None
    return files, entry("", shards, docs, key_chars, entries, tag)


def _patch(
    name: str, changed: Mapping[int, tuple[str, str]], shards: int, totals: tuple[int, int], read: ReadFile
) -> tuple[dict[str, str], int, int] | None:
    """The shard files of part `name` whose keys' entries change with the records in `changed` (id →
    (record before, record now)), and the part's key chars and entries after; None when a shard to patch
    is missing or not a shard."""
    try:  # the records before are the last site's files: what a build wrote, unless damaged since
        before = _values(changed, 0)
    except (ValueError, LookupError, TypeError):  # orjson.JSONDecodeError is a ValueError
        return None
    now = _values(changed, 1)
    moved: dict[int, list[str]] = {}
    for key in sorted(before.keys() | now.keys()):
        if before.get(key) != now.get(key):
            moved.setdefault(shard_of(key, shards), []).append(key)
    key_chars, entries = totals
    files: dict[str, str] = {}
    for shard, keys in moved.items():
        path = f"{name}/{shard:x}.json"
        group = _shard(read(path))
        if group is None:
            return None
        for key in keys:
            flat = group.pop(key, [])
            pairs = dict(zip(accumulate(flat[::2]), flat[1::2], strict=True))  # id deltas summed: ids
            held = len(pairs)
            for doc_id in changed:
                pairs.pop(doc_id, None)
            pairs.update(now.get(key, {}))
            if pairs:
                group[key] = _flat(pairs)
            entries += len(pairs) - held
            key_chars += len(key) * ((len(pairs) > 0) - (held > 0))
        files[path] = orjson.dumps(dict(sorted(group.items()))).decode()
    return files, key_chars, entries


def _shard(text: str | None) -> dict[str, list[int]] | None:
    """A shard file's postings, or None when it is missing or not a shard (key → even list of ints)."""
    if text is None:
        return None
    try:
        group = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(group, dict):
        return None
    for flat in group.values():
        if not (isinstance(flat, list) and len(flat) % 2 == 0 and all(type(n) is int for n in flat)):
            return None
    return group


def _values(changed: Mapping[int, tuple[str, str]], which: int) -> dict[str, dict[int, int]]:
    """Key → {document id: value} over the records in `changed` (the one before, `which` 0, or now, 1),
    a value as the postings hold it: the key's count in the document (at most `MAX_COUNT`) * 4 + flags."""
    values: dict[str, dict[int, int]] = {}
    for doc_id, records in changed.items():
        counts, in_title, in_heading = doc_keys(orjson.loads(records[which]))
        for key, count in counts.items():
            flags = (TITLE if key in in_title else 0) | (HEADING if key in in_heading else 0)
            values.setdefault(key, {})[doc_id] = min(count, MAX_COUNT) << 2 | flags
    return values


def _flat(pairs: Mapping[int, int]) -> list[int]:
    """{id: value} as a key's postings: [first id, value, id delta, value, …], ids ascending."""
    ids = sorted(pairs)
    deltas: Iterable[int] = [ids[0], *(b - a for a, b in pairwise(ids))]
    return [n for doc_id, delta in zip(ids, deltas, strict=True) for n in (delta, pairs[doc_id])]
