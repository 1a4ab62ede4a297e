"""Items 10, 11, 14: sources/ and `gongbao add` read regular files inside the project only, with a size
limit; a FIFO or device never hangs or fills anything; nothing is silently ignored; long names fail one
file with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_cli import TINY, run

OTHER = TINY.replace("7号", "9号").replace("测试", "保密")


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def test_a_link_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(OTHER, encoding="utf-8")
    (project / "sources" / "leak.txt").symlink_to(secret)
    (project / "sources" / "zero.txt").symlink_to("/dev/zero")
    result = run(project, "build", "--no-site", timeout=30)
    assert result.returncode == 1
    errors = _errors(result.stderr)
    assert len(errors) == 2 and all("expected a file inside the project, found a link" in e for e in errors), errors
    assert (project / "docs" / "2024").is_dir()
    assert not any("保密" in p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))


def test_a_fifo_in_sources_does_not_hang(project: Path) -> None:
    os.mkfifo(project / "sources" / "pipe.txt")
    result = run(project, "build", "--no-site", timeout=30)
    assert result.returncode == 1
    assert _errors(result.stderr) == ["Error: sources/pipe.txt:0: expected a regular file, found a FIFO (named pipe)"]
    assert (project / "docs" / "2024").is_dir()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_add_refuses_special_files(project: Path, tmp_path: Path, kind: str) -> None:
    src = tmp_path / "incoming.txt"
    if kind == "fifo":
        os.mkfifo(src)
    else:
        src.symlink_to("/dev/zero")
    result = run(project, "add", "--no-site", str(src), timeout=30)
    assert result.returncode == 1
    assert "expected a regular file, found a" in result.stderr, result.stderr
    assert not (project / "sources" / "incoming.txt").exists()


def test_add_accepts_upper_case_txt_and_refuses_the_rest(project: Path, tmp_path: Path) -> None:
    (tmp_path / "ISSUE.TXT").write_text(OTHER, encoding="utf-8")
    result = run(project, "add", "--no-site", str(tmp_path / "ISSUE.TXT"))
    assert result.returncode == 0, result.stderr
    assert "保密" in "".join(p.read_text(encoding="utf-8") for p in (project / "docs" / "2024").rglob("*.md"))
    for name in ("notes.md", ".hidden.txt"):
        (tmp_path / name).write_text(OTHER, encoding="utf-8")
        result = run(project, "add", "--no-site", str(tmp_path / name))
        assert result.returncode == 1 and "expected a .txt extraction" in result.stderr, result.stderr
        assert not (project / "sources" / name).exists()


def test_other_files_in_sources_are_reported(project: Path) -> None:
    (project / "sources" / ".hidden.txt").write_text(OTHER, encoding="utf-8")
    (project / "sources" / "notes.md").write_text("# notes\n", encoding="utf-8")
    (project / "sources" / "B.TXT").write_text(OTHER, encoding="utf-8")
    result = run(project, "build", "--no-site")
    assert result.returncode == 0, result.stderr
    assert "Warning: sources/.hidden.txt: ignored: a hidden file" in result.stderr
    assert "Warning: sources/notes.md: ignored: expected a .txt extraction" in result.stderr
    assert "converted 2 source(s)" in result.stderr


@pytest.mark.parametrize("length", [245, 248])
def test_a_long_file_name_fails_that_file_only(project: Path, length: int) -> None:
    (project / "sources" / ("a" * length + ".txt")).write_text(OTHER, encoding="utf-8")
    result = run(project, "build", "--no-site")
    assert result.returncode == 1
    errors = _errors(result.stderr)
    assert len(errors) == 1 and "expected a file name of at most 200 bytes" in errors[0], result.stderr
    assert len(errors[0]) < 600
    assert (project / "docs" / "2024").is_dir()
