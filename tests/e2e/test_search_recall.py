"""Search recall in a real browser: every document whose printed text holds a run of Chinese characters is
listed for it on the results page (/search/?q=…), paged through to the last result. The runs are drawn
at random (fixed seed) from the built site's document pages, 2–8 characters starting anywhere, so they
cross word boundaries; the issue's phrases are checked too. Also: excerpts never mark a single character
nor start with stray punctuation, they start where a sentence or clause of the document starts and join
nothing with an English ". ", and the filters narrow the list."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

ISSUE_PHRASES = ("营商环境", "优化营商环境", "高质量发展", "固原", "宁东")
DRAWN = 40
SEED = 15
HAN_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff]{2,}")
# Parts of a document page that are not the document's text: the facts panel, ¶ links, cited-by list,
# a table row's back-reference and the search marker.
SKIP_CLASSES = {"gb-meta", "headerlink", "gb-cited-by", "gb-rowref", "gb-search-data", "gb-print-url"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"}


class _ArticleText(HTMLParser):
    """The text of a page's <article>, without SKIP_CLASSES and the 被引用 heading; blocks on lines."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <article>
        self.skip = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        if tag in VOID:
            self.parts.append("\n")
            return
        skipped = bool(SKIP_CLASSES & set((a.get("class") or "").split())) or a.get("id") == "cited-by"
        skipped = skipped or tag in ("script", "style")
        self.stack.append(skipped)
        self.skip += skipped
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack:
            self.skip -= self.stack.pop()
        if tag == "article":
            self.depth -= 1
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


@pytest.fixture(scope="module")
def texts(built_site: Path) -> dict[str, str]:
    """Site-relative URL of each document page → its article text."""
    out = {}
    for page in sorted(built_site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if "data-gb-search-doc" not in html:
            continue
        parser = _ArticleText()
        parser.feed(html)
        out[page.parent.relative_to(built_site).as_posix() + "/"] = "".join(parser.parts)
    assert len(out) > 10
    return out


def _drawn(texts: dict[str, str]) -> list[str]:
    rng = random.Random(SEED)
    runs = [run for text in texts.values() for run in HAN_RUN.findall(text)]
    phrases: list[str] = []
    while len(phrases) < DRAWN:
        run = rng.choice(runs)
        size = min(len(run), rng.randint(2, 8))
        start = rng.randrange(len(run) - size + 1)
        phrases.append(run[start : start + size])
    return phrases


def _all_results(page: Page, site_url: str, query: str, filters: str = "") -> list[str]:
    page.goto(f"{site_url}search/?q={quote(query)}{filters}")
    page.wait_for_function(
        "() => document.querySelector('.gb-search-list .md-search-result__item')"
        " || document.querySelector('#gb-results.gb-search-empty')"
    )
    for _ in range(100):
        more = page.locator("#gb-results .gb-search-next button")
        if not more.count():
            break
        before = page.locator("#gb-results .md-search-result__link").count()
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#gb-results .md-search-result__link').length > {before}"
            " || !document.querySelector('#gb-results .gb-search-next')"
        )
    hrefs = page.locator("#gb-results .md-search-result__link").evaluate_all("ls => ls.map((a) => a.href)")
    for text in page.locator("#gb-results mark").all_inner_texts():
        assert len(text) >= 2, f"{query}: a single character is marked: {text!r}"
    for text in page.locator("#gb-results .md-search-result__article > p:last-child").all_inner_texts():
        assert not re.match(r"[，。；：、）)\].,]", text), f"{query}: the excerpt starts with punctuation: {text!r}"
    return [urlsplit(h).path.removeprefix(urlsplit(site_url).path) for h in hrefs]


def test_every_document_that_prints_a_phrase_is_listed(page: Page, site_url: str, texts: dict[str, str]) -> None:
    missing = {}
    for query in [*ISSUE_PHRASES, *_drawn(texts)]:
        expected = {url for url, text in texts.items() if query in text}
        assert expected, query
        listed = _all_results(page, site_url, query)
        assert len(listed) == len(set(listed)), f"{query}: a document is listed twice"
        if lost := expected - set(listed):
            missing[query] = sorted(lost)
    assert not missing, missing


# What may come right before the start of an excerpt in the document's text: the start of a block, the end
# of a sentence or clause, or a closing bracket (a stray one is dropped from the excerpt).
BOUNDARY = "\n。；！？，：、）)】」』》"


def test_excerpts_start_at_a_sentence_or_clause_boundary(page: Page, site_url: str, texts: dict[str, str]) -> None:
    checked = 0
    for query in (*ISSUE_PHRASES, "发展", "建设", "要求", "等发展模式", "民币结算便", "闻报道工作"):  # the last three: deep in a long clause
        page.goto(f"{site_url}search/?q={quote(query)}")
        page.locator("#gb-results .md-search-result__item").first.wait_for()
        for link in page.locator("#gb-results .md-search-result__link").all():
            url = urlsplit(link.get_attribute("href") or "").path.removeprefix(urlsplit(site_url).path)
            text = texts[url]
            for excerpt in link.locator(".md-search-result__article > p:not(.gb-search-facts)").all_inner_texts():
                assert ". " not in excerpt, f"{query}: {excerpt!r}"
                assert not excerpt.startswith("…"), f"{query}: the excerpt starts inside a clause: {excerpt!r}"
                head = re.sub(r"\s+", "", excerpt.split("…")[0])[:6]
                where = re.compile(r"\s*".join(map(re.escape, head)))
                starts = [m.start() for m in where.finditer(text)]
                assert starts, f"{query}: {head!r} is not in {url}"
                assert any(k == 0 or text[:k].rstrip(" \t")[-1:] in BOUNDARY for k in starts), (
                    f"{query}: {excerpt!r} does not start a sentence or clause of {url}"
                )
                checked += 1
    assert checked > 20


def test_the_results_page_filters_by_year_issuer_and_kind(page: Page, site_url: str, texts: dict[str, str]) -> None:
    everything = _all_results(page, site_url, "高质量发展")
    by_year = _all_results(page, site_url, "高质量发展", "&year=2022")
    assert by_year and set(by_year) < set(everything)
    assert all(url.startswith("2022/") for url in by_year)
    assert page.locator("select[name=year]").input_value() == "2022"
    by_kind = _all_results(page, site_url, "高质量发展", "&kind=appointments")
    assert not by_kind
    by_issuer = _all_results(page, site_url, "高质量发展", "&issuer=bgt")
    assert by_issuer and set(by_issuer) < set(everything)


def test_no_exact_match_says_so_and_offers_the_nearest_phrases(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}search/?q={quote('营商环境量子纠缠')}")
    status = page.locator("#gb-results .gb-search-status")
    page.wait_for_function("() => document.querySelector('#gb-results.gb-search-empty')")
    assert "没有找到包含“营商环境量子纠缠”的文件" in status.inner_text()
    offered = status.locator("a.gb-search-near").all_inner_texts()
    assert offered and offered[0] == "营商环境", offered
    for phrase in offered:  # each one offered is printed as such in some document
        assert _all_results(page, site_url, phrase), phrase
    page.goto(f"{site_url}search/?q={quote('营商环境量子纠缠')}")
    page.wait_for_function("() => document.querySelector('#gb-results.gb-search-empty')")
    status.locator("a.gb-search-near").first.click()
    page.locator("#gb-results .md-search-result__item").first.wait_for()
    assert page.locator("#gb-results .gb-search-status").inner_text().startswith("找到 3 个文件")
