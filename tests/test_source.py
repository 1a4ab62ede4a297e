"""Tests for converter.read.source: encodings, line endings, and refusing what is not gazette text."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from converter.errors import SourceError
from converter.read.source import decode_source, read_source

SOURCES = Path(__file__).resolve().parent.parent / "sources"

# Text in the style of the gazette: full-width punctuation, a 文号, a tab-separated row, a markdown mark.
CHINESE = "# 宁夏回族自治区人民政府公报\n宁政办发〔2023〕13号\n各市、县（区）人民政府：\n序号\t项目名称\n（此件公开发布）\n"
CHINESE_LINES = [
    "# 宁夏回族自治区人民政府公报",
    "宁政办发〔2023〕13号",
    "各市、县（区）人民政府：",
    "序号\t项目名称",
    "（此件公开发布）",
]


def write(tmp_path: Path, data: bytes, name: str = "issue.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def source_error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_source(path)
    return info.value


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),  # Python writes a BOM, little-endian on this machine
        ("utf-16-be", "utf-16"),  # BOM added by hand below
    ],
)
def test_each_encoding_gives_the_same_lines(tmp_path: Path, codec: str, reported: str) -> None:
    data = CHINESE.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    src = read_source(write(tmp_path, data))
    assert src.lines == tuple(CHINESE_LINES)
    assert src.encoding == reported


def test_fields_name_path_and_sha256(tmp_path: Path) -> None:
    data = CHINESE.encode("gb18030")
    path = write(tmp_path, data, "000_abc.txt")
    src = read_source(str(path))
    assert src.name == "000_abc.txt"
    assert src.path == str(path)
    assert src.sha256 == hashlib.sha256(data).hexdigest()


def test_crlf_and_lone_cr_become_line_breaks(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "第一条\r\n第二条\r第三条\n\r\n第四条\r\n".encode()))
    assert src.lines == ("第一条", "第二条", "第三条", "", "第四条")


def test_only_one_final_line_break_is_dropped(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, b"a\n\n")).lines == ("a", "")
    assert read_source(write(tmp_path, b"a")).lines == ("a",)
    assert read_source(write(tmp_path, b"\n\na")).lines == ("", "", "a")


def test_spacing_and_marks_are_kept(tmp_path: Path) -> None:
    line = "  ## 第 一 章\t总  则 $\\alpha$ <sup>①</sup>\u3000 "
    assert read_source(write(tmp_path, (line + "\n").encode())).lines == (line,)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\u3000\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_or_blank_file_is_an_error(tmp_path: Path, data: bytes) -> None:
    err = source_error(write(tmp_path, data))
    assert err.line == 0
    assert err.message == "expected gazette text, found an empty file"
    assert err.path == str(tmp_path / "issue.txt")


def test_png_header_is_binary(tmp_path: Path) -> None:
    err = source_error(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)))
    assert err.line == 0
    assert err.message == "expected text, found binary data (PNG image header)"


def test_pdf_header_is_binary(tmp_path: Path) -> None:
    err = source_error(write(tmp_path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"))
    assert "PDF document" in err.message


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    data = random.Random(20240215).randbytes(4096)
    err = source_error(write(tmp_path, data))
    assert err.line == 0
    assert err.message.startswith("expected text, found binary data (")


def test_utf16_file_full_of_nuls_is_binary(tmp_path: Path) -> None:
    err = source_error(write(tmp_path, "\x00".join("正文" * 40).encode("utf-16")))
    assert err.message.startswith("expected text, found binary data")


def test_undecodable_byte_is_reported_at_its_line(tmp_path: Path) -> None:
    data = "第一条　总则\r\n第二条　适用范围\r\n第三条".encode() + b"\xff" + "　职责\r\n第四条\r\n".encode()
    err = source_error(write(tmp_path, data))
    offset = data.index(b"\xff")
    assert err.line == 3
    assert err.message.startswith(
        f"expected UTF-8, GB18030 or UTF-16 text, found undecodable byte 0xFF at byte {offset}"
    )
    assert str(err).startswith(f"{tmp_path / 'issue.txt'}:3: expected")


def test_damaged_gbk_is_reported_at_its_line(tmp_path: Path) -> None:
    good = "宁夏回族自治区人民政府公报\n第一条　总则\n".encode("gbk")
    data = good + b"\x80" + "第二条\n".encode("gbk")
    err = source_error(write(tmp_path, data))
    assert err.line == 3
    assert f"found undecodable byte 0x80 at byte {len(good)}" in err.message


def test_damaged_utf16_is_reported_at_its_line(tmp_path: Path) -> None:
    # A lone high surrogate (D800) on line 2.
    data = "第一条\n第二条".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")
    err = source_error(write(tmp_path, b"\xff\xfe" + data))
    assert err.line == 2
    assert err.message.startswith("expected UTF-16 text (the file starts with a UTF-16 byte-order mark)")


def test_truncated_multibyte_character_is_an_error_on_the_last_line(tmp_path: Path) -> None:
    whole = "第一条\n第二条\n（此件公开发布）".encode()
    cut = whole[:-1]  # drop the last byte of the final ）
    err = source_error(write(tmp_path, cut))
    assert err.line == 3
    assert f"byte 0xEF at byte {len(whole) - 3}" in err.message
    assert "cut off at the end of the file" in err.message


def test_short_truncated_file_is_still_an_error(tmp_path: Path) -> None:
    err = source_error(write(tmp_path, "公报\n你".encode()[:-2]))
    assert err.line == 2
    assert "cut off" in err.message


def test_stray_nul_is_removed_and_its_line_returned(tmp_path: Path) -> None:
    data = "第一条\n第二\x00条\n第三条\x00\x00\n".encode()
    src, nul_lines = decode_source(data, "x/issue.txt")
    assert src.lines == ("第一条", "第二条", "第三条")
    assert nul_lines == (2, 3)
    assert src.sha256 == hashlib.sha256(data).hexdigest()  # of the bytes as read, NULs included
    assert read_source(write(tmp_path, data)).lines == src.lines


def test_clean_file_has_no_nul_lines() -> None:
    assert decode_source(CHINESE.encode(), "issue.txt")[1] == ()


def test_latin1_text_decodes_with_the_guessed_encoding_named(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "café au lait\n".encode("latin-1")))
    assert src.lines[0].startswith("caf")
    assert src.encoding not in {"utf-8", "gb18030", "utf-8-sig", "utf-16"}


# Line counts of the sample extractions (none ends with a line break, so `wc -l` + 1).
SAMPLE_LINES = {
    "2023-06.txt": 397,
    "nzbf-2023-13.txt": 122,
    "2024-unnumbered.txt": 5375,
    "2021-04.txt": 939,
    "2022-04.txt": 1009,
}


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda p: p.name)
def test_real_sources_decode_as_utf8(path: Path) -> None:
    raw = path.read_bytes()
    src = read_source(path)
    assert src.encoding == "utf-8"
    expected = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    assert len(src.lines) == SAMPLE_LINES.get(path.name, expected) == expected
    assert "\n".join(src.lines) == raw.decode("utf-8").removesuffix("\n")


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。、：；（）《》〔〕“”　①"),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("\n\n\r\t"),
    ),
    max_size=200,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_utf8_round_trip(tmp_path: Path, text: str) -> None:
    assume(text.strip())
    src = read_source(write(tmp_path, text.encode("utf-8")))
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert src.lines == tuple(normalised.removesuffix("\n").split("\n"))
    assert src.encoding == "utf-8"
