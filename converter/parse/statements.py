"""What a document states in its own text, read once when it is parsed (and cached with its issue): the
文号 it cites, clause by clause (`mentions`); relations to other documents, from a sentence that names a
文号 and says 停止执行, 废止, 修改 or 代替 of it (`…（宁政发〔2023〕7号）停止执行。`, `同时废止《…》（…号）`); and its
own dates: `本办法自2024年3月1日起施行`, `自印发之日起执行`, `有效期至2025年12月31日`, `有效期5年`.
Never a guess: no sentence, no relation or date; the sentence is kept so that readers are shown it. The
link stage only resolves these against the other documents (`link/corpus.py`, `link/relations.py`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from converter.docnumber import DocNumber, find_doc_numbers
from converter.model import Block, Box, Clause, Document, Footnote, Paragraph, Relation, Table, Validity
from converter.numbering import cn_to_int, find_dates

# The phrase right after the 文号 (past its closing brackets and an adverb: `（…号）同时废止`), or right before
# the title that carries it (`同时废止《…》（…号）`). Anything looser would be a guess.
_ADVERB = r"(?:同时|予以|即行|一并|相应)?"
_AFTER = {
    "stops": re.compile(rf"^[）)》〕\s]*{_ADVERB}停止执行"),
    "repeals": re.compile(rf"^[）)》〕\s]*{_ADVERB}废止"),
    "replaces": re.compile(rf"^[）)》〕\s]*{_ADVERB}(?:代替|替代)"),
    "amends": re.compile(r"^[）)》〕\s]*(?:第[^。；，（(]{1,20})?(?:修改为|作如下修改)"),
}
_BEFORE = {
    "stops": re.compile(r"停止执行\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
    "repeals": re.compile(r"废止\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
    "replaces": re.compile(r"(?:代替|替代)\s*(?:《[^》]*》)?\s*[（(]?\s*$"),
}
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")
# The document's own start: `自` near the head of the sentence (`本办法自…`, `自…`), then a date or the day it
# was issued, then 起施行/执行/实施/生效. Its end: `有效期至<date>` or `有效期（为）N年` at the head of a clause.
_ISSUED = "(?:发布|印发|公布|颁布|下发|公告|发文)之日"
_DAY = r"[0-9０-９〇零一二三四五六七八九十]{1,4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,2}\s*月\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日"
_EFFECTIVE = re.compile(rf"^[^，。；]{{0,14}}?(?P<phrase>自\s*(?P<start>{_DAY}|{_ISSUED})\s*起\s*(?:施行|执行|实施|生效))")
_UNTIL = re.compile(rf"(?:^|[，,])(?:本[^，。；]{{0,10}})?有效期(?:至|到|截至)\s*(?P<until>{_DAY})")
_OWN_TERM = re.compile(r"^本[^，。；]{0,10}有效期")
"""A sentence about the document's own term (`本方案有效期至…`), not that of a licence it regulates."""
_YEARS = re.compile(r"(?:^|[，,])(?:本[^，。；]{0,10})?有效期(?:为|暂定)?\s*(?P<years>[0-9一二三四五六七八九十两]{1,3})\s*年")


def relations(document: Document, texts: Sequence[tuple[str, str]]) -> tuple[Relation, ...]:
    """The relations a document states, in reading order; one per (kind, target). `texts`: its
    `document_texts`."""
    found: dict[tuple[str, str], Relation] = {}
    for anchor, text in texts:
        if "号" not in text:  # a 文号 ends in 号: most texts need no sentence split
            continue
        for sentence in _sentences(text):
            for number, start, end in find_doc_numbers(sentence):
                if number == document.doc_number:
                    continue
                kind = _kind(sentence[:start], sentence[end:])
                if kind is not None:
                    found.setdefault((kind, str(number)), Relation(kind, number, anchor, sentence))  # type: ignore[arg-type]
    return tuple(found.values())


def validity(texts: Sequence[tuple[str, str]]) -> Validity | None:
    """When a document says it takes effect and until when (its last such sentences), or None, from its
    `document_texts`."""
    start: tuple[str, str, str] | None = None  # (printed start, clause, sentence)
    end: tuple[str | None, int | None, str, str] | None = None  # (until, years, clause, sentence)
    for anchor, text in texts:
        if "起" not in text and "有效期" not in text.replace("\n", ""):  # what either sentence must say
            continue
        for sentence in _sentences(text):
            if m := _EFFECTIVE.match(sentence):
                start = (re.sub(r"\s+", "", m["phrase"]), anchor, sentence)
            elif not _OWN_TERM.match(sentence):
                continue  # a 有效期 of something else (a licence, a permit)
            for clause in re.split(r"(?=[，,])", sentence):
                if u := _UNTIL.match(clause):
                    end = (next(iter(find_dates(u["until"])), None), None, anchor, sentence)
                elif y := _YEARS.match(clause):
                    end = (None, cn_to_int(y["years"].replace("两", "二")), anchor, sentence)
    if start is None and end is None:
        return None
    printed = start[0] if start else ""
    # 自发布之日: the day of publication, which the document does not print (its date is the day it was
    # signed): no date rather than a guess.
    effective = next(iter(find_dates(printed)), None)
    until = end[0] if end else None
    if end is not None and end[1] is not None and effective is not None:
        until = _after_years(effective, end[1])
    clause = start[1] if start else end[2] if end else ""
    sentences = [s for s in dict.fromkeys([start[2] if start else "", end[3] if end else ""]) if s]
    return Validity(effective, printed, until, clause, "".join(sentences))


def _after_years(iso: str, years: int) -> str | None:
    """The last day of a validity of `years` years from `iso` (from 2024-03-01 for 5 years: 2029-02-28)."""
    day = dt.date.fromisoformat(iso)
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28) + dt.timedelta(days=1)
    return (end - dt.timedelta(days=1)).isoformat()


def _kind(before: str, after: str) -> str | None:
    """What a sentence says of the 文号 between `before` and `after`, or None when it says nothing."""
    for kind, pattern in _AFTER.items():
        if pattern.match(after):
            return kind
    for kind, pattern in _BEFORE.items():
        if pattern.search(before):
            return kind
    return None


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE.finditer(text.replace("\n", "")):
        sentence = match.group(0).strip()
        if sentence:
            yield sentence



def with_statements(document: Document) -> Document:
    """`document` with what its text states: `mentions`, `stated` relations and `validity`."""
    texts = tuple(document_texts(document))  # walked once for the three
    return replace(
        document, mentions=mentions(document, texts), stated=relations(document, texts), validity=validity(texts)
    )


def mentions(document: Document, texts: Sequence[tuple[str, str]]) -> tuple[tuple[DocNumber, str], ...]:
    """(文号, clause anchor) of every 文号 the document prints other than its own, once per clause, in
    reading order. `texts`: its `document_texts`."""
    seen: dict[tuple[DocNumber, str], None] = {}
    for anchor, text in texts:
        if "号" not in text:  # a 文号 ends in 号
            continue
        for number, _, _ in find_doc_numbers(text):
            if number != document.doc_number:
                seen.setdefault((number, anchor))
    return tuple(seen)


def document_texts(document: Document) -> Iterator[tuple[str, str]]:
    """(clause anchor, text) for every piece of running text in a document, in reading order."""
    for block in document.body:
        yield from _block_texts(block, "")
    for enclosed in document.enclosed:
        for block in enclosed.blocks:
            yield from _block_texts(block, "")
    for attachment in document.attachments:
        yield (attachment.anchor, attachment.title)
        for block in attachment.blocks:
            yield from _block_texts(block, attachment.anchor)


def _block_texts(block: Block, anchor: str) -> Iterator[tuple[str, str]]:
    if isinstance(block, Paragraph | Footnote):
        yield (anchor, block.text)
    elif isinstance(block, Clause):
        yield (block.anchor, block.heading)
        for child in block.children:
            yield from _block_texts(child, block.anchor)
    elif isinstance(block, Box):
        yield (block.anchor, block.title)
        for child in block.children:
            yield from _block_texts(child, block.anchor)
    elif isinstance(block, Table):
        for row in block.rows:
            yield (anchor, " ".join(row))
        if not block.rows:
            yield (anchor, "\n".join(block.raw))
