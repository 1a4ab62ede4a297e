"""Corpus pages (converter/render/site.py, browse.py, feed.py, parse/decisions.py): 人事任免 decisions split into actions,
issuer groups, the home page's links, the nav, and the Atom feed."""

from __future__ import annotations

import itertools
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from converter.model import Corpus
from converter.parse.decisions import Action, actions
from converter.pipeline import Conversion, convert, docs_files
from converter.render.browse import issuer
from converter.render.search_index import search_index
from converter.render.site import nav, nav_text, render_site

HOSTILE = """自治区人民政府办公厅关于<script>alert(1)</script>的通知

宁政办发〔2024〕99号

各市、县（区）人民政府：

一、总体要求<img src=x onerror=alert(2)>

正文{{ config }}，[点击](javascript:alert(3))。

宁夏回族自治区人民政府办公厅

2024年1月2日
"""
DOCS = Path(__file__).resolve().parent.parent / "docs"
ATOM = "{http://www.w3.org/2005/Atom}"

DECISIONS = [
    ("夏斌任宁夏回族自治区煤炭地质局局长；", [Action("夏斌", "任", "宁夏回族自治区煤炭地质局局长")]),
    (
        "田宝贵任宁夏广播电视台总编辑（正厅级），免去宁夏广播电视台副台长职务。",
        [Action("田宝贵", "任", "宁夏广播电视台总编辑（正厅级）"), Action("田宝贵", "免", "宁夏广播电视台副台长")],
    ),
    ("免去席卫东宁夏回族自治区残疾人联合会二级巡视员，退休；",
     [Action("席卫东", "免", "宁夏回族自治区残疾人联合会二级巡视员", "退休")]),
    # A four-character name ending in 宁 before 宁夏…, and a two-character one.
    ("免去李文海宁宁夏回族自治区统计局二级巡视员，退休；", [Action("李文海宁", "免", "宁夏回族自治区统计局二级巡视员", "退休")]),
    ("免去邵宁宁夏回族自治区信访局二级巡视员，退休；", [Action("邵宁", "免", "宁夏回族自治区信访局二级巡视员", "退休")]),
    # Names that begin with a verb character.
    ("任可晋升宁夏回族自治区发展和改革委员会二级巡视员；", [Action("任可", "晋升", "宁夏回族自治区发展和改革委员会二级巡视员")]),
    ("任全录任宁夏回族自治区政府派驻宁夏理工学院督导员（副厅级）；",
     [Action("任全录", "任", "宁夏回族自治区政府派驻宁夏理工学院督导员（副厅级）")]),
    ("张戈提名为宁夏农垦集团有限公司董事长人选；", [Action("张戈", "提名", "宁夏农垦集团有限公司董事长")]),
    ("免去耿银生宁夏回族自治区政府派驻宁夏理工学院督导员（副厅级）职务，批准提前退休；",
     [Action("耿银生", "免", "宁夏回族自治区政府派驻宁夏理工学院督导员（副厅级）", "批准提前退休")]),
    # 兼任: a second post of the same person, in a later clause without the name.
    ("王明任宁夏回族自治区水利厅副厅长，兼任宁夏水务投资集团有限公司董事长；",
     [Action("王明", "任", "宁夏回族自治区水利厅副厅长"), Action("王明", "任", "宁夏水务投资集团有限公司董事长")]),
    # Nothing recognisable: kept whole, never dropped.
    ("另行通知。", [Action("", "", "另行通知")]),
]  # fmt: skip


@pytest.mark.parametrize(("decision", "expected"), DECISIONS, ids=[d[0][:8] for d in DECISIONS])
def test_decision_actions(decision: str, expected: list[Action]) -> None:
    assert list(actions(decision)) == expected


def test_every_sample_decision_names_a_person_and_a_kind(conversion: Conversion) -> None:
    found = [
        action
        for published in conversion.corpus.issues
        for doc in published.docs
        for appointment in doc.document.appointments
        for decision in appointment.decisions
        for action in actions(decision)
    ]
    assert len(found) == 104
    assert all(2 <= len(a.name) <= 4 and a.kind in {"任", "免", "晋升", "提名"} and a.post for a in found)


def test_issuer_groups_of_the_samples(conversion: Conversion) -> None:
    groups = {doc.slug: issuer(doc.document) for p in conversion.corpus.issues for doc in p.docs}
    assert groups["ndf-2023-1"] == "dw"  # 宁党发: 党委 and 人民政府 jointly
    assert groups["nzf-2021-39"] == "zf"
    assert groups["nzbf-2023-13"] == "bgt"
    assert groups["zzqrmzfrsr-2021"] == "zf"  # 人事任免, no 文号: from the title
    assert groups["zfgzbg-2024"] == "qt"  # 政府工作报告: no 文号, no 落款


def _nav_paths(entries: object) -> set[str]:
    if isinstance(entries, str):
        return {entries}
    if isinstance(entries, dict):
        return set().union(*(_nav_paths(v) for v in entries.values()))
    if isinstance(entries, list):
        return set().union(*(_nav_paths(v) for v in entries))
    return set()


def pages(corpus: Corpus) -> dict[str, str]:
    """The corpus-wide generated pages: the home page, the browse pages and the feed."""
    files = render_site(corpus, {})
    return {p: text for p, text in files.items() if p in ("index.md", "feed.xml") or p.startswith("browse/")}


def test_every_generated_page_is_in_the_nav(conversion: Conversion) -> None:
    # wenhao/ (redirects and their index) and the search results page are published outside the
    # navigation (mkdocs.yml: not_in_nav).
    outside = ("wenhao/", "search.md")
    generated = {p for p in render_site(conversion.corpus, {}) if p.endswith(".md") and not p.startswith(outside)}
    listed = _nav_paths(nav(conversion.corpus))
    assert generated <= listed
    assert all((DOCS / p).is_file() for p in listed - generated), "a hand-written nav page is missing"


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_the_nav_file_reads_back_as_the_nav(conversion: Conversion, loader: type[yaml.SafeLoader]) -> None:
    # build/nav.yml is JSON: YAML readers (MkDocs' process, the hook) must get the same value back, also
    # for titles holding what JSON leaves as it is but YAML refuses or takes for a line break.
    odd = "".join(chr(c) for c in [*range(0x7F, 0xA1), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0x20000]) + "\t\"'\\: #"
    long = "长" * 1_100  # longer than YAML reads an implicit key: written with an explicit one
    for site_nav in (nav(conversion.corpus), [{odd: "a.md"}, {"- x": [odd, {"": odd}]}], [{"x": [{long: "b.md"}]}]):
        assert yaml.load(nav_text(site_nav), Loader=loader) == {"nav": site_nav}


def test_pages_link_only_to_pages_that_exist(conversion: Conversion) -> None:
    files = docs_files(conversion)
    existing = set(files) | {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.is_file()}
    for path in ("index.md", *(p for p in files if p.startswith("browse/"))):
        text = files[path]
        here = posixpath.dirname(path) if path.endswith("index.md") else path.removesuffix(".md")
        links = re.findall(r'href="([^"#]*)', text) + re.findall(r"\]\(([^)#]*)", text)
        assert links, path
        for link in filter(None, links):
            target = posixpath.normpath(posixpath.join(here, link))
            candidates = {target, f"{target}.md", f"{target}/index.md", f"{target}/index.html"}
            assert candidates & existing, f"{path} links to {link}, which is not generated or hand-written"


def test_appointments_index_links_each_row_to_its_decision(conversion: Conversion) -> None:
    page = pages(conversion.corpus)["browse/appointments.md"]
    rows = re.findall(r"<tr><td data-label=\"姓名\">", page)
    anchors = set(re.findall(r'href="\.\./\.\./2021/04/zzqrmzfrsr-2021/#([a-z0-9-]+)"', page))
    assert len(rows) == 104
    assert anchors == {f"nzgf-2020-{n}" for n in range(13, 18)} | {"nzgf-2021-1", "nzgf-2021-2"}


def test_feed_is_atom_with_absolute_urls_and_gazette_dates(
    conversion: Conversion, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONGBAO_SITE_URL", "https://example.net/gazette")
    text = pages(conversion.corpus)["feed.xml"]
    assert text == pages(conversion.corpus)["feed.xml"]  # deterministic: no clock
    root = ET.fromstring(text)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4 + 14  # issues with documents, and documents
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert all(link.startswith("https://example.net/gazette/") for link in links)
    assert "https://example.net/gazette/2023/06/nzbf-2023-13/" in links
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == "2023-12-22T00:00:00+08:00"


def test_source_markup_stays_text_in_corpus_pages_and_feed(tmp_path: Path) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    files = pages(convert([source]).corpus)
    for path, text in files.items():
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
    root = ET.fromstring(files["feed.xml"])  # still well-formed XML
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any(t and "<script>alert(1)</script>" in t for t in titles)  # shown as text by feed readers


def test_feed_keeps_each_issue_with_its_documents_when_two_share_a_date(tmp_path: Path) -> None:
    """Two issues printed on the same day: each issue's entry is followed by its own documents."""
    sample = next((Path(__file__).parent.parent / "sources").glob("2021-04.txt")).read_text(encoding="utf-8")
    renumbered = re.sub(r"〔(\d{4})〕(\d+)号", lambda m: f"〔{m[1]}〕{int(m[2]) + 40}号", sample)
    (tmp_path / "a.txt").write_text(sample, encoding="utf-8")
    (tmp_path / "b.txt").write_text(renumbered.replace("第 4 期", "第 5 期").replace("总第 666 期", "总第 667 期"), encoding="utf-8")
    root = ET.fromstring(pages(convert([tmp_path / "a.txt", tmp_path / "b.txt"]).corpus)["feed.xml"])
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    issues = ["/".join(urlsplit(link).path.strip("/").split("/")[:2]) for link in links]  # year/NN
    changes = sum(1 for a, b in itertools.pairwise(issues) if a != b)
    assert changes == 1, issues


def test_an_issue_without_any_year_is_labelled_year_unknown(tmp_path: Path) -> None:
    source = tmp_path / "nodate.txt"
    source.write_text(
        "自治区人民政府关于加强管理工作的意见\n\n各市、县（区）人民政府：\n\n为了加强管理，提出如下意见。\n\n自治区人民政府\n",
        encoding="utf-8",
    )
    conversion = convert([source])
    files = pages(conversion.corpus)
    assert "年份不详" in files["index.md"] and "undated年" not in files["index.md"]
    index = search_index([p for p in conversion.corpus.issues if p.docs])
    assert "年份不详" in index["d/0.json"] and "undated年" not in index["d/0.json"]
    assert "年份不详" in index["docs.json"] and "undated年" not in index["docs.json"]
