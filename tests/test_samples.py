"""Structure found in the five sample extractions, checked against what a reader sees in them."""

from __future__ import annotations

import re
from pathlib import Path

from projects import REPO_ROOT

from converter.model import Clause, Issue, PublishedIssue
from converter.pipeline import Conversion


def _issue(conversion: Conversion, name: str) -> Issue:
    return next(i for i in conversion.issues if i.source.name.startswith(name))


def _published(conversion: Conversion, name: str) -> PublishedIssue:
    return next(p for p in conversion.corpus.issues if p.issue.source.name.startswith(name))


def test_2023_issue_cover_toc_and_two_linked_documents(conversion: Conversion) -> None:
    issue = _issue(conversion, "2023-06")
    published = _published(conversion, "2023-06")
    meta = issue.meta
    assert (meta.year, meta.number, meta.total_number, meta.published, meta.frequency) == (
        2023, 6, 711, "2023-03-31", "半月刊",
    )  # fmt: skip
    assert [str(d.doc_number) for d in issue.documents] == ["宁党发〔2023〕1号", "宁政办发〔2023〕13号"]
    assert len(issue.toc) == 2
    assert published.toc_links == ("2023/06/ndf-2023-1/", "2023/06/nzbf-2023-13/")
    assert [e.page for e in issue.toc] == [3, 10]
    assert issue.board is not None and dict(issue.board.roles)["主任"] == ("马金元",)
    first = issue.documents[0]
    assert first.signatories == ("中共宁夏回族自治区委员会", "宁夏回族自治区人民政府")
    assert first.date == "2023-03-02" and first.publication_note == "（此件公开发布）"
    assert [e.kind for e in first.enclosed] == ["opinion"]
    # Slogans printed inside the TOC are furniture, not TOC text.
    assert {f.reason for f in issue.furniture} >= {"page slogan", "repeated header", "masthead"}


def test_2021_issue_documents_attachments_and_appointments(conversion: Conversion) -> None:
    issue = _issue(conversion, "2021-04")
    assert len(issue.documents) == 5
    first = issue.documents[0]
    top_level = [b for b in (*first.body, *(b for e in first.enclosed for b in e.blocks),
                             *(b for a in first.attachments for b in a.blocks)) if isinstance(b, Clause)]  # fmt: skip
    assert len(top_level) == 16
    assert [(a.number, a.omitted) for a in first.attachments] == [(1, True), (2, False), (3, False), (4, False), (5, False)]
    appointments = issue.documents[-1].appointments
    assert len(appointments) == 7
    assert str(appointments[1].doc_number) == "宁政干发〔2020〕14号" and appointments[1].date == "2020-12-14"
    assert appointments[1].decisions[0] == "夏斌任宁夏回族自治区煤炭地质局局长；"
    assert appointments[1].notes == ("退休人员请所在单位按有关规定办理退休手续。",)
    assert appointments[1].preamble == "自治区人民政府决定："


def test_2022_issue_has_four_documents_with_chapters_and_sections(conversion: Conversion) -> None:
    issue = _issue(conversion, "2022-04")
    assert len(issue.documents) == 4
    plan = issue.documents[1].enclosed[0].blocks
    chapters = [b for b in plan if isinstance(b, Clause)]
    assert [c.label for c in chapters][-1] == "第十一章"
    assert chapters[0].anchor == "encl-ch1" and isinstance(chapters[0].children[0], Clause)
    assert chapters[0].children[0].anchor == "encl-ch1-sec1"


def test_2024_pages_without_front_matter(conversion: Conversion) -> None:
    issue = _issue(conversion, "2024-unnumbered")
    published = _published(conversion, "2024-unnumbered")
    assert issue.meta.inferred and issue.meta.year == 2024 and issue.meta.number is None
    assert published.key == "2024/x1"  # a sequence in its year: the address never comes from the file name
    report, rules, plan = issue.documents
    assert report.title == "政府工作报告" and report.doc_number is None
    assert [d.slug for d in published.docs] == ["zfgzbg-2024", "nzf-2023-35", "nzbf-2023-54"]
    assert str(rules.doc_number) == "宁政发〔2023〕35号"
    chapters = [b for b in rules.enclosed[0].blocks if isinstance(b, Clause)]
    assert [c.label for c in chapters[:2]] == ["第一章", "第二章"]
    assert [c.anchor for c in chapters[1].children if isinstance(c, Clause)][:2] == ["encl-ch2-4", "encl-ch2-5"]
    assert [a.title for a in plan.attachments] == ["需要复制推广的13个事项具体落实举措表"]
    raw = "\n".join(line for b in plan.attachments[0].blocks for line in getattr(b, "raw", ()))
    assert raw.startswith("序号 事项") and "〔2019〕38" in raw and raw.endswith("第18项）")  # in full, as text


def test_second_extraction_is_not_published_twice(conversion: Conversion) -> None:
    duplicate = _published(conversion, "nzbf-2023-13")
    assert duplicate.docs == ()
    assert [d.of_url for d in duplicate.duplicates] == ["2023/06/nzbf-2023-13/"]
    original = _published(conversion, "2023-06").docs[1]
    assert original.duplicate_sources == ("nzbf-2023-13.txt",)


def test_a_later_issue_with_its_own_appointments_is_not_taken_for_a_duplicate(tmp_path: Path) -> None:
    """Every issue has a document titled 人事任免; only its decisions' 文号 tell two of them apart."""
    from converter.pipeline import convert

    sample = next((REPO_ROOT / "sources").glob("2021-04.txt"))
    text = sample.read_text(encoding="utf-8")
    later = re.sub(r"宁政干发〔(\d{4})〕(\d+)号", lambda m: f"宁政干发〔{m[1]}〕{int(m[2]) + 40}号", text)
    later = later.replace("第 4 期", "第 5 期").replace("总第 666 期", "总第 667 期")
    assert later != text
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(later, encoding="utf-8")
    corpus = convert([tmp_path / "a.txt", tmp_path / "b.txt"]).corpus
    appointment_docs = [[d.document.title for d in p.docs if d.document.appointments] for p in corpus.issues]
    assert [len(docs) for docs in appointment_docs] == [1, 1], appointment_docs
    # The same extraction twice is still recognised as one publication.
    (tmp_path / "b.txt").write_text(text.replace("第 4 期", "第 5 期"), encoding="utf-8")
    again = convert([tmp_path / "a.txt", tmp_path / "b.txt"]).corpus
    assert sum(len(p.duplicates) for p in again.issues) >= 5
    assert sum(1 for p in again.issues for d in p.docs if d.document.appointments) == 1
