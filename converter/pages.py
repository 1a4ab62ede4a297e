"""Corpus-wide pages beyond issues and documents: indexes, feeds, open data (path under docs/ → text)."""

from __future__ import annotations

from converter.model import Corpus


def pages(corpus: Corpus) -> dict[str, str]:
    """Generated pages and files under docs/."""
    return {}


def nav_entries(corpus: Corpus) -> list[object]:
    """Navigation entries for the pages above, placed after the years."""
    return []
