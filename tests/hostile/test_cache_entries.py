"""Item 8 and 9: a cache entry never runs code, and a damaged one never stops the build."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hostile_cli import run


class _Payload:
    """Unpickling this writes a file: the proof that a crafted cache entry ran code."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.proof), "owned"))  # type: ignore[return-value]


def _entries(project: Path) -> list[Path]:
    entries = sorted((project / "build" / "cache").glob("*.pickle"))
    assert entries, "the first build cached nothing"
    return entries


def test_a_crafted_cache_entry_never_runs(project: Path, tmp_path: Path) -> None:
    assert run(project, "build", "--no-site").returncode == 0
    proof = tmp_path / "proof"
    for entry in _entries(project):
        entry.write_bytes(pickle.dumps(_Payload(proof)))
    result = run(project, "build", "--no-site")
    assert not proof.exists(), "a cache entry ran code"
    assert result.returncode == 0, result.stderr
    assert "Warning: build/cache/" in result.stderr and "--clean" in result.stderr


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_cache_entry_is_converted_again(project: Path, damage: str) -> None:
    assert run(project, "build", "--no-site").returncode == 0
    for entry in _entries(project):
        data = entry.read_bytes()
        entry.write_bytes({"garbage": b"\x80\x04garbage" * 10, "truncated": data[: len(data) // 2], "empty": b""}[damage])
    result = run(project, "build", "--no-site")
    assert result.returncode == 0, result.stderr
    assert "Warning: build/cache/" in result.stderr and "--clean" in result.stderr
    assert "converted 1 source(s) (0 unchanged, reused)" in result.stderr
    again = run(project, "build", "--no-site")
    assert "(1 unchanged, reused)" in again.stderr and "Warning: build/cache" not in again.stderr
