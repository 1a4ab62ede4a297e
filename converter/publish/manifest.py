"""The id manifest of the last publication on disk: `published-ids.json` read and written (what it holds
and how it bridges moved ids is `link/ids.py`'s)."""

from __future__ import annotations

import json
from pathlib import Path

from converter.link.ids import published
from converter.model import Corpus

PUBLISHED_IDS = Path("published-ids.json")
"""Where the manifest lives: in the repository, committed after each publication."""


def read_published(path: Path = PUBLISHED_IDS) -> dict[str, object]:
    """The previous manifest from `path`, or an empty one when there is no such file."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data) if isinstance(data, dict) else {}


def write_published(corpus: Corpus, path: Path = PUBLISHED_IDS) -> None:
    """Write `published(corpus, what path holds)` to `path`: every id published before stays promised."""
    data = published(corpus, read_published(path))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
