"""What each document page carries for the search index: a marker, result metadata (issue, label, 文号)
and each 文号 as one ASCII search word (`publish/search.py` builds the index from the built pages)."""

from __future__ import annotations

import html

from converter.docnumber import DocNumber
from converter.model import PublishedDoc
from converter.render.text import year_label

DOC_MARKER = "data-gb-search-doc"
"""Attribute that marks a document page (set by `search_markup`, read by `index_site`)."""

WENHAO_KEYS = "wenhao_keys"
"""Pagefind metadata holding a page's 文号 as ASCII words (`wenhao_key`); the browser searches for them.
Not a Pagefind filter: Pagefind writes filters in a different order in every run, and the site must be
byte-identical between builds."""


def search_markup(doc: PublishedDoc) -> str:
    """Hidden HTML for a document page: the page marker, result metadata and its 文号 as search keys."""
    d = doc.document
    key = doc.issue
    label = f"{year_label(key.folder)}第{key.number}期" if key.year and key.number else year_label(key.folder)
    meta = [("issue", doc.issue_key), ("issue_label", label)]
    if d.doc_number is not None:
        meta.append(("wenhao", str(d.doc_number)))
    # 人事任免 pages hold several decisions, each with its own 文号 (and heading anchor).
    numbers = sorted({n for n in (d.doc_number, *(a.doc_number for a in d.appointments)) if n is not None})
    if numbers:
        meta.append((WENHAO_KEYS, " ".join(wenhao_key(n) for n in numbers)))
    # Values go in attributes as `key:value`: metadata is searchable but never part of an excerpt.
    # Pagefind splits an attribute at commas, so each value gets an element of its own.
    spans = "".join(f'<span data-pagefind-meta="{key}:{_attr(value)}"></span>' for key, value in meta)
    return f'<div class="gb-search-data" {DOC_MARKER} hidden>{spans}</div>'


def wenhao_key(number: DocNumber) -> str:
    """One ASCII word for a 文号, the same one `gb-search.js` makes of a 文号 typed in any form.

    `宁政办发〔2023〕13号` → `wh05b810653f0529e053d1y2023n13z`: the issuer's code points in hex, year,
    serial, and a final `z` so that serial 13 is not a prefix of serial 130 (Pagefind matches prefixes).
    Chinese text is segmented differently when indexed (Pagefind's dictionary) and when searched (the
    browser's Intl.Segmenter), so a 文号 is looked up by this word and not by its characters.
    """
    return "wh" + "".join(f"{ord(c):05x}" for c in number.issuer) + f"y{number.year}n{number.serial}z"


def _attr(value: str) -> str:
    return html.escape(value.replace(",", "，"))
