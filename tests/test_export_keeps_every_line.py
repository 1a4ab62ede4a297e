"""Every non-furniture source line reaches the JSON export (`gongbao/issue@1`), tables printed as-is
included: each CJK character of the content lines appears in the export's text at least as often, for
the samples and the corpus of laws and regulations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter.pipeline import convert
from converter.read.clean import clean
from converter.read.source import read_source
from converter.render.export import issue_json

ROOT = Path(__file__).resolve().parent.parent
# ../shared/corpus beside the project (or beside the checkout that holds this worktree).
CORPUS = next((p / "shared" / "corpus" / "text" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
              ROOT.parent / "shared" / "corpus" / "text")  # fmt: skip
SOURCES = sorted((ROOT / "sources").glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def strings(value: object, skip: frozenset[str] = frozenset({"furniture", "warnings", "source"})) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield key  # the editorial board's roles and the colophon's labels are keys
                yield from strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_content_line_reaches_the_export(path: Path) -> None:
    conversion = convert([path])
    (issue,) = conversion.issues
    export = issue_json(issue, conversion.corpus)
    exported = Counter(_IDEOGRAPH.findall("".join(strings(export))))
    # Lines set aside with a reason are in the export's furniture; the front matter is exported as
    # structure (year, number, board roles), so the check starts at the first document.
    furniture = {f["line"] for f in export["furniture"]}
    start = min((d["source_lines"][0] for d in export["documents"]), default=0)
    lines = [line.text for line in clean(read_source(path)).lines if line.no not in furniture and line.no >= start]
    content = Counter(_IDEOGRAPH.findall("".join(lines)))
    missing = content - exported
    for char in "年月日":  # dates are exported as ISO dates (2023-03-02), the other text as printed
        missing.pop(char, None)
    assert not missing, f"{sum(missing.values())} characters of content lines are not in the export: {''.join(sorted(missing))[:80]}"


def test_a_table_shown_as_printed_exports_its_printed_lines() -> None:
    from converter.link.corpus import link
    from converter.pipeline import parse_source
    from converter.read.source import decode_source

    text = ("自治区人民政府关于某某事项的通知\n宁政发〔2024〕1号\n各市、县（区）人民政府：\n现将有关事项通知如下。\n"
            "表1 某某统计表\n序号\t名称\t数量\n1\t甲\n2\n3\t丙\t5\t6\t7\n4\n宁夏回族自治区人民政府\n2024年1月2日\n")  # fmt: skip
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    issue = parse_source(source)
    (table,) = issue_json(issue, link([issue]))["tables"]
    assert table["confidence"] < 0.8
    assert table["printed"] == ["表1某某统计表", "序号\t名称\t数量", "1\t甲"]
