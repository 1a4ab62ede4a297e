"""MkDocs hooks for gongbao: take the navigation that the converter wrote to build/nav.yml.

The converter is not a MkDocs plugin (DESIGN.md); it writes the navigation as a YAML file holding
one `nav:` list. MkDocs' INHERIT only lets a config inherit from a parent, so a generated file cannot
be merged into the hand-written mkdocs.yml that way; this hook reads it in `on_config` instead.
Without the file (e.g. `mkdocs serve` before any build) MkDocs keeps its automatic navigation. When the
config already has a navigation (`gongbao build` passes the new one to `load_config`), the hook keeps it.

Under `gongbao serve` (environment GONGBAO_SERVE=1) the hook also reconverts sources/ when a source or
sidecar is newer than the navigation, so that editing a source shows up in the live preview.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

NAV_FILE = "build/nav.yml"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Set config["nav"] from the generated nav file, if there is one."""
    root = Path(config.config_file_path or ".").resolve().parent
    nav_path = root / NAV_FILE
    if os.environ.get("GONGBAO_SERVE") == "1":
        _reconvert_if_stale(root, nav_path, config)
    if config["nav"] is not None or not nav_path.is_file():
        return config
    try:
        data: Any = yaml.safe_load(nav_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PluginError(f"{nav_path}: cannot read the generated navigation: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("nav"), list):
        raise PluginError(f"{nav_path}: expected a mapping with a 'nav:' list, found {type(data).__name__}")
    config["nav"] = data["nav"]
    # Rebuild when the converter rewrites the navigation under `mkdocs serve`.
    if str(nav_path) not in config.watch:
        config.watch.append(str(nav_path))
    return config


def _reconvert_if_stale(root: Path, nav_path: Path, config: MkDocsConfig) -> None:
    """Rerun the converter (not MkDocs) when sources/ changed since the navigation was written."""
    from converter import pipeline  # imported here: plain `mkdocs build` never needs the converter

    sources = root / "sources"
    if str(sources) not in config.watch:
        config.watch.append(str(sources))
    written = nav_path.stat().st_mtime if nav_path.is_file() else 0.0
    changed = [p for p in sources.glob("*") if p.suffix.lower() in (".txt", ".yml") and p.stat().st_mtime > written]
    if changed:
        pipeline.build(sources, root / "docs", root / "build", None)
