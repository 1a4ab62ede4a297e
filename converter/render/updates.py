"""The update log (`published-updates.yml`, entries as `render.changes.corrections` makes them) → the public
更新记录 page (`updates.md`, at `/updates/`) and what the feed says of each correction.

Readers see each correction as `2024-03-02 更正：宁政办发〔2024〕5号 第三条`, linked to the clause's permalink,
with the words that changed (<del>removed</del>, <ins>inserted</ins>).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from converter.render.escape import esc
from converter.render.text import front_matter
from converter.urls import rel

UPDATES_PAGE = "updates.md"
UPDATES_URL = "updates/"
KIND_LABELS = {"correction": "更正", "addition": "新增", "removal": "撤下"}
"""An entry's `kind` → how readers name it."""
_DIFF = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def who(entry: Mapping[str, Any]) -> str:
    """The document an entry is about: its 文号, else its title in 《》."""
    return str(entry["doc_number"]) if entry["doc_number"] else f"《{entry['title']}》"


def update_title(entry: Mapping[str, Any]) -> str:
    """`更正：宁政办发〔2024〕5号 第三条`, `更正：… 删去第五条`, `新增：《…》（…）`."""
    kind = KIND_LABELS[entry["kind"]]
    if entry["kind"] != "correction":
        number = f"（{entry['doc_number']}）" if entry["doc_number"] else ""
        return f"{kind}：《{entry['title']}》{number}"
    verb = {"added": "增加", "removed": "删去"}.get(entry["change"], "")
    return f"{kind}：{who(entry)} {verb}{entry['clause']}".rstrip()


def entry_ids(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """An id per entry, unique on the page and stable as entries are appended: `u-2024-03-02-<page>-<anchor>`."""
    ids: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        base = "-".join(x for x in ("u", entry["date"], entry["url"].strip("/").replace("/", "-"), entry["anchor"]) if x)
        found, n = base, 2
        while found in seen:
            found, n = f"{base}-{n}", n + 1
        seen.add(found)
        ids.append(found)
    return ids


def target(entry: Mapping[str, Any]) -> str:
    """Site-relative URL an entry links to: the clause's permalink, or the document (a removed one's old
    address redirects where the document went, when it went anywhere)."""
    return str(entry["url"]) + (f"#{entry['anchor']}" if entry["anchor"] and entry["change"] != "removed" else "")


def diff_html(diff: str) -> str:
    """`…播种面积[-和-]{+与+}产量…` as inert HTML with <del> and <ins>."""
    out, at = [], 0
    for match in _DIFF.finditer(diff):
        out.append(esc(diff[at : match.start()]))
        out.append(f"<del>{esc(match.group(1))}</del>" if match.group(1) is not None else f"<ins>{esc(match.group(2))}</ins>")
        at = match.end()
    out.append(esc(diff[at:]))
    return "".join(out)


def updates_page(entries: Sequence[Mapping[str, Any]]) -> str:
    """The 更新记录 page: every entry of the log, newest date first, in the order recorded within a date."""
    out = [
        front_matter("更新记录"),
        "# 更新记录\n\n",
        "本站文字在发布后发现与印刷版公报不符时予以更正；每次更正、新增和撤下的文件都记录在此，"
        "更正列出条款和改动的文字（<del>删去</del>、<ins>增加</ins>）。更正也见于[订阅源](feed.xml)。\n\n",
    ]
    if not entries:
        out.append("尚无更新记录。\n")
        return "".join(out)
    ids = entry_ids(entries)
    dates = sorted({e["date"] for e in entries}, reverse=True)
    for date in dates:
        out.append(f"## {date}\n\n")
        items = []
        for entry, anchor in zip(entries, ids, strict=True):
            if entry["date"] != date:
                continue
            link = f'<a href="{esc(rel(UPDATES_URL, target(entry)))}">{esc(update_title(entry))}</a>'
            about = f"（《{esc(entry['title'])}》）" if entry["kind"] == "correction" and entry["doc_number"] else ""
            diff = f'：<span class="gb-diff">{diff_html(entry["diff"])}</span>' if entry["diff"] else ""
            items.append(f'<li id="{anchor}">{link}{about}{diff}</li>')
        out.append('<ul class="gb-updates">\n' + "\n".join(items) + "\n</ul>\n\n")
    return "".join(out).rstrip("\n") + "\n"
