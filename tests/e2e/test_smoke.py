"""Smoke test of the built site in a real browser: home page, language, Chinese search."""

from __future__ import annotations

from playwright.sync_api import Page


def test_home_page_opens_and_chinese_search_finds_results(page: Page, site_url: str) -> None:
    response = page.goto(site_url)
    assert response is not None and response.ok

    assert (page.get_attribute("html", "lang") or "").startswith("zh")
    assert "宁夏回族自治区人民政府公报" in page.title()

    search = page.locator("input.md-search__input")
    search.click()
    search.fill("乡村振兴")
    # The header search box (overrides/partials/gb-search.html) searches on input.

    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    shown = page.locator(".md-search-result").inner_text()
    assert "乡村振兴" in shown
