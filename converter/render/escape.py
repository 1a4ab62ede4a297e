"""Source text as inert HTML: every piece of source text reaches a page through `esc`."""

from __future__ import annotations

import html
import re

_SUP = re.compile(r"&lt;sup&gt;([^&<]{1,6})&lt;/sup&gt;")


def esc(text: str) -> str:
    """Source text as inert HTML; `<sup>①</sup>` footnote marks from the extraction become real ones."""
    escaped = html.escape(text, quote=True)
    return _SUP.sub(r"<sup>\1</sup>", escaped) if "<sup>" in text else escaped  # the mark needs a `<sup>`
