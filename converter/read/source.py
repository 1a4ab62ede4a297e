"""Decode one source file: raw bytes → `SourceText` (numbered LF-split lines, nothing else changed)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import charset_normalizer

from converter.errors import SourceError
from converter.model import SourceText

__all__ = ["decode_source", "read_source"]

# File signatures of formats that are sometimes dropped into sources/ by mistake (the PDF itself, an
# image of a page, a zipped batch, a program). Checked before any decoding so the message names them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0 controls other than the whitespace ones (tab, LF, VT, FF, CR), plus DEL. Text extractions contain
# none of these except the odd stray NUL; binary data has about one in ten bytes in this set. No GB18030
# or UTF-8 multibyte sequence contains such a byte, so counting raw bytes is safe for those encodings.
_CONTROL_CHARS = "".join(chr(c) for c in [*range(0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_BYTES = _CONTROL_CHARS.encode("ascii")
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_RE = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")

# A few stray control bytes are extraction noise; more than this many *and* this share is binary data.
_BINARY_MIN_CONTROLS = 16
_BINARY_SHARE = 0.01

# How many multibyte characters must decode before a bad byte for the file to count as damaged
# UTF-8 / GB18030 rather than as some other encoding (a GBK pair is occasionally valid UTF-8 by chance).
_CONFIDENT_CHARS = 4

# "Mostly": share of non-ASCII characters that must be CJK (for GB18030) or of all characters that must
# be printable (for charset-normalizer's guess). Mis-decoded bytes give a scatter of unrelated scripts.
_MOSTLY = 0.9

# Code point ranges of what a Chinese government text contains beyond ASCII: CJK ideographs and
# punctuation, full-width forms, and the GBK symbol blocks (quotes, dashes, ①, Ⅳ, №, box drawing).
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x00B7, 0x00B7),  # middle dot ·
    (0x2000, 0x206F),  # general punctuation — “ ” …
    (0x2100, 0x21FF),  # letterlike symbols, number forms, arrows: № Ⅳ →
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x2500, 0x25FF),  # box drawing, geometric shapes ■ ○
    (0x2E80, 0x9FFF),  # radicals, CJK punctuation 。、《》〔〕, kana, ext. A, unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms ︵
    (0xFF00, 0xFFEF),  # full-width ASCII and half-width forms ，：（）
    (0x20000, 0x3134F),  # ideograph extensions B–G (GB18030 four-byte)
)
_CJK_SPAN = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _CJK_RANGES)
# Regexes rather than a loop per character: a gazette issue runs to a million characters.
_OTHER_RE = re.compile(r"[^\x00-\x7f\s]")  # non-ASCII, not whitespace
_OTHER_NON_CJK_RE = re.compile(f"[^\\x00-\\x7f\\s{_CJK_SPAN}]")


def read_source(path: str | Path) -> SourceText:
    """Read and decode one source file (see `decode_source`); stray NULs are removed without notice."""
    return decode_source(Path(path).read_bytes(), str(path))[0]


def decode_source(raw: bytes, path: str) -> tuple[SourceText, tuple[int, ...]]:
    """Decode the raw bytes of a source file given as `path`.

    Returns the decoded source and the 1-based numbers of the lines from which stray NUL characters
    were removed (empty for a clean file), so that the caller can warn about them. Raises `SourceError`
    for an empty, binary or undecodable file.

    What the rest of the converter may rely on:

    - `lines[i]` is source line `i + 1`; CRLF and lone CR count as one line break each, and a final line
      break does not create an extra empty line. Tabs, spaces, `#` marks and every other character are
      kept, except NUL characters, which are removed (their lines are returned).
    - The text was decoded strictly, never with replacement characters: a byte that no accepted encoding
      can read is an error, not a `�`.

    Decoding, in order (the first that applies wins):

    1. 0 bytes → error "empty file"; known binary magic (PNG, PDF, ZIP, ELF, …) or many control bytes →
       error "binary data".
    2. A byte-order mark decides: UTF-8 BOM → `utf-8-sig`, UTF-16 LE/BE BOM → `utf-16`.
    3. Strict UTF-8 → `utf-8` (plain ASCII lands here too).
    4. Strict GB18030 → `gb18030` (covers GBK and GB2312), if the non-ASCII text is mostly CJK.
    5. charset-normalizer's best guess (e.g. `cp1252`, or an odd one such as `cp1006` for a short Latin-1
       text: it guesses, we only record the name), if the result is mostly printable.
    6. Otherwise an error naming the first undecodable byte.

    Errors are `SourceError(path, line, message)`; `line` is the 1-based line holding the offending byte
    (line breaks counted as above, so a CR-only file still gets a useful number) or 0 for the whole file.
    Byte positions in messages are 0-based offsets, as a hex editor shows them.

    Damage that looks like a broken file of a known encoding is reported rather than guessed around: a
    file that is valid UTF-8 up to a bad byte (with real multibyte characters before it) is damaged
    UTF-8, likewise for GB18030; and a file cut off in the middle of a final UTF-8 multibyte character is
    an error on its last line, never decoded with the partial character dropped: a truncated extraction
    should be re-extracted, not published silently short.
    """
    if not raw:
        raise SourceError(path, 0, "expected gazette text, found an empty file")
    _refuse_binary(raw, path)
    text, encoding = _decode(raw, path)
    if encoding == "utf-16":
        # UTF-16 bytes are full of NULs by nature, so its control characters are counted after decoding.
        controls = len(_CONTROL_RE.findall(text))
        if controls >= _BINARY_MIN_CONTROLS and controls / len(text) >= _BINARY_SHARE:
            raise SourceError(path, 0, f"expected text, found binary data ({controls} control characters)")
    lines = _split_lines(text)
    nul_lines = tuple(no for no, line in enumerate(lines, start=1) if "\x00" in line) if "\x00" in text else ()
    if nul_lines:
        lines = [line.replace("\x00", "") for line in lines]
    if not "".join(lines).strip():
        raise SourceError(path, 0, "expected gazette text, found an empty file")
    source = SourceText(
        name=Path(path).name,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        lines=tuple(lines),
    )
    return source, nul_lines


def _split_lines(text: str) -> list[str]:
    """CRLF and lone CR → LF, then split on LF; a final line break ends the last line, it adds none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removesuffix("\n")
    # Only LF: str.splitlines() would also split at U+2028, \x85 and form feeds, which are content here.
    return text.split("\n")


def _refuse_binary(raw: bytes, path: str) -> None:
    """Raise if the bytes are a known binary format, or full of control bytes (UTF-16 is checked later)."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise SourceError(path, 0, f"expected text, found binary data ({kind} header)")
    if raw.startswith(_UTF16_BOMS):
        return
    controls = len(raw.translate(None, delete=_NON_CONTROL_BYTES))
    if controls >= _BINARY_MIN_CONTROLS and controls / len(raw) >= _BINARY_SHARE:
        nuls = raw.count(b"\x00")
        raise SourceError(
            path, 0, f"expected text, found binary data ({controls} control bytes, {nuls} of them NUL, "
            f"in {len(raw)} bytes)"
        )


def _decode(raw: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name) following the order in `decode_source`'s docstring, or raise."""
    # A byte-order mark is a promise: no fallback to another encoding when the bytes break it.
    for bom, encoding in ((_UTF8_BOM, "utf-8-sig"), *((b, "utf-16") for b in _UTF16_BOMS)):
        if raw.startswith(bom):
            name = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
            expected_bom = f"{name} text (the file starts with a {name} byte-order mark)"
            return _strict(raw, encoding, path, expected_bom), encoding

    expected = "UTF-8, GB18030 or UTF-16 text"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_bad = err.start
        if err.end == len(raw) and err.reason == "unexpected end of data":
            # Valid UTF-8 right up to a multibyte character cut short by the end of the file.
            cut = " (a character cut off at the end of the file)"
            raise _undecodable(raw, utf8_bad, path, expected, cut) from None
        if _non_ascii(raw[:utf8_bad].decode("utf-8")) >= _CONFIDENT_CHARS:
            raise _undecodable(raw, utf8_bad, path, expected, " (the text before it reads as UTF-8)") from None

    gb_bad = None
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as err:
        gb_bad = err.start
        prefix = raw[:gb_bad].decode("gb18030")
        if _non_ascii(prefix) >= _CONFIDENT_CHARS and _mostly_cjk(prefix):
            raise _undecodable(raw, gb_bad, path, expected, " (the text before it reads as GB18030)") from None
    else:
        if _mostly_cjk(text):
            return text, "gb18030"

    guess = charset_normalizer.from_bytes(raw).best()
    if guess is not None:
        text = str(guess)
        if text and _printable_share(text) >= _MOSTLY:
            return text, guess.encoding

    # Nothing fits: point at the byte where the decoder that got furthest gave up.
    raise _undecodable(raw, max(utf8_bad, gb_bad or 0), path, expected, "")


def _strict(raw: bytes, encoding: str, path: str, expected: str) -> str:
    """Decode with `encoding`, turning a failure into a `SourceError` at the offending line."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise _undecodable(raw, err.start, path, expected, "", encoding) from None


def _undecodable(
    raw: bytes, pos: int, path: str, expected: str, why: str, encoding: str = ""
) -> SourceError:
    """The error for an undecodable byte at offset `pos`, on the line that holds it."""
    if encoding == "utf-16":
        # Line breaks are two bytes wide in UTF-16: count them in the decodable prefix instead.
        prefix = raw[: pos - pos % 2].decode("utf-16", errors="replace")
        line = 1 + prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n")
    else:
        # 0x0A and 0x0D are never inside a UTF-8 or GB18030 multibyte character: byte counts are exact.
        head = raw[:pos]
        line = 1 + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")
    found = f"found undecodable byte 0x{raw[pos]:02X} at byte {pos}{why}"
    return SourceError(path, line, f"expected {expected}, {found}")


def _non_ascii(text: str) -> int:
    """How many characters of `text` are outside ASCII."""
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _mostly_cjk(text: str) -> bool:
    """True when there is non-ASCII text and nearly all of it is Chinese script or GBK symbols."""
    others = len(_OTHER_RE.findall(text))
    return others > 0 and 1 - len(_OTHER_NON_CJK_RE.findall(text)) / others >= _MOSTLY


def _printable_share(text: str) -> float:
    """Share of characters that are printable or ordinary whitespace."""
    return sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r") / len(text)
