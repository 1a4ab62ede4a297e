"""Item 17: a title printed on one line longer than 60 characters is the document's title, not furniture,
body text of the document before it, or a document of its own."""

from __future__ import annotations

import json
from pathlib import Path

from hostile_cli import TINY, run

LONG = "自治区人民政府办公厅关于" + "进一步加强和改进全区各级各类" * 5 + "工作的通知"


def test_a_long_one_line_title(project: Path) -> None:
    second = TINY.replace("7号", "8号").replace("自治区人民政府办公厅关于做好测试工作的通知", LONG)
    (project / "sources" / "a.txt").write_text(TINY + "\n" + second, encoding="utf-8")
    result = run(project, "convert", "--json", "out", "sources/a.txt")
    assert result.returncode == 0, result.stderr
    data = json.loads((project / "out" / "a.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in data["documents"]]
    assert titles == ["自治区人民政府办公厅关于做好测试工作的通知", LONG]
    assert not any(LONG in f["text"] for f in data["furniture"])
