"""A linked `Corpus` → an Atom 1.0 feed (`feed.xml`) of issues and documents, with absolute URLs.

Deterministic: every date in the feed comes from the gazette (an issue's publication date, else the
latest 落款 date of its documents) or from the update log (the day a correction was published, which
the log records), never from the clock, so the same sources and log give the same file.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from converter.model import KIND_LABELS, Corpus, PublishedIssue
from converter.render.text import GAZETTE, issue_label
from converter.render.updates import UPDATES_URL, entry_ids, target, update_title
from converter.urls import issue_url

DEFAULT_SITE_URL = "https://gongbao.example.org/"
"""The same default as `site_url` in mkdocs.yml (`!ENV [GONGBAO_SITE_URL, …]`)."""
MAX_ENTRIES = 100
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TIME = "T00:00:00+08:00"
"""Gazette dates are days in China Standard Time."""
_EPOCH = "1970-01-01"


def site_url() -> str:
    """The public address of the site, ending in '/', as mkdocs.yml reads it."""
    url = os.environ.get("GONGBAO_SITE_URL") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def issue_date(published: PublishedIssue) -> str:
    """When an issue appeared: its printed date, else its latest document date, else 1 January of its year."""
    if published.issue.meta.published:
        return published.issue.meta.published
    dates = [d.document.date for d in published.docs if d.document.date]
    if dates:
        return max(dates)
    return f"{published.issue.meta.year}-01-01" if published.issue.meta.year else _EPOCH


def feed(corpus: Corpus, base: str | None = None, updates: Sequence[Mapping[str, Any]] = ()) -> str:
    """The Atom document of the newest issues and their documents, and the corrections of the update log
    (`updates`, dated when the editor published them: `2024-03-02 更正：宁政办发〔2024〕5号 第三条`)."""
    base = base or site_url()
    entries: list[tuple[str, str, int, str]] = []
    for k, (entry, anchor) in enumerate(zip(updates, entry_ids(updates), strict=True)):
        if entry["kind"] != "correction":
            continue  # a new document has its own entry; a removed one has no page to link to
        link = target(entry)
        summary = f"《{entry['title']}》" + (f"：{entry['diff']}" if entry["diff"] else "")
        xml = _entry(f"{entry['date']} {update_title(entry)}", base + link, entry["date"], None, summary, None,
                     f"{base}{UPDATES_URL}#{anchor}")  # fmt: skip
        entries.append((entry["date"], "", k, xml))
    for published in corpus.issues:
        if not published.docs:
            continue
        label = issue_label(published)
        updated = issue_date(published)
        titles = "；".join(d.document.title for d in published.docs)
        entries.append(
            (updated, published.key, 0, _entry(f"{GAZETTE} {label}", base + issue_url(published.id), updated, None,
                                               f"本期{len(published.docs)}篇：{titles}", None))
        )  # fmt: skip
        for k, doc in enumerate(published.docs, start=1):
            d = doc.document
            summary = "　".join(x for x in (str(d.doc_number or ""), label) if x)
            kind = (d.kind, KIND_LABELS[d.kind])
            entries.append(
                (updated, published.key, k, _entry(d.title, base + doc.url, updated, d.date, summary, kind))
            )
    # Newest issue first (issues of one date by key, never interleaved); within an issue the issue
    # itself, then its documents in printed order.
    entries.sort(key=lambda e: (_negate(e[0]), e[1], e[2]))
    entries = entries[:MAX_ENTRIES]
    updated = max((e[0] for e in entries), default=_EPOCH)
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
        f"<title>{_x(GAZETTE)}</title>\n"
        "<subtitle>各期公报与文件</subtitle>\n"
        f"<id>{_x(base)}</id>\n"
        f'<link rel="self" type="application/atom+xml" href="{_x(base)}feed.xml"/>\n'
        f'<link rel="alternate" type="text/html" href="{_x(base)}"/>\n'
        f"<updated>{updated}{_TIME}</updated>\n"
        "<author><name>宁夏回族自治区人民政府办公厅</name></author>\n"
    )
    return head + "".join(e[3] for e in entries) + "</feed>\n"


def _negate(date: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in date.split("-"))


def _entry(
    title: str, url: str, updated: str, published: str | None, summary: str, kind: tuple[str, str] | None,
    entry_id: str | None = None,
) -> str:
    out = [
        "<entry>",
        f"<title>{_x(title)}</title>",
        f'<link rel="alternate" type="text/html" href="{_x(url)}"/>',
    ]
    out.append(f"<id>{_x(entry_id or url)}</id>")
    out.append(f"<updated>{updated}{_TIME}</updated>")
    if published:
        out.append(f"<published>{published}{_TIME}</published>")
    if kind:
        out.append(f'<category term="{kind[0]}" label="{_x(kind[1])}"/>')
    out.append(f"<summary>{_x(summary)}</summary>")
    return "\n".join(out) + "\n</entry>\n"


def _x(text: str) -> str:
    """Text as XML character data: escaped, and without the control characters XML 1.0 forbids."""
    return html.escape(_NOT_XML.sub("", text), quote=True)
