"""Search: what each document page adds for the search index, and the Pagefind index built over `site/`.

The site's search is Pagefind (extended build, which segments Chinese), not Material's lunr index: lunr
ships the whole text of the archive to every reader before the first query (> 5 MB past ≈300
documents, 86 MB at 5,000), Pagefind fetches only the index chunks and fragments a query needs
(≈ 200–260 KB at every size; `benchmarks/search.py` measures both). The whole setup lives in three places:

- `mkdocs.yml`: no `search` plugin (so MkDocs builds no lunr index and jieba never runs);
- this module: `search_markup` marks each document page for the index, `index_site` runs Pagefind;
- `overrides/partials/header.html` + `gb-search.html` + `overrides/assets/*/gb-search.*`: Material's
  header search box, driven by Pagefind's JS API instead of Material's search worker.

What is indexed, and how it ranks (Pagefind weighs matches in headings above body text on its own):

- Only document pages: `search_markup` puts a marker on them and `index_site` makes their
  `<article>` the Pagefind body; home, issue, 文号-redirect and other pages stay out of the index.
- The metadata panel (source file names, the gazette's name on every page) and ¶ links are ignored.
- Each 文号 of a page (its own, and those of the 人事任免 decisions on it) is one ASCII word in the
  page's metadata (`wenhao_key`). The browser reads a typed 文号 in any form (`宁政办发〔2023〕13号`,
  `宁政办发[2023]13号`, `宁政办发2023 13号`, `宁政办发 2023 13`), makes the same word and searches for it:
  the document comes first whatever else mentions the number.
- `issue` (`2023/06`) is page metadata: the browser breaks ties in favour of newer issues.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
from pathlib import Path

from converter.errors import ConversionError
from converter.render.search import DOC_MARKER

PAGEFIND_DIR = "pagefind"
"""Where the index goes, inside the site (`site/pagefind/`); the browser code loads it from there."""

IGNORED = (".gb-meta", ".headerlink", ".gb-cited-by", ".gb-print-url")
"""Parts of a document page that would only add noise to the index (CSS selectors)."""

# The article Material renders a page's content into; `index_site` makes it the Pagefind body.
# Material's article, however the page was minified (attribute quotes may be dropped).
_ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*?(?=/?>)")


def index_site(site: Path) -> None:
    """Build the Pagefind index of a freshly built site into `site/pagefind/`.

    Document pages (those `search_markup` marked) get `data-pagefind-body` on their article, so Pagefind
    indexes only their content and no other page. Fails with `ConversionError` when the extended
    Pagefind binary (Chinese segmentation) is missing or Pagefind fails.
    """
    documents = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if DOC_MARKER not in text:
            continue
        documents += 1
        if "data-pagefind-body" not in text:
            page.write_text(_ARTICLE.sub(r"\g<0> data-pagefind-body", text, count=1), encoding="utf-8")
    if not documents:
        return  # no document pages (e.g. a site of hand-written pages only): nothing to search
    command = [
        str(pagefind_binary()),
        "--site",
        str(site),
        "--output-subdir",
        PAGEFIND_DIR,
        "--exclude-selectors",
        ", ".join(IGNORED),
        "--silent",
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise ConversionError(f"pagefind failed to index {site}:\n{(result.stderr or result.stdout).strip()}")
    _check_index(site / PAGEFIND_DIR)


def _check_index(index: Path) -> None:
    """Pagefind said it succeeded: make sure (a full disk once gave exit 0 and empty index files, and a
    site whose search could not load was published)."""
    entry = index / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConversionError(f"{entry}: expected Pagefind's index, found none or a damaged one ({exc}); "
                              "is the disk full? site/ left as it was") from None  # fmt: skip
    empty = sorted(str(p.relative_to(index)) for p in index.rglob("*") if p.is_file() and p.stat().st_size == 0)
    if empty:
        raise ConversionError(f"{index}: expected a complete search index, found {len(empty)} empty file(s) "
                              f"({empty[0]}…); is the disk full? site/ left as it was")  # fmt: skip


def pagefind_binary() -> Path:
    """The extended Pagefind binary (PyPI `pagefind[extended]`): only it segments Chinese text."""
    try:
        module = importlib.import_module("pagefind_bin_extended")
        return Path(module.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise ConversionError(
            "expected the extended Pagefind binary for Chinese search, found none: "
            "pip install 'pagefind[extended]' (or pip install -e .)"
        ) from exc
