"""axe-core in real Chromium on the pages readers use most, light and dark, desktop and phone: no serious or
critical violation, in our markup (the page content, our overrides and CSS) or in Material's chrome.

axe-core comes with the `axe-playwright-python` package (the `test` extra), so this runs offline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from site_pages import READER_PAGES

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install -e '.[test]'")

PAGES = {
    **READER_PAGES,
    "issuer": "browse/issuer/",
    "open-data": "open-data/",
    "404": "404.html",
}
SERIOUS = {"serious", "critical"}

# (rule, CSS selector of the offending element) that cannot be fixed from our files, with the reason.
NOT_OURS: set[tuple[str, str]] = set()

# Violations in our markup that are still to be fixed outside this test's files, as
# {(rule, selector): page name}. Each must still occur: when it is fixed, this test fails until the entry
# is removed. None at the moment.
KNOWN: dict[tuple[str, str], str] = {}

# Is the element at `target` (axe's selector) inside, or itself, an element matching `selector`?
_WITHIN = """([selector, target]) => {
  const el = document.querySelector(target);
  return !!el && !!el.closest(selector);
}"""


@pytest.fixture(scope="module")
def axe() -> object:
    return axe_sync.Axe()


# axe takes 3–10 s a page (colour contrast): every page light on a desktop, a few dark and on a phone.
CASES = [("light", 1280, name) for name in PAGES] + [
    ("dark", 1280, "home"),
    ("dark", 1280, "replication-table"),
    ("dark", 1280, "open-data"),
    ("dark", 1280, "404"),
    ("light", 390, "home"),
    ("light", 390, "appointments"),
]


@pytest.fixture
def context_for(browser: Browser) -> Iterator[Callable[[str, int], Page]]:
    contexts: list[BrowserContext] = []

    def make(scheme: str, width: int) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            locale="zh-CN",
            color_scheme=scheme,
            is_mobile=width < 600,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


def _violations(page: Page, axe: object) -> list[tuple[str, str, str]]:
    """(rule, impact, first target selector) of every serious or critical violation node."""
    results = axe.run(page)  # type: ignore[attr-defined]
    return [
        (v["id"], v["impact"], str(node["target"][0]))
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


def _is(page: Page, selector: str, target: str) -> bool:
    return bool(page.evaluate(_WITHIN, [selector, target]))


@pytest.mark.parametrize(("scheme", "width", "name"), CASES, ids=[f"{n}-{s}-{w}" for s, w, n in CASES])
def test_no_serious_accessibility_violation(
    scheme: str, width: int, name: str, context_for: Callable[[str, int], Page], axe: object, site_url: str
) -> None:
    page = context_for(scheme, width)
    page.goto(site_url + PAGES[name])
    page.evaluate("document.fonts.ready")
    found = _violations(page, axe)

    expected = [key for key, where in KNOWN.items() if where == name]
    for rule, selector in expected:
        assert any(r == rule and _is(page, selector, t) for r, _, t in found), (
            f"{rule} on {selector} is fixed: remove it from KNOWN in {__file__}"
        )
    ignored = NOT_OURS | set(expected)
    left = [
        (r, i, t) for r, i, t in found if not any(r == rule and _is(page, sel, t) for rule, sel in ignored)
    ]
    ours = [v for v in left if _is(page, ".md-content", v[2])]
    theirs = [v for v in left if v not in ours]
    assert not ours, f"{PAGES[name] or 'home'}: serious violations in our page content: {ours}"
    assert not theirs, (
        f"{PAGES[name] or 'home'}: serious violations in the theme around the content: {theirs}"
    )
