"""Sidecars: stated metadata wins, document kinds can be corrected, bad keys and values are errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from converter.errors import SourceError
from converter.pipeline import convert_one

SAMPLE = Path(__file__).parent.parent / "sources" / "2023-06.txt"  # 2023年第6期


def _with_sidecar(tmp_path: Path, sidecar: str) -> Path:
    source = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, source)
    source.with_name(source.stem + ".meta.yml").write_text(sidecar, encoding="utf-8")
    return source


def test_kinds_correct_a_document_by_any_form_of_its_doc_number(tmp_path: Path) -> None:
    issue, _ = convert_one(_with_sidecar(tmp_path, "kinds:\n  宁政办发[2023]13号: rules\n  没有这份文件: notice\n"))
    assert [d.kind for d in issue.documents] == ["notice", "rules"]
    assert [w.code for w in issue.warnings] == ["sidecar-unmatched"]


def test_stated_values_win(tmp_path: Path) -> None:
    issue, _ = convert_one(_with_sidecar(tmp_path, "number: 7\npublished: 2023-04-15\n"))
    assert (issue.meta.year, issue.meta.number, issue.meta.published) == (2023, 7, "2023-04-15")


@pytest.mark.parametrize(
    ("sidecar", "line", "words"),
    [
        ("kinds:\n  宁政办发〔2023〕13号: memo\n", 2, "expected a kind"),
        ("kinds: opinion\n", 1, "expected kinds to map"),
        ("number: 0\n", 1, "whole number 1–99"),
        ("published: 31.03.2023\n", 1, "YYYY-MM-DD"),
        ("year: 2023\nyear: 2024\n", 2, "each key once"),
        ("issue: 6\n", 1, "expected one of the keys"),
    ],
)
def test_bad_sidecars_name_file_line_and_key(tmp_path: Path, sidecar: str, line: int, words: str) -> None:
    with pytest.raises(SourceError) as raised:
        convert_one(_with_sidecar(tmp_path, sidecar))
    assert raised.value.path.endswith(".meta.yml") and raised.value.line == line and words in raised.value.message
