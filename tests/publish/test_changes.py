"""What changed since the last publication (issue 19, part 3), on a scratch copy of the project: `gongbao
publish-ids` stores the snapshot, a build after an edited clause reports exactly that clause with its
diff, publish-ids turns it into an update-log entry, the 更新记录 page and a feed item; a removed source
shows its documents as removed. Builds run without a site (`--no-site`): the pages are docs/ Markdown."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from projects import make_project

from benchmarks.harness import gongbao

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = "2023-06.txt"
OLD, NEW = "稳定粮食播种面积和产量", "稳定粮食播种面积与产量"
"""One word of one clause of 2023年第6期, changed by the tests (和 → 与)."""


def _run(root: Path, *args: str, ok: bool = True, date: str = "2024-03-01") -> subprocess.CompletedProcess[str]:
    result = gongbao(*args, cwd=root, env={"GONGBAO_TODAY": date})
    assert "Traceback" not in result.stderr
    if ok:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A project built and published once (its snapshot stored)."""
    root = make_project(tmp_path / "project")
    _run(root, "build", "--no-site")
    _run(root, "publish-ids")
    assert (root / "published-snapshot.json").is_file()
    assert not (root / "published-updates.yml").exists()  # the first publication is no update
    return root


def _edit(root: Path) -> None:
    source = root / "sources" / SOURCE
    text = source.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")


def _clause_of(root: Path, words: str) -> tuple[str, str]:
    """(document URL, id of the innermost clause whose heading holds `words`) from the JSON export."""

    def walk(blocks: list[dict[str, object]]) -> str | None:
        for block in blocks:
            if block.get("type") == "heading":
                inner = walk(block["children"])  # type: ignore[arg-type]
                if inner:
                    return inner
                if words in str(block["text"]):
                    return str(block["id"])
        return None

    export = json.loads((root / "build" / "json" / SOURCE.replace(".txt", ".json")).read_text(encoding="utf-8"))
    for doc in export["documents"]:
        if (found := walk(doc["blocks"])) is not None:
            return doc["url"], found
    raise AssertionError(f"no clause holds {words}")


def test_an_edited_clause_is_the_one_change_with_its_diff(published: Path) -> None:
    url, anchor = _clause_of(published, OLD)
    _edit(published)
    _run(published, "build", "--no-site")
    changes = json.loads((published / "build" / "changes.json").read_text(encoding="utf-8"))
    assert changes["baseline"] and changes["added"] == [] and changes["removed"] == []
    assert [d["url"] for d in changes["changed"]] == [url]
    doc = changes["changed"][0]
    assert doc["clauses_added"] == [] and doc["clauses_removed"] == [] and doc["title_changed"] is None
    assert [c["id"] for c in doc["clauses_changed"]] == [anchor]
    diff = doc["clauses_changed"][0]["diff"]
    assert ["-", "和"] in diff and ["+", "与"] in diff
    # A small diff: both sides are pieces of the clause's texts as published and as now.
    was = json.loads((published / "published-snapshot.json").read_text(encoding="utf-8"))["documents"][url]["clauses"][anchor]["text"]
    assert "".join(text for op, text in diff if op != "+").strip("…") in was
    assert "".join(text for op, text in diff if op != "-").strip("…") in was.replace(OLD, NEW)
    assert sum(len(text) for _, text in diff) < 40 < len(was)
    # `gongbao check` shows it, in the words the editor reads.
    shown = _run(published, "check").stdout
    assert "自上次发布以来的变化" in shown and f"`#{anchor}`" in shown and "[-和-]{+与+}" in shown


def test_publish_ids_records_the_correction_for_the_page_and_the_feed(published: Path) -> None:
    url, anchor = _clause_of(published, OLD)
    _edit(published)
    result = _run(published, "publish-ids", "--date", "2024-03-02")
    assert "1 update(s) recorded (1 correction(s))" in result.stderr
    log = (published / "published-updates.yml").read_text(encoding="utf-8")
    assert f"anchor: {anchor}" in log and "kind: correction" in log
    _run(published, "build", "--no-site")
    page = (published / "docs" / "updates.md").read_text(encoding="utf-8")
    assert "## 2024-03-02" in page
    link = re.search(r'<a href="([^"]+)">更正：宁党发〔2023〕1号 ([^<]+)</a>', page)
    assert link is not None and link.group(1) == f"../{url}#{anchor}"
    assert "<del>和</del><ins>与</ins>" in page
    feed = (published / "docs" / "feed.xml").read_text(encoding="utf-8")
    entry = re.search(r"<entry>\n<title>2024-03-02 更正：宁党发〔2023〕1号 [^<]+</title>\n<link [^>]*href=\"([^\"]+)\"", feed)
    assert entry is not None and entry.group(1).endswith(f"/{url}#{anchor}")
    # Once recorded, the next build has nothing left to report.
    assert "没有变化" in (published / "build" / "changes.md").read_text(encoding="utf-8")
    # Hand edits of the log stay when the next publication appends.
    (published / "published-updates.yml").write_text(log.replace("kind: correction", "# 编辑核对过\n  kind: correction"),
                                                     encoding="utf-8")  # fmt: skip
    (published / "sources" / SOURCE).write_text(
        (published / "sources" / SOURCE).read_text(encoding="utf-8").replace(NEW, OLD), encoding="utf-8"
    )
    _run(published, "publish-ids", "--date", "2024-03-05")
    log = (published / "published-updates.yml").read_text(encoding="utf-8")
    assert "# 编辑核对过" in log and log.count("kind: correction") == 2 and "'2024-03-05'" in log


def test_a_removed_source_shows_its_documents_as_removed(published: Path) -> None:
    export = json.loads((published / "build" / "json" / "2021-04.json").read_text(encoding="utf-8"))
    urls = sorted(d["url"] for d in export["documents"] if d["url"])
    assert urls
    (published / "sources" / "2021-04.txt").unlink()
    _run(published, "build", "--no-site")
    changes = json.loads((published / "build" / "changes.json").read_text(encoding="utf-8"))
    assert sorted(d["url"] for d in changes["removed"]) == urls
    assert changes["added"] == [] and changes["changed"] == []
    _run(published, "publish-ids", "--date", "2024-04-01")
    _run(published, "build", "--no-site")
    page = (published / "docs" / "updates.md").read_text(encoding="utf-8")
    assert page.count("撤下：") == len(urls)
    assert "撤下" not in (published / "docs" / "feed.xml").read_text(encoding="utf-8")  # corrections only


def test_a_broken_update_log_is_refused_with_its_name(published: Path) -> None:
    (published / "published-updates.yml").write_text("- date: '2024-03-02'\n  kind: rumour\n  url: 2023/06/\n",
                                                     encoding="utf-8")  # fmt: skip
    result = _run(published, "build", "--no-site", ok=False)
    assert result.returncode == 1
    assert "published-updates.yml: entry 1: expected kind correction" in result.stderr


def test_changes_since_takes_pieces_only_where_it_compares_and_reports_as_a_whole_snapshot(conversion) -> None:  # type: ignore[no-untyped-def]
    from converter.render.changes import changes_since, compare, snapshot

    corpus = conversion.corpus
    full = snapshot(corpus)
    urls = list(full["documents"])
    edited = json.loads(json.dumps(full))
    docs = edited["documents"]
    del docs[urls[0]]  # added since
    docs["1999/01/" + urls[1].rstrip("/").rsplit("/", 1)[-1] + "/"] = docs.pop(urls[1])  # moved since
    docs["1999/02/gone/"] = {"title": "去", "doc_number": None, "clauses": {}}  # removed since
    docs[urls[2]]["title"] += "旧"
    clause = next(iter(docs[urls[3]]["clauses"].values()))
    clause["hash"], clause["text"] = "0", clause["text"] + "旧"
    docs[urls[4]]["clauses"]["p99"] = {"label": "九十九、", "hash": "1", "text": "旧"}
    for before in ({}, full, edited):
        assert changes_since(before, corpus) == compare(before, snapshot(corpus))
    assert [c["url"] for c in changes_since(edited, corpus)["changed"]] == sorted(urls[1:5])
