"""Hostile and clumsy input (issue 18): each test drives the real CLI in a scratch copy of the project with
one tiny source (`hostile_cli.TINY`), so the whole suite stays fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import TINY
from projects import make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project with one tiny source, `sources/a.txt`."""
    return make_project(tmp_path / "project", {"a.txt": TINY})
