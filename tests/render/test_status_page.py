"""The browse page by validity (`converter/render/status.py`): each explicit relation with its sentence."""

from __future__ import annotations

from pathlib import Path

from converter.pipeline import convert
from converter.render.status import by_status

ROOT = Path(__file__).resolve().parents[2]


def test_the_status_page_lists_what_the_samples_stop() -> None:
    corpus = convert(sorted((ROOT / "sources").glob("*.txt"))).corpus
    page = by_status([p for p in corpus.issues if p.docs])
    row = next(r for r in page.split("<tr>") if "宁政发〔2023〕7号" in r)
    assert "停止执行" in row and "宁政发〔2023〕35号" in row and "（宁政发〔2023〕7号）停止执行。" in row
    assert 'href="../../wenhao/#x-nzf-2023-7"' in row  # not in the gazette: to its 本公报未收录 note on the 文号 index


def test_without_relations_the_page_says_so() -> None:
    assert "尚无写明" in by_status([])
