"""A reader in real Chromium: home → year → issue → document → clause → next document, the page outline,
light and dark, printing, the 人事任免 table, the 404 page, and screenshots at desktop and phone sizes
(written to tests/e2e/screenshots/, git-ignored, kept by CI as artefacts: look at them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from site_pages import READER_PAGES

SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
PAGES = READER_PAGES


def test_walk_from_home_to_a_clause_and_on_to_the_next_document(page: Page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".gb-years a.gb-year", has_text="2023年").click()
    expect(page).to_have_url(site_url + "2023/")

    page.locator("ul.gb-issues a", has_text="2023年第6期").click()
    expect(page).to_have_url(site_url + "2023/06/")
    expect(page.locator("h1")).to_contain_text("2023年第6期")

    page.locator("ul.gb-toc a").first.click()
    expect(page).to_have_url(site_url + "2023/06/ndf-2023-1/")
    expect(page.locator("h1")).to_contain_text("乡村振兴")

    # The right-hand outline lists the clauses; following one scrolls its heading into view.
    outline = page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
    expect(outline.first).to_be_visible()
    link = outline.filter(has_text="总体要求").first
    target = (link.get_attribute("href") or "").split("#")[1]
    link.click()
    expect(page).to_have_url(re.compile(re.escape("#" + target) + "$"))
    expect(page.locator(f"[id='{target}']")).to_be_in_viewport()

    # Material's footer leads to the next page in the navigation: the next document of the issue.
    page.locator("a.md-footer__link--next").click()
    expect(page).to_have_url(site_url + "2023/06/nzbf-2023-13/")
    expect(page.locator("h1")).to_contain_text("新型工业强区")


def test_home_shows_the_latest_issue_and_every_link_on_it_works(page: Page, site_url: str) -> None:
    page.goto(site_url)
    card = page.locator(".gb-cover-card")
    expect(card).to_contain_text("宁夏回族自治区人民政府公报")
    # The latest numbered issue, 2023年第6期: its printed 目录, two sections of one document each.
    expect(page.locator("#latest-toc ~ p.gb-toc-section")).to_have_count(2)
    expect(page.locator("#latest-toc ~ ul.gb-toc li")).to_have_count(2)
    hrefs = page.eval_on_selector_all(".md-content a[href]", "els => els.map(a => a.href)")
    assert len(hrefs) >= 15
    for href in sorted(set(hrefs)):
        if href.startswith(site_url):
            response = page.request.get(href.split("#")[0])
            assert response.ok, f"home links to {href}: HTTP {response.status}"


def test_light_and_dark_palettes_switch(browser: Browser, site_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", color_scheme="light"
    )
    try:
        page = context.new_page()
        page.goto(site_url + "2023/06/nzbf-2023-13/")
        body = page.locator("body")
        expect(body).to_have_attribute("data-md-color-scheme", "default")
        light = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.locator("label.md-header__button[title='切换到深色模式']").click()
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
        dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert light != dark
        # The choice is remembered on the next page.
        page.goto(site_url + "2023/06/")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        page.locator("label.md-header__button[title='切换到浅色模式']").click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    finally:
        context.close()


def test_printing_hides_the_navigation_and_shows_the_page_address(page: Page, site_url: str) -> None:
    page.goto(site_url + "2021/04/nzbf-2021-3/")
    expect(page.locator(".gb-print-url")).to_be_hidden()
    page.emulate_media(media="print")
    for selector in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".headerlink",
    ):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".gb-print-url")).to_be_visible()
    expect(page.locator(".gb-print-url")).to_contain_text("/2021/04/nzbf-2021-3/")


def test_appointments_table_sorts_by_column(page: Page, site_url: str) -> None:
    page.goto(site_url + "browse/appointments/")
    rows = page.locator(".gb-sortable tbody tr")
    assert rows.count() >= 100

    def column(n: int, attribute: str | None = None) -> list[str]:
        script = f"els => els.map(td => {'td.dataset.sort' if attribute else 'td.textContent'})"
        return list(page.eval_on_selector_all(f".gb-sortable tbody td:nth-child({n})", script))

    date = page.locator(".gb-sortable th", has_text="日期")
    date.locator("button").click()
    expect(date).to_have_attribute("aria-sort", "ascending")
    assert column(5, "sort") == sorted(column(5, "sort"))
    date.locator("button").click()
    expect(date).to_have_attribute("aria-sort", "descending")
    assert column(5, "sort") == sorted(column(5, "sort"), reverse=True)

    kind = page.locator(".gb-sortable th", has_text="任免")
    kind.locator("button").focus()
    page.keyboard.press("Enter")
    expect(kind).to_have_attribute("aria-sort", "ascending")
    expect(date).not_to_have_attribute("aria-sort", re.compile("."))
    kinds = column(2)
    assert kinds == sorted(kinds, key=kinds.index) and len(set(kinds)) == 4  # grouped: 免 晋升 提名 任

    # Each 文号 leads to its decision on the appointments page.
    link = rows.first.locator("td:nth-child(6) a")
    anchor = (link.get_attribute("href") or "").split("#")[1]
    link.click()
    expect(page.locator(f"h2#{anchor}")).to_be_in_viewport()


def test_404_page_offers_search(page: Page, site_url: str) -> None:
    page.goto(site_url + "404.html")
    expect(page.locator("h1")).to_have_text("页面不存在")
    page.get_by_label("搜索本站").fill("乡村振兴")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4$"))


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        color_scheme="light",
        is_mobile=width < 600,
    )
    try:
        yield request.param, context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot_without_horizontal_overflow(
    name: str, sized_page: tuple[str, Page], site_url: str
) -> None:
    size, page = sized_page
    page.goto(site_url + PAGES[name])
    page.evaluate("document.fonts.ready")
    SCREENSHOTS.mkdir(exist_ok=True)
    width, height = VIEWPORTS[size]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}x{height}.png"))
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{PAGES[name] or 'home'} at {width}px is {overflow}px too wide"


def test_the_source_lines_are_folded_away_until_asked_for(page: Page, site_url: str) -> None:
    """The metadata panel's 来源 (extraction file and lines) is for editors: folded, opened by a click."""
    page.goto(site_url + "2023/06/nzbf-2023-13/")
    source = page.locator("dl.gb-doc details.gb-source")
    expect(source).to_have_count(1)
    expect(source.locator("summary")).to_be_visible()
    lines = source.locator("span")
    expect(lines).to_contain_text("2023-06.txt：第")
    expect(lines).to_be_hidden()
    source.locator("summary").click()
    expect(lines).to_be_visible()
