"""What changed since the last publication: a linked `Corpus` → the snapshot of what readers have, and two
snapshots → the change report (documents added, removed or changed; clause ids added or removed; per
changed clause a small character diff), as JSON and as Markdown for the editor.

A snapshot (`gongbao/snapshot@1`) keys each document by its URL and each piece of its text by id
(`render/clauses.py`): `{"documents": {url: {"title", "doc_number", "clauses": {id: {"label", "hash",
"text"}}}}}`. `publish-ids` stores it (`published-snapshot.json`); every build compares itself with it.
A document whose URL went while one with the same last segment (its 文号 slug) came is the same
document, moved: it is reported as changed, with where it was.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Container, Mapping
from typing import Any

from converter.model import Corpus
from converter.render.clauses import pieces

SNAPSHOT = "gongbao/snapshot@1"
CHANGES = "gongbao/changes@1"
CONTEXT = 12
"""Characters of unchanged text kept on each side of a change in a diff."""
TITLE = "标题"
"""The label of a document's title when it changed (its key in a correction is the document itself)."""

Json = dict[str, Any]


def snapshot(corpus: Corpus, only: Container[str] | None = None) -> Json:
    """What readers have after this build is published: per document URL its title, 文号 and pieces (with
    `only`, the pieces of the documents at those URLs only, the others' left empty)."""
    documents: Json = {}
    for issue in corpus.issues:
        for doc in issue.docs:
            d = doc.document
            documents[doc.url] = {
                "title": d.title,
                "doc_number": str(d.doc_number) if d.doc_number else None,
                "clauses": {
                    p.id: {"label": p.citation, "hash": text_hash(p.text), "text": p.text} for p in pieces(d)
                } if only is None or doc.url in only else {},
            }  # fmt: skip
    return {"schema": SNAPSHOT, "documents": dict(sorted(documents.items()))}


def changes_since(before: Mapping[str, Any], corpus: Corpus) -> Json:
    """`compare(before, snapshot(corpus))`, taking the pieces only of the documents it compares: those
    published at the same URL before, and those that may have moved from a URL that went (`compare`'s
    rule: the same last segment). A build compares itself with the last publication every time; without
    one, or for an added issue, the pieces of the thousands of documents already published and unchanged
    are not needed."""
    old = before.get("documents", {})
    urls = [doc.url for issue in corpus.issues for doc in issue.docs]
    went = {_last(url) for url in old.keys() - set(urls)}
    return compare(before, snapshot(corpus, {url for url in urls if url in old or _last(url) in went}))


def text_hash(text: str) -> str:
    """A short, stable hash of a piece's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> Json:
    """The change report from the published snapshot `before` ({} when none) to this build's `after`."""
    old, new = dict(before.get("documents", {})), dict(after.get("documents", {}))
    gone, came = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
    moved: dict[str, str] = {}
    for url in gone:
        same = [u for u in came if _last(u) == _last(url) and u not in moved.values()]
        if len(same) == 1:
            moved[url] = same[0]
    changed = []
    for url in sorted(new):
        was_url = next((o for o, n in moved.items() if n == url), url)
        if was_url in old and (entry := _changed(old[was_url], new[url], url, None if was_url == url else was_url)):
            changed.append(entry)
    return {
        "schema": CHANGES,
        "baseline": bool(before),
        "added": [_doc(url, new[url]) for url in came if url not in moved.values()],
        "removed": [_doc(url, old[url]) for url in gone if url not in moved],
        "changed": changed,
    }


def _last(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _doc(url: str, entry: Mapping[str, Any]) -> Json:
    return {"url": url, "title": entry["title"], "doc_number": entry["doc_number"]}


def _changed(old: Mapping[str, Any], new: Mapping[str, Any], url: str, moved_from: str | None) -> Json | None:
    before, after = old["clauses"], new["clauses"]
    added = [{"id": k, "label": v["label"]} for k, v in after.items() if k not in before]
    removed = [{"id": k, "label": v["label"]} for k, v in before.items() if k not in after]
    edited = [
        {"id": k, "label": v["label"], "diff": small_diff(before[k]["text"], v["text"])}
        for k, v in after.items()
        if k in before and before[k]["hash"] != v["hash"]
    ]
    title = {"was": old["title"], "now": new["title"]} if old["title"] != new["title"] else None
    if not (added or removed or edited or title or moved_from):
        return None
    return {
        **_doc(url, new),
        "moved_from": moved_from,
        "title_changed": title,
        "clauses_added": added,
        "clauses_removed": removed,
        "clauses_changed": edited,
    }


def small_diff(old: str, new: str, context: int = CONTEXT) -> list[list[str]]:
    """A character diff as `[op, text]` runs: `=` unchanged, `-` removed, `+` inserted. Unchanged runs keep
    at most `context` characters beside a change (`…` marks what was left out)."""
    runs: list[list[str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    codes = matcher.get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(codes):
        if op == "equal":
            text = old[i1:i2]
            first, last = k == 0, k == len(codes) - 1
            if first and len(text) > context:
                text = "…" + text[-context:]
            elif last and len(text) > context:
                text = text[:context] + "…"
            elif not first and not last and len(text) > 2 * context:
                text = text[:context] + "…" + text[-context:]
            runs.append(["=", text])
            continue
        if i2 > i1:
            runs.append(["-", old[i1:i2]])
        if j2 > j1:
            runs.append(["+", new[j1:j2]])
    return runs


def diff_text(runs: list[list[str]]) -> str:
    """A diff as one line: `…播种面积[-和-]{+与+}产量…`."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in runs).replace("\n", " ")  # paragraphs: one line


def changes_markdown(changes: Mapping[str, Any]) -> str:
    """The change report as the editor reads it (build/changes.md; `gongbao check` prints it)."""
    out = ["# 自上次发布以来的变化", ""]
    if not changes["baseline"]:
        out += ["尚无发布记录（`published-snapshot.json`）：发布后运行 `gongbao publish-ids`，此后的构建在此列出与之相比的变化。",
                "", f"本次构建共 {len(changes['added'])} 篇文件。"]  # fmt: skip
        return "\n".join(out) + "\n"
    if not (changes["added"] or changes["removed"] or changes["changed"]):
        return "\n".join([*out, "与上次发布相比没有变化。"]) + "\n"
    out.append(f"新增 {len(changes['added'])} 篇，撤下 {len(changes['removed'])} 篇，改动 {len(changes['changed'])} 篇。"
               "发布后运行 `gongbao publish-ids`：改动的条款记入更新记录（读者可见的“更正”）。")  # fmt: skip
    for title, key in (("新增的文件", "added"), ("撤下的文件", "removed")):
        if changes[key]:
            out += ["", f"## {title}", ""]
            out += [f"- {_name(d)} `{d['url']}`" for d in changes[key]]
    if changes["changed"]:
        out += ["", "## 改动的文件"]
    for doc in changes["changed"]:
        out += ["", f"### {_name(doc)} `{doc['url']}`", ""]
        if doc["moved_from"]:
            out.append(f"- 地址由 `{doc['moved_from']}` 改为 `{doc['url']}`")
        if doc["title_changed"]:
            out.append(f"- {TITLE}：`{doc['title_changed']['was']}` → `{doc['title_changed']['now']}`")
        out += [f"- 新增条款 {c['label']} `#{c['id']}`" for c in doc["clauses_added"]]
        out += [f"- 删去条款 {c['label']} `#{c['id']}`" for c in doc["clauses_removed"]]
        out += [f"- {c['label']} `#{c['id']}`：`{diff_text(c['diff'])}`" for c in doc["clauses_changed"]]
    return "\n".join(out) + "\n"


def _name(doc: Mapping[str, Any]) -> str:
    number = f"（{doc['doc_number']}）" if doc["doc_number"] else ""
    return f"《{doc['title']}》{number}"


def corrections(changes: Mapping[str, Any], date: str) -> list[Json]:
    """The entries `publish-ids` adds to the update log (`published-updates.yml`) for a publication on
    `date`: a correction per changed, added or removed clause (or title) of a document readers already
    had, an addition per new document and a removal per document taken down. Nothing before the first
    publication (everything would be new)."""
    if not changes["baseline"]:
        return []
    entries: list[Json] = []

    def add(kind: str, doc: Mapping[str, Any], anchor: str = "", clause: str = "", change: str = "", diff: str = "") -> None:
        entry = {"date": date, "kind": kind, "url": doc["url"], "anchor": anchor, "doc_number": doc["doc_number"] or "",
                 "title": doc["title"], "clause": clause, "change": change, "diff": diff}  # fmt: skip
        entries.append(entry)

    for doc in changes["changed"]:
        if doc["title_changed"]:
            add("correction", doc, "", TITLE, "changed", f"[-{doc['title_changed']['was']}-]{{+{doc['title_changed']['now']}+}}")
        for c in doc["clauses_changed"]:
            add("correction", doc, c["id"], c["label"], "changed", diff_text(c["diff"]))
        for c in doc["clauses_added"]:
            add("correction", doc, c["id"], c["label"], "added")
        for c in doc["clauses_removed"]:
            add("correction", doc, c["id"], c["label"], "removed")
    for doc in changes["added"]:
        add("addition", doc)
    for doc in changes["removed"]:
        add("removal", doc)
    return entries
