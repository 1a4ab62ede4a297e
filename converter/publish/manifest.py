"""The id manifest of the last publication on disk: `published-ids.json` read, validated and written (what
it holds and how it bridges moved ids is `link/ids.py`'s).

The file is input like any other: every URL in it becomes a path under docs/ and site/ (a redirect page),
so it is validated whole before anything uses it. A page URL is site-relative, made of plain ASCII
segments (`2023/06/nzbf-2023-13/`): never absolute, never `..`, never a character that means something
in HTML or a shell. Anything else is refused with `published-ids.json: expected …, found …`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from converter.errors import ConversionError, quote
from converter.link.ids import SCHEMA, published
from converter.model import Corpus

PUBLISHED_IDS = Path("published-ids.json")
"""Where the manifest lives: in the repository, committed after each publication."""

MAX_BYTES = 64 * 1024 * 1024
"""A manifest larger than this is refused (a real one is ≈ 1 KB per document)."""
_URL = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}/){1,8}")
"""A page URL: 1–8 segments of letters, digits, `_ . -`, none starting with a dot, each ending in `/`."""
_ANCHOR = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_MAX_TITLE = 2000


def read_published(path: Path = PUBLISHED_IDS) -> dict[str, object]:
    """The previous manifest from `path` (validated), or an empty one when there is no such file."""
    if not path.exists():
        return {}
    name = str(path)
    try:
        if not path.is_file():
            raise ConversionError(f"{name}: expected a regular file, found something else")
        if path.stat().st_size > MAX_BYTES:
            raise ConversionError(f"{name}: expected at most {MAX_BYTES} bytes, found {path.stat().st_size}")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"{name}: expected a readable file, found: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError(f"{name}: expected UTF-8 JSON, found byte 0x{raw[exc.start]:02X} at offset {exc.start}") from None
    if not text.strip():
        raise ConversionError(f"{name}: expected a JSON object (schema {SCHEMA}), found an empty file")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ConversionError(f"{name}: expected a JSON object (schema {SCHEMA}), found values nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ConversionError(f"{name}:{exc.lineno}: expected valid JSON (schema {SCHEMA}), found: {exc.msg}"
                              " (a truncated or hand-edited file? `gongbao publish-ids` writes it)") from None  # fmt: skip
    return validate(data, name)


def validate(data: object, name: str = str(PUBLISHED_IDS)) -> dict[str, object]:
    """`data` as a manifest: `{"schema", "pages": {url: [anchor]}, "titles": {url: title}}` (or the older
    plain `{url: [anchor]}`), every URL and anchor checked; a ConversionError naming what is wrong."""
    if not isinstance(data, dict):
        raise ConversionError(f"{name}: expected a JSON object (schema {SCHEMA}), found {_kind(data)}")
    if "schema" not in data:
        return {"schema": SCHEMA, "pages": _pages(data, name), "titles": {}}
    if data["schema"] != SCHEMA:
        raise ConversionError(f"{name}: expected schema {SCHEMA}, found {quote(repr(data['schema']))}")
    unknown = sorted(set(data) - {"schema", "pages", "titles"})
    if unknown:
        raise ConversionError(f"{name}: expected the keys schema, pages, titles, found {quote(repr(unknown[0]))}")
    pages = _pages(data.get("pages", {}), name)
    titles = data.get("titles", {})
    if not isinstance(titles, dict):
        raise ConversionError(f"{name}: expected titles to be an object of URL → title, found {_kind(titles)}")
    for url, title in titles.items():
        _url(url, name)
        if not isinstance(title, str) or len(title) > _MAX_TITLE:
            raise ConversionError(f"{name}: expected the title of {url} to be text (at most {_MAX_TITLE} "
                                  f"characters), found {quote(repr(title))}")  # fmt: skip
    return {"schema": SCHEMA, "pages": pages, "titles": dict(titles)}


def _pages(pages: object, name: str) -> dict[str, list[str]]:
    if not isinstance(pages, dict):
        raise ConversionError(f"{name}: expected pages to be an object of URL → anchors, found {_kind(pages)}")
    out: dict[str, list[str]] = {}
    for url, anchors in pages.items():
        _url(url, name)
        if not isinstance(anchors, list):
            raise ConversionError(f"{name}: expected the anchors of {url} to be a list, found {_kind(anchors)}")
        for anchor in anchors:
            if not isinstance(anchor, str) or not _ANCHOR.fullmatch(anchor):
                raise ConversionError(f"{name}: expected anchors of letters, digits and -, found "
                                      f"{quote(repr(anchor))} under {url}")  # fmt: skip
        out[url] = list(anchors)
    return out


def _url(url: str, name: str) -> None:
    if not _URL.fullmatch(url) or any(part in (".", "..") for part in url.split("/")):
        raise ConversionError(f"{name}: expected a site-relative page URL such as 2023/06/nzbf-2023-13/ "
                              f"(ASCII segments, no .., not absolute), found {quote(repr(url))}")  # fmt: skip


def _kind(value: object) -> str:
    return {list: "a list", dict: "an object", str: "text", type(None): "null"}.get(type(value), type(value).__name__)


def write_published(corpus: Corpus, path: Path = PUBLISHED_IDS) -> None:
    """Write `published(corpus, what path holds)` to `path`: every id published before stays promised."""
    data = published(corpus, read_published(path))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
