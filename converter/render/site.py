"""The one entry of the render stage: a linked `Corpus` → every generated file under docs/ (path → text)
and the navigation. Each kind of page is its own module; this one only says where each goes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import yaml

from converter.model import Corpus, PublishedIssue
from converter.render.browse import (
    Memo,
    appointment_rows,
    appointments_index,
    browse_index,
    by_issuer,
    by_kind,
    by_year,
    home,
    made,
)
from converter.render.document import render_document
from converter.render.export import api_index, issue_json
from converter.render.feed import feed
from converter.render.issue import render_issue, render_issue_list, render_year
from converter.render.opendata import (
    CITATIONS_CSV,
    CITATIONS_JSON,
    citations_csv,
    citations_json,
    document_data,
    document_data_path,
)
from converter.render.search import SEARCH_PAGE, search_page
from converter.render.status import by_status
from converter.render.text import dump_json, issue_label
from converter.render.updates import UPDATES_PAGE, updates_page
from converter.render.wenhao import redirect_files, render_wenhao
from converter.urls import API_INDEX, BROWSE, api_issue_path, original_pdf_url


def issue_files(issue: PublishedIssue) -> list[str]:
    """The docs/ files made from one issue alone (`render_site` with `keep` leaves them out): its page,
    its documents' pages and open data, its JSON API file."""
    paths = [f"{issue.key}/index.md", api_issue_path(issue.id)]
    for doc in issue.docs:
        paths += [f"{issue.key}/{doc.slug}.md", document_data_path(doc)]
    return paths


def issue_pages(issue: PublishedIssue, corpus: Corpus) -> dict[str, str]:
    """The `issue_files` of one issue, rendered: they depend on nothing but the issue."""
    files = {f"{issue.key}/index.md": render_issue(issue)}
    for doc in issue.docs:
        files[f"{issue.key}/{doc.slug}.md"] = render_document(doc, issue)
        files[document_data_path(doc)] = dump_json(document_data(doc, issue))
    files[api_issue_path(issue.id)] = dump_json(issue_json(issue.issue, corpus))
    return files


PageMap = Callable[[list[PublishedIssue]], Iterable[dict[str, str]]]
"""Renders issues (`issue_pages` of each, in order): serially, or in worker processes (`pipeline`)."""


def render_site(
    corpus: Corpus,
    published: Mapping[str, object],
    updates: Sequence[Mapping[str, Any]] = (),
    keep: frozenset[str] = frozenset(),
    pages: PageMap | None = None,
    memo: Memo | None = None,
) -> dict[str, str]:
    """Every generated file under docs/, keyed by path relative to docs/ (POSIX separators): issue, year
    and document pages, the 文号 redirects and index, the home and browse pages, the feed, the JSON API,
    the open data (a JSON file per document, the citation graph), the 更新记录 page of the update log
    (`updates`), and the redirects and anchor aliases that keep the ids of the last publication
    (`published`) working. The `issue_files` of the issues whose key is in `keep` are left out: the caller
    keeps them as they are (they depend on nothing but their issue). `pages` renders the others (default:
    here, one after the other); `memo` may keep an issue's part of an archive-wide page between builds
    (default: each made here)."""
    files: dict[str, str] = {}
    memo = memo or made
    issues = [p for p in corpus.issues if p.docs]
    years: dict[str, list[PublishedIssue]] = {}
    for issue in issues:
        years.setdefault(issue.id.folder, []).append(issue)
    todo = [issue for issue in issues if issue.key not in keep]
    for rendered in (pages or (lambda xs: (issue_pages(x, corpus) for x in xs)))(todo):
        files.update(rendered)
    for year, year_issues in years.items():
        files[f"{year}/index.md"] = render_year(year, year_issues)
    files["issues.md"] = render_issue_list(years)
    files.update(render_wenhao(issues))
    files[API_INDEX] = dump_json(api_index(corpus))
    files.update(
        {
            "index.md": home(issues),
            f"{BROWSE}index.md": browse_index(issues),
            f"{BROWSE}issuer.md": by_issuer(issues, memo),
            f"{BROWSE}kind.md": by_kind(issues, memo),
            f"{BROWSE}year.md": by_year(issues, memo),
            f"{BROWSE}status.md": by_status(issues),
            f"{BROWSE}appointments.md": appointments_index(issues, memo("appointments", appointment_rows)),
            "feed.xml": feed(corpus, updates=updates),
            SEARCH_PAGE: search_page(),
            UPDATES_PAGE: updates_page(updates),
            CITATIONS_CSV: citations_csv(corpus),
            CITATIONS_JSON: dump_json(citations_json(corpus)),
        }
    )
    files.update(redirect_files(published, corpus))
    return files


def originals(corpus: Corpus) -> dict[str, str]:
    """Site path → source path of every printed original PDF of the published issues (copied, not
    rendered: `publish.write.copy_originals`)."""
    return {original_pdf_url(p.id): p.issue.original_pdf[0] for p in corpus.issues if p.issue.original_pdf}


def nav(corpus: Corpus) -> list[object]:
    """The MkDocs nav: home, years (newest first) → issues → documents in printed order, the browse
    pages, the 更新记录 page, then the hand-written open-data and about pages."""
    years: dict[str, list[object]] = {}
    for published in corpus.issues:
        if not published.docs:
            continue
        year = published.id.folder
        entries: list[object] = [f"{published.key}/index.md"]
        # Nav titles reach the theme's templates unescaped: escape source text here.
        docs: list[object] = [{html.escape(doc.document.title): f"{published.key}/{doc.slug}.md"} for doc in published.docs]
        entries += _chunked(docs)
        years.setdefault(year, [f"{year}/index.md"]).append({issue_label(published): entries})
    return [
        {"首页": "index.md"},
        {"全部期刊": "issues.md"},
        *({y: e} for y, e in years.items()),
        {
            "分类浏览": [
                f"{BROWSE}index.md",
                {"按发文机关": f"{BROWSE}issuer.md"},
                {"按文件类型": f"{BROWSE}kind.md"},
                {"按年份": f"{BROWSE}year.md"},
                {"按效力": f"{BROWSE}status.md"},
                {"人事任免": f"{BROWSE}appointments.md"},
            ]
        },
        {"更新记录": UPDATES_PAGE},
        {"开放数据": "open-data.md"},
        {"说明": "about.md"},
    ]


def nav_text(site_nav: list[object]) -> str:
    """The navigation file's text (build/nav.yml, one `nav:` list): JSON, which YAML reads as flow style
    to the same value, with the characters a YAML reader refuses or takes for a line break escaped.
    Encoded in milliseconds; PyYAML's pure-Python dumper took over half a second at 720 issues. A title
    too long for a YAML key written that way (an implicit key: `_KEY_LIMIT`) is written by that dumper,
    which gives it an explicit one."""
    if any(len(_yaml_safe(json.dumps(title, ensure_ascii=False))) > _KEY_LIMIT for title in _titles(site_nav)):
        return yaml.safe_dump({"nav": site_nav}, allow_unicode=True, sort_keys=False)
    return _yaml_safe(json.dumps({"nav": site_nav}, ensure_ascii=False)) + "\n"


def _yaml_safe(text: str) -> str:
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _titles(entries: Iterable[object]) -> Iterator[str]:
    """The keys (titles) of a navigation, at every depth."""
    for entry in entries:
        if isinstance(entry, dict):
            for title, value in entry.items():
                yield title
                if isinstance(value, list):
                    yield from _titles(value)


_KEY_LIMIT = 1000
"""YAML reads an implicit key (a title written `"…": …`) of at most 1,024 characters, its quotes included."""


_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Left as they are by JSON, refused by YAML readers (C1 controls, non-characters) or read as a line
break (NEL, U+2028, U+2029); lone surrogates are not here: no text with one can be written as UTF-8."""


NAV_GROUP = 50
"""At most this many entries in one level of an issue's navigation. Every page carries the entries of
the sections it is in (navigation.prune), so an issue of thousands of documents listed flat made every
one of its pages carry them all (178 KB at 1,000 documents, quadratic in all); grouped by 50, a page
carries at most 50 per level and the levels grow with the logarithm."""


def _chunked(entries: list[object], first: int = 1) -> list[object]:
    """`entries` as they are when there are at most NAV_GROUP, else in groups `第1–50篇`, … (nested again
    when there are more than NAV_GROUP groups)."""
    if len(entries) <= NAV_GROUP:
        return entries
    size = NAV_GROUP
    while len(entries) > size * NAV_GROUP:
        size *= NAV_GROUP
    groups: list[object] = []
    for start in range(0, len(entries), size):
        part = entries[start : start + size]
        low = first + start
        groups.append({f"第{low}–{low + len(part) - 1}篇": _chunked(part, low)})
    return groups

