"""Clause permalinks in real Chromium: 复制引用 by keyboard, the clipboard text, 已复制 for screen readers,
opening a permalink (scrolled to and highlighted), old anchors and old URLs that moved."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from converter.render.wenhao import redirect_page

DOC = "2023/06/nzbf-2023-13/"
CLAUSE = "p3-7"  # 三、7. — an h3 well below the fold
FLASH = re.compile(r"\bgb-flash\b")
CITE = "《自治区人民政府办公厅关于深入推进新型工业强区五年计划的实施意见》（宁政办发〔2023〕13号）"


@pytest.fixture
def clip_page(browser: Browser) -> Iterator[Page]:
    """A page whose context may read and write the clipboard."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", permissions=["clipboard-read", "clipboard-write"]
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _clipboard(page: Page) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def _opacity(page: Page, selector: str) -> float:
    return float(page.eval_on_selector(selector, "el => getComputedStyle(el).opacity"))


def test_copy_clause_citation_with_the_keyboard(clip_page: Page, site_url: str) -> None:
    page = clip_page
    page.goto(site_url + DOC)
    heading = f"h3#{CLAUSE}"
    assert _opacity(page, f"{heading} .gb-copy-cite") == 0  # hidden until hovered or focused

    page.focus(f"{heading} a.headerlink")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('button.gb-copy-cite')")
    assert page.evaluate("document.activeElement.closest('h3').id") == CLAUSE
    expect(page.locator(f"{heading} .gb-copy-cite")).to_have_css("opacity", "1")
    expect(page.locator(f"{heading} a.headerlink")).to_have_css("opacity", "1")

    page.keyboard.press("Enter")
    expect(page.locator("#gb-live[aria-live]")).to_have_text("已复制")
    cite = page.get_attribute(heading, "data-cite")
    assert cite == CITE + "三、7."
    assert _clipboard(page) == f"{cite} {site_url}{DOC}#{CLAUSE}"

    # The permalink, opened in a new page: scrolled to and highlighted.
    other = page.context.new_page()
    other.goto(_clipboard(page).rsplit(" ", 1)[1])
    target = other.locator(heading)
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(FLASH)
    assert other.eval_on_selector(heading, "el => el.matches(':target')")


def test_hash_change_highlights_the_clause(page: Page, site_url: str) -> None:
    page.goto(site_url + DOC)
    page.evaluate("location.hash = '#p4-11'")
    target = page.locator("#p4-11")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(FLASH)


def test_copy_document_and_issue_citations(clip_page: Page, site_url: str) -> None:
    page = clip_page
    page.goto(site_url + DOC)
    page.locator(".gb-cite-actions button.gb-copy-cite").click()
    expect(page.locator("#gb-live")).to_have_text("已复制")
    # The 目录 prints its first page: the citation adds where the printed gazette carries it.
    assert _clipboard(page) == f"{CITE}，载《宁夏回族自治区人民政府公报》2023年第6期第10页 {site_url}{DOC}"

    page.goto(site_url + "2023/06/")
    button = page.locator("dl.gb-cover + .gb-cite-actions button")
    button.focus()
    page.keyboard.press("Space")
    expect(page.locator("#gb-live")).to_have_text("已复制")
    assert _clipboard(page) == f"《宁夏回族自治区人民政府公报》2023年第6期 {site_url}2023/06/"


def test_copy_button_shows_on_hover(page: Page, site_url: str) -> None:
    page.goto(site_url + DOC)
    page.hover(f"h3#{CLAUSE}")
    expect(page.locator(f"h3#{CLAUSE} .gb-copy-cite")).to_have_css("opacity", "1")


def test_copy_button_is_visible_and_big_enough_on_a_phone(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + DOC)
        button = page.locator(f"h3#{CLAUSE} .gb-copy-cite")
        assert _opacity(page, f"h3#{CLAUSE} .gb-copy-cite") > 0.5
        box = button.bounding_box()
        assert box is not None and box["height"] >= 40, box
    finally:
        context.close()


def test_an_old_anchor_is_sent_to_its_new_clause(page: Page, site_url: str) -> None:
    def aliases(route: Route) -> None:
        route.fulfill(json={DOC: {"p9-9": CLAUSE}})

    page.route("**/api/aliases.json", aliases)
    page.goto(site_url + DOC + "#p9-9")
    expect(page).to_have_url(f"{site_url}{DOC}#{CLAUSE}")
    expect(page.locator(f"#{CLAUSE}")).to_be_in_viewport()
    expect(page.locator(f"#{CLAUSE}")).to_have_class(FLASH)


def test_an_old_url_redirects_and_keeps_its_anchor(page: Page, site_url: str) -> None:
    old = "2023/06/nzbf-2023-99/"

    def moved(route: Route) -> None:
        route.fulfill(content_type="text/html; charset=utf-8", body=redirect_page(old, DOC))

    page.route(f"{site_url}{old}", moved)
    page.goto(f"{site_url}{old}#{CLAUSE}")
    expect(page).to_have_url(f"{site_url}{DOC}#{CLAUSE}")
    expect(page.locator(f"#{CLAUSE}")).to_be_in_viewport()
