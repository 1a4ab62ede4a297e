"""The PDF reader (issue 20): every sample, typeset as the gazette prints it (benchmarks/typeset_pdf.py:
A4, two columns, Noto CJK, page numbers, running heads, ruled tables), converts to the same structure as
its text extraction; printed page numbers match the layout; bad PDFs are refused with a clear error."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from converter.errors import SourceError
from converter.model import Issue
from converter.pipeline import parse_source
from converter.read.pdf import read_pdf
from converter.read.source import read_source

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sources").glob("*.txt"))
FONTS = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.fixture(scope="session")
def typeset() -> object:
    if not FONTS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{FONTS} missing: scripts/test.sh installs fonts-noto-cjk")
        pytest.skip("Noto CJK fonts missing (apt-get install fonts-noto-cjk)")
    from benchmarks.typeset_pdf import typeset as make

    made: dict[Path, bytes] = {}

    def pdf(source: Path) -> bytes:
        if source not in made:
            made[source] = make(source)
        return made[source]

    return pdf


def _structure(issue: Issue) -> dict[str, object]:
    from tests.robustness.test_metamorphic import structure

    tables = [[t.rows for t in d.blocks() if hasattr(t, "rows")] for d in issue.documents]
    return {**structure(issue), "tables": tables}


@pytest.mark.parametrize("source", SAMPLES, ids=lambda p: p.stem)
def test_pdf_of_a_sample_has_the_structure_of_its_text(source: Path, typeset: object) -> None:
    pdf = typeset(source)  # type: ignore[operator]
    from_text = parse_source(read_source(source))
    from_pdf = parse_source(read_pdf(pdf, source.stem + ".pdf"))
    assert _structure(from_pdf) == _structure(from_text)


def test_a_ruled_table_is_rebuilt_cell_by_cell(typeset: object) -> None:
    source = ROOT / "sources" / "2022-04.txt"
    lines = read_pdf(typeset(source), "x.pdf").lines  # type: ignore[operator]
    rows = [line.split("\t") for line in lines if "\t" in line]
    printed = [line.split("\t") for line in source.read_text(encoding="utf-8").splitlines() if line.count("\t") >= 2]
    assert len(rows) >= 30
    # Every multi-cell row of the extraction comes back with the same cells (spacing and width aside).
    squeeze = lambda cells: [re.sub(r"\s+", "", unicodedata.normalize("NFKC", c)) for c in cells]  # noqa: E731
    assert [squeeze(r) for r in rows if len([c for c in r if c.strip()]) >= 2][:25] == [
        squeeze(r) for r in printed if len([c for c in r if c.strip()]) >= 2
    ][:25]


def test_printed_page_numbers_match_the_layout(typeset: object) -> None:
    source = ROOT / "sources" / "2022-04.txt"
    text = read_pdf(typeset(source), "x.pdf")  # type: ignore[operator]
    issue = parse_source(text)
    numbers = [f for f in issue.furniture if f.reason == "page number"]
    assert len(numbers) >= 20
    for f in numbers:  # the typesetter prints the PDF page's own number at its foot
        assert f.text == f"— {text.pages[f.line - 1]} —"
    heads = [f for f in issue.furniture if f.reason == "running head"]
    assert heads and all(f.text == "宁夏回族自治区人民政府公报" for f in heads)
    for document in issue.documents:
        assert document.pages is not None
        assert document.pages.first == text.pages[document.span.first - 1], document.title


# -- bad PDFs ---------------------------------------------------------------------------------------------


def _small_pdf(**options: object) -> bytes:
    from fpdf import FPDF

    from benchmarks.typeset_pdf import _SC, SONG

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("song", fname=str(SONG), collection_font_number=_SC)
    if options.get("password"):
        pdf.set_encryption(owner_password="owner", user_password=str(options["password"]))
    for _ in range(int(str(options.get("pages", 1)))):
        pdf.add_page()
        pdf.set_font("song", size=10.5)
        pdf.multi_cell(400, 16, "第一条　为了规范行政行为，根据宪法，制定本办法。" * 20)
    return bytes(pdf.output())


def _refused(raw: bytes) -> str:
    with pytest.raises(SourceError) as caught:
        read_pdf(raw, "bad.pdf")
    return str(caught.value)


def test_a_pdf_that_needs_a_password_is_refused(typeset: object) -> None:
    assert "encrypted PDF that needs a password" in _refused(_small_pdf(password="secret"))


def test_a_damaged_pdf_is_refused(typeset: object) -> None:
    raw = _small_pdf()
    assert read_pdf(raw, "ok.pdf").lines[0].startswith("第一条")
    assert "damaged PDF" in _refused(raw[: len(raw) // 3])


def test_a_scan_without_text_says_ocr_is_needed(typeset: object, tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "page.png"
    Image.new("RGB", (200, 300), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=190)
    message = _refused(bytes(pdf.output()))
    assert "no text layer" in message and "OCR" in message


def test_fonts_without_a_unicode_map_are_refused_not_published_as_garbage(typeset: object) -> None:
    raw = _small_pdf().replace(b"/ToUnicode", b"/ToUnicodX")  # the map is there, no font refers to it
    assert "lack a ToUnicode map" in _refused(raw)


def test_a_huge_pdf_is_refused(typeset: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("converter.read.pdf.MAX_PDF_PAGES", 2)
    assert "at most 2 pages), found 3 pages" in _refused(_small_pdf(pages=3))


def test_a_file_named_pdf_that_is_not_one_is_refused() -> None:
    assert "expected a PDF (starting with %PDF-)" in _refused("第一条 正文".encode())


# -- the site ---------------------------------------------------------------------------------------------


def test_a_pdf_in_sources_is_built_linked_and_a_bad_one_refused(typeset: object, tmp_path: Path) -> None:
    from benchmarks.harness import gongbao
    from tests.projects import make_project

    project = make_project(tmp_path / "p", {})
    pdf = typeset(ROOT / "sources" / "2023-06.txt")  # type: ignore[operator]
    (project / "sources" / "2023-06.pdf").write_bytes(pdf)
    (project / "sources" / "bad.pdf").write_bytes(pdf[: len(pdf) // 2])
    result = gongbao("build", cwd=project)
    assert result.returncode != 0
    assert "Error: sources/bad.pdf:0: expected a readable PDF, found a damaged PDF" in result.stderr
    assert "Traceback" not in result.stderr
    site = project / "site"
    copied = site / "2023" / "06" / "2023-06.pdf"
    assert copied.read_bytes() == pdf
    link = _soup(site / "2023" / "06" / "index.html").select_one("p.gb-original a")
    assert link is not None and link["href"] == "2023-06.pdf" and link.text == "下载本期原版PDF"
    assert re.fullmatch(r"（\d+ KB）", link.next_sibling.text)
    pages = []
    for page in (site / "2023" / "06").glob("*/index.html"):
        found = _soup(page).select_one('dl.gb-doc a[type="application/pdf"]')
        assert found is not None, page
        pages.append(re.fullmatch(r"\.\./2023-06\.pdf#page=(\d+)", str(found["href"])))
    assert pages and all(pages), "every document links the PDF at its first page"


def _soup(path: Path) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_pdf_beside_its_text_extraction_is_the_printed_original(typeset: object, tmp_path: Path) -> None:
    from benchmarks.harness import gongbao
    from tests.projects import make_project

    text = (ROOT / "sources" / "nzbf-2023-13.txt").read_text(encoding="utf-8")
    project = make_project(tmp_path / "p", {"nzbf-2023-13.txt": text})
    (project / "sources" / "nzbf-2023-13.pdf").write_bytes(typeset(ROOT / "sources" / "nzbf-2023-13.txt"))  # type: ignore[operator]
    result = gongbao("build", cwd=project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "converted 1 source(s)" in result.stderr + result.stdout
    copied = list((project / "site").glob("*/*/*.pdf"))
    assert len(copied) == 1 and copied[0].read_bytes() == (project / "sources" / "nzbf-2023-13.pdf").read_bytes()
    documents = list(copied[0].parent.glob("*/index.html"))
    links = [_soup(p).select_one('dl.gb-doc a[type="application/pdf"]') for p in documents]
    assert documents and all(link is not None and link.text == "本期原版PDF" for link in links)
