"""Every address and anchor of the site, spelled in one place: issue, year, document, `/wenhao/`, `/api/`,
appointment and table anchors (DESIGN.md, "URLs and ids": promises to readers, never broken).

Clause anchors are made from the printed numbering by the clause-marker table (`numbering.anchor_part`);
this module spells what is built around them. All URLs are site-relative directory URLs (`2023/06/`).
"""

from __future__ import annotations

import posixpath

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


def issue_key(issue: Issue) -> IssueKey:
    """The issue's identity from its cover data; the source file's stem stands in for a missing number."""
    meta = issue.meta
    return IssueKey(meta.year, meta.number, "" if meta.year and meta.number else issue.source.name.rsplit(".", 1)[0])


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


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site-relative directory URLs (`2023/06/x/` → `../y/`)."""
    path, _, fragment = to_url.partition("#")
    target = posixpath.relpath(path or ".", from_url or ".")
    link = "./" if target == "." else target.rstrip("/") + "/"
    return f"{link}#{fragment}" if fragment else link
