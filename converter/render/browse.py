"""Corpus-wide pages (path under docs/ → Markdown): the home page, browsing by issuer, kind and year,
and the 人事任免 index.

Like the document page, every piece of source text is escaped HTML (`esc`); links are relative directory URLs
(`rel`), so the pages work under any site prefix. The home page is generated (not hand-written) because
it shows the latest issue: it only ever links to pages generated in the same run or hand-written ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from converter.model import KIND_LABELS, Document, PublishedDoc, PublishedIssue
from converter.parse.decisions import actions
from converter.render.escape import esc
from converter.render.issue import toc_html
from converter.render.text import GAZETTE, chinese_date, front_matter, issue_label, year_label
from converter.urls import BROWSE, appointment_anchor, issue_url, rel, year_url

ISSUERS: tuple[tuple[str, str], ...] = (
    ("dw", "自治区党委、人民政府联合发文"),
    ("zf", "自治区人民政府"),
    ("bgt", "自治区人民政府办公厅"),
    ("qt", "其他"),
)
"""Issuer groups in display order: anchor id on the issuer page → heading."""


# --------------------------------------------------------------------------------------------------
# Classification


def issuer(document: Document) -> str:
    """Issuer group id (see ISSUERS): from the 落款, else the 文号's issuer code, else the title."""
    names = document.signatories
    code = document.doc_number.issuer if document.doc_number else ""
    if (
        any("中共" in s and "委员会" in s for s in names)
        or "党" in code
        or document.title.startswith("自治区党委")
    ):
        return "dw"
    if any(s.endswith("办公厅") for s in names):
        return "bgt"
    if any(s.endswith("人民政府") for s in names):
        return "zf"
    if code.startswith("宁政"):
        return "bgt" if "办" in code else "zf"
    if document.title.startswith("自治区人民政府办公厅"):
        return "bgt"
    if document.title.startswith("自治区人民政府"):
        return "zf"
    return "qt"


def _year(published: PublishedIssue) -> str:
    return published.id.folder


MakePiece = Callable[[PublishedIssue], list[str]]
"""Makes one issue's piece of an archive-wide page (`appointment_rows`, a browse page's entries)."""
Memo = Callable[[str, MakePiece], MakePiece]
"""Given a name and a `MakePiece`, the same, but with pieces possibly kept from an earlier build
(`publish.pieces`)."""


def made(_name: str, piece: MakePiece) -> MakePiece:
    """The `Memo` that keeps nothing: each piece is made when asked for."""
    return piece


def _docs(issues: list[PublishedIssue]) -> Iterable[tuple[PublishedDoc, PublishedIssue]]:
    """Every published document with its issue: newest issue first, printed order within an issue."""
    return ((doc, published) for published in issues for doc in published.docs)


# --------------------------------------------------------------------------------------------------
# Pieces


def _doc_item(doc: PublishedDoc, published: PublishedIssue, here: str) -> str:
    d = doc.document
    meta = [str(d.doc_number)] if d.doc_number else []
    meta += [chinese_date(d.date)] if d.date else []
    meta.append(issue_label(published))
    return (
        f'<li><a href="{esc(rel(here, doc.url))}">{esc(d.title)}</a>'
        f'<span class="gb-doc-meta">{esc("　".join(meta))}</span></li>'
    )


def _entries(here: str, key: Callable[[PublishedDoc], str]) -> MakePiece:
    """How an issue's documents are listed on the page at `here`: each one's group (`key`), then its item."""

    def entries(published: PublishedIssue) -> list[str]:
        return [part for doc in published.docs for part in (key(doc), _doc_item(doc, published, here))]

    return entries


def _grouped(issues: list[PublishedIssue], groups: Iterable[tuple[str, str]], entries: MakePiece) -> list[str]:
    """An in-page index of the groups with their counts, then one section per non-empty group; an
    issue's documents are its `entries` (`_entries`)."""
    members: dict[str, list[str]] = {}
    for published in issues:
        flat = entries(published)
        for group, item in zip(flat[::2], flat[1::2], strict=True):
            members.setdefault(group, []).append(item)
    present = [(gid, title) for gid, title in groups if members.get(gid)]
    out = ['<ul class="gb-groups">' + "".join(
        f'<li><a href="#{gid}">{esc(title)}</a>（{len(members[gid])}篇）</li>' for gid, title in present
    ) + "</ul>"]  # fmt: skip
    for gid, title in present:
        out.append(f"## {esc(title)} {{#{gid}}}")
        out.append('<ul class="gb-doclist">' + "".join(members[gid]) + "</ul>")
    if not present:
        out.append('<p class="gb-notice">尚无已发布的文件。</p>')
    return out


def _page(title: str, intro: str, body: list[str]) -> str:
    return "\n\n".join([front_matter(title), f"# {title}", f'<p class="gb-lead">{intro}</p>', *body]) + "\n"


# --------------------------------------------------------------------------------------------------
# Pages


def home(issues: list[PublishedIssue]) -> str:
    """The home page: what the gazette is, the latest issue's cover card and 目录, the years, where to look."""
    out = [front_matter(GAZETTE, description=f"《{GAZETTE}》的可检索网页版"), f"# {GAZETTE}"]
    out.append(
        '<p class="gb-lead">《宁夏回族自治区人民政府公报》（半月刊）刊登自治区党委、人民政府及其办公厅发布的文件、'
        "规章和人事任免等。本站将印刷版逐篇整理为可检索的网页，条款可单独引用；内容以印刷版为准。</p>"
    )
    if issues:
        # The latest issue a reader can name: numbered or dated (newest first); an issue known only by
        # the year its documents were signed is listed under its year, not featured.
        latest = next((p for p in issues if p.issue.meta.number or p.issue.meta.published), issues[0])
        meta = latest.issue.meta
        numbers = [f"{meta.year}年" if meta.year else "年份不详"]
        numbers += [f"第{meta.number}期"] if meta.number else ["期号未印"]
        numbers += [f"总第{meta.total_number}期"] if meta.total_number else []
        date = f"{chinese_date(meta.published)}出版" if meta.published else ""
        out.append("## 最新一期 {#latest}")
        out.append(
            '<div class="gb-cover-card">'
            f'<p class="gb-cover-title">{esc(GAZETTE)}</p>'
            f'<p class="gb-cover-number">{esc("　".join(numbers))}</p>'
            + (f'<p class="gb-cover-date">{esc(date)}</p>' if date else "")
            + f'<p><a class="md-button md-button--primary" href="{esc(rel("", issue_url(latest.id)))}">'
            f"阅读{esc(issue_label(latest))}</a></p></div>"
        )
        out.append(f"### 本期目录 {{#latest-toc}}\n\n{toc_html(latest, '')}")
    out.append("## 按年份浏览 {#years}")
    years: dict[str, list[PublishedIssue]] = {}
    for published in issues:
        years.setdefault(_year(published), []).append(published)
    rows = []
    for year, year_issues in years.items():
        links = "".join(
            f'<li><a href="{esc(rel("", issue_url(p.id)))}">{esc(issue_label(p).removeprefix(year_label(year)))}</a></li>'
            for p in year_issues
        )
        rows.append(
            f'<li><a class="gb-year" href="{esc(rel("", year_url(year)))}">{esc(year_label(year))}</a><ul>{links}</ul></li>'
        )
    out.append('<ul class="gb-years">' + "".join(rows) + "</ul>")
    out.append("## 查找文件 {#find}")
    out.append(
        "- [全部期刊](issues.md)：按年份列出各期\n"
        f"- [按发文机关]({BROWSE}issuer.md)、[按文件类型]({BROWSE}kind.md)、[按年份]({BROWSE}year.md)浏览文件\n"
        f"- [人事任免]({BROWSE}appointments.md)：全部任免决定，可按姓名、职务、日期排序\n"
        "- [文号索引](wenhao/index.md)：按文号查找，或访问 `/wenhao/文号缩写/`\n"
        "- 页面顶部的搜索框支持中文全文检索\n"
        "- [开放数据](open-data.md)：JSON 数据和订阅源；[关于本站](about.md)"
    )
    return "\n\n".join(out) + "\n"


def browse_index(issues: list[PublishedIssue]) -> str:
    count = sum(len(p.docs) for p in issues)
    decisions = sum(len(doc.document.appointments) for doc, _ in _docs(issues))
    body = [
        '<ul class="gb-groups">'
        '<li><a href="issuer/">按发文机关</a>：自治区人民政府、办公厅、党委与政府联合发文</li>'
        '<li><a href="kind/">按文件类型</a>：通知、意见、通报、报告、决定、规则、人事任免</li>'
        '<li><a href="year/">按年份</a>：每年刊登的全部文件</li>'
        '<li><a href="status/">按效力</a>：原文写明已停止执行、废止、修改或代替的文件</li>'
        f'<li><a href="appointments/">人事任免</a>：{decisions}件任免决定，逐人列出</li>'
        "</ul>"
    ]
    return _page("分类浏览", f"本站共收录{count}篇文件，可按以下方式浏览。", body)


def by_issuer(issues: list[PublishedIssue], memo: Memo = made) -> str:
    body = _grouped(issues, ISSUERS, memo("by-issuer", _entries(f"{BROWSE}issuer/", lambda doc: issuer(doc.document))))
    return _page("按发文机关浏览", "发文机关由落款和文号判断；联合发文列在党委、人民政府联合发文下。", body)


def by_kind(issues: list[PublishedIssue], memo: Memo = made) -> str:
    body = _grouped(issues, KIND_LABELS.items(), memo("by-kind", _entries(f"{BROWSE}kind/", lambda doc: doc.document.kind)))
    return _page("按文件类型浏览", "文件类型由标题判断（如“……的通知”“……的实施意见”）。", body)


def by_year(issues: list[PublishedIssue], memo: Memo = made) -> str:
    years = list(dict.fromkeys(_year(p) for p in issues))
    groups = [(f"y{y}" if y.isdigit() else y, year_label(y)) for y in years]
    body = _grouped(issues, groups, memo("by-year", _entries(f"{BROWSE}year/", _group_of_year)))
    return _page("按年份浏览", "按刊登的年份列出文件，新的在前。", body)


def _group_of_year(doc: PublishedDoc) -> str:
    year = doc.issue.folder
    return f"y{year}" if year.isdigit() else year


def appointment_rows(published: PublishedIssue) -> list[str]:
    """The rows of `appointments_index` for one issue's 人事任免 decisions: made of nothing but the issue,
    so a build may keep them from one build to the next (`publish/pieces.py`)."""
    here = f"{BROWSE}appointments/"
    rows: list[str] = []
    for doc in published.docs:
        for k, appointment in enumerate(doc.document.appointments, start=1):
            number = appointment.doc_number
            anchor = appointment_anchor(appointment, k)
            label = str(number) if number else f"第{k}件"
            order = f"{number.year:04d}-{number.serial:05d}" if number else ""
            link = f'<a href="{esc(rel(here, doc.url + "#" + anchor))}">{esc(label)}</a>'
            date = chinese_date(appointment.date)
            for decision in appointment.decisions:
                for action in actions(decision):
                    # data-label: the column's name on a phone, where each row is a card.
                    rows.append(
                        f'<tr><td data-label="姓名">{esc(action.name)}</td><td data-label="任免">{esc(action.kind)}</td>'
                        f'<td data-label="职务">{esc(action.post)}</td><td data-label="备注">{esc(action.remark)}</td>'
                        f'<td data-label="日期" data-sort="{esc(appointment.date or "")}">{esc(date)}</td>'
                        f'<td data-label="文号" data-sort="{order}">{link}</td></tr>'
                    )
    return rows


def appointments_index(issues: list[PublishedIssue], rows_of: MakePiece = appointment_rows) -> str:
    """Every 人事任免 decision, one row per person and action, linked to the decision on its page; an
    issue's rows are `rows_of` it (`appointment_rows`, made here or kept by the build)."""
    here = f"{BROWSE}appointments/"
    decisions = sum(len(doc.document.appointments) for doc, _ in _docs(issues))
    rows = [row for published in issues for row in rows_of(published)]
    intro = (
        f"共{decisions}件任免决定、{len(rows)}项任免。每项由程序从决定原文中拆分，以原文为准；"
        "点击文号查看原文。点击表头可排序，在筛选框中输入姓名、职务、文号或年份可筛选。"
    )
    if not rows:
        return _page("人事任免", "尚无已发布的人事任免决定。", [])
    head = "".join(f'<th scope="col">{h}</th>' for h in ("姓名", "任免", "职务", "备注", "日期", "文号"))
    # The filter box needs the script (assets/sortable.js shows it); without it the table is whole.
    search = (
        '<form class="gb-filter" role="search" hidden><label for="gb-filter-q">筛选</label>'
        '<input id="gb-filter-q" type="search" autocomplete="off" placeholder="姓名、职务、文号或年份，如 2020 局长">'
        '<output class="gb-filter-count" for="gb-filter-q" aria-live="polite"></output></form>'
    )
    table = (
        '<div class="md-typeset__scrollwrap gb-appointments"><div class="md-typeset__table gb-sortable">'
        '<table class="gb-grid">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>"
    )
    script = f'<script src="{rel(here, "assets/")}sortable.js" defer></script>'
    return _page("人事任免", intro, [search, table, script])
