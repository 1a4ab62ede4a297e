"""Run MkDocs on staged pages: `build_site` starts `python -m converter.publish.mkdocs_build` (this
module's `main`), which loads the project's `mkdocs.yml` with docs/, the site directory, strictness and
the generated navigation as `load_config` overrides, lays the staged changes to docs/ over its files (read
from where they are staged, so docs/ is never copied) and builds. Nothing is written beside mkdocs.yml
and nothing passes through the environment; `serve` runs `mkdocs serve`.

A separate process, not a call: MkDocs, Material and the Markdown extensions hold their memory and
global state (logging handlers, plugin instances) apart from the converter's.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from converter.errors import ConversionError

if TYPE_CHECKING:  # the MkDocs process does not load the converter's model (≈ 0.3 s a build)
    from converter.publish.write import Staged


def build_site(site: Path, docs: Staged, nav_file: Path, strict: bool, rebuild: Iterable[str] | None = None) -> Path:
    """Build the staged `docs` (the docs/ directory with its staged changes laid over it: nothing is copied)
    into a new temporary directory beside `site`; return it (the caller puts it in place). The navigation
    comes from `nav_file` (YAML with one `nav:` list, written under build/).

    With `rebuild` (docs/ files), only those pages and the files whose output in the published `site` is
    missing or older are built (`publish/incremental.py` decides which), with what MkDocs writes every
    time (sitemap, 404): the directory holds only the changes to `site`, to be applied
    (`write.apply_changes`)."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = site.parent / f".{site.name}-new-{os.getpid()}"  # named first: a signal never leaves it behind
    overlay = nav_file.with_name(f"{nav_file.name}.overlay.json")
    plan = {"changes": str(docs.path.resolve()), "changed": sorted(docs.changed), "removed": sorted(docs.removed),
            "base": str(site) if rebuild is not None else None, "rebuild": sorted(rebuild or ())}  # fmt: skip
    command = [sys.executable, "-m", __name__, str(Path("mkdocs.yml").resolve()), str(docs.root.resolve()),
               str(staging), str(nav_file.resolve()), "strict" if strict else "lax", str(overlay.resolve())]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    try:
        staging.mkdir(mode=0o700)
        overlay.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            raise ConversionError(f"mkdocs build failed; docs/ and site/ left as they were:\n{result.stderr.strip()}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        overlay.unlink(missing_ok=True)
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
    """`CONFIG DOCS_DIR SITE_DIR NAV_FILE strict|lax OVERLAY`: one MkDocs build of DOCS_DIR with the staged
    changes OVERLAY describes (`build_site`) laid over it; warnings and errors on stderr."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, docs_dir, site_dir, nav_file, strictness, overlay = argv
    plan = json.loads(Path(overlay).read_text(encoding="utf-8"))
    _lay_over(docs_dir, plan["changes"], set(plan["changed"]), set(plan["removed"]))
    if plan["base"] is not None:
        _only(set(plan["rebuild"]), plan["base"], (docs_dir, plan["changes"]))
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when there is one: 7× faster, same value
    nav = yaml.load(Path(nav_file).read_text(encoding="utf-8"), Loader=loader)["nav"]
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=strictness == "strict", nav=nav)
        build(config, dirty=plan["base"] is not None)
    except MkDocsException as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


def _lay_over(docs_dir: str, changes: str, changed: set[str], removed: set[str]) -> None:
    """MkDocs' files are those of `docs_dir` without `removed`, with `changed` read from `changes`, in the
    order a walk of the tree they make gives (the sitemap lists pages in that order)."""
    from mkdocs.commands import build
    from mkdocs.structure.files import File, Files, set_exclusions

    walk = build.get_files  # type: ignore[attr-defined]

    def get_files(config: Any) -> Files:
        kept = [f for f in walk(config) if f.src_uri not in removed and f.src_uri not in changed]
        new = [File(rel, changes, config["site_dir"], config["use_directory_urls"]) for rel in sorted(changed)]
        set_exclusions(new, config)
        return Files(sorted([*kept, *new], key=lambda f: walk_order(f.src_uri)))

    build.get_files = get_files  # type: ignore[attr-defined]


def walk_order(rel: str) -> tuple[tuple[int, object], ...]:
    """The place of the file `rel` in MkDocs' walk of its docs_dir: top-down, a folder's files (its index
    first) before its subfolders, each in name order."""
    *folders, name = rel.split("/")
    return (*((1, folder) for folder in folders), (0, (os.path.splitext(name)[0] not in ("index", "README"), name)))


def _only(rebuild: set[str], base: str, sources: tuple[str, ...]) -> None:
    """A dirty build writing only changes to the published site `base`: a docs/ file is built when it is in
    `rebuild`, and any file (a hand-written page, a theme's file) when its output in `base` is missing or
    older than it, as `mkdocs build --dirty` decides. The dirty-build warning, which is about MkDocs
    guessing what to rebuild (here `publish/incremental.py` decides), does not fail a strict build."""
    from mkdocs.structure.files import File

    docs = {os.path.normpath(path) for path in sources}

    def is_modified(self: File) -> bool:
        if self._content is not None or self.abs_src_path is None:
            return True
        if self.src_uri in rebuild and self.src_dir is not None and os.path.normpath(self.src_dir) in docs:
            return True
        published = os.path.join(base, self.dest_uri)
        return not os.path.isfile(published) or os.path.getmtime(published) < os.path.getmtime(self.abs_src_path)

    File.is_modified = is_modified  # type: ignore[method-assign]
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed")
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
