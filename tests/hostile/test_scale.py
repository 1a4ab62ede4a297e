"""Item 15: page weight stays linear in the number of documents of an issue. Every page carried the whole
navigation of its issue, so 1,000 tiny documents made 178 KB pages (and 5,000 never finished)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hostile_cli import many_documents, run
from projects import make_project


def test_a_huge_issue_does_not_put_its_whole_navigation_on_every_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"a.txt": many_documents(110)})
    result = run(project, "build")
    assert result.returncode == 0, result.stderr[-2000:]
    nav = yaml.safe_load((project / "build" / "nav.yml").read_text(encoding="utf-8"))["nav"]

    def widest(node: object) -> int:
        if isinstance(node, list):
            return max([len(node), *(widest(n) for n in node)])
        if isinstance(node, dict):
            return max([0, *(widest(v) for v in node.values())])
        return 0

    assert widest(nav) <= 51  # 50 entries a level, plus the issue's own page
    page = (project / "site" / "2024" / "x1" / "nzbf-2024-75" / "index.html").read_text(encoding="utf-8")
    siblings = set(re.findall(r'href="[^"]*(nzbf-2024-\d+)/"', page))
    assert len(siblings) <= 52, len(siblings)
    issue_page = (project / "site" / "2024" / "x1" / "index.html").read_text(encoding="utf-8")
    assert all(f"nzbf-2024-{n}/" in issue_page for n in range(1, 111))  # every document still listed
