"""Open data (issue 19, "Also"): one JSON file per document with its clauses, and the citation graph as CSV
and JSON, in the built site."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from projects import make_project

from benchmarks.harness import gongbao

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


class _Ids(HTMLParser):
    """Element ids of a built page (minified: attributes may be unquoted), headings' ids apart."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.headings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("id")
        if found:
            self.ids.add(found)
            if tag in ("h2", "h3", "h4", "h5", "h6"):
                self.headings.append(found)


def _outline_ids(site: Path, issue: str, slug: str) -> list[str]:
    export = json.loads((site / "api" / "issues" / f"{issue}.json").read_text(encoding="utf-8"))
    doc = next(d for d in export["documents"] if d["slug"] == slug)
    return [entry["id"] for entry in doc["outline"]]


def test_each_document_has_its_clauses(built_site: Path) -> None:
    data = json.loads((built_site / "data" / "documents" / "2023" / "06" / "nzbf-2023-13.json").read_text(encoding="utf-8"))
    assert data["schema"] == "gongbao/document@1" and data["url"] == "2023/06/nzbf-2023-13/"
    assert data["doc_number"] == "宁政办发〔2023〕13号"
    ids = [c["id"] for c in data["clauses"]]
    # Every numbered clause of the document's export, in the same order (boxes are clauses here too).
    outline = _outline_ids(built_site, "2023-06", "nzbf-2023-13")
    assert [i for i in ids if i in outline] == outline and len(outline) > 20
    # …and every one is an id on the built page, read from its HTML.
    page = _Ids()
    page.feed((built_site / "2023" / "06" / "nzbf-2023-13" / "index.html").read_text(encoding="utf-8"))
    assert set(ids) <= page.ids
    assert page.headings[0] == "p1" == ids[0]
    clause = next(c for c in data["clauses"] if c["id"] == "p1")
    assert clause["label"] == "一、" and clause["text"] and clause["page"] is not None
    # Each clause holds its own text only: no clause's text holds a sub-clause's heading line.
    assert all(c["text"] for c in data["clauses"])


def test_every_document_has_a_data_file(built_site: Path) -> None:
    index = json.loads((built_site / "api" / "index.json").read_text(encoding="utf-8"))
    urls = [d["url"] for issue in index["issues"] for d in issue["documents"]]
    files = sorted(p.relative_to(built_site / "data" / "documents").with_suffix("").as_posix() + "/"
                   for p in (built_site / "data" / "documents").rglob("*.json"))  # fmt: skip
    assert files == sorted(urls)


def test_the_citation_graph_holds_a_citation_read_from_the_source(built_site: Path) -> None:
    # 宁政发〔2023〕35号 (2024, unnumbered issue) cites 宁政发〔2023〕7号, which the gazette samples do not hold.
    source = (REPO_ROOT / "sources" / "2024-unnumbered.txt").read_text(encoding="utf-8")
    printed = r"宁政发\s*[〔\[［(（]\s*2023\s*[〕\]］)）]\s*{}\s*号"  # any bracket the extraction has
    assert re.search(printed.format(7), source) and re.search(printed.format(35), source)
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "citations.csv").read_text(encoding="utf-8"))))
    assert {"from_doc_number": "宁政发〔2023〕35号", "to_doc_number": "宁政发〔2023〕7号", "to_url": ""} in [
        {k: row[k] for k in ("from_doc_number", "to_doc_number", "to_url")} for row in rows
    ]
    graph = json.loads((built_site / "data" / "citations.json").read_text(encoding="utf-8"))
    assert graph["schema"] == "gongbao/citations@1" and graph["edges"] == rows


def test_a_citation_between_samples_is_an_edge_with_both_ends(tmp_path: Path) -> None:
    # No sample cites another sample, so one is made to: 宁政办发〔2021〕102号 cites 国办发〔2021〕7号 in
    # running text; let it cite 宁政办发〔2021〕93号 of the same issue instead.
    text = (REPO_ROOT / "sources" / "2022-04.txt").read_text(encoding="utf-8")
    assert text.count("国办发〔2021〕7号") == 1
    root = make_project(tmp_path / "project", {"2022-04.txt": text.replace("国办发〔2021〕7号", "宁政办发〔2021〕93号")})
    result = gongbao("build", "--no-site", cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader(io.StringIO((root / "docs" / "data" / "citations.csv").read_text(encoding="utf-8"))))
    edge = [r for r in rows if r["to_doc_number"] == "宁政办发〔2021〕93号"]
    assert len(edge) == 1
    assert edge[0]["from_doc_number"] == "宁政办发〔2021〕102号"
    assert edge[0]["from_url"].endswith("/nzbf-2021-102/") and edge[0]["to_url"].endswith("/nzbf-2021-93/")
