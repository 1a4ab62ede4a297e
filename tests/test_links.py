"""A crawler over built sites: every internal reference resolves (links, canonical links and meta-refresh
redirects, with their #anchors), ids are unique, 文号 redirects land on that 文号, in-corpus citations are
links and cited-by lists are their exact inverse, and ids from an earlier build keep working.

Two sites: the real one (`built_site`, from sources/) and `linked_site`: sources/ plus a document that
cites others in the corpus, built with a `published-ids.json` whose old URL and anchors moved.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from projects import build_project, make_project

from converter.docnumber import DocNumber

REPO_ROOT = Path(__file__).resolve().parent.parent
DOC = "2023/06/nzbf-2023-13/"
OLD_URL = "2023/05/nzbf-2023-13/"  # where the previous build had 宁政办发〔2023〕13号

CITING = """自治区人民政府办公厅关于落实新型工业强区五年计划有关事项的通知

宁政办发〔2024〕7号

各市、县（区）人民政府，自治区政府各部门：

一、总体要求

按照《自治区人民政府办公厅关于深入推进新型工业强区五年计划的实施意见》（宁政办发[2023]13号）要求，抓好落实。

二、重点任务

（一）统筹乡村振兴。

贯彻宁党发〔2023〕1号文件精神，参照国函〔2019〕38号执行。

（二）推进产业升级。继续落实宁政办发〔2023〕13号各项任务。

宁夏回族自治区人民政府办公厅

2024年1月2日
"""


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _page_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def _url(site: Path, page: Path) -> str:
    """Site-relative URL of a page file (`2023/06/x/`)."""
    rel = page.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sources/ plus a citing document, built with a previous manifest that had other URLs and anchors."""
    root = make_project(tmp_path_factory.mktemp("linked"))
    (root / "sources" / "zz_citing.txt").write_text(CITING, encoding="utf-8")
    previous = {
        "schema": "gongbao/ids@1",
        "pages": {OLD_URL: ["p3", "p3-7", "p3-7-9"], DOC: ["p3", "p3-99-1"]},
        "titles": {},
    }
    (root / "published-ids.json").write_text(json.dumps(previous), encoding="utf-8")
    return build_project(root)


@pytest.fixture(params=["built_site", "linked_site"])
def site(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue(request.param))


def _references(soup: BeautifulSoup) -> list[str]:
    """Every address a page points at: links, canonical links and meta-refresh targets."""
    out = [str(a["href"]) for a in soup.select("a[href], link[rel=canonical][href]")]
    for meta in soup.find_all("meta", attrs={"http-equiv": "refresh"}):
        out.append(str(meta["content"]).split("url=", 1)[1])
    return out


def test_every_internal_reference_and_anchor_resolves(site: Path) -> None:
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        base = "/" + page.relative_to(site).as_posix()
        for href in _references(_soup(page)):
            if href.startswith(("http:", "https:", "mailto:", "javascript:")) or href == "#":
                continue
            url = urlparse(urljoin(base, href))
            target = _page_file(site, url.path) if url.path else page
            if not target.exists():
                broken.append(f"{base} → {href}")
                continue
            if url.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {str(tag["id"]) for tag in _soup(target).select("[id]")}
                if unquote(url.fragment) not in ids[target]:
                    broken.append(f"{base} → {href} (no such anchor)")
    assert len(pages) > 20
    assert not broken, "\n".join(broken[:20])


def test_ids_are_unique_on_every_page(site: Path) -> None:
    repeated: list[str] = []
    for page in site.rglob("*.html"):
        counts = Counter(str(tag["id"]) for tag in _soup(page).select("[id]"))
        repeated += [f"{_url(site, page)}#{i} ×{n}" for i, n in counts.items() if n > 1]
    assert not repeated, "\n".join(repeated[:20])


def test_every_wenhao_page_redirects_to_the_document_with_that_number(site: Path) -> None:
    checked = 0
    for page in sorted((site / "wenhao").glob("*/index.html")):
        slug = page.parent.name
        meta = _soup(page).find("meta", attrs={"http-equiv": "refresh"})
        assert meta is not None, slug
        url = urlparse(urljoin("/wenhao/" + slug + "/", str(meta["content"]).split("url=", 1)[1]))
        target = _soup(_page_file(site, url.path))
        if url.fragment:  # one decision of a 人事任免 page: its heading is the 文号
            printed = target.find(id=url.fragment).get_text()  # type: ignore[union-attr]
        else:
            panel = target.select_one("dl.gb-doc")
            assert panel is not None, f"wenhao/{slug}/ does not land on a document"
            printed = " ".join(dd.get_text() for dt, dd in zip(panel.select("dt"), panel.select("dd"), strict=True)
                               if dt.get_text() == "文号")  # fmt: skip
        number = DocNumber.parse(printed.replace("¶", "").strip())
        assert number is not None and number.slug == slug, f"wenhao/{slug}/ lands on {printed!r}"
        # /wenhao/<slug>/#p3-2 lands on that clause: the visitor's anchor is kept (a decision's own is not
        # doubled).
        script = _soup(page).find("script")
        assert script is not None and ("location.hash" in script.get_text()) == (not url.fragment), slug
        checked += 1
    assert checked >= 12


def _documents(site: Path) -> dict[str, dict[str, object]]:
    index = json.loads((site / "api" / "index.json").read_text(encoding="utf-8"))
    docs: dict[str, dict[str, object]] = {}
    for issue in index["issues"]:
        for document in json.loads((site / issue["json"]).read_text(encoding="utf-8"))["documents"]:
            if document["url"]:
                docs[document["url"]] = document
    return docs


def test_cited_by_is_the_exact_inverse_of_the_citations(site: Path) -> None:
    docs = _documents(site)
    cites = sorted(
        (str(c["target"]), url, str(c["in"]))
        for url, doc in docs.items()
        for c in doc["citations"]  # type: ignore[attr-defined]
        if c["target"]
    )
    cited_by = sorted(
        (url, str(c["document"]), str(c["in"])) for url, doc in docs.items() for c in doc["cited_by"]  # type: ignore[attr-defined]
    )
    assert cited_by == cites
    if site.parent.name.startswith("linked"):
        citing = next(url for url in docs if url.endswith("/nzbf-2024-7/"))
        assert cites == sorted([(DOC, citing, "p1"), (DOC, citing, "p2-2"), ("2023/06/ndf-2023-1/", citing, "p2-1")])


def test_pages_show_citations_as_links_and_cited_by_lists(site: Path) -> None:
    docs = _documents(site)
    for url, doc in docs.items():
        soup = _soup(site / url / "index.html")
        article = soup.select_one("article")
        assert article is not None
        targets = {urljoin("/" + url, str(a["href"])) for a in article.select("a.gb-cite")}
        expected = {"/" + str(c["target"]) for c in doc["citations"] if c["target"]}  # type: ignore[attr-defined]
        assert targets == expected, url
        external = {str(DocNumber.parse(span.get_text())) for span in article.select(".gb-cite-ext")}
        assert external <= {str(c["doc_number"]) for c in doc["citations"] if not c["target"]}, url  # type: ignore[attr-defined]
        listed = sorted(urljoin("/" + url, str(a["href"])) for a in article.select("ul.gb-cited-by a"))
        wanted = sorted(
            "/" + str(c["document"]) + (f"#{c['in']}" if c["in"] else "")
            for c in doc["cited_by"]  # type: ignore[attr-defined]
        )
        assert listed == wanted, url


def test_manifest_anchors_are_ids_on_their_pages(linked_site: Path) -> None:
    manifest = json.loads((linked_site.parent / "build" / "ids.json").read_text(encoding="utf-8"))
    assert DOC in manifest
    missing = [
        f"{url}#{anchor}"
        for url, anchors in manifest.items()
        for anchor in set(anchors) - {str(t["id"]) for t in _soup(linked_site / url / "index.html").select("[id]")}
    ]
    assert not missing, missing[:20]


def test_urls_and_anchors_of_the_previous_build_still_work(linked_site: Path) -> None:
    page = _soup(linked_site / OLD_URL / "index.html")
    meta = page.find("meta", attrs={"http-equiv": "refresh"})
    assert meta is not None and str(meta["content"]).endswith("url=../../06/nzbf-2023-13/")
    aliases = json.loads((linked_site / "api" / "aliases.json").read_text(encoding="utf-8"))
    assert aliases == {DOC: {"p3-7-9": "p3-7", "p3-99-1": "p3"}}
    assert re.search(r'location\.replace\("[./a-z0-9-]+" \+ location\.hash\)', str(page))


def test_every_cited_doc_number_is_marked_on_the_page(built_site: Path) -> None:
    """A cited 文号 is a link or carries the not-in-gazette marker, in table cells too."""
    unmarked: list[str] = []
    for url, doc in _documents(built_site).items():
        article = _soup(built_site / url / "index.html").select_one("article")
        assert article is not None
        marked = {str(DocNumber.parse(tag.get_text())) for tag in article.select("a.gb-cite, .gb-cite-ext")}
        unmarked += [f"{url}: {c['doc_number']}" for c in doc["citations"] if str(c["doc_number"]) not in marked]  # type: ignore[attr-defined]
    assert not unmarked, "\n".join(unmarked)


def test_a_doc_number_in_a_clause_heading_is_a_link(linked_site: Path) -> None:
    page = next((linked_site / "2024").glob("*/nzbf-2024-7/index.html"))
    heading = _soup(page).select_one("h3#p2-2")  # （二）推进产业升级。继续落实宁政办发〔2023〕13号各项任务。
    assert heading is not None and "宁政办发〔2023〕13号" in heading.get_text()
    assert heading.select_one("a.gb-cite") is not None
