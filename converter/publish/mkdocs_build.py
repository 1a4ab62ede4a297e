"""Run MkDocs on staged pages: `build_site` starts `python -m converter.publish.mkdocs_build` (this
module's `main`), which loads the project's `mkdocs.yml` with the staged docs_dir, the site directory,
strictness and the generated navigation as `load_config` overrides, and builds. Nothing is written
beside mkdocs.yml and nothing passes through the environment; `serve` runs `mkdocs serve`.

A separate process, not a call: MkDocs, Material and the Markdown extensions hold their memory and
global state (logging handlers, plugin instances) apart from the converter's.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from converter.errors import ConversionError
from converter.publish.write import link_tree


def build_site(
    site: Path,
    docs: Path,
    nav_file: Path,
    strict: bool,
    dirty: bool = False,
    removed: Iterable[str] = (),
    skip: Iterable[str] = (),
) -> Path:
    """Build the staged `docs` into a new temporary directory beside `site`; return it (the caller swaps
    it in). The navigation comes from `nav_file` (YAML with one `nav:` list, written under build/).

    `dirty`: start from the published `site` (hard links, the outputs of `removed` docs/ files and the
    top-level entries in `skip`, which MkDocs does not make, left out) and let MkDocs rebuild only the pages whose Markdown is newer than their HTML (`publish/incremental.py`
    decides which are)."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}-new-"))
    command = [sys.executable, "-m", __name__, str(Path("mkdocs.yml").resolve()), str(docs.resolve()),
               str(staging), str(nav_file.resolve()), "strict" if strict else "lax", "dirty" if dirty else "clean"]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    try:
        if dirty:
            link_tree(site, staging, skip)
            for name in [*removed, "sitemap.xml.gz"]:  # MkDocs writes the gzip file in place
                (staging / output_of(name)).unlink(missing_ok=True)
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            raise ConversionError(f"mkdocs build failed; docs/ and site/ left as they were:\n{result.stderr.strip()}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def output_of(name: str) -> str:
    """Where MkDocs (use_directory_urls) writes a docs/ file: `a/b.md` → `a/b/index.html`."""
    if not name.endswith(".md"):
        return name
    stem = name[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def serve(dev_addr: str) -> int:
    """`mkdocs serve` on the project (the MkDocs hook reconverts sources/ when they change); its exit code."""
    env = {**os.environ, "GONGBAO_SERVE": "1"}
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr], env=env)


def main(argv: list[str]) -> int:
    """`CONFIG DOCS_DIR SITE_DIR NAV_FILE strict|lax dirty|clean`: one MkDocs build; warnings and errors on
    stderr."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, docs_dir, site_dir, nav_file, strictness, mode = argv
    if mode == "dirty":
        _never_write_through()
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    nav = yaml.safe_load(Path(nav_file).read_text(encoding="utf-8"))["nav"]
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=strictness == "strict", nav=nav)
        build(config, dirty=mode == "dirty")
    except MkDocsException as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


def _never_write_through() -> None:
    """In a staged site of hard links to the published one, every file MkDocs writes replaces its link
    (unlinked first) instead of writing into the published file; and the dirty-build warning, which is
    about `mkdocs build --dirty` guessing what to rebuild (here `publish/incremental.py` decides), does not
    fail a strict build."""
    from mkdocs import utils
    from mkdocs.structure.files import File

    def unlinking(write: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
        def replace(content_or_source: Any, output_path: str) -> None:
            target = Path(output_path)
            if target.is_dir() and not isinstance(content_or_source, bytes):
                target = target / Path(content_or_source).name
            target.unlink(missing_ok=True)
            write(content_or_source, output_path)

        return replace

    utils.write_file = unlinking(utils.write_file)  # type: ignore[assignment]
    utils.copy_file = unlinking(utils.copy_file)  # type: ignore[assignment]
    copy = File.copy_file

    def copy_file(self: File, dirty: bool = False) -> None:
        if not dirty or self.is_modified():
            Path(self.abs_dest_path).unlink(missing_ok=True)
        copy(self, dirty)

    File.copy_file = copy_file  # type: ignore[method-assign]
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed")
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
