"""The gazette as data: frozen dataclasses from a decoded source file up to a linked corpus.

Every node carries its source span (`Span`: file, first line, last line, 1-based, inclusive) so that a
warning can point an editor at `002_….txt:3214`. Stages return new values; nothing here is mutated.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, get_args

from converter.docnumber import DocNumber


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node came from in its source file."""

    file: str
    """Source file name (no directory), e.g. `2024-03.txt`."""
    first: int
    """First source line, 1-based."""
    last: int
    """Last source line, inclusive."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded source file: the raw extraction as numbered lines, nothing else changed."""

    name: str
    """File name without directory, used in spans, slugs and JSON (`source.file`)."""
    path: str
    """Path as given on the command line, for messages."""
    sha256: str
    """Hex digest of the raw bytes, so a rebuild can tell an unchanged file."""
    encoding: str
    """The encoding the bytes were decoded with (utf-8, utf-8-sig, gb18030, utf-16)."""
    lines: tuple[str, ...]
    """Decoded lines without line endings; `lines[0]` is source line 1."""
    pages: tuple[int, ...] = ()
    """For a PDF source, the PDF page (1-based) each line was read from; empty for a text extraction."""
    furniture: tuple[tuple[int, str], ...] = ()
    """For a PDF source, (line number, reason) of the lines the layout shows are page furniture."""


@dataclass(frozen=True, slots=True)
class Line:
    """One cleaned source line: furniture removed, letter-spacing undone, punctuation width normalised."""

    no: int
    """Source line number (1-based)."""
    text: str
    """Cleaned text; never empty (blank lines are dropped by cleaning)."""
    hint: int
    """Heading level suggested by markdown `#` marks in the extraction (0 = none); a hint, never trusted."""
    tabbed: bool = False
    """The raw line had tab separators (a tab-separated table row)."""


@dataclass(frozen=True, slots=True)
class Furniture:
    """A source line that is page furniture, not content: kept with the reason it was set aside."""

    line: int
    """Source line number."""
    text: str
    """The line as printed."""
    reason: str
    """Why it is furniture: `masthead`, `page slogan`, `repeated header`, …"""


@dataclass(frozen=True, slots=True)
class Warning_:
    """Something an editor should look at; never fatal unless `--strict`."""

    line: int
    """Source line number (0 = the file as a whole)."""
    code: str
    """Stable machine code, e.g. `inferred-year`, `numbering-gap`."""
    message: str
    """What was expected and what was found, in plain words."""


@dataclass(frozen=True, slots=True)
class CleanSource:
    """The output of cleaning: content lines plus what was set aside."""

    source: SourceText
    """The decoded file this came from."""
    lines: tuple[Line, ...]
    """Content lines in order (blank lines dropped)."""
    furniture: tuple[Furniture, ...]
    """Lines set aside as page furniture, with reasons."""


@dataclass(frozen=True, slots=True)
class DocSpan:
    """The lines of one document, and where its anchor (文号 line) is among them."""

    lines: tuple[Line, ...]
    """Every line of the document, title first."""
    anchor: int | None
    """Index in `lines` of the 文号 line, None for a document without 文号."""
    appointments: bool
    """True for a 人事任免 block (several dated 文号 lines)."""


# ---------------------------------------------------------------------------------------------------
# Front matter of an issue


@dataclass(frozen=True, slots=True)
class IssueMeta:
    """Cover data of one issue (封面): what is printed, or inferred, or stated by a sidecar."""

    year: int | None
    """Year of the issue (年)."""
    number: int | None
    """Issue number within the year (第N期)."""
    total_number: int | None
    """Running number since the first issue (总第N期)."""
    published: str | None
    """Publication date, ISO `YYYY-MM-DD` (出版日期)."""
    frequency: str | None
    """Frequency as printed, e.g. 半月刊."""
    inferred: bool
    """True when any field was inferred from the text rather than printed on the cover."""
    span: Span | None
    """Where the cover data was printed (None when inferred)."""


@dataclass(frozen=True, slots=True)
class EditorialBoard:
    """编辑委员会: members by role, in printed order."""

    roles: tuple[tuple[str, tuple[str, ...]], ...]
    """(role, names) pairs: 主任, 副主任, 委员 …"""
    note: str | None
    """A printed remark such as （按姓氏笔画排列）."""
    span: Span


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One entry of the printed table of contents (目录)."""

    section: str | None
    """The 【…】 section it is printed under."""
    title: str
    """Title as printed (wrapped lines joined)."""
    doc_number: DocNumber | None
    """文号 printed with the entry."""
    page: int | None
    """Printed page number."""
    span: Span


@dataclass(frozen=True, slots=True)
class Colophon:
    """版权页 data: label → value as printed (主编, 责任编辑, 地址, ISSN, CN, 印刷 …)."""

    fields: tuple[tuple[str, str], ...]
    """(label, value) pairs in printed order; labels with letter-spacing removed."""
    span: Span


# ---------------------------------------------------------------------------------------------------
# Document content


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of text (段落), wrapped lines joined."""

    text: str
    """The text as printed, wrapped lines joined."""
    span: Span


@dataclass(frozen=True, slots=True)
class Footnote:
    """A page footnote (脚注): its mark and text, set aside from the paragraph the page break cut."""

    mark: str
    """The mark as printed: ①, ②, *."""
    text: str
    """The note's text, without the mark."""
    span: Span


LOW_CONFIDENCE = 0.8
"""Below this confidence a table is shown as printed, with a notice (and listed in the editor report)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table (表格) rebuilt from the extraction, or kept as preformatted text when unsure."""

    caption: str | None
    """Caption printed above the table (表1：…, 专栏1 …)."""
    rows: tuple[tuple[str, ...], ...]
    """Cells, header row first; empty when only `raw` is known."""
    header_rows: int
    """How many of `rows` are header rows."""
    confidence: float
    """0–1: how sure the rebuild is; below the threshold the page shows `raw`."""
    raw: tuple[str, ...]
    """The source lines of the table as printed, for the preformatted fallback."""
    span: Span
    anchor: str = ""
    """Id on its page, `table-1`, `table-2`… in reading order (rows get `table-1-r3`); set per document."""
    merges: tuple[tuple[int, int, int, int], ...] = ()
    """Merged cells (合并单元格) as (row, column, rowspan, colspan) over `rows`; covered cells are empty."""
    cell_lines: tuple[tuple[tuple[int, ...], ...], ...] = ()
    """Source line numbers of each cell's fragments, per row of `rows`; empty when a row is one line."""
    dropped: tuple[Furniture, ...] = ()
    """Lines set aside while rebuilding: headers and cells printed again after a page break."""
    row_links: tuple[str, ...] = ()
    """Per body row, the anchor of the clause describing the same item (`encl-p2-3`), or ""."""
    link_column: int = 0
    """The column whose cells name the items `row_links` link to (事项); 0 when rows are not linked."""

    @property
    def low_confidence(self) -> bool:
        """True when the rebuild is too unsure to show: the page shows `raw` and the report lists it."""
        return not self.rows or self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True, slots=True)
class Box:
    """A titled box (专栏) of items set apart from the running text, such as `专栏2 巩固拓展脱贫攻坚成果`."""

    label: str
    """The label as printed, `专栏2`."""
    number: int
    """The box number (专栏2 → 2)."""
    title: str
    """The title after the label."""
    anchor: str
    """Id on its page from the printed number (`box2`, `encl-box2`)."""
    children: tuple[Block, ...]
    """The box's items (numbered paragraphs) as printed."""
    span: Span


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered heading (第X章 / 第X条 / 一、 / （一） / 1. …) with everything under it."""

    kind: str
    """Marker kind from the clause-marker table: `bian`, `zhang`, `jie`, `tiao`, `yi`, `paren`, `arabic`, `paren_arabic`, `circled`."""
    number: int
    """The printed number as an integer (三 → 3)."""
    label: str
    """The marker as printed, normalised: `第三条`, `一、`, `（二）`, `1.`."""
    heading: str
    """The clause's title after the marker (`总体要求`, a run-in `指导思想。`); empty for a numbered paragraph
    (条款段落), whose text is a sentence: its first child is then that sentence's `Paragraph`."""
    anchor: str
    """Permanent id from the printed numbering (`ch2-art5`, `p3-2-1`, `encl-p1`)."""
    children: tuple[Block, ...]
    """What follows the heading up to the next clause at the same or a higher level."""
    span: Span


Block = Paragraph | Footnote | Table | Box | Clause


def walk(blocks: Sequence[Block]) -> Iterator[Block]:
    """Every block in a tree, each clause or box before its children."""
    # A stack of the levels being read rather than a generator per level: a block deep in the tree is not
    # handed up through every level's `yield from` (the archive-wide pages walk every document).
    levels = [iter(blocks)]
    while levels:
        for block in levels[-1]:
            yield block
            if isinstance(block, _NESTS):
                levels.append(iter(block.children))
                break
        else:
            levels.pop()


_NESTS = (Clause, Box)


@dataclass(frozen=True, slots=True)
class Attachment:
    """附件: an attachment of a document, printed in full or listed as omitted (（略）)."""

    label: str
    """`附件`, `附件2` …"""
    number: int
    """Attachment number (1 when unnumbered)."""
    title: str
    """Title as printed."""
    omitted: bool
    """True when the gazette prints only the title with （略）."""
    anchor: str
    """Anchor of the attachment on the document page (`att2`)."""
    blocks: tuple[Block, ...]
    """Content when printed."""
    span: Span


@dataclass(frozen=True, slots=True)
class Enclosed:
    """A document printed after a 印发/转发 notice (the plan, rules or opinion it issues)."""

    title: str
    """Title of the enclosed document."""
    kind: str
    """Kind inferred from the title (opinion, rules, …)."""
    blocks: tuple[Block, ...]
    """Its body."""
    span: Span


@dataclass(frozen=True, slots=True)
class Appointment:
    """One 人事任免 decision document (宁政干发〔YYYY〕N号)."""

    doc_number: DocNumber | None
    """Its 文号."""
    date: str | None
    """ISO date printed beside the 文号."""
    addressees: str | None
    """主送 without the colon."""
    preamble: str
    """Text before the decisions, e.g. 自治区人民政府决定："""
    decisions: tuple[str, ...]
    """One entry per decision (任/免/晋升/提名 …)."""
    notes: tuple[str, ...]
    """Notes after the decisions (retirement handling, probation)."""
    span: Span


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where a printed page (页) begins inside a document, as the extraction's page-number lines tell."""

    page: int
    """The printed page number that begins here."""
    line: int
    """Source line of the first content line printed on that page."""


@dataclass(frozen=True, slots=True)
class PageSpan:
    """The printed pages (页码) a document occupies in its issue: what readers cite (2021年第4期第5页).

    Only what the gazette tells: page-number lines (each printed at the foot of its page) and the 目录's
    page of the document. Where the two disagree the page-number lines win and `toc_page` keeps the
    目录's word, so the editor's report can list the document."""

    first: int | None
    """Page the document begins on: from the page-number lines, else from the 目录; None when unknown."""
    last: int | None
    """Page it ends on: from the page-number lines, or the first page when the next document begins on
    that same page; None when unknown (the 目录 gives first pages only)."""
    breaks: tuple[PageBreak, ...]
    """Pages that begin inside the document, in order (from the page-number lines only)."""
    toc_page: int | None
    """The page the 目录 prints for the document, None when it has no 目录 entry."""


Kind = Literal["notice", "opinion", "bulletin", "report", "decision", "rules", "appointments", "other"]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""Every document kind, in the order readers see them."""
KIND_LABELS: dict[Kind, str] = {
    "notice": "通知", "opinion": "意见", "bulletin": "通报", "report": "报告",
    "decision": "决定", "rules": "规则", "appointments": "人事任免", "other": "其他",
}  # fmt: skip
"""Document.kind → how a reader names it."""


@dataclass(frozen=True, slots=True)
class Document:
    """An article of the gazette (公文): header, body, 落款, enclosures and attachments."""

    title: str
    """Title as printed (wrapped lines joined)."""
    doc_number: DocNumber | None
    """文号, when printed."""
    kind: Kind
    """What sort of document it is, from its title."""
    subtitle: tuple[str, ...]
    """Lines printed between title and body that are neither 文号 nor 主送 (a speech's occasion, speaker)."""
    addressees: str | None
    """主送机关, without the trailing colon."""
    body: tuple[Block, ...]
    """Body of the document itself."""
    signatories: tuple[str, ...]
    """落款 issuers, in printed order."""
    date: str | None
    """落款 date, ISO."""
    publication_note: str | None
    """（此件公开发布） or similar."""
    enclosed: tuple[Enclosed, ...]
    """Documents printed after the 落款 (issued or forwarded texts)."""
    attachments: tuple[Attachment, ...]
    """附件, printed or omitted."""
    appointments: tuple[Appointment, ...]
    """For a 人事任免 block: the decisions it holds."""
    span: Span
    title_lines: int = 1
    """How many printed lines the title was joined from (an editor checks a join over several)."""
    pages: PageSpan | None = None
    """Printed pages (页码) in the issue, None when neither page-number lines nor a 目录 tell them."""
    mentions: tuple[tuple[DocNumber, str], ...] = ()
    """文号 it prints other than its own, with the clause anchor they stand in (`parse/statements.py`)."""
    stated: tuple[Relation, ...] = ()
    """What it says it stops, repeals, amends or replaces, by explicit sentence (`parse/statements.py`)."""
    validity: Validity | None = None
    """When it says it takes effect and until when; None when it says nothing (`parse/statements.py`)."""

    def blocks(self) -> Iterator[Block]:
        """Every block of the document (body, enclosed, attachments), clauses before their children."""
        yield from walk(self.body)
        for enclosed in self.enclosed:
            yield from walk(enclosed.blocks)
        for attachment in self.attachments:
            yield from walk(attachment.blocks)


@dataclass(frozen=True, slots=True)
class Issue:
    """Everything found in one source file: an issue of the gazette or part of one."""

    source: SourceText
    """The decoded source."""
    meta: IssueMeta
    """Cover data (possibly inferred or from a sidecar)."""
    board: EditorialBoard | None
    """编辑委员会, when printed."""
    toc: tuple[TocEntry, ...]
    """Printed 目录 entries."""
    colophon: Colophon | None
    """版权页, when printed."""
    documents: tuple[Document, ...]
    """Documents in printed order."""
    furniture: tuple[Furniture, ...]
    """Lines set aside, with reasons."""
    warnings: tuple[Warning_, ...]
    """What an editor should look at."""
    original_pdf: tuple[str, int] | None = None
    """The printed original: (path as found in sources/, size in bytes) of the PDF that was the source,
    or that lies beside the text extraction under the same name; None when there is none."""


# ---------------------------------------------------------------------------------------------------
# The linked corpus


@dataclass(frozen=True, slots=True)
class Citation:
    """A 文号 cited in running text."""

    doc_number: DocNumber
    """The cited 文号."""
    clause: str
    """Anchor of the clause it occurs in ('' for the document's preamble)."""
    target: str | None
    """URL (site-relative) of the cited document when it is in the gazette."""


@dataclass(frozen=True, slots=True)
class Relation:
    """What a document says it does to an earlier one, in one explicit sentence (停止执行, 废止, 修改, 代替)."""

    kind: Literal["stops", "repeals", "amends", "replaces"]
    """停止执行 → stops, 废止 → repeals, 修改 → amends, 代替/替代 → replaces."""
    target: DocNumber
    """The 文号 of the document acted on."""
    clause: str
    """Anchor of the clause holding the sentence ('' for the preamble)."""
    sentence: str
    """The sentence as printed, which readers are shown."""


@dataclass(frozen=True, slots=True)
class Validity:
    """When a document says it takes effect and until when, in its own explicit sentences."""

    effective: str | None
    """ISO date it takes effect (施行/执行/实施/生效) when the sentence prints one; None for `自印发之日起`
    (the day of publication is not printed) or when no sentence says."""
    effective_text: str
    """The start as printed: `自2024年3月1日起施行`, `自印发之日起执行`; empty when not stated."""
    until: str | None
    """ISO date its validity ends (有效期至…, or 有效期N年 counted from `effective`); None when not stated."""
    clause: str
    """Anchor of the clause holding the sentence ('' for the preamble)."""
    sentence: str
    """The sentence(s) as printed, which readers are shown."""


@dataclass(frozen=True, slots=True)
class IssueKey:
    """Which issue a page belongs to: the parts its address is made of (`converter/urls.py` spells them)."""

    year: int | None
    """Year of the issue, None when not known."""
    number: int | None
    """Issue number (期号), None while none is printed or given by a sidecar."""
    unnumbered: str = ""
    """Stand-in for the number of an issue without one, from the gazette's data (`urls.issue_keys`):
    its publication date `0215`, or its place in the year `x1`."""

    @property
    def folder(self) -> str:
        """The year folder: `2023`, or `undated`."""
        return str(self.year) if self.year else "undated"

    @property
    def path(self) -> str:
        """`2023/06`, or `2024/0215` / `2024/x1` while the number is not known."""
        if self.year and self.number:
            return f"{self.year}/{self.number:02d}"
        return f"{self.folder}/{self.unnumbered}"


@dataclass(frozen=True, slots=True)
class PublishedDoc:
    """A document placed in the site: its URL, neighbours and links."""

    document: Document
    """The parsed document."""
    issue: IssueKey
    """The issue it is published in."""
    slug: str
    """Last URL segment (`nzbf-2023-13`)."""
    source: str
    """Source file name it was taken from."""
    citations: tuple[Citation, ...]
    """文号 cited in it."""
    cited_by: tuple[tuple[str, str], ...]
    """(url of citing document, clause anchor) pairs."""
    duplicate_sources: tuple[str, ...] = field(default=())
    """Other source files holding another extraction of the same document."""
    relations: tuple[Relation, ...] = ()
    """What this document stops, repeals, amends or replaces, by explicit sentence."""
    affected_by: tuple[tuple[str, str, Relation], ...] = ()
    """(URL, 文号 as printed, relation) of the later documents that act on this one."""
    validity: Validity | None = None
    """When it takes effect and until when, by its own explicit sentence; None when it says nothing."""

    @property
    def issue_key(self) -> str:
        """`2023/06`: the issue folder it is published in."""
        return self.issue.path

    @property
    def url(self) -> str:
        """Site-relative URL with trailing slash."""
        return f"{self.issue.path}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A second extraction of a document already published."""

    source: str
    """Source file holding the second extraction."""
    title: str
    """Its title."""
    of_url: str
    """URL of the published document it duplicates."""
    of_source: str
    """Source file of the published extraction."""
    differences: tuple[str, ...]
    """Short unified-diff lines describing where the texts differ."""


@dataclass(frozen=True, slots=True)
class PublishedIssue:
    """An issue placed in the site with its documents (in printed order)."""

    issue: Issue
    """The parsed issue."""
    id: IssueKey
    """Which issue it is; `key` is its path."""
    docs: tuple[PublishedDoc, ...]
    """Documents published under this issue."""
    toc_links: tuple[str | None, ...]
    """For each TOC entry, the URL of its document or None."""
    duplicates: tuple[Duplicate, ...]
    """Documents of this source not published because another extraction was."""

    @property
    def key(self) -> str:
        """`2023/06`, or `2024/0215` / `2024/x1`: the issue's folder."""
        return self.id.path


@dataclass(frozen=True, slots=True)
class Corpus:
    """All issues, linked: what the renderer and the exporter read."""

    issues: tuple[PublishedIssue, ...]
    """Issues, newest first."""


def _pickle_by_field_values(cls: type[Any]) -> None:
    """Pickle `cls` as the tuple of its field values, set back through its slots: the values the dataclass
    default keeps too, without its `dataclasses.fields` call per object, which was most of the time of
    pickling and unpickling an `Issue` (what a pool worker sends back, what the cache keeps). The setter
    is written out field by field, as `dataclasses` writes `__init__`: a loop over the fields took a third
    of the time of loading a cached archive (hundreds of thousands of objects)."""
    names = tuple(f.name for f in fields(cls))
    if not names:
        return
    values = operator.attrgetter(*names)

    def getstate(self: object) -> tuple[object, ...]:
        return (values(self),) if len(names) == 1 else values(self)

    # the slots' own setters (a frozen dataclass refuses setattr), one local name per field
    scope: dict[str, Any] = {f"_set{i}": cls.__dict__[name].__set__ for i, name in enumerate(names)}
    unpacked = "".join(f"_v{i}, " for i in range(len(names)))
    sets = "".join(f"\n    _set{i}(self, _v{i})" for i in range(len(names)))
    source = f"def setstate(self, state):\n    {unpacked}= state{sets}"  # our own text, names from `fields`
    exec(compile(source, f"<{cls.__name__}.__setstate__>", "exec"), scope)  # a name of its own for profiles

    setattr(cls, "__getstate__", getstate)  # noqa: B010 (mypy: methods of a class are not assignable)
    setattr(cls, "__setstate__", scope["setstate"])  # noqa: B010


for _cls in [v for v in tuple(globals().values()) if isinstance(v, type) and is_dataclass(v)]:
    if _cls.__module__ == __name__ or _cls is DocNumber:  # DocNumber: thousands in an archive too
        _pickle_by_field_values(_cls)
del _cls
