"""Bad input never gives a traceback: each case is a clear error or warning naming the file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.errors import SourceError
from converter.pipeline import convert, convert_one, parse_source
from converter.read.source import decode_source

SAMPLE = Path(__file__).parent.parent / "sources" / "2023-06.txt"  # 2023年第6期


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_nul_bytes_inside_text_are_removed_with_a_warning(tmp_path: Path) -> None:
    raw = SAMPLE.read_bytes().replace("乡村振兴".encode(), "乡村\x00振兴".encode(), 1)
    issue, _ = convert_one(_write(tmp_path, "nul.txt", raw))
    warnings = [w for w in issue.warnings if w.code == "nul-bytes"]
    assert len(warnings) == 1 and warnings[0].line > 0
    assert "\x00" not in "".join(issue.source.lines)


def test_latin1_text_is_decoded_or_refused_clearly(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin1.txt", "Résumé du règlement, café crème\n".encode("latin-1") * 3)
    result = convert([path])
    assert result.issues == () and len(result.errors) == 1
    assert result.errors[0].path.endswith("latin1.txt") and "document" in result.errors[0].message


def test_a_five_megabyte_single_line_converts_in_linear_time(tmp_path: Path) -> None:
    line = ("发展新型农村集体经济，巩固拓展农村集体产权制度改革成果。" * 180_000)[:1_700_000]
    path = _write(tmp_path, "long.txt", ("关于长行的通知\n\n宁政办发〔2024〕1号\n\n" + line + "\n").encode())
    assert path.stat().st_size > 5_000_000
    started = time.perf_counter()
    issue, _ = convert_one(path)
    elapsed = time.perf_counter() - started
    assert issue.documents[0].title == "关于长行的通知"
    assert elapsed < 120, "a single long line must not be quadratic"  # generous: catches only runaway cost


def test_a_file_with_only_front_matter_is_an_error(tmp_path: Path) -> None:
    front = "".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:108])
    result = convert([_write(tmp_path, "front.txt", front.encode())])
    assert result.issues == ()
    error = result.errors[0]
    assert isinstance(error, SourceError) and error.path.endswith("front.txt") and error.line > 0
    assert "expected at least one document" in error.message


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [("一、甲\n\n三、丙\n", "numbering-gap", 7), ("一、甲\n\n二、乙\n\n二、乙又\n", "numbering-repeat", 9)],
)
def test_numbering_jumps_and_repeats_are_warnings(tmp_path: Path, body: str, code: str, line: int) -> None:
    text = "关于编号的通知\n\n宁政办发〔2024〕2号\n\n" + body
    issue, _ = convert_one(_write(tmp_path, "numbering.txt", text.encode()))
    assert [(w.code, w.line) for w in issue.warnings if w.code == code] == [(code, line)]


_RAW = SAMPLE.read_bytes()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_RAW)), st.binary(min_size=1, max_size=8)), max_size=6))
def test_random_bytes_give_an_issue_or_a_source_error(edits: list[tuple[int, bytes]]) -> None:
    raw = _RAW
    for position, noise in sorted(edits, reverse=True):
        raw = raw[:position] + noise + raw[position:]
    try:
        source, _ = decode_source(raw, "fuzz.txt")
        parse_source(source)
    except SourceError as error:
        assert error.path == "fuzz.txt" and error.message
