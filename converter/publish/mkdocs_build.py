"""Run MkDocs on staged pages: `build_site` starts `python -m converter.publish.mkdocs_build` (this
module's `main`), which loads the project's `mkdocs.yml` with docs/, the site directory, strictness and
the generated navigation as `load_config` overrides, lays the staged changes to docs/ over its files (read
from where they are staged, so docs/ is never copied) and builds. A whole site of many pages is built by
several such processes side by side, each writing its share (`Share`) into the one staged site. Nothing
is written beside mkdocs.yml but the plan and the shares' anchors under build/, and nothing passes
through the environment; `serve` runs `mkdocs serve`.

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
import tempfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from converter.errors import ConversionError

ANCHOR_PROBLEM = "Doc file '{0}' contains a link '{3}', but the doc '{1}' does not contain an anchor '#{2}'."
"""MkDocs' words for a link to a missing anchor (`Page.validate_anchor_links`), said again for the links
between the shares of a site built by several processes."""


@dataclass(frozen=True, slots=True)
class Share:
    """What one of several MkDocs processes building one whole site does."""

    pages: frozenset[str]
    """The docs/ pages it builds (every page is in exactly one share)."""
    read: frozenset[str]
    """Other pages it reads and renders but does not write: those whose title only their text gives
    (untitled in the navigation) next to one of its pages, which shows that title."""

if TYPE_CHECKING:  # the MkDocs process does not load the converter's model (≈ 0.3 s a build)
    from converter.publish.write import Staged


def build_site(
    site: Path, docs: Staged, nav_file: Path, strict: bool, rebuild: Iterable[str] | None = None, shares: Sequence[Share] = ()
) -> Path:
    """Build the staged `docs` (the docs/ directory with its staged changes laid over it: nothing is copied)
    into a new temporary directory beside `site`; return it (the caller puts it in place). The navigation
    comes from `nav_file` (YAML with one `nav:` list, written under build/).

    With `rebuild` (docs/ files), only those pages and the files whose output in the published `site` is
    missing or older are built (`publish/incremental.py` decides which), with what MkDocs writes every
    time (sitemap, 404): the directory holds only the changes to `site`, to be applied
    (`write.apply_changes`). Else, with two or more `shares`, one MkDocs process a share builds the whole
    site together, at once: the same site, in the time of the largest share (`Share`)."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = site.parent / f".{site.name}-new-{os.getpid()}"  # named first: a signal never leaves it behind
    overlay = nav_file.with_name(f"{nav_file.name}.overlay.json")
    parts = list(shares) if rebuild is None and len(shares) > 1 else []
    anchors = [overlay.with_name(f"{overlay.name}.anchors-{i}.json") for i in range(len(parts))]
    plan = {"changes": str(docs.path.resolve()), "changed": sorted(docs.changed), "removed": sorted(docs.removed),
            "base": str(site) if rebuild is not None else None, "rebuild": sorted(rebuild or ()),
            "shares": [{"pages": sorted(part.pages), "read": sorted(part.read), "anchors": str(path.resolve())}
                       for part, path in zip(parts, anchors, strict=True)]}  # fmt: skip
    command = [sys.executable, "-m", __name__, str(Path("mkdocs.yml").resolve()), str(docs.root.resolve()),
               str(staging), str(nav_file.resolve()), "strict" if strict else "lax", str(overlay.resolve())]  # fmt: skip
    try:
        staging.mkdir(mode=0o700)
        overlay.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        failed = _run([[*command, str(i)] for i in range(len(parts))] or [command])
        if not failed and parts and strict:
            failed = _missing_anchors(anchors)
        if failed:
            raise ConversionError(f"mkdocs build failed; docs/ and site/ left as they were:\n{failed}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        for path in (overlay, *anchors):
            path.unlink(missing_ok=True)
    return staging


def _run(commands: list[list[str]]) -> str:
    """Run the MkDocs processes side by side; what the failed ones said (empty when none failed). Their
    messages go to files, not pipes: a process that says much while another is awaited must not block."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    logs = [tempfile.TemporaryFile() for _ in commands]
    running: list[subprocess.Popen[bytes]] = []
    try:
        running = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, env=env) for args, log in zip(commands, logs, strict=True)]
        failed = []
        for process, log in zip(running, logs, strict=True):
            if process.wait() != 0:
                log.seek(0)
                failed.append(log.read().decode("utf-8", "replace").strip())
        return "\n".join(failed)
    finally:
        for process in running:
            if process.poll() is None:  # a signal or an error here: no MkDocs outlives the build
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _missing_anchors(found: list[Path]) -> str:
    """The links from one share's pages to an anchor another share's page lacks, in MkDocs' words, as a
    strict build reports them (each process checked the links between the pages it rendered)."""
    anchors: dict[str, set[str]] = {}
    links: list[list[str]] = []
    for path in found:
        data = json.loads(path.read_text(encoding="utf-8"))
        anchors.update((page, set(ids)) for page, ids in data["anchors"].items())
        links.extend(data["links"] if data["level"] >= logging.WARNING else ())
    return "\n".join(
        "WARNING - " + ANCHOR_PROBLEM.format(*link) for link in links if link[1] in anchors and link[2] not in anchors[link[1]]
    )


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
    """`CONFIG DOCS_DIR SITE_DIR NAV_FILE strict|lax OVERLAY [SHARE]`: one MkDocs build of DOCS_DIR with the
    staged changes OVERLAY describes (`build_site`) laid over it, or of the share numbered SHARE of it;
    warnings and errors on stderr."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, docs_dir, site_dir, nav_file, strictness, overlay, *number = argv
    plan = json.loads(Path(overlay).read_text(encoding="utf-8"))
    files = _lay_over(docs_dir, plan["changes"], set(plan["changed"]), set(plan["removed"]))
    share = plan["shares"][int(number[0])] if number else None
    if share is not None:
        _share(int(number[0]), plan["shares"])
    elif plan["base"] is not None:
        _only(set(plan["rebuild"]), plan["base"], (docs_dir, plan["changes"]))
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when there is one: 7× faster, same value
    nav = yaml.load(Path(nav_file).read_text(encoding="utf-8"), Loader=loader)["nav"]
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=strictness == "strict", nav=nav)
        build(config, dirty=plan["base"] is not None or share is not None)
    except MkDocsException as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    if share is not None:
        _write_anchors(files, set(share["pages"]), config.validation.links.anchors, Path(share["anchors"]))
    return 0


def _lay_over(docs_dir: str, changes: str, changed: set[str], removed: set[str]) -> list[Any]:
    """MkDocs' files are those of `docs_dir` without `removed`, with `changed` read from `changes`, in the
    order a walk of the tree they make gives (the sitemap lists pages in that order). Returns the list
    that will hold them once MkDocs has listed them."""
    from mkdocs.commands import build
    from mkdocs.structure.files import File, Files, set_exclusions

    walk = build.get_files  # type: ignore[attr-defined]

    def get_files(config: Any) -> Files:
        kept = [f for f in walk(config) if f.src_uri not in removed and f.src_uri not in changed]
        new = [File(rel, changes, config["site_dir"], config["use_directory_urls"]) for rel in sorted(changed)]
        set_exclusions(new, config)
        listed[:] = sorted([*kept, *new], key=lambda f: walk_order(f.src_uri))
        return Files(listed)

    listed: list[File] = []
    build.get_files = get_files  # type: ignore[attr-defined]
    return listed


def walk_order(rel: str) -> tuple[tuple[int, object], ...]:
    """The place of the file `rel` in MkDocs' walk of its docs_dir: top-down, a folder's files (its index
    first) before its subfolders, each in name order."""
    *folders, name = rel.split("/")
    return (*((1, folder) for folder in folders), (0, (os.path.splitext(name)[0] not in ("index", "README"), name)))


def _only(rebuild: set[str], base: str, sources: tuple[str, ...]) -> None:
    """A dirty build writing only changes to the published site `base`: a docs/ file is built when it is in
    `rebuild`, and any file (a hand-written page, a theme's file) when its output in `base` is missing or
    older than it, as `mkdocs build --dirty` decides (here `publish/incremental.py` decides what to rebuild)."""
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
    _quiet_dirty()


def _share(number: int, shares: list[dict[str, Any]]) -> None:
    """A dirty build into the new site writing the share `number` of it: its pages, having also rendered its
    `read` ones; the files dealt to no share (static files, pages that are not Markdown) it writes when
    their name's CRC-32 says so, which deals them evenly; the first share also writes the theme's and the
    extra templates (sitemap, 404)."""
    from mkdocs.commands import build
    from mkdocs.structure.files import File

    pages, read = set(shares[number]["pages"]), set(shares[number]["read"])
    dealt = {page for share in shares for page in share["pages"]}

    def is_modified(self: File) -> bool:
        if self.src_uri in dealt:
            return self.src_uri in pages
        return zlib.crc32(self.src_uri.encode("utf-8")) % len(shares) == number

    populate = build._populate_page

    def populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        populate(page, config, files, dirty and page.file.src_uri not in read)

    File.is_modified = is_modified  # type: ignore[method-assign]
    build._populate_page = populate_page
    if number != 0:
        build._build_theme_template = _nothing
        build._build_extra_template = _nothing
    _quiet_dirty()


def _nothing(*args: Any, **kwargs: Any) -> None:
    """What a share but the first writes of the theme's and the extra templates."""


def _quiet_dirty() -> None:
    """The dirty-build warning, which is about MkDocs guessing what to rebuild (here the caller decides),
    does not fail a strict build."""
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed")
    )


def _write_anchors(files: list[Any], pages: set[str], level: int, path: Path) -> None:
    """Write to `path` the anchors of the share's `pages` and their links to anchors of pages this process
    did not render, which it could not check (`_missing_anchors` does, with every share's anchors)."""
    anchors: dict[str, list[str]] = {}
    links: list[list[str]] = []
    for file in files:
        page = file.page
        if file.src_uri not in pages or page is None or page.present_anchor_ids is None:
            continue
        anchors[file.src_uri] = sorted(page.present_anchor_ids)
        for target, named in (page.links_to_anchors or {}).items():
            if target.page is not None and target.page.present_anchor_ids is None:
                links.extend([file.src_uri, target.src_uri, anchor, link] for anchor, link in named.items())
    path.write_text(json.dumps({"level": level, "anchors": anchors, "links": links}, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
