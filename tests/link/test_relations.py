"""Validity relations (`converter/link/relations.py`): only explicit sentences count, the earlier document
says what happened to it and quotes the sentence, the later one says what it does."""

from __future__ import annotations

from pathlib import Path

from converter.docnumber import DocNumber
from converter.link.corpus import link
from converter.link.relations import add_relations
from converter.pipeline import convert, parse_source
from converter.read.source import decode_source
from converter.render.document import render_document

ROOT = Path(__file__).resolve().parents[2]

EARLIER = """自治区人民政府办公厅关于印发某某办法的通知
宁政办发〔2024〕1号
各市、县（区）人民政府：
现将《某某办法》印发给你们，请认真贯彻执行。
宁夏回族自治区人民政府办公厅
2024年1月2日
"""
LATER = """自治区人民政府办公厅关于印发某某新办法的通知
宁政办发〔2024〕9号
各市、县（区）人民政府：
一、现将《某某新办法》印发给你们，请认真贯彻执行。
二、本办法自印发之日起施行，《某某办法》（宁政办发〔2024〕1号）同时废止。
三、各地要按照宁政办发〔2024〕3号的要求做好衔接，不得废止已有的便民措施。
宁夏回族自治区人民政府办公厅
2024年3月2日
"""


def _corpus():  # type: ignore[no-untyped-def]
    issues = []
    for name, text in (("a.txt", EARLIER), ("b.txt", LATER)):
        source, _ = decode_source(text.encode("utf-8"), name)
        issues.append(parse_source(source))
    return add_relations(link(issues))


def test_the_samples_rules_stop_the_earlier_rules() -> None:
    corpus = convert(sorted((ROOT / "sources").glob("*.txt"))).corpus
    docs = {str(d.document.doc_number): d for p in corpus.issues for d in p.docs}
    (relation,) = docs["宁政发〔2023〕35号"].relations
    assert (relation.kind, relation.target) == ("stops", DocNumber.parse("宁政发〔2023〕7号"))
    assert relation.sentence.endswith("（宁政发〔2023〕7号）停止执行。") and relation.clause


def test_an_explicit_sentence_marks_the_earlier_document_and_is_quoted() -> None:
    corpus = _corpus()
    docs = {str(d.document.doc_number): (d, p) for p in corpus.issues for d in p.docs}
    later, _ = docs["宁政办发〔2024〕9号"]
    kinds = {(r.kind, str(r.target)) for r in later.relations}
    # The third clause names a 文号 and says 废止, but not of it: no relation (never a guess).
    assert kinds == {("repeals", "宁政办发〔2024〕1号")}
    earlier, issue = docs["宁政办发〔2024〕1号"]
    assert [(number, r.kind) for _, number, r in earlier.affected_by] == [("宁政办发〔2024〕9号", "repeals")]
    page = render_document(earlier, issue)
    assert "已废止 — 依据" in page and "《某某办法》（宁政办发〔2024〕1号）同时废止。" in page
    assert "效力" in render_document(later, docs["宁政办发〔2024〕9号"][1])


def test_the_phrase_before_the_title_counts_too() -> None:
    text = LATER.replace("《某某办法》（宁政办发〔2024〕1号）同时废止", "同时废止《某某办法》（宁政办发〔2024〕1号）")
    source, _ = decode_source(text.encode("utf-8"), "b.txt")
    corpus = add_relations(link([parse_source(source)]))
    assert [(r.kind, str(r.target)) for r in corpus.issues[0].docs[0].relations] == [("repeals", "宁政办发〔2024〕1号")]


def test_no_sentence_no_relation() -> None:
    source, _ = decode_source("关于某事的通知\n宁政办发〔2024〕5号\n各单位：\n依据宁政办发〔2024〕1号开展工作。有关规定予以废止。\n".encode(), "c.txt")
    issue = parse_source(source)
    corpus = add_relations(link([issue]))
    assert corpus.issues[0].docs[0].relations == ()


# -- effective dates and expiry ---------------------------------------------------------------------------


def _validity(body: str):  # type: ignore[no-untyped-def]
    text = f"关于某事的通知\n宁政办发〔2024〕5号\n各单位：\n{body}\n宁夏回族自治区人民政府办公厅\n2024年1月2日\n"
    source, _ = decode_source(text.encode("utf-8"), "v.txt")
    corpus = add_relations(link([parse_source(source)]))
    return corpus.issues[0].docs[0], corpus.issues[0]


def test_a_printed_start_and_end_are_read_and_shown() -> None:
    doc, issue = _validity("一、做好有关工作。\n二、本方案自2024年3月1日起施行，有效期至2026年12月31日。")
    found = doc.validity
    assert found is not None
    assert (found.effective, found.effective_text, found.until) == ("2024-03-01", "自2024年3月1日起施行", "2026-12-31")
    assert found.clause == "p2" and found.sentence == "本方案自2024年3月1日起施行，有效期至2026年12月31日。"
    assert "自2024年3月1日起施行，有效期至2026年12月31日" in render_document(doc, issue)


def test_a_term_in_years_counts_from_the_printed_start() -> None:
    doc, _ = _validity("本办法自2024年3月1日起施行，有效期5年。")
    assert doc.validity is not None and doc.validity.until == "2029-02-28"
    doc, _ = _validity("本办法自印发之日起施行，有效期五年。")
    # The day of publication is not printed: no date, no end, only the words.
    assert doc.validity is not None
    assert (doc.validity.effective, doc.validity.effective_text, doc.validity.until) == (None, "自印发之日起施行", None)


def test_the_term_of_a_licence_is_not_the_documents() -> None:
    doc, _ = _validity("许可证分为正本和副本，有效期为5年。申请人自受理之日起30日内补正材料。")
    assert doc.validity is None


def test_the_samples_rules_take_effect_on_publication() -> None:
    corpus = convert(sorted((ROOT / "sources").glob("*.txt"))).corpus
    docs = {str(d.document.doc_number): d for p in corpus.issues for d in p.docs}
    found = docs["宁政发〔2023〕35号"].validity
    assert found is not None and found.effective_text == "自发布之日起执行" and found.until is None
    assert found.sentence == "本规则自发布之日起执行。" and found.clause.endswith("-45")
