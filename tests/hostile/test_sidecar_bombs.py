"""Items 5 and 8: a sidecar cannot exhaust memory or crash the build; every value the YAML loader chokes on
is a per-source `Error: file:line: …`, the other sources still build, and no message quotes more than
about 200 characters of input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import TINY, run

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
) + "year: *i\n"


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        (BOMB, "anchor or alias"),
        ("published: 2024-02-30\n", "expected published as a real date"),
        ("published: 0000-01-01\n", "expected published as a real date"),
        ("published: 2024-02-15T10:00:00\n", "expected published as a real date"),
        ("year: " + "9" * 5000 + "\n", "expected year to be a whole number"),
        ("kinds:\n  [a, b]: notice\n", "as the key, found a structure"),
        ("kinds:\n  " + "长" * 600 + ": notice\n", "as the key"),
        ("year: " + "[" * 5000 + "]" * 5000 + "\n", "levels of nesting"),
        ("# " + "x" * 70_000 + "\n", "at most 65536 bytes"),
        ('kinds:\n  x: "' + "\\e[31m\\a" * 400 + '"\n', "expected a kind among"),
    ],
    ids=["alias-bomb", "feb-30", "year-0", "datetime", "huge-int", "seq-key", "long-key", "deep", "big", "esc"],
)
def test_a_hostile_sidecar_is_a_per_source_error(project: Path, sidecar: str, expected: str) -> None:
    (project / "sources" / "b.txt").write_text(TINY.replace("7号", "8号").replace("测试", "检验"), encoding="utf-8")
    (project / "sources" / "b.meta.yml").write_text(sidecar, encoding="utf-8")
    result = run(project, "build", "--no-site", timeout=30)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "b.meta.yml:" in errors[0] and expected in errors[0], result.stderr[-2000:]
    assert len(errors[0]) < 400 and "\x1b" not in result.stderr
    assert (project / "docs" / "2024").is_dir()  # a.txt still built
    report = (project / "build" / "report.md").read_text(encoding="utf-8")
    assert len(report) < 20_000 and "\x1b" not in report


def test_the_report_quotes_at_most_about_200_characters(project: Path) -> None:
    (project / "sources" / "a.meta.yml").write_text("kinds:\n  " + "长" * 480 + ": notice\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    report = (project / "build" / "report.md").read_text(encoding="utf-8")
    assert "sidecar-unmatched" in report
    assert max(len(line) for line in report.splitlines()) < 500
