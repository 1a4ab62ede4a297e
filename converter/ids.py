"""Permanent ids: the manifest of page URLs and clause anchors, and redirects for ones that went away."""

from __future__ import annotations

from converter.model import Corpus


def manifest(corpus: Corpus) -> dict[str, list[str]]:
    """Page URL → clause anchors of every published document."""
    return {}


def redirect_files(previous: dict[str, list[str]], corpus: Corpus) -> dict[str, str]:
    """docs/ files that keep URLs and anchors of `previous` working in this build."""
    return {}
