"""Every address and anchor of the site, spelled in one place: issue, year, document, `/wenhao/`, `/api/`,
appointment and table anchors (DESIGN.md, "URLs and ids": promises to readers, never broken).

Clause anchors are made from the printed numbering by the clause-marker table (`numbering.anchor_part`);
this module spells what is built around them. All URLs are site-relative directory URLs (`2023/06/`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from converter.docnumber import DocNumber
from converter.model import Appointment, Issue, IssueKey

API_INDEX = "api/index.json"
"""The list of every published issue and its JSON file."""
ALIASES = "api/aliases.json"
"""Old anchor → surviving anchor, per page (`link/ids.py`), read by `assets/permalinks.js`."""
BROWSE = "browse/"
"""Folder of the browse pages (by issuer, kind, year; 人事任免)."""
WENHAO_INDEX = "wenhao/"
"""The index of every published 文号."""


def issue_keys(issues: Iterable[Issue]) -> dict[str, IssueKey]:
    """Each issue's identity (by source name), from the gazette's own data, never from a file name:
    year and number (`2023/06`); while the number is not known, the publication date (`2024/0215`) or
    else a sequence in the year (`2024/x1`, `2024/x2`… in the order of the issues' latest document
    dates, then their first titles and their text), `undated/x1`… without a year. A sidecar that gives
    the number later moves the issue to `2024/03`; published-ids.json then redirects the old address."""
    keys: dict[str, IssueKey] = {}
    taken: set[str] = set()
    sequenced: dict[int | None, list[Issue]] = {}

    def unused(year: int | None, stand_in: str) -> IssueKey:
        # Two issues of one date (or a date that looks like a sequence): `0215-2`.
        key, n = IssueKey(year, None, stand_in), 1
        while key.path in taken:
            n += 1
            key = IssueKey(year, None, f"{stand_in}-{n}")
        taken.add(key.path)
        return key

    for issue in issues:
        meta = issue.meta
        if meta.year and meta.number:
            keys[issue.source.name] = IssueKey(meta.year, meta.number)
        elif meta.year and meta.published and meta.published.startswith(f"{meta.year}-"):
            keys[issue.source.name] = unused(meta.year, meta.published[5:7] + meta.published[8:10])
        else:
            sequenced.setdefault(meta.year, []).append(issue)
    for year, group in sequenced.items():
        for k, issue in enumerate(sorted(group, key=_issue_order), start=1):
            keys[issue.source.name] = unused(year, f"x{k}")
    return keys


def _issue_order(issue: Issue) -> tuple[str, str, str]:
    """Unnumbered, undated issues of one year in the order of their content: latest document date,
    first title, text hash."""
    dates = [d.date for d in issue.documents if d.date]
    titles = [d.title for d in issue.documents]
    return (max(dates, default=""), titles[0] if titles else "", issue.source.sha256)


def issue_url(key: IssueKey | str) -> str:
    """`2023/06/`"""
    return f"{key.path if isinstance(key, IssueKey) else key}/"


def year_url(folder: str) -> str:
    """`2023/`"""
    return f"{folder}/"


def document_url(key: IssueKey, slug: str) -> str:
    """`2023/06/nzbf-2023-13/`"""
    return f"{key.path}/{slug}/"


def wenhao_url(number: DocNumber) -> str:
    """`wenhao/nzbf-2023-13/`: the redirect page of a 文号."""
    return f"{WENHAO_INDEX}{number.slug}/"


def api_issue_path(key: IssueKey | str) -> str:
    """`api/issues/2023-06.json`: the JSON export of one issue."""
    path = key.path if isinstance(key, IssueKey) else key
    return f"api/issues/{path.replace('/', '-')}.json"


def appointment_anchor(appointment: Appointment, k: int) -> str:
    """The anchor of the k-th (from 1) 人事任免 decision on its page: its 文号 slug, or `appt<k>`."""
    return appointment.doc_number.slug if appointment.doc_number else f"appt{k}"


def table_anchor(k: int) -> str:
    """The k-th (from 1) table of a document page."""
    return f"table-{k}"


def row_anchor(table: str, row: int) -> str:
    """A body row of a table (from 1): `table-1-r3`."""
    return f"{table}-r{row}"


def original_pdf_url(key: IssueKey) -> str:
    """The printed original of an issue, copied into its folder: `2021/04/2021-04.pdf`."""
    return f"{key.path}/{key.path.replace('/', '-')}.pdf"


def rel_file(from_url: str, to_file: str) -> str:
    """Relative link from a directory URL to a file (`2021/04/x/` → `../2021-04.pdf`)."""
    path, _, fragment = to_file.partition("#")
    target = _relpath(path, from_url or ".")
    return f"{target}#{fragment}" if fragment else target


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site-relative directory URLs (`2023/06/x/` → `../y/`)."""
    path, _, fragment = to_url.partition("#")
    target = _relpath(path or ".", from_url or ".")
    link = "./" if target == "." else target.rstrip("/") + "/"
    return f"{link}#{fragment}" if fragment else link


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for site-relative paths, without its two `abspath` (a `getcwd` each):
    tens of thousands of links a build. A path with `..` or a leading `/` goes to `posixpath.relpath`."""
    to, here = [x for x in path.split("/") if x and x != "."], [x for x in start.split("/") if x and x != "."]
    if not path or path.startswith("/") or start.startswith("/") or ".." in to or ".." in here:
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
