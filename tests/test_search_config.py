"""The search index without a browser: how text becomes keys, what a document's record holds, the
postings and their shards, and the setup (no lunr index, no Pagefind, the header box is ours)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from converter.render import search_index as si
from converter.render import search_postings as sp

ROOT = Path(__file__).resolve().parent.parent


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml has !ENV and !!python tags: read them as null."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def test_units_fold_every_written_form_of_a_wenhao_to_the_same_units() -> None:
    forms = ["宁政办发〔2023〕13号", "宁政办发[2023]13号", "宁政办发2023 13号", "宁政办发 ２０２３ １３号"]
    assert {tuple(sp.units(f)) for f in forms} == {("宁", "政", "办", "发", " 2023", " 13", "号")}
    assert sp.units("ＡＢ c，营商。") == [" ab", " c", "营", "商"]


def test_keys_are_adjacent_pairs_and_triples_across_punctuation_and_alphanumeric_units_alone() -> None:
    keys = list(sp.keys(sp.units("优化营商，环境2023年")))
    assert keys[:4] == ["优化", "化营", "营商", "商环"]  # a pair spans the comma: punctuation does not count
    assert {"优化营", "营商环", "商环境", "环境 2023", " 2023年"} <= set(keys)
    assert {"境 2023", " 2023年", " 2023"} <= set(keys)
    assert not any(len(k) == 1 for k in keys), "a single Han character is never a key"


def test_shard_of_is_stable_and_spread() -> None:
    # gb-search.js computes the same FNV-1a over UTF-16 code units: these values pin the function.
    assert sp.shard_of("营商", 1 << 16) == sp.shard_of("营商", 1 << 16)
    shards = {sp.shard_of(a + b, 64) for a in "营商环境高质量发展" for b in "固原宁东乡村振兴"}
    assert len(shards) > 30


def test_fnv_matches_the_reference_values() -> None:
    # FNV-1a 32 of "a" is 0xe40c292c; over UTF-16 code units "a" is one unit 0x61, the same.
    assert sp.shard_of("a", 1 << 32) == 0xE40C292C


def _index(conversion: Any) -> dict[str, str]:
    return si.search_index([p for p in conversion.corpus.issues if p.docs])


@pytest.fixture(scope="module")
def index(conversion: Any) -> dict[str, Any]:
    files = _index(conversion)
    return {path: json.loads(text) for path, text in files.items()}


def _postings(index: dict[str, Any], key: str) -> dict[int, int]:
    out: dict[int, int] = {}
    for part, shards in index["docs.json"]["parts"]:  # the older years, the newest year: ids never overlap
        flat, doc = index[f"{part}/{sp.shard_of(key, shards):x}.json"].get(key, []), 0
        for k in range(0, len(flat), 2):
            doc += flat[k]
            assert doc not in out
            out[doc] = flat[k + 1]
    return out


def _text(record: dict[str, Any]) -> list[str]:
    return [record["t"], *record["n"], *(h for _, h, _ in record["s"]), *(p for _, _, ps in record["s"] for p in ps)]


def test_every_pair_of_every_piece_of_every_document_is_posted_for_it(index: dict[str, Any]) -> None:
    docs = len(index["docs.json"]["docs"]) // 3
    assert docs == len([p for p in index if p.startswith("d/")]) > 10
    for doc in range(docs):
        record = index[f"d/{doc}.json"]
        for piece in _text(record)[:: max(1, len(_text(record)) // 40)]:
            for key in sp.keys(sp.units(piece)):
                assert doc in _postings(index, key), (record["u"], key, piece[:40])


def test_postings_carry_counts_and_title_and_heading_flags(index: dict[str, Any]) -> None:
    records = {index[f"d/{n}.json"]["u"]: n for n in range(len(index["docs.json"]["docs"]) // 3)}
    doc = records["2021/04/nzbf-2021-5/"]
    title = _postings(index, "承诺")[doc]
    assert title & sp.TITLE and title >> 2 >= 2
    wenhao = _postings(index, " 2021 5")[doc]
    assert wenhao & sp.TITLE
    body = "".join(_text(index[f"d/{doc}.json"])[3:])
    assert _postings(index, "营商")[doc] >> 2 == min(255, body.count("营商")) or "营商" not in body


def test_document_ids_follow_issue_order_and_carry_facets(index: dict[str, Any]) -> None:
    meta = index["docs.json"]
    issues = [index[f"d/{n}.json"]["i"] for n in range(len(meta["docs"]) // 3)]
    years = [meta["years"][meta["docs"][3 * n]] for n in range(len(issues))]
    assert years == sorted(years) and issues[0] < issues[-1]
    assert all(meta["docs"][3 * n + 2] < len(meta["kinds"]) for n in range(len(issues)))


def test_sections_hold_clause_headings_with_their_anchors(index: dict[str, Any]) -> None:
    record = next(index[p] for p in index if p.startswith("d/") and index[p]["u"] == "2021/04/zzqrmzfrsr-2021/")
    anchors = {a: h for a, h, _ in record["s"]}
    assert anchors["nzgf-2020-14"] == "宁政干发〔2020〕14号"
    assert any("夏斌" in p for a, _, ps in record["s"] if a == "nzgf-2020-14" for p in ps)


def test_adding_an_issue_keeps_the_records_of_the_others(conversion: Any) -> None:
    issues = [p for p in conversion.corpus.issues if p.docs]
    newest = max(issues, key=lambda p: (p.id.year or 0, p.id.number or 0, p.key))
    before = si.search_index([p for p in issues if p is not newest])
    after = si.search_index(issues)
    records = [p for p in before if p.startswith("d/")]
    assert all(before[p] == after[p] for p in records)


def test_mkdocs_builds_no_lunr_index_and_nothing_runs_pagefind() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "search" not in names, "Material's search plugin would build (and ship) the whole lunr index"
    assert "pagefind" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    partial = (ROOT / "overrides/partials/gb-search.html").read_text(encoding="utf-8")
    assert "gb-search.js" in partial and 'name="search"' not in partial
    assert '{% include "partials/gb-search.html" %}' in (ROOT / "overrides/partials/header.html").read_text(
        encoding="utf-8"
    )
    script = (ROOT / "overrides/assets/javascripts/gb-search.js").read_text(encoding="utf-8")
    assert "search-index/" in script and si.INDEX_DIR == "search-index"
    assert re.search(r"0x811c9dc5", script, re.I) and re.search(r"0x01000193", script, re.I)
