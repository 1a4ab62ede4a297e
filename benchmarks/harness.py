"""What the benchmarks and the tests share: the `gongbao` command run in a project, and Debian's Chromium
as Playwright launches it (the flags this machine needs, written once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Without the background-networking flags Chromium's connections are refused by this closed network."""


def gongbao(
    *args: str, cwd: Path = ROOT, timeout: float | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`gongbao ARGS` in `cwd` (the project's own code, as `python -m converter.cli`), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "converter.cli", *args],
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, through Playwright (its own browser download cannot work here)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
