"""Permanent ids: the same ids after re-extraction noise, redirects when a URL changes, aliases when an
anchor is lost, and the repository's published-ids.json still honoured by the current sources."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

import pytest

from converter.link import ids
from converter.link.corpus import link
from converter.model import Corpus, Issue, Paragraph, SourceText
from converter.pipeline import convert, parse_source
from converter.publish.manifest import read_published, write_published
from converter.read.sidecar import Sidecar
from converter.read.source import read_source
from converter.render.wenhao import redirect_files, redirect_page
from converter.urls import ALIASES

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "sources").glob("*.txt"))
SAMPLE = ROOT / "sources" / "2023-06.txt"  # 2023年第6期, holds 宁政办发〔2023〕13号
UNNUMBERED = ROOT / "sources" / "2024-unnumbered.txt"  # no printed issue number
DOC = "2023/06/nzbf-2023-13/"
ASCII_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
NARROW = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"})


def _corpus(*issues: Issue) -> Corpus:
    return link(issues)


def _with_lines(source: SourceText, lines: list[str]) -> SourceText:
    return dataclasses.replace(source, lines=tuple(lines))


def _rewrapped(source: SourceText, seed: int) -> list[str]:
    """Join the wrapped lines of some paragraphs and split other one-line paragraphs in two."""
    issue = parse_source(source)
    spans = [
        (b.span.first - 1, b.span.last - 1)
        for d in issue.documents
        for b in d.blocks()
        if isinstance(b, Paragraph)
    ]
    rng = random.Random(seed)
    replace: dict[int, list[str]] = {}
    lines = source.lines
    for first, last in spans:
        if last > first and rng.random() < 0.5:
            replace[first] = ["".join(line.strip() for line in lines[first : last + 1])]
            replace.update({i: [] for i in range(first + 1, last + 1)})
        elif last == first and len(lines[first]) > 30 and rng.random() < 0.5:
            text = lines[first]
            # Split between two Han characters, never before 第 (a split must not create a clause marker).
            cut = next(
                (k for k in range(len(text) // 2, len(text) - 1) if _han(text[k - 1]) and _han(text[k]) and text[k] != "第"),
                None,
            )
            if cut is not None:
                replace[first] = [text[:cut], text[cut:]]
    return [piece for i, line in enumerate(lines) for piece in replace.get(i, [line])]


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@pytest.mark.parametrize("path", SOURCES, ids=[p.name[:3] for p in SOURCES])
def test_ids_survive_rewrapping_and_punctuation_width(path: Path) -> None:
    source = read_source(path)
    before = ids.manifest(_corpus(parse_source(source)))
    lines = _rewrapped(source, seed=5)
    assert len(lines) != len(source.lines), "the perturbation should change the wrapping"
    narrow = [line.translate(NARROW) for line in lines]
    assert narrow != list(source.lines)
    after = ids.manifest(_corpus(parse_source(_with_lines(source, narrow))))
    assert after == before


def test_manifest_lists_every_page_with_ascii_sorted_anchors(conversion) -> None:  # type: ignore[no-untyped-def]
    pages = ids.manifest(conversion.corpus)
    documents = [doc for issue in conversion.corpus.issues for doc in issue.docs]
    assert set(pages) == {doc.url for doc in documents} | {i.key + "/" for i in conversion.corpus.issues if i.docs}
    for url, anchors in pages.items():
        assert anchors == sorted(set(anchors)), url
        assert all(ASCII_ID.fullmatch(a) for a in anchors), [a for a in anchors if not ASCII_ID.fullmatch(a)]
    assert {"p3", "p3-7", "p4-11"} <= set(pages[DOC])
    assert {"att1", "att2", "att2-p1"} <= set(pages["2021/04/nzbf-2021-3/"])
    assert {"encl", "encl-p1"} <= set(pages["2023/06/ndf-2023-1/"])


def test_a_renamed_doc_number_redirects_the_old_url() -> None:
    source = read_source(SAMPLE)
    renamed = [line.replace("宁政办发〔2023〕13号", "宁政办发〔2023〕14号") for line in source.lines]
    before = _corpus(parse_source(source))
    after = _corpus(parse_source(_with_lines(source, renamed)))
    new = "2023/06/nzbf-2023-14/"
    assert new in ids.manifest(after) and DOC not in ids.manifest(after)

    # From a plain manifest (build/ids.json): the same clause numbering in the same issue.
    files = redirect_files(ids.manifest(before), after)
    assert _refresh_target(files[DOC + "index.html"]) == "../nzbf-2023-14/"
    # From published-ids.json, which also records titles: the same title.
    assert ids.moves(ids.published(before), after) == {DOC: new}
    assert ids.broken(ids.published(before), after) == []


def test_an_issue_that_gets_its_number_redirects_issue_and_documents() -> None:
    source = read_source(UNNUMBERED)
    before = _corpus(parse_source(source))
    after = _corpus(parse_source(source, Sidecar(year=2024, number=3)))
    old_issue = next(url for url in ids.manifest(before) if url.count("/") == 2)
    assert old_issue == "2024/x1/"
    moved = ids.moves(ids.manifest(before), after)
    assert moved[old_issue] == "2024/03/"
    assert all(new is not None and new.startswith("2024/03/") for new in moved.values())
    files = redirect_files(ids.manifest(before), after)
    assert _refresh_target(files[old_issue + "index.html"]) == "../03/"
    assert ids.broken(ids.manifest(before), after) == []


def test_a_lost_anchor_is_aliased_to_the_closest_surviving_one(conversion) -> None:  # type: ignore[no-untyped-def]
    corpus = conversion.corpus
    previous = ids.manifest(corpus)
    previous[DOC] = previous[DOC] + ["p3-7-2", "encl-p4", "p99"]
    assert ids.aliases(previous, corpus) == {DOC: {"encl-p4": "p4", "p3-7-2": "p3-7"}}
    aliases = json.loads(redirect_files(previous, corpus)[ALIASES])
    assert aliases == {DOC: {"encl-p4": "p4", "p3-7-2": "p3-7"}}
    assert ids.broken(previous, corpus) == [f"{DOC}#p99"]


@pytest.mark.parametrize(
    ("lost", "have", "closest"),
    [
        ("p3-2", {"encl-p3-2", "p3"}, "encl-p3-2"),  # the same numbering under another prefix
        ("encl-p3-2", {"p3-2"}, "p3-2"),
        ("ch2-art5", {"art5", "ch2"}, "art5"),  # chapters dropped: 第五条 is still 第五条
        ("art5", {"ch1-art5"}, "ch1-art5"),
        ("encl-ch2-sec1-art9", {"encl-ch2-art9"}, "encl-ch2-art9"),
        ("p3-2-1", {"p3", "p3-1"}, "p3"),  # nearest surviving ancestor
        ("att2-p1-3", {"att2"}, "att2"),
        ("p7", {"p1", "p2"}, None),
    ],
)
def test_closest_surviving_anchor(lost: str, have: set[str], closest: str | None) -> None:
    assert ids.closest(lost, have) == closest


def test_nothing_to_bridge_when_nothing_changed(conversion) -> None:  # type: ignore[no-untyped-def]
    files = redirect_files(ids.published(conversion.corpus), conversion.corpus)
    assert files == {ALIASES: "{}\n"}


def test_redirect_page_keeps_the_anchor_and_works_without_script() -> None:
    page = redirect_page("2023/06/old/", "2023/07/new/")
    assert _refresh_target(page) == "../../07/new/"
    assert '<link rel="canonical" href="../../07/new/">' in page
    assert 'location.replace("../../07/new/" + location.hash)' in page
    assert '<a href="../../07/new/">' in page


def test_published_ids_json_is_still_honoured() -> None:
    """CI check: every URL and anchor of the last published build resolves in this build."""
    path = ROOT / "published-ids.json"
    if not path.exists():
        pytest.skip("no published-ids.json yet")
    previous = read_published(path)
    assert previous.get("schema") == ids.SCHEMA
    assert ids.broken(previous, convert(SOURCES).corpus) == []


def test_write_and_read_published_round_trip(conversion, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "published-ids.json"
    write_published(conversion.corpus, path)
    data = read_published(path)
    assert data == json.loads(json.dumps(ids.published(conversion.corpus)))
    assert data["titles"][DOC] == "自治区人民政府办公厅关于深入推进新型工业强区五年计划的实施意见"  # type: ignore[index]
    assert read_published(tmp_path / "missing.json") == {}


def _refresh_target(page: str) -> str:
    match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_publishing_again_keeps_what_was_published_before(conversion, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An id published once stays promised: a later publication that no longer has it keeps it listed,
    so that its alias (and a moved URL's redirect) survives every later publication."""
    path = tmp_path / "published-ids.json"
    earlier = ids.published(conversion.corpus)
    earlier["pages"][DOC] = earlier["pages"][DOC] + ["p3-7-2"]  # type: ignore[index]
    earlier["pages"]["2023/06/gone/"] = ["p1"]  # type: ignore[index]
    earlier["titles"]["2023/06/gone/"] = "一份已移走的文件"  # type: ignore[index]
    path.write_text(json.dumps(earlier, ensure_ascii=False), encoding="utf-8")
    write_published(conversion.corpus, path)
    again = read_published(path)
    assert "p3-7-2" in again["pages"][DOC]  # type: ignore[index]
    assert again["pages"]["2023/06/gone/"] == ["p1"]  # type: ignore[index]
    assert again["titles"]["2023/06/gone/"] == "一份已移走的文件"  # type: ignore[index]
    assert set(ids.manifest(conversion.corpus)[DOC]) <= set(again["pages"][DOC])  # type: ignore[index]
