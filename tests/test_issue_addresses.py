"""Issue addresses come from the gazette's own data, never from a source file's name: year and number
(`2023/06`), else the publication date (`2024/0215`), else a sequence in the year (`2024/x1`); the
home page features the latest issue a reader can name (numbered or dated)."""

from __future__ import annotations

from pathlib import Path

from converter.pipeline import convert
from converter.render.browse import home


def _notice(number: int, title: str, date: str) -> str:
    y, m, d = date.split("-")
    return (
        f"自治区人民政府办公厅关于{title}的通知\n\n宁政办发〔{y}〕{number}号\n\n各市、县（区）人民政府：\n\n"
        f"一、总体要求\n\n请认真贯彻落实{title}的各项要求。\n\n宁夏回族自治区人民政府办公厅\n\n{int(y)}年{int(m)}月{int(d)}日\n"
    )


def _keys(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        if name.endswith(".txt"):
            paths.append(path)
    conversion = convert(sorted(paths))
    assert not conversion.errors
    return {p.issue.documents[0].title: p.key for p in conversion.corpus.issues}


def test_unnumbered_issues_of_a_year_are_numbered_in_order_of_their_dates(tmp_path: Path) -> None:
    spring, autumn = _notice(9, "春季防火", "2024-03-01"), _notice(90, "秋季防火", "2024-09-01")
    (tmp_path / "a").mkdir()
    keys = _keys(tmp_path / "a", {"b.txt": spring, "a.txt": autumn})
    assert keys == {"自治区人民政府办公厅关于春季防火的通知": "2024/x1", "自治区人民政府办公厅关于秋季防火的通知": "2024/x2"}
    # The same texts under other names: the same addresses.
    (tmp_path / "b").mkdir()
    assert _keys(tmp_path / "b", {"zz-1.txt": spring, "aa-2.txt": autumn}) == keys


def test_a_dated_issue_lives_at_its_date_and_a_numbered_one_at_its_number(tmp_path: Path) -> None:
    files = {
        "dated.txt": _notice(9, "春季防火", "2024-02-01"),
        "dated.meta.yml": "year: 2024\npublished: 2024-02-15\n",
        "numbered.txt": _notice(20, "夏季防汛", "2024-05-01"),
        "numbered.meta.yml": "year: 2024\nnumber: 10\n",
    }
    keys = _keys(tmp_path, files)
    assert keys == {"自治区人民政府办公厅关于春季防火的通知": "2024/0215", "自治区人民政府办公厅关于夏季防汛的通知": "2024/10"}


def test_home_features_the_latest_numbered_or_dated_issue(tmp_path: Path) -> None:
    files = {
        "undated.txt": _notice(30, "冬季供暖", "2024-11-01"),  # the newest text, but neither numbered nor dated
        "dated.txt": _notice(9, "春季防火", "2024-02-01"),
        "dated.meta.yml": "year: 2024\npublished: 2024-02-15\n",
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths += [tmp_path / name] if name.endswith(".txt") else []
    issues = [p for p in convert(sorted(paths)).corpus.issues if p.docs]
    page = home(issues)
    latest = page.split("## 最新一期", 1)[1].split("## 按年份浏览", 1)[0]
    assert "2024年2月15日" in latest and 'href="2024/0215/"' in latest
    assert "冬季供暖" not in latest and "2024/x1/" not in latest
    assert "2024/x1/" in page  # still listed under its year
