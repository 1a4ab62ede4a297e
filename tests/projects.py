"""Scratch copies of the project for tests that build sites or run the CLI on their own sources."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from benchmarks.harness import gongbao

REPO_ROOT = Path(__file__).resolve().parent.parent


def make_project(root: Path, sources: dict[str, str] | None = None) -> Path:
    """A scratch copy of the project (config, hooks, overrides, hand-written docs) with the given sources,
    or the repository's sources and `published-ids.json` when None; returns its root."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "hooks", "overrides", "docs"):
        src = REPO_ROOT / name
        if src.is_dir():
            # docs/: the hand-written pages only, not a previous build's generated ones.
            manifest = src / ".generated"  # what a build of the checkout generated there
            built = manifest.read_text(encoding="utf-8").split() if manifest.is_file() else []
            generated = shutil.ignore_patterns("[0-9]*", "wenhao", "api", ".generated", *built) if name == "docs" else None
            shutil.copytree(src, root / name, ignore=generated)
        else:
            shutil.copy(src, root / name)
    if sources is None:  # the repository's sources, and the ids it has published
        shutil.copytree(REPO_ROOT / "sources", root / "sources")
        shutil.copy(REPO_ROOT / "published-ids.json", root / "published-ids.json")
    else:
        (root / "sources").mkdir()
        for name, text in sources.items():
            (root / "sources" / name).write_text(text, encoding="utf-8")
    return root


def build_project(root: Path) -> Path:
    """`gongbao build` in a scratch project; returns its site directory."""
    build_messages(root)
    return root / "site"


def build_messages(root: Path) -> str:
    """`gongbao build` in a scratch project, which must succeed; returns what it said (stderr)."""
    result = gongbao("build", cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under `root` (path → SHA-256) but the sitemap, whose dates are the build's."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap.xml")
    }
