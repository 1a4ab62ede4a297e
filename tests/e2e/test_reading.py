"""Reading on screen, phone and paper (issue 17), in real Chromium: tables whole at 1280 px and in print,
column widths from the content, a wide table that scrolls with a sign and a sticky first column, the
人事任免 index (no clipping, cards on a phone, a filter box), heading sizes, the Chinese footer, the home
page's title, the about page and ¶. Screenshots at 1280, 390 and in print go to tests/e2e/screenshots/
(git-ignored): look at them."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from projects import build_project, make_project
from pypdf import PdfReader
from site_pages import READER_PAGES
from static_host import serve

SCREENSHOTS = Path(__file__).parent / "screenshots"
REPLICATION = READER_PAGES["replication-table"]
FINANCE = "2022/04/nzbf-2021-94/"  # 表1, 表2: four columns of figures
A4_CSS_PX = 718  # A4 (210 mm) less Chromium's default print margins, in CSS px

# One line of text in a cell: its client rects all share one top.
_LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""


def _shot(page: Page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


# --------------------------------------------------------------------------------------------------
# Tables on screen


@pytest.mark.parametrize("path", [REPLICATION, FINANCE])
def test_tables_show_every_column_at_1280(page: Page, site_url: str, path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + path)
    for table in page.locator(".gb-table").all():
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        grid = table.locator("table").bounding_box()
        assert box and grid
        # The whole grid inside the page's content column: no scroll box, no cut column.
        assert grid["x"] >= box["x"] - 1 and grid["x"] + grid["width"] <= box["x"] + box["width"] + 1
        content = page.locator(".md-content").bounding_box()
        assert content and grid["x"] + grid["width"] <= content["x"] + content["width"] + 1
        scroll = table.locator(".md-typeset__scrollwrap").first
        assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        for cell in table.locator("thead th").all():
            cell_box = cell.bounding_box()
            assert cell_box and cell_box["x"] + cell_box["width"] <= grid["x"] + grid["width"] + 1
    # The outline moved from the right-hand column into the navigation, where it is still visible.
    expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary nav.md-nav--secondary a.md-nav__link").first).to_be_visible()
    page.locator(".gb-table").first.scroll_into_view_if_needed()
    _shot(page, f"reading-table-{path.strip('/').replace('/', '-')}-1280")


def test_short_columns_keep_figures_and_headers_on_one_line(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + FINANCE)
    table = page.locator("#table-1 table")
    expect(table.locator("thead th").nth(1)).to_have_text("2015年（末）")
    for cell in [table.locator("thead th").nth(1), table.locator("td", has_text="11316.9").first]:
        assert cell.evaluate(_LINES) == 1, f"{cell.inner_text()!r} wraps"
    # Running text still wraps in its own column instead of widening the table.
    page.set_viewport_size({"width": 1000, "height": 800})
    assert page.locator("#table-1 .md-typeset__scrollwrap").evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_table_header_sticks_under_the_site_header_while_reading(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + REPLICATION)
    table = page.locator(".gb-table table").first
    rows = table.locator("tbody tr")
    rows.nth(3).scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(100)
    head = table.locator("thead th").first.bounding_box()
    header = page.locator(".md-header").bounding_box()
    first_row = rows.first.bounding_box()
    assert head and header and first_row
    assert first_row["y"] < 0, "the first row should have scrolled away"
    assert abs(head["y"] - (header["y"] + header["height"])) <= 2


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with one ten-column table, served."""
    header = "地区\t人口（万人）\t地区生产总值（亿元）\t增速（%）\t第一产业（亿元）\t第二产业（亿元）\t第三产业（亿元）\t财政收入（亿元）\t城镇化率（%）\t备注"
    rows = [header] + [
        f"第{k}市\t{100 + k * 37.3:.1f}\t{800 + k * 211.7:.1f}\t{5 + k * 0.3:.1f}\t{60 + k * 9.1:.1f}\t"
        f"{300 + k * 51.2:.1f}\t{400 + k * 77.7:.1f}\t{50 + k * 8.8:.1f}\t{60 + k * 3.1:.1f}\t统计口径与上年一致，数据为初步核算结果"
        for k in range(1, 6)
    ]
    source = (
        "自治区人民政府办公厅关于印发各市主要经济指标的通知\n\n宁政办发〔2024〕77号\n\n"
        "各市、县（区）人民政府，自治区政府各部门、各直属机构：\n\n一、总体要求\n\n"
        "现将各市主要经济指标印发给你们，请结合实际认真贯彻落实。\n\n表1：各市主要经济指标\n\n"
        + "\n".join(rows)
        + "\n\n二、工作要求\n\n各地要按照要求做好统计工作，确保数据真实准确。\n\n"
        "宁夏回族自治区人民政府办公厅\n\n2024年1月2日\n"
    )
    root = make_project(tmp_path_factory.mktemp("wide"), {"wide.txt": source})
    with serve(build_project(root)) as url:
        yield url


def test_a_wider_table_scrolls_with_a_sign_and_a_sticky_first_column(page: Page, wide_site: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(wide_site + "wenhao/nzbf-2024-77/")
    page.wait_for_url("**/nzbf-2024-77/")
    table = page.locator(".gb-table--wide")
    expect(table.locator("thead th")).to_have_count(10)
    hint = table.locator(".gb-scroll-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("10列")
    scroll = table.locator(".md-typeset__scrollwrap")
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth + 50"), "the table should be wider than its box"
    # Keyboard users can scroll it: a focusable, labelled region.
    expect(scroll).to_have_attribute("tabindex", "0")
    expect(scroll).to_have_attribute("aria-label", "表1：各市主要经济指标")
    first = table.locator("tbody tr").first.locator("td").first
    second = table.locator("tbody tr").first.locator("td").nth(1)
    before_first, before_second = first.bounding_box(), second.bounding_box()
    scroll.focus()
    moved = scroll.evaluate("e => { e.scrollLeft = 200; return e.scrollLeft; }")
    assert moved > 50
    page.wait_for_timeout(100)
    after_first, after_second = first.bounding_box(), second.bounding_box()
    assert before_first and before_second and after_first and after_second
    assert abs(after_first["x"] - before_first["x"]) <= 1, "the first column stays in place"
    assert abs(after_second["x"] - (before_second["x"] - moved)) <= 1, "the other columns scroll"
    _shot(page, "reading-wide-table-1280")
    # On a phone the rows are cards: no sideways scrolling, no hint.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(hint).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    _shot(page, "reading-wide-table-390")
    # On paper all ten columns fit the page width, nothing sticky, no scroll box.
    page.set_viewport_size({"width": A4_CSS_PX, "height": 1000})
    page.emulate_media(media="print")
    expect(hint).to_be_hidden()
    assert scroll.evaluate("e => getComputedStyle(e).overflowX") == "visible"
    grid = table.locator("table").bounding_box()
    assert grid and grid["x"] >= 0 and grid["x"] + grid["width"] <= A4_CSS_PX + 1
    for cell in table.locator("thead th").all():
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= A4_CSS_PX + 1
    assert first.evaluate("c => getComputedStyle(c).position") == "static"
    table.screenshot(path=str(SCREENSHOTS / "reading-print-wide-table.png"))


# --------------------------------------------------------------------------------------------------
# Tables on paper


@pytest.mark.parametrize("path", [REPLICATION, FINANCE])
def test_tables_print_whole_fitted_to_the_page_with_the_header_repeated(page: Page, site_url: str, path: str) -> None:
    _print_tables(page, site_url, path)


def _print_tables(page: Page, site_url: str, path: str) -> list[int]:
    """Print `path` (print media at A4 width, then a PDF): check every table is whole and fits the paper;
    return, per table, how many printed pages carry its header row."""
    page.set_viewport_size({"width": A4_CSS_PX, "height": 1000})
    page.goto(site_url + path)
    page.emulate_media(media="print")
    for table in page.locator(".gb-table").all():
        grid = table.locator("table")
        # Every row and column is there and on the page: no scroll box, nothing wider than the paper.
        scroll = table.locator(".md-typeset__scrollwrap").first
        assert scroll.evaluate("e => getComputedStyle(e).overflowX") == "visible"
        assert scroll.evaluate("e => getComputedStyle(e).maxHeight") == "none"
        box = grid.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= A4_CSS_PX + 1
        assert scroll.evaluate("e => e.getBoundingClientRect().height >= e.scrollHeight - 1")
        for cell in grid.locator("thead th").all():
            cell_box = cell.bounding_box()
            assert cell_box and cell_box["x"] + cell_box["width"] <= A4_CSS_PX + 1
        # A table-header-group is repeated by Chromium at the top of every printed page.
        assert grid.evaluate("t => getComputedStyle(t.tHead).display") == "table-header-group"
        assert grid.evaluate("t => getComputedStyle(t.tHead.rows[0].cells[0]).position") == "static"
    name = f"reading-print-{path.strip('/').replace('/', '-')}"
    page.locator(".gb-table").first.screenshot(path=str(SCREENSHOTS / f"{name}-table.png"))
    _shot(page, name, full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(pdf)
    # The printed pages: each table's header row is on every page the table runs over, at its top.
    pages = [_plain(printed.extract_text()) for printed in PdfReader(io.BytesIO(pdf)).pages]
    spans = []
    for grid in page.locator(".gb-table table").all():
        header = _printed_as(_plain("".join(grid.locator("thead th").all_inner_texts())))
        on = [k for k, text in enumerate(pages) if header.search(text)]
        assert on, f"header {header.pattern} is not printed"
        assert on == list(range(on[0], on[-1] + 1))
        assert all(header.match(pages[k]) for k in on[1:]), "a continued table starts without its header"
        spans.append(len(on))
    return spans


def _plain(text: str) -> str:
    """Text to compare with a PDF's: compatibility forms folded (the PDF has ⾃ for 自), no white space."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _printed_as(text: str) -> re.Pattern[str]:
    """`text` as a PDF may give it back: any character may come out as a CJK radical (⻓ for 长), which
    NFKC does not fold."""
    return re.compile("".join(f"(?:{re.escape(ch)}|[\u2e80-\u2eff])" for ch in text))


@pytest.mark.parametrize(("path", "pages"), [(REPLICATION, 9), (FINANCE, 1)])
def test_a_long_table_repeats_its_header_on_every_printed_page(page: Page, site_url: str, path: str, pages: int) -> None:
    spans = _print_tables(page, site_url, path)
    assert max(spans) >= pages


# --------------------------------------------------------------------------------------------------
# The 人事任免 index


def test_appointments_index_at_1280_clips_nothing(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + READER_PAGES["appointments"])
    wrap = page.locator(".gb-appointments")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    right = wrap.evaluate("e => e.getBoundingClientRect().right")
    for link in page.locator(".gb-appointments tbody td:nth-child(6) a").all()[:20]:
        box = link.bounding_box()
        assert box and box["x"] + box["width"] <= right + 1, f"{link.inner_text()} is clipped"
        assert link.evaluate(_LINES) == 1
    _shot(page, "reading-appointments-1280")


def test_appointments_index_on_a_phone_shows_cards(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + READER_PAGES["appointments"])
    row = page.locator(".gb-appointments tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "grid"
    expect(page.locator(".gb-appointments thead")).not_to_be_in_viewport()
    # Every column of the first card is readable, labelled, and inside the screen.
    for n, label in ((3, "职务"), (5, "日期"), (6, "文号")):
        cell = row.locator(f"td:nth-child({n})")
        expect(cell).to_be_visible()
        assert label in cell.evaluate("c => getComputedStyle(c, '::before').content")
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    _shot(page, "reading-appointments-390")


def test_appointments_filter_by_name_post_number_and_year(page: Page, site_url: str) -> None:
    page.goto(site_url + READER_PAGES["appointments"])
    rows = page.locator(".gb-appointments tbody tr")
    total = rows.count()
    box = page.get_by_label("筛选")
    expect(box).to_be_visible()

    def shown() -> list[str]:
        return [r.inner_text() for r in rows.all() if r.is_visible()]

    box.fill("夏斌")
    assert len(shown()) == 1 and "夏斌" in shown()[0]
    expect(page.locator(".gb-filter-count")).to_have_text(f"显示1项，共{total}项")
    box.fill("巡视员")
    assert shown() and all("巡视员" in r for r in shown()) and len(shown()) < total
    box.fill("宁政干发[2020]14号")  # typed with ASCII brackets
    assert shown() and all("宁政干发〔2020〕14号" in r for r in shown())
    box.fill("2021")
    assert shown() and all("2021年" in r for r in shown()) and len(shown()) < total
    box.fill("2021 局长")
    assert shown() and all("2021年" in r and "局长" in r for r in shown())
    box.fill("")
    assert len(shown()) == total
    box.fill("巡视员")
    _shot(page, "reading-appointments-filter-1280")


# --------------------------------------------------------------------------------------------------
# Numbered paragraphs, headings, footer, titles, ¶


def test_a_numbered_sentence_is_a_paragraph_with_its_number_run_in(page: Page, site_url: str) -> None:
    page.goto(site_url + READER_PAGES["rules"])
    clause = page.locator("#encl-ch1-1")
    # The label runs into the sentence, drawn as body text; the id is still the printed number's.
    expect(clause).to_contain_text("一、根据《中华人民共和国宪法》")
    expect(clause).to_contain_text("制定本规则。")
    body = page.locator(".md-content p").first.evaluate("p => getComputedStyle(p).fontSize")
    assert clause.evaluate("h => getComputedStyle(h).fontSize") == body
    assert clause.evaluate("h => getComputedStyle(h).fontWeight") == "400"
    assert clause.locator(".gb-para-label").evaluate("s => getComputedStyle(s).fontWeight") == "700"
    # ¶ and 复制引用 are on it.
    clause.hover()
    expect(clause.locator("a.headerlink")).to_be_visible()
    expect(clause.locator("button.gb-copy-cite")).to_be_visible()
    clause.locator("a.headerlink").click()
    assert page.url.endswith("#encl-ch1-1")
    # The outline lists it by its first words, not a bare 一、.
    entry = page.locator("nav.md-nav--secondary a.md-nav__link[href$='#encl-ch1-1']").first
    expect(entry).to_have_text("一、根据《中华人民共和国宪法》和…")
    labels = page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link").all_inner_texts()
    assert not [t for t in labels if t.strip() in ("一、", "二、", "三、", "四、")], labels
    # A short title stays a heading.
    title = page.locator("#encl-ch3-8")
    expect(title).to_contain_text("八、坚持党的领导。")
    expect(title).not_to_have_class("gb-para")
    assert float(title.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")) > float(body.removesuffix("px"))
    clause.scroll_into_view_if_needed()
    _shot(page, "reading-numbered-paragraphs-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#encl-ch2-4").scroll_into_view_if_needed()
    _shot(page, "reading-numbered-paragraphs-390")


def test_copy_citation_of_a_numbered_paragraph(page: Page, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + READER_PAGES["rules"])
    clause = page.locator("#encl-ch2-4")
    clause.hover()
    clause.locator("button.gb-copy-cite").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("《宁夏回族自治区人民政府工作规则》（宁政发〔2023〕35号）第二章四、 http")
    assert copied.endswith("#encl-ch2-4")


def test_heading_sizes_step_down_by_level_and_never_below_the_body_text(page: Page, site_url: str) -> None:
    page.goto(site_url + READER_PAGES["long-document"])
    body = page.locator(".md-content p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    sizes = {}
    for level in range(2, 7):
        headings = page.locator(f".md-content h{level}")
        if headings.count():
            sizes[level] = headings.first.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
    assert len(sizes) >= 3, sizes
    assert all(size >= body for size in sizes.values()), (body, sizes)
    levels = sorted(sizes)
    assert all(sizes[a] >= sizes[b] for a, b in itertools.pairwise(levels)), sizes


def test_footer_is_chinese_with_publisher_contact_issn_and_a_link_to_the_about_page(page: Page, site_url: str) -> None:
    page.goto(site_url + "2023/06/")
    footer = page.locator(".md-footer")
    expect(footer).not_to_contain_text("Made with")
    expect(footer).not_to_contain_text("Material for MkDocs")
    for text in ("主办", "宁夏回族自治区人民政府办公厅", "电话", "ISSN 1008-0783", "CN 64-1062/D"):
        expect(footer).to_contain_text(text)
    footer.get_by_role("link", name="本站说明").click()
    expect(page.locator("h1")).to_contain_text("关于本站")


def test_home_page_title_names_the_site_once(page: Page, site_url: str) -> None:
    page.goto(site_url)
    assert page.title() == "宁夏回族自治区人民政府公报"
    page.goto(site_url + "about/")
    assert page.title() == "关于本站 - 宁夏回族自治区人民政府公报"


def test_about_page_says_what_the_pilcrow_does(page: Page, site_url: str) -> None:
    page.goto(site_url + "about/")
    text = page.locator(".md-content").inner_text()
    assert "地址栏" in text and "复制引用" in text and "剪贴板" in text
    # … and ¶ does that: the address becomes the clause's link.
    page.goto(site_url + "2023/06/nzbf-2023-13/")
    heading = page.locator(".md-content h2[id]").first
    heading.hover()
    heading.locator("a.headerlink").click()
    assert page.url.endswith("#" + (heading.get_attribute("id") or "-"))


# --------------------------------------------------------------------------------------------------
# The 404 page and 文号 typed in the address


@pytest.mark.parametrize(
    "typed",
    [
        "wenhao/宁政办发〔2023〕13号/",
        "wenhao/宁政办发[2023]13号",
        "wenhao/%E5%AE%81%E6%94%BF%E5%8A%9E%E5%8F%91%EF%BC%882023%EF%BC%8913%E5%8F%B7/",  # （2023）, encoded
        "no-such-page/?q=宁政办发 〔2023〕 13号",
        "no-such-page/?wenhao=宁政办发〔2023〕13号",
    ],
)
def test_a_wenhao_typed_in_the_address_or_query_goes_to_the_document(page: Page, site_url: str, typed: str) -> None:
    page.goto(site_url + typed)
    page.wait_for_url(site_url + "2023/06/nzbf-2023-13/")
    expect(page.locator("h1")).to_contain_text("新型工业强区")


def test_a_typed_appointment_number_goes_to_its_decision(page: Page, site_url: str) -> None:
    page.goto(site_url + "wenhao/宁政干发〔2020〕14号/")
    page.wait_for_url("**/#nzgf-2020-14")
    expect(page.locator("h2#nzgf-2020-14")).to_be_in_viewport()


def test_a_typed_wenhao_cited_but_not_in_the_gazette_goes_to_its_note(page: Page, site_url: str) -> None:
    page.goto(site_url + "wenhao/国函〔2019〕38号/")
    page.wait_for_url(site_url + "wenhao/#x-gh-2019-38")
    note = page.locator("#x-gh-2019-38")
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("国函〔2019〕38号")
    expect(note).to_contain_text("本公报未收录")
    # … with a link to the document that cites it.
    note.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("复制推广")


def test_an_unknown_wenhao_is_named_on_the_404_page(page: Page, site_url: str) -> None:
    response = page.goto(site_url + "wenhao/宁政办发〔2099〕1号/")
    assert response is not None and response.status == 404
    notice = page.locator("#gb-notfound")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("宁政办发〔2099〕1号")
    expect(notice).to_contain_text("本公报未收录")
    expect(page.get_by_label("搜索本站")).to_have_value("宁政办发〔2099〕1号")
    assert page.url.endswith("1%E5%8F%B7/")  # no redirect
    _shot(page, "reading-404-unknown-wenhao-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "reading-404-unknown-wenhao-390")


def test_the_404_page_without_a_wenhao_shows_no_notice(page: Page, site_url: str) -> None:
    response = page.goto(site_url + "no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    page.wait_for_timeout(300)
    expect(page.locator("#gb-notfound")).to_be_hidden()


# --------------------------------------------------------------------------------------------------
# Addresses from the gazette's data; published addresses keep working


def test_an_address_published_from_a_file_name_redirects_to_the_new_one(page: Page, site_url: str) -> None:
    old = "2024/unnumbered-002_9702a83b31063eee/"  # in published-ids.json: published before issue 17
    page.goto(site_url + old + "nzbf-2023-54/#table-1-r3")
    page.wait_for_url(site_url + "2024/x1/nzbf-2023-54/#table-1-r3")
    expect(page.locator("#table-1-r3")).to_be_in_viewport()
    page.goto(site_url + old)
    page.wait_for_url(site_url + "2024/x1/")
    # No page shows a source file's name as an address or a hash-like name as its 来源.
    for path in ("2024/x1/", "2024/x1/nzbf-2023-54/"):
        page.goto(site_url + path)
        assert "unnumbered-" not in page.content()
        assert "002_9702a83b31063eee" not in page.content()


def test_home_features_the_latest_numbered_issue_with_its_date(page: Page, site_url: str) -> None:
    page.goto(site_url)
    card = page.locator(".gb-cover-card")
    expect(card).to_contain_text("2023年　第6期")
    expect(card).to_contain_text("2023年3月31日出版")
    expect(card).not_to_contain_text("期号未印")
    expect(page.locator("#years")).to_be_visible()
    expect(page.locator(".gb-years a[href='2024/x1/']")).to_be_visible()
    _shot(page, "reading-home-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "reading-home-390")
