"""Shared test options and fixtures: `--update-golden` regenerates tests/golden/ (review it as a diff)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


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
