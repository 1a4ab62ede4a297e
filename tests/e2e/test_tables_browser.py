"""The rebuilt replication table in a real browser: a data table on desktop, one card per row on a
phone, no cell too narrow to read. Screenshots go to tests/e2e/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).parent / "screenshots"
DOCUMENT = "2024/x1/nzbf-2023-54/"
MIN_CELL_PX = 40


@pytest.mark.parametrize("width", [1280, 390])
def test_replication_table_reads_at_desktop_and_phone_width(page: Page, site_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site_url + DOCUMENT)
    assert response is not None and response.ok
    table = page.locator(".gb-table table").first
    table.scroll_into_view_if_needed()
    assert table.locator("tbody > tr").count() == 13
    assert table.locator("thead th").count() == 7
    assert table.locator("tbody > tr").first.locator("td").count() == 7
    widths = table.locator("tbody td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
    assert min(widths) >= MIN_CELL_PX, f"narrowest cell {min(widths)} px at {width} px"
    if width < 600:
        # Phone: cards, each cell labelled with its column, nothing wider than the screen.
        labels = table.locator("tbody td").first.evaluate("c => getComputedStyle(c, '::before').content")
        assert "序号" in labels
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"table-{width}.png"))
    table.screenshot(path=str(SCREENSHOTS / f"table-{width}-element.png"))


def test_row_and_clause_link_both_ways(page: Page, site_url: str) -> None:
    page.goto(site_url + DOCUMENT)
    page.locator("#table-1-r3 a.gb-rowlink").first.click()
    page.wait_for_url("**#encl-p2-3")
    page.locator("#encl-p2-3 ~ .gb-rowref a, .gb-rowref a[href='#table-1-r3']").first.click()
    page.wait_for_url("**#table-1-r3")
