"""Search: what each document page adds for the search index, and the index built over `site/`."""

from __future__ import annotations

from pathlib import Path

from converter.model import PublishedDoc


def search_markup(doc: PublishedDoc) -> str:
    """Extra (hidden) HTML for a document page that helps search find it; empty for now."""
    return ""


def index_site(site: Path) -> None:
    """Build the search index over a freshly built site directory (before it is swapped in)."""
