"""Addresses and anchors (`converter/urls.py`, `model.IssueKey`): the spellings DESIGN.md promises."""

from __future__ import annotations

import pytest

from converter.docnumber import DocNumber
from converter.model import IssueKey
from converter.urls import api_issue_path, document_url, issue_url, rel, row_anchor, table_anchor, wenhao_url


def test_issue_and_document_addresses() -> None:
    key = IssueKey(2023, 6)
    assert (key.path, key.folder) == ("2023/06", "2023")
    assert issue_url(key) == "2023/06/"
    assert document_url(key, "nzbf-2023-13") == "2023/06/nzbf-2023-13/"
    assert api_issue_path(key) == "api/issues/2023-06.json"
    assert IssueKey(None, None, "x1").folder == "undated"


def test_wenhao_table_and_row_anchors() -> None:
    assert wenhao_url(DocNumber.parse("宁政办发[2023]13号")) == "wenhao/nzbf-2023-13/"
    assert table_anchor(2) == "table-2"
    assert row_anchor(table_anchor(1), 3) == "table-1-r3"


@pytest.mark.parametrize(
    ("here", "there", "link"),
    [
        ("2023/06/a/", "2023/06/b/", "../b/"),
        ("2023/06/a/", "2023/06/a/", "./"),
        ("", "2023/06/", "2023/06/"),
        ("wenhao/", "2021/04/x/#nzgf-2020-13", "../2021/04/x/#nzgf-2020-13"),
    ],
)
def test_relative_links(here: str, there: str, link: str) -> None:
    assert rel(here, there) == link
