"""Read a print PDF: raw bytes → `SourceText`, the same numbered lines a text extraction gives, made from
what the page shows (PDFium, through pypdfium2, reads the characters with their boxes and fonts).

What the layout decides, and a text extraction has to guess (`pdf_layout` does the geometry):

- reading order: columns are read one after the other, a full-width line (a title) between them;
- lines wrapped by the column are joined back into one line per printed paragraph or title;
- page furniture: a line in the top or bottom margin that is a page number (`— 5 —`, `5`, `·5·`), or a
  head repeated on several pages, is kept as a line (so spans and printed pages work as for a text
  extraction) and named as furniture with its reason (`SourceText.furniture`);
- font size and weight: a line set clearly larger than the body text gets `#` (a title), a bold line
  at body size `##` (a heading): hints, as an extraction's markdown marks are;
- ruled tables: one line per row, cells separated by tabs, rebuilt from the ruling lines.

`SourceText.pages` gives the PDF page of every line, so a message or a link can point at the page.

A PDF that cannot give the gazette's text is refused with a `SourceError` saying what to do: encrypted,
damaged, too many pages, no text layer (a scan: OCR it first), or fonts without a Unicode map (the
characters come out as garbage).
"""

from __future__ import annotations

import ctypes
import hashlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from converter.errors import SourceError
from converter.model import SourceText
from converter.read.files import MAX_PDF_BYTES
from converter.read.pdf_layout import Char, Page, Rule, lay_out

__all__ = ["MAX_PDF_PAGES", "is_pdf", "read_pdf"]

MAX_PDF_PAGES = 2000
"""A gazette issue runs to 40–120 pages; a PDF of more pages than this is refused (a whole year's
volume belongs in one PDF per issue)."""

_UNREADABLE_SHARE = 0.05
"""More than this share of unreadable characters (no Unicode value, private use, replacement) means the
fonts lack a Unicode map: refused rather than published as garbage."""
_BOLD_WEIGHT = 600
_BOLD_NAMES = ("bold", "black", "heavy", "hei", "semibold", "demibold")


def is_pdf(raw: bytes) -> bool:
    """A PDF by its signature, which may follow a little junk (PDF readers look in the first 1024 bytes)."""
    return b"%PDF-" in raw[:1024]


def read_pdf(raw: bytes, path: str) -> SourceText:
    """The text of a print PDF as numbered lines (see the module docstring), or a `SourceError`."""
    if not is_pdf(raw):
        found = "an empty file" if not raw else f"{raw[:8]!r} at its start"
        raise SourceError(path, 0, f"expected a PDF (starting with %PDF-), found {found}")
    if len(raw) > MAX_PDF_BYTES:
        raise SourceError(path, 0, f"expected a PDF of at most {MAX_PDF_BYTES} bytes, found {len(raw)}")
    document = _open(raw, path)
    try:
        if len(document) > MAX_PDF_PAGES:
            raise SourceError(path, 0, f"expected a PDF of one issue (at most {MAX_PDF_PAGES} pages), "
                                       f"found {len(document)} pages")  # fmt: skip
        pages = [_page(document, index) for index in range(len(document))]
    finally:
        document.close()
    _check_text(pages, path)
    lines, page_of, furniture = lay_out(pages)
    return SourceText(
        name=Path(path).name,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="pdf",
        lines=tuple(lines),
        pages=tuple(page_of),
        furniture=tuple(furniture),
    )


def _open(raw: bytes, path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            found = "an encrypted PDF that needs a password; ask for an unprotected copy"
        elif "security" in text:
            found = "a PDF protected by an unsupported security handler; ask for an unprotected copy"
        else:
            found = f"a damaged PDF ({exc}); ask for the file again or re-save it from the original"
        raise SourceError(path, 0, f"expected a readable PDF, found {found}") from None


def _page(document: pdfium.PdfDocument, index: int) -> Page:
    """The characters, ruling lines and image count of one page."""
    page = document[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, index + 1)
        finally:
            textpage.close()
        rules: list[Rule] = []
        images = 0
        for obj in page.get_objects(max_depth=4):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                rules.append(Rule(*obj.get_bounds()))
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
        return Page(width, height, chars, rules, images)
    finally:
        page.close()


def _chars(textpage: pdfium.PdfTextPage, page: int) -> list[Char]:
    raw = textpage.raw
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    fonts: dict[bytes, bool] = {}
    chars: list[Char] = []
    for i in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0x0A, 0x0D, 0x02):
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(raw, i)
        pdfium_c.FPDFText_GetFontInfo(raw, i, name, len(name), ctypes.byref(flags))
        font = name.value
        if font not in fonts:
            weight = pdfium_c.FPDFText_GetFontWeight(raw, i)
            lowered = font.decode("latin-1").lower()
            fonts[font] = weight >= _BOLD_WEIGHT or any(mark in lowered for mark in _BOLD_NAMES)
        chars.append(Char(code, left, bottom, right, top, round(size * 2) / 2, fonts[font], page))
    return chars


def _check_text(pages: list[Page], path: str) -> None:
    """Refuse a PDF with no text layer, or with characters that have no Unicode value."""
    chars = [char for page in pages for char in page.chars if not chr(char.code).isspace()]
    if not chars:
        images = sum(page.images for page in pages)
        found = (f"no text layer ({images} images on {len(pages)} pages: a scan); run OCR on it first "
                 "and add the text extraction or the OCRed PDF" if images else "no text at all")  # fmt: skip
        raise SourceError(path, 0, f"expected a PDF with a text layer, found {found}")
    bad = sum(1 for char in chars if _unreadable(char.code))
    if bad / len(chars) > _UNREADABLE_SHARE:
        first = next(char for char in chars if _unreadable(char.code))
        raise SourceError(path, 0, f"expected characters with a Unicode map, found {bad} of {len(chars)} "
                                   f"unreadable (the first on PDF page {first.page}): the PDF's fonts lack a "
                                   "ToUnicode map, so its text would be garbage; export the PDF again with "
                                   "fonts embedded as Unicode")  # fmt: skip


def _unreadable(code: int) -> bool:
    return (code < 0x20 and code not in (0x09,)) or code == 0xFFFD or 0xE000 <= code <= 0xF8FF or code > 0x10FFFF
