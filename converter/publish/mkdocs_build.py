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
from pathlib import Path

import yaml

from converter.errors import ConversionError


def build_site(site: Path, docs: Path, nav_file: Path, strict: bool) -> Path:
    """Build the staged `docs` into a new temporary directory beside `site`; return it (the caller swaps
    it in). The navigation comes from `nav_file` (YAML with one `nav:` list, written under build/)."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}-new-"))
    command = [sys.executable, "-m", __name__, str(Path("mkdocs.yml").resolve()), str(docs.resolve()),
               str(staging), str(nav_file.resolve()), "strict" if strict else "lax"]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            raise ConversionError(f"mkdocs build failed; docs/ and site/ left as they were:\n{result.stderr.strip()}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def serve(dev_addr: str) -> int:
    """`mkdocs serve` on the project (the MkDocs hook reconverts sources/ when they change); its exit code."""
    env = {**os.environ, "GONGBAO_SERVE": "1"}
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr], env=env)


def main(argv: list[str]) -> int:
    """`CONFIG DOCS_DIR SITE_DIR NAV_FILE strict|lax`: one MkDocs build; warnings and errors on stderr."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, docs_dir, site_dir, nav_file, strictness = argv
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    nav = yaml.safe_load(Path(nav_file).read_text(encoding="utf-8"))["nav"]
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=strictness == "strict", nav=nav)
        build(config)
    except MkDocsException as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
