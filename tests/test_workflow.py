"""The editor's workflow on a scratch copy of the project: add, incremental build, check, atomic publish,
deterministic output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import make_project

from benchmarks.harness import gongbao

REPO_ROOT = Path(__file__).resolve().parent.parent
# In this order: the tests below use the first (2023年第6期) and the fourth (2021年第4期).
SAMPLES = [
    REPO_ROOT / "sources" / name
    for name in ("2023-06.txt", "nzbf-2023-13.txt", "2024-unnumbered.txt", "2021-04.txt", "2022-04.txt")
]


def _project(tmp: Path, sources: list[Path] = SAMPLES) -> Path:
    """A scratch project with the given sample sources."""
    return make_project(tmp / "project", {p.name: p.read_text(encoding="utf-8") for p in sources})


def _gongbao(
    root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = gongbao(*args, cwd=root, env=env)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_incremental_build_equals_clean_build(tmp_path: Path) -> None:
    incremental = _project(tmp_path / "a")
    _gongbao(incremental, "build", "--no-site")
    changed = incremental / "sources" / SAMPLES[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("稳定粮食播种面积和产量", "稳定粮食播种面积与产量"),
                       encoding="utf-8")  # fmt: skip
    result = _gongbao(incremental, "build", "--no-site")
    assert f"({len(SAMPLES) - 1} unchanged, reused)" in result.stderr
    assert f"rebuilt: 1 source(s) converted (new or changed), {len(SAMPLES) - 1} reused (unchanged); docs: " in result.stderr

    clean = _project(tmp_path / "b")
    shutil.copy(changed, clean / "sources" / changed.name)
    _gongbao(clean, "build", "--no-site", "--clean")
    assert _tree(incremental / "docs") == _tree(clean / "docs")
    assert _tree(incremental / "build" / "json") == _tree(clean / "build" / "json")
    assert "稳定粮食播种面积与产量" in (incremental / "docs" / "2023" / "06" / "ndf-2023-1.md").read_text(encoding="utf-8")


def test_two_builds_give_identical_sites(tmp_path: Path) -> None:
    first, second = _project(tmp_path / "a"), _project(tmp_path / "b")
    _gongbao(first, "build")
    _gongbao(second, "build", "--clean")
    left, right = _tree(first / "site"), _tree(second / "site")
    assert left.keys() == right.keys()
    differing = [path for path in left if left[path] != right[path] and not path.startswith("sitemap.xml")]
    assert differing == []
    assert _tree(first / "docs") == _tree(second / "docs")


def test_killed_build_leaves_the_published_site_and_docs_untouched(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _gongbao(root, "build")
    before_site, before_docs = _tree(root / "site"), _tree(root / "docs")
    # A changed source, then a build killed while MkDocs runs (after the new pages were staged).
    source = root / "sources" / SAMPLES[0].name
    source.write_text(source.read_text(encoding="utf-8").replace("乡村振兴", "乡村复兴"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "converter.cli", "build", "--clean"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(root.glob(".site-new-*")):
        time.sleep(0.05)
    assert list(root.glob(".site-new-*")), "the build never reached mkdocs"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert _tree(root / "site") == before_site
    assert _tree(root / "docs") == before_docs
    # The next build recovers and publishes the change.
    _gongbao(root, "build")
    assert "乡村复兴" in (root / "site" / "2023" / "06" / "ndf-2023-1" / "index.html").read_text(encoding="utf-8")


def test_failed_mkdocs_build_leaves_site_and_docs(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _gongbao(root, "build")
    before_site, before_docs = _tree(root / "site"), _tree(root / "docs")
    (root / "docs" / "about.md").write_text("[broken](missing.md)\n", encoding="utf-8")
    result = _gongbao(root, "build", check=False)
    assert result.returncode == 1 and "Error: mkdocs build failed" in result.stderr
    assert _tree(root / "site") == before_site
    assert {k: v for k, v in _tree(root / "docs").items() if k != "about.md"} == {
        k: v for k, v in before_docs.items() if k != "about.md"
    }


def test_add_refuses_a_different_file_of_the_same_name(tmp_path: Path) -> None:
    root = _project(tmp_path, SAMPLES[:1])
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    new = incoming / SAMPLES[3].name
    shutil.copy(SAMPLES[3], new)
    result = _gongbao(root, "add", "--no-site", str(new))
    assert (root / "sources" / new.name).exists() and (root / "docs" / "2021" / "04" / "index.md").exists()
    assert "Warning:" in result.stderr and new.name in result.stderr  # the report for just that file
    assert SAMPLES[0].name not in result.stderr

    clash = incoming / "x" / SAMPLES[0].name
    clash.parent.mkdir()
    clash.write_text("另一份文本", encoding="utf-8")
    refused = _gongbao(root, "add", "--no-site", str(clash), check=False)
    assert refused.returncode == 1 and "--replace" in refused.stderr
    assert (root / "sources" / SAMPLES[0].name).read_bytes() == SAMPLES[0].read_bytes()


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_check_writes_the_report_and_fails_under_strict(tmp_path: Path, fmt: str) -> None:
    root = _project(tmp_path)
    result = _gongbao(root, "check", "--strict", "--format", fmt, check=False)
    assert result.returncode == 1
    assert (root / "build" / "report.md").exists() and (root / "build" / "report.json").exists()
    for code in ("inferred", "duplicate", "furniture", "citation-outside"):
        assert code in result.stdout
    assert _gongbao(root, "check").returncode == 0


def test_json_logs(tmp_path: Path) -> None:
    root = _project(tmp_path, SAMPLES[:1])
    (root / "sources" / "empty.txt").write_text("", encoding="utf-8")
    result = _gongbao(root, "--log-format", "json", "build", "--no-site", check=False)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(entry["level"] == "error" and entry["file"].endswith("empty.txt") for entry in lines)


def test_build_warns_when_no_site_address_is_configured(tmp_path: Path) -> None:
    root = _project(tmp_path, SAMPLES[:1])
    bare = {k: v for k, v in os.environ.items() if k != "GONGBAO_SITE_URL"}
    result = _gongbao(root, "build", env=bare)
    assert "Warning: no site address configured" in result.stderr
    assert "https://gongbao.example.org/" in result.stderr and "GONGBAO_SITE_URL=" in result.stderr
    assert "https://gongbao.example.org/" in (root / "site" / "sitemap.xml").read_text(encoding="utf-8")

    configured = _gongbao(root, "build", env={**bare, "GONGBAO_SITE_URL": "https://gazette.test/gb/"})
    assert "Warning: no site address" not in configured.stderr
    assert "https://gazette.test/gb/2023/06/" in (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="https://gazette.test/gb/' in (root / "site" / "feed.xml").read_text(encoding="utf-8")


def test_every_command_has_an_example_in_its_help() -> None:
    for command in ("build", "add", "check", "convert", "serve"):
        result = _gongbao(REPO_ROOT, command, "--help")
        assert "Example:" in result.stdout
