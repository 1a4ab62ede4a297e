"""Bad input through the real CLI: `Error: file:line: …`, exit 1, no traceback, good sources still convert."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.harness import gongbao as run_gongbao

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "sources" / "2023-06.txt"
"""A complete sample issue: 2023 第6期, published at docs/2023/06/."""
NO_FRONT_MATTER = ROOT / "sources" / "2024-unnumbered.txt"
"""A sample without front matter: its issue number must come from a sidecar."""
TIMEOUT_S = 120


@dataclass(frozen=True)
class Run:
    """One CLI run in a scratch directory."""

    tmp: Path
    returncode: int
    stdout: str
    stderr: str


def gongbao(tmp: Path, command: str) -> Run:
    """Run `gongbao build --no-site` or `gongbao convert --json` on `tmp/sources`, from the repo root."""
    sources = tmp / "sources"
    if command == "build":
        args = ["build", "--no-site", "--sources", str(sources), "--docs", str(tmp / "docs"),
                "--build-dir", str(tmp / "build")]  # fmt: skip
    else:
        args = ["convert", "--json", str(tmp / "out"), *(str(p) for p in sorted(sources.glob("*.txt")))]
    result = run_gongbao(*args, cwd=ROOT, timeout=TIMEOUT_S)
    return Run(tmp, result.returncode, result.stdout, result.stderr)


def with_bad_source(tmp_path: Path, name: str, data: bytes) -> Path:
    """A sources/ dir holding the good sample and one bad file `name`."""
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(GOOD, sources)
    (sources / name).write_bytes(data)
    return sources


def assert_reported(run: Run, name: str, line: str, words: str) -> None:
    """Exit 1, one `Error: …/name:<line>: …` naming what was found, no traceback, the good sample converted."""
    output = f"--- stdout ---\n{run.stdout}\n--- stderr ---\n{run.stderr}"
    assert run.returncode == 1, output
    assert "Traceback" not in run.stdout + run.stderr, output
    match = re.search(rf"^Error: \S*{re.escape(name)}:({line}): (.+)$", run.stderr, re.MULTILINE)
    assert match, output
    assert re.search(words, match.group(2), re.IGNORECASE), output
    if (run.tmp / "out").exists():  # convert --json
        assert (run.tmp / "out" / (GOOD.stem + ".json")).is_file(), output
        assert not (run.tmp / "out" / (name.split(".", 1)[0] + ".json")).exists(), output
    else:  # build
        assert (run.tmp / "docs" / "2023" / "06" / "index.md").is_file(), output
        assert (run.tmp / "build" / "json" / (GOOD.stem + ".json")).is_file(), output
        assert not (run.tmp / "build" / "json" / (name.split(".", 1)[0] + ".json")).exists(), output


COMMANDS = pytest.mark.parametrize("command", ["build", "convert"])


@COMMANDS
def test_empty_file(tmp_path: Path, command: str) -> None:
    with_bad_source(tmp_path, "empty.txt", b"")
    assert_reported(gongbao(tmp_path, command), "empty.txt", "0", "empty")


@COMMANDS
def test_binary_file(tmp_path: Path, command: str) -> None:
    noise = random.Random(1).randbytes(4096)
    with_bad_source(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n" + noise)
    assert_reported(gongbao(tmp_path, command), "scan.txt", "0", "binary")


@COMMANDS
def test_undecodable_byte_names_its_line(tmp_path: Path, command: str) -> None:
    text = (
        "宁夏回族自治区人民政府公报\n宁政办发〔2023〕13号\n各市、县（区）人民政府：".encode()
        + b"\xff"
        + "\n（此件公开发布）\n".encode()
    )
    with_bad_source(tmp_path, "damaged.txt", text)
    assert_reported(gongbao(tmp_path, command), "damaged.txt", "3", "0xFF")


@COMMANDS
def test_no_recognisable_document(tmp_path: Path, command: str) -> None:
    with_bad_source(tmp_path, "noise.txt", b"hello\nworld\n")
    assert_reported(gongbao(tmp_path, command), "noise.txt", "0|1", "document")


@COMMANDS
def test_only_whitespace(tmp_path: Path, command: str) -> None:
    with_bad_source(tmp_path, "blank.txt", "  \n\t\n\n\u3000\u3000\r\n   \n".encode())
    assert_reported(gongbao(tmp_path, command), "blank.txt", "0", "empty")


def test_sidecar_with_unknown_key(tmp_path: Path) -> None:
    sources = with_bad_source(tmp_path, "x.txt", NO_FRONT_MATTER.read_bytes())
    (sources / "x.meta.yml").write_text("yeer: 2024\n", encoding="utf-8")
    run = gongbao(tmp_path, "build")
    assert_reported(run, "x.meta.yml", "1", "yeer")


def test_sidecar_states_the_issue(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(NO_FRONT_MATTER, sources)
    sidecar = "year: 2024\nnumber: 3\ntotal_number: 718\npublished: 2024-02-15\n"
    (sources / (NO_FRONT_MATTER.stem + ".meta.yml")).write_text(sidecar, encoding="utf-8")
    run = gongbao(tmp_path, "build")
    output = f"--- stdout ---\n{run.stdout}\n--- stderr ---\n{run.stderr}"
    assert run.returncode == 0, output
    assert "Traceback" not in run.stdout + run.stderr, output
    page = tmp_path / "docs" / "2024" / "03" / "index.md"
    assert page.is_file(), sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "docs").rglob("index.md"))
    assert "总第718期" in page.read_text(encoding="utf-8")
    # The dated address publishes no page any more; at most a redirect to the numbered one (DESIGN.md).
    assert not list((tmp_path / "docs" / "2024").glob("x*/**/*.md"))
    assert not list((tmp_path / "docs" / "2024").glob("0215/**/*.md"))
    for redirect in (tmp_path / "docs" / "2024").glob("x*/**/index.html"):
        assert "2024/03/" in redirect.read_text(encoding="utf-8") or "../03/" in redirect.read_text(encoding="utf-8")
