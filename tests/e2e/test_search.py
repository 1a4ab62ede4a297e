"""Search in a real browser, on the site built from sources/ and served on loopback: each query gives the
right document first, its link lands on the clause that holds the phrase, every typed form of a 文号
finds its document, no match shows an empty state, and nothing is fetched from beyond the local server."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page

# query → (document URL, where the first result must land: a heading whose section holds the phrase)
PHRASES = {
    "乡村振兴": "2023/06/ndf-2023-1/",  # in the titles of two documents: the newer issue first
    "告知承诺制": "2021/04/nzbf-2021-5/",
    "绿色低碳": "2022/04/nzf-2021-39/",  # in its title; also in the body of four others
    "船舶安全检查": "2024/x1/nzbf-2023-54/",  # one clause of an enclosed plan
    "夏斌": "2021/04/zzqrmzfrsr-2021/",  # 人事任免: lands on the decision naming him
}
WENHAO_FORMS = ("宁政办发〔2023〕13号", "宁政办发[2023]13号", "宁政办发2023 13号", "宁政办发 2023 13")

# The text of the section a heading anchor opens: the heading and everything up to the next heading.
_SECTION = """() => {
  const id = decodeURIComponent(location.hash.slice(1));
  const heading = document.getElementById(id);
  if (!heading || !/^H[1-6]$/.test(heading.tagName)) return null;
  let text = heading.textContent;
  for (let n = heading.nextElementSibling; n && !/^H[1-6]$/.test(n.tagName); n = n.nextElementSibling) {
    text += n.textContent;
  }
  return text;
}"""


def search(page: Page, site_url: str, query: str) -> None:
    """Open a document page, type the query into the header search box and wait for an answer."""
    page.goto(site_url + "2023/06/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__item')"
        " || document.querySelector('.md-search-result.gb-search-empty')"
    )


def first_link(page: Page) -> str:
    return page.locator(".md-search-result__item .md-search-result__link").first.get_attribute("href") or ""


def path_of(page: Page, href: str, site_url: str) -> str:
    """Site-relative path of a result link (resolved against the page), without query or fragment."""
    absolute = page.evaluate("(href) => new URL(href, location.href).href", href)
    return urlsplit(absolute).path.removeprefix(urlsplit(site_url).path)


@pytest.mark.parametrize("query", PHRASES)
def test_a_phrase_finds_its_document_first_and_lands_on_the_clause(
    page: Page, site_url: str, query: str
) -> None:
    search(page, site_url, query)
    first = page.locator(".md-search-result__item").first
    assert first.locator("mark").count() >= 1, "the excerpt highlights the hit"
    assert query in first.locator("mark").first.inner_text() or query in first.inner_text()
    assert path_of(page, first_link(page), site_url) == PHRASES[query]

    first.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(PHRASES[query])
    assert urlsplit(page.url).fragment, "the result links to a clause, not just the page"
    section = page.evaluate(_SECTION)
    assert section is not None and query in section, (
        f"#{unquote(urlsplit(page.url).fragment)}: {section!r:.200}"
    )
    # The page marks the query's words in the text.
    assert page.locator("mark.gb-search-hit").filter(has_text=query).count() >= 1


def test_a_phrase_the_browser_splits_otherwise_than_the_index_still_matches(page: Page, site_url: str) -> None:
    """营商环境: a word segmenter may split it 营|商|环境 or 营商|环境; the documents that contain it must
    be the matches whatever the segmentation (the index has no words, only character pairs)."""
    search(page, site_url, "营商环境")
    assert page.locator(".md-search-result.gb-search-empty").count() == 0
    assert page.locator(".md-search-result__meta").inner_text().startswith("找到")
    hrefs = page.locator(".md-search-result__item > .md-search-result__link").evaluate_all(
        "links => links.map((a) => a.href)"
    )
    assert hrefs
    for href in hrefs:
        page.goto(href)
        assert "营商环境" in page.locator("article").inner_text(), href


@pytest.mark.parametrize("form", WENHAO_FORMS)
def test_every_typed_form_of_a_wenhao_finds_its_document_first(page: Page, site_url: str, form: str) -> None:
    search(page, site_url, form)
    assert path_of(page, first_link(page), site_url) == "2023/06/nzbf-2023-13/"
    assert "宁政办发〔2023〕13号" in page.locator(".md-search-result__item").first.inner_text()


def test_the_wenhao_of_an_appointment_decision_lands_on_that_decision(page: Page, site_url: str) -> None:
    search(page, site_url, "宁政干发[2020]14号")
    href = first_link(page)
    assert path_of(page, href, site_url) == "2021/04/zzqrmzfrsr-2021/"
    assert href.endswith("#nzgf-2020-14")


@pytest.mark.parametrize("query", ["量子纠缠引力波", "xyzzy"])
def test_no_match_shows_an_empty_state(page: Page, site_url: str, query: str) -> None:
    search(page, site_url, query)
    empty = page.locator(".md-search-result.gb-search-empty .md-search-result__meta")
    empty.wait_for(state="visible")
    assert f"没有找到包含“{query}”的文件" in empty.inner_text()


def test_search_is_offline_and_keyboard_driven(page: Page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "2022/04/")
    page.keyboard.press("/")  # opens the search box, as in Material
    box = page.locator("input.md-search__input")
    assert box.evaluate("(el) => el === document.activeElement")
    box.fill("告知承诺制")
    page.locator(".md-search-result__item").first.wait_for()
    box.press("Enter")  # opens the first result
    page.wait_for_url("**/2021/04/nzbf-2021-5/**")
    outside = [url for url in requested if not url.startswith(site_url) and not url.startswith("data:")]
    assert not outside, outside
    assert any("/search-index/" in url for url in requested)
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()


def test_the_404_pages_search_form_opens_the_search_with_its_query(page: Page, site_url: str) -> None:
    page.goto(site_url + "404.html")  # what a web server sends for any missing path
    form = page.locator("form.gb-search-form")
    form.locator("input[name=q]").fill("告知承诺制")
    form.locator("button").click()
    page.wait_for_url("**/?q=*")
    assert page.locator("#__search").is_checked()
    assert page.locator("input.md-search__input").input_value() == "告知承诺制"
    page.locator(".md-search-result__item").first.wait_for()
    assert path_of(page, first_link(page), site_url) == "2021/04/nzbf-2021-5/"


def test_clearing_the_box_cancels_the_search_still_waiting_for_a_pause(page: Page, site_url: str) -> None:
    page.goto(site_url + "2023/06/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("dev")  # key by key: searched after a pause
    page.evaluate("document.querySelector('.gb-search form').reset()")
    page.wait_for_timeout(600)
    meta = page.locator(".md-search-result__meta").inner_text()
    assert "dev" not in meta, meta


def test_enter_opens_a_result_of_what_is_typed_not_of_the_previous_query(page: Page, site_url: str) -> None:
    search(page, site_url, "乡村振兴")
    box = page.locator("input.md-search__input")
    box.press("End")
    box.press_sequentially("量子纠缠")
    with page.expect_navigation():
        box.press("Enter")  # before the pause: the list still showed 乡村振兴's results
    # What opens is for the whole typed query (here, with no match, the results page), carrying it.
    assert "q=乡村振兴量子纠缠" in unquote(page.url), unquote(page.url)


def test_a_search_that_cannot_fetch_says_so(page: Page, site_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/search-index/d/**", lambda route: route.abort())
    search(page, site_url, "告知承诺制")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.includes('暂时不可用')")
    assert "请稍后重试" in meta.inner_text()
    assert not errors, errors
