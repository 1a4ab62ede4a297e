"""A part of the search index patched for a few changed documents (`search_patch`) against the part made
again from all of them (`search_postings.part_files`): the same shard files, byte for byte, and the same
sizes; and the cases where the part must be made again instead."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.render import search_index as si
from converter.render import search_patch as patch
from converter.render import search_postings as sp

_TEXT = st.text(alphabet="营商环境发展宁夏回族自治区人民政府第一条二号办法年月日 abc0123２０，。（）", max_size=30)
_RECORDS = st.builds(
    lambda title, body: orjson.dumps({"t": title, "n": [], "s": [["", "", body]]}).decode(),
    _TEXT,
    st.lists(_TEXT, max_size=4),
)
TAG = patch.code_tag("salt")


def _last(docs: list[tuple[int, str]]) -> tuple[dict[str, str], list[object]]:
    """A part made whole, as the last build left it: its files (shards and records) and its entry."""
    shards, key_chars, entries = sp.part_files("p", docs)
    records = {f"d/{doc_id}.json": text for doc_id, text in docs}
    return {**shards, **records}, patch.entry("x", len(shards), docs, key_chars, entries, TAG)


@given(st.lists(_RECORDS, min_size=1, max_size=8), st.data())
def test_a_patched_part_is_the_part_made_again(records: list[str], data: st.DataObject) -> None:
    before = [(3 + k, text) for k, text in enumerate(records)]  # ids from 3: not the first part
    changes = data.draw(st.dictionaries(st.integers(0, len(records) - 1), _RECORDS, max_size=3))
    now = [(doc_id, changes.get(k, text)) for k, (doc_id, text) in enumerate(before)]
    files, last = _last(before)
    made = patch.patched("p", now, last, TAG, files.get)
    assert made is not None  # 16 shards whatever these few records hold: the count cannot change
    shards, key_chars, entries = sp.part_files("p", now)
    assert {**{p: t for p, t in files.items() if p.startswith("p/")}, **made[0]} == shards
    assert made[1] == patch.entry("", len(shards), now, key_chars, entries, TAG)
    unchanged = {p for p in shards if shards[p] == files[p]}
    assert not unchanged & made[0].keys(), "only the shards that change are given"


def test_a_fixed_character_patches_the_samples_index_as_a_clean_build(conversion: Any) -> None:
    issues = [p for p in conversion.corpus.issues if p.docs]
    first = issues[0]
    doc = first.docs[len(first.docs) // 2]
    fixed = si.issue_records(first)
    at = first.docs.index(doc)
    fixed[at] = fixed[at].replace("的", "之", 1)
    assert fixed[at] != si.issue_records(first)[at]

    def records(published: Any) -> list[str]:
        return fixed if published is first else si.issue_records(published)

    last = si.search_index(issues, "salt")
    clean = si.search_index(issues, "salt", records=records)
    built = orjson.loads(last[si.BUILT])
    patched = si.search_index(issues, "salt", built, records, last.get)
    shards = [p for p in clean if p[:2] in ("p/", "r/")]
    assert 0 < len([p for p in patched if p[:2] in ("p/", "r/")]) < 10 < len(shards)
    assert {**last, **patched} == clean


@pytest.mark.parametrize("damage", ["none", "other code", "a shard missing", "a shard not a shard", "too many changed", "ids moved",
                                    "a record not a record"])
def test_a_part_that_cannot_be_patched_is_made_again(damage: str) -> None:
    before = [(k, orjson.dumps({"t": f"文件{k}营商环境", "n": [], "s": [["", "", [f"第{k}条"]]]}).decode()) for k in range(80)]
    now = [(doc_id, text.replace("营商", "发展") if doc_id % 2 else text) for doc_id, text in before]  # 40 changed
    files, last = _last(before)
    tag = TAG
    if damage == "other code":
        tag = patch.code_tag("other")
    elif damage in ("a shard missing", "a shard not a shard"):
        for path in [p for p in files if p.startswith("p/")]:
            if damage == "a shard missing":
                del files[path]
            else:
                files[path] = '{"营商": [1, 2, 3]}'
    elif damage == "too many changed":
        now = [(doc_id, text.replace("营商", "发展")) for doc_id, text in before]
    elif damage == "a record not a record":
        files["d/1.json"] = '{"t": "文件1"'  # cut short: the entries it held cannot be told
    elif damage == "ids moved":
        now = [(doc_id + 1, text) for doc_id, text in now]
    made = patch.patched("p", now, last, tag, files.get)
    assert (made is None) == (damage != "none")
