"""Items 3, 4, 7, 13, 16: `--site` never replaces what is not a site; hand-written pages are never in a
directory a build swaps; a killed build is recovered; modes follow the umask; one build at a time."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_cli import run

from benchmarks.harness import ENV


@pytest.mark.parametrize("site", ["sources", ".", "{project}", "docs", "build", "docs/x", "..", "other"])
def test_site_refuses_what_is_not_a_site(project: Path, site: str) -> None:
    (project / "other").mkdir()
    (project / "other" / "keep.txt").write_text("mine", encoding="utf-8")
    (project / "build").mkdir()
    before = sorted(p.relative_to(project.parent) for p in project.parent.rglob("*"))
    result = run(project, "build", "--site", site.replace("{project}", str(project)))
    assert result.returncode == 1
    assert "Error: --site" in result.stderr and "refusing to replace" in result.stderr, result.stderr
    assert sorted(p.relative_to(project.parent) for p in project.parent.rglob("*")) == before


def test_a_site_is_marked_modes_follow_the_umask_and_docs_is_never_swapped(project: Path) -> None:
    (project / "docs" / "about.md").write_text("# 关于\n\n编辑未提交的修改。\n", encoding="utf-8")
    docs_inode = (project / "docs").stat().st_ino
    mask = os.umask(0o022)
    try:
        result = run(project, "build")
    finally:
        os.umask(mask)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / ".gongbao-site").is_file()
    assert (project / "site").stat().st_mode & 0o777 == 0o755
    assert (project / "docs").stat().st_mode & 0o777 == 0o755
    assert (project / "site" / "index.html").stat().st_mode & 0o777 == 0o644
    assert (project / "docs").stat().st_ino == docs_inode  # docs/ itself is never renamed or replaced
    assert "编辑未提交的修改" in (project / "docs" / "about.md").read_text(encoding="utf-8")


def _published_site(project: Path) -> bytes:
    """A site as a previous build left it (marked): what a failed or killed build must leave alone."""
    site = project / "site"
    site.mkdir()
    (site / ".gongbao-site").write_text("built by gongbao\n", encoding="utf-8")
    (site / "index.html").write_text("<p>published</p>\n", encoding="utf-8")
    return (site / "index.html").read_bytes()


def test_a_killed_build_is_recovered_on_the_next_start(project: Path) -> None:
    assert run(project, "build", "--no-site").returncode == 0
    _published_site(project)
    # What kill -9 leaves at the worst moments: the site moved aside, a generated tree moved aside,
    # and staging of every kind.
    (project / "site").rename(project / ".site-old")
    (project / ".docs-old-4242").mkdir()
    (project / "docs" / "2024").rename(project / ".docs-old-4242" / "2024")
    for stale in (".docs-new-abc", ".site-new-abc", "build/.json-new-abc"):
        (project / stale).mkdir()
        (project / stale / "big").write_bytes(b"x" * 1000)
    (project / "build" / ".nav-new-4242.yml").write_text("nav: []\n", encoding="utf-8")
    result = run(project, "build")  # the site put back is marked: replaced without a word
    assert result.returncode == 0, result.stderr
    assert "做好测试工作" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert (project / "docs" / "2024").is_dir() and (project / "docs" / "about.md").is_file()
    everything = [*project.iterdir(), *(project / "build").iterdir()]
    leftovers = [p.name for p in everything if "-new-" in p.name or "-old" in p.name]
    assert leftovers == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_build_cleans_up(project: Path, signum: int) -> None:
    index = _published_site(project)
    command = [sys.executable, "-m", "converter.cli", "build"]
    proc = subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(project.glob(".site-new-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    staged = [*project.glob(".*-new-*"), *project.glob(".*-old*"), *(project / "build").glob(".nav-new-*")]
    assert staged == []
    assert (project / "site" / "index.html").read_bytes() == index


def test_two_builds_at_once_the_second_is_told(project: Path) -> None:
    (project / "build").mkdir()
    fd = os.open(project / "build" / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run(project, "build", "--no-site")
    finally:
        os.close(fd)
    assert result.returncode == 1
    assert "another build is running" in result.stderr
    assert not (project / "docs" / "index.md").exists()
