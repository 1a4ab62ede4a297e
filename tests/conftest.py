"""Shared test options and fixtures: `--update-golden` regenerates tests/golden/ (review it as a diff).

Hypothesis runs with fixed seeds (each test's examples derived from its name), so a run, and CI, is
repeatable: `GONGBAO_HYPOTHESIS=explore scripts/test.sh` draws new examples instead (and a failure it
finds prints the example to add to the test)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from projects import build_project, make_project

from benchmarks.harness import gongbao

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
REPO_ROOT = ROOT
BUILD_TIMEOUT_S = 900

settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("GONGBAO_HYPOTHESIS", "fixed"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(SOURCES.glob("*.txt"))


@pytest.fixture(scope="session")
def conversion(sample_paths: list[Path]):  # type: ignore[no-untyped-def]
    from converter.pipeline import convert

    return convert(sample_paths)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real site from sources/ once per session with `gongbao build` and return its dir."""
    # In a scratch copy of the project: the suite never writes into the checkout's docs/, build/ or site/.
    project = make_project(tmp_path_factory.mktemp("e2e") / "project")
    site = project / "site"
    result = gongbao("build", cwd=project, timeout=BUILD_TIMEOUT_S)
    if result.returncode != 0 or not (site / "index.html").is_file():
        pytest.fail(
            f"`gongbao build` exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-5000:]}\n--- stderr ---\n{result.stderr[-5000:]}",
            pytrace=False,
        )
    return site


HOSTILE = """自治区人民政府办公厅关于<script>alert(1)</script>的通知

宁政办发〔2024〕99号

各市、县（区）人民政府：

一、总体要求<img src=x onerror=alert(2)>

正文{{ config }}与{% include "x" %}，[点击](javascript:alert(3))，**加粗**，<b>粗体</b>，`代码`。

宁夏回族自治区人民政府办公厅

2024年1月2日
"""


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from one source full of markup, template syntax and script: it must all stay text."""
    root = make_project(tmp_path_factory.mktemp("hostile"), {"hostile.txt": HOSTILE})
    return build_project(root)
