"""Corpus-wide pages beyond issues and documents: home, indexes, feed (path under docs/ → text), and their nav."""

from __future__ import annotations

from converter.model import Corpus

BROWSE = "browse"
"""Folder of the browse pages (by issuer, kind, year; 人事任免), keep in step with converter/browse.py."""


def pages(corpus: Corpus) -> dict[str, str]:
    """Generated pages and files under docs/: the home page, the browse pages and `feed.xml`."""
    # Imported here, not at the top: render imports this module (nav_entries) and browse imports render.
    from converter.render.browse import appointments_index, browse_index, by_issuer, by_kind, by_year, home
    from converter.render.document import GAZETTE, issue_label
    from converter.render.feed import feed

    issues = [p for p in corpus.issues if p.docs]
    return {
        "index.md": home(issues),
        f"{BROWSE}/index.md": browse_index(issues),
        f"{BROWSE}/issuer.md": by_issuer(issues),
        f"{BROWSE}/kind.md": by_kind(issues),
        f"{BROWSE}/year.md": by_year(issues),
        f"{BROWSE}/appointments.md": appointments_index(issues),
        "feed.xml": feed(corpus, GAZETTE, {p.key: issue_label(p) for p in issues}),
    }


def nav_entries(corpus: Corpus) -> list[object]:
    """Navigation entries placed after the years: the browse pages, then the hand-written open-data page.

    The home page (`index.md`, generated above) is already first in site.nav.
    """
    return [
        {
            "分类浏览": [
                f"{BROWSE}/index.md",
                {"按发文机关": f"{BROWSE}/issuer.md"},
                {"按文件类型": f"{BROWSE}/kind.md"},
                {"按年份": f"{BROWSE}/year.md"},
                {"人事任免": f"{BROWSE}/appointments.md"},
            ]
        },
        {"开放数据": "open-data.md"},
    ]
