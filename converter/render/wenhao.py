"""Redirect pages: one per published 文号 (`/wenhao/<slug>/`) with the index of them all, and one per
address of an earlier publication that moved (`link/ids.py` finds where to)."""

from __future__ import annotations

from collections.abc import Mapping

from converter.link.ids import aliases, moves
from converter.model import Corpus, PublishedIssue
from converter.render.document import RELATION_LABELS
from converter.render.escape import esc
from converter.render.text import dump_json, front_matter, md_heading_text
from converter.urls import ALIASES, WENHAO_INDEX, rel, wenhao_url


def redirect_html(target: str, title: str, body: str) -> str:
    """A static redirect page that works on any host: a script that keeps the visitor's `#anchor` (when
    `target` names none), meta refresh, canonical link, and `body` (HTML) with a visible link."""
    to = esc(target)
    keep = "" if "#" in target else " + location.hash"
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>"
        f'<link rel="canonical" href="{to}">'
        f'<script>location.replace("{to}"{keep})</script>'
        f'<meta http-equiv="refresh" content="0; url={to}">'
        f"</head><body>{body}</body></html>\n"
    )


def render_wenhao(issues: list[PublishedIssue]) -> dict[str, str]:
    """A redirect page per published 文号 (works on any static host), an index of them all with a note
    for each cited 文号 the gazette does not carry, and `wenhao/numbers.json`: every 文号 as printed →
    where the 404 page sends a reader who typed it (the document, or its 本公报未收录 note)."""
    files: dict[str, str] = {}
    rows: list[tuple[str, int, int, str, str]] = []
    numbers: dict[str, str] = {}
    for published in issues:
        for doc in published.docs:
            # A document's own 文号, and each 人事任免 decision's 文号 (to its anchor on the page).
            targets = [(doc.document.doc_number, doc.url, doc.document.title)]
            targets += [(a.doc_number, f"{doc.url}#{a.doc_number.slug}", f"{doc.document.title}（{a.date or ''}）")
                        for a in doc.document.appointments if a.doc_number is not None]  # fmt: skip
            for number, url, title in targets:
                if number is None:
                    continue
                here = wenhao_url(number)
                target = rel(here, url)
                label = f"{number} {title}"
                files[f"{here}index.html"] = redirect_html(target, label, f'<p><a href="{esc(target)}">{esc(label)}</a></p>')
                rows.append((number.issuer, number.year, number.serial, url, title))
                numbers.setdefault(str(number), url)
    out = [front_matter("文号索引"), "# 文号索引"]
    issuer = None
    for row in sorted(rows):
        if row[0] != issuer:
            issuer = row[0]
            out.append(f"## {md_heading_text(issuer)}")
        out.append(f'<p><a href="{esc(rel(WENHAO_INDEX, row[3]))}">{esc(f"{row[0]}〔{row[1]}〕{row[2]}号")}</a> {esc(row[4])}</p>')
    out += _not_in_gazette(issues, numbers)
    files[f"{WENHAO_INDEX}index.md"] = "\n\n".join(out) + "\n"
    files[f"{WENHAO_INDEX}numbers.json"] = dump_json(numbers, sort_keys=True)
    return files


def _not_in_gazette(issues: list[PublishedIssue], numbers: dict[str, str]) -> list[str]:
    """One anchored note per 文号 cited in the gazette but not published in it, with the documents that
    cite it; each is added to `numbers` (→ `wenhao/#<anchor>`)."""
    cited: dict[str, list[tuple[str, str]]] = {}
    anchors: dict[str, str] = {}
    for published in issues:
        for doc in published.docs:
            for citation in doc.citations:
                printed = str(citation.doc_number)
                if citation.target is not None or printed in numbers:
                    continue
                if printed not in anchors:
                    # Two issuers with the same initials: the second note gets a suffix.
                    anchor, k = f"x-{citation.doc_number.slug}", 1
                    while anchor in anchors.values():
                        k += 1
                        anchor = f"x-{citation.doc_number.slug}-{k}"
                    anchors[printed] = anchor
                citing = cited.setdefault(printed, [])
                link = (f"{doc.url}#{citation.clause}" if citation.clause else doc.url, doc.document.title)
                if link not in citing:
                    citing.append(link)
    if not cited:
        return []
    out = ["## 本公报未收录的文号 {#not-in-gazette}", '<p class="gb-lead">以下文号在公报刊登的文件中被引用，但该文件本身未在本公报刊登。</p>']
    acted = {
        str(relation.target): (doc, relation) for published in issues for doc in published.docs for relation in doc.relations
    }
    for printed in sorted(cited):
        numbers[printed] = f"{WENHAO_INDEX}#{anchors[printed]}"
        users = "、".join(f'<a href="{esc(rel(WENHAO_INDEX, url))}">{esc(title)}</a>' for url, title in cited[printed])
        status = ""
        if printed in acted:  # what stopped (repealed, …) it, in the gazette's own words
            doc, relation = acted[printed]
            where = f"{doc.url}#{relation.clause}" if relation.clause else doc.url
            by = f'<a href="{esc(rel(WENHAO_INDEX, where))}">{esc(str(doc.document.doc_number or doc.document.title))}</a>'
            status = f"<br>{RELATION_LABELS[relation.kind]}：依据 {by}：“{esc(relation.sentence)}”"
        out.append(f'<p class="gb-not-in-gazette" id="{anchors[printed]}"><strong>{esc(printed)}</strong>：本公报未收录。引用它的文件：{users}{status}</p>')
    return out


def redirect_files(previous: Mapping[str, object], corpus: Corpus) -> dict[str, str]:
    """docs/ files that keep URLs and anchors of `previous` working: redirect pages and `api/aliases.json`."""
    files: dict[str, str] = {}
    for old, new in moves(previous, corpus).items():
        if new is not None:
            files[f"{old}index.html"] = redirect_page(old, new)
    files[ALIASES] = dump_json(aliases(previous, corpus))
    return files


def redirect_page(old: str, new: str) -> str:
    """A static page at `old` that sends the reader (and the `#anchor`) to `new`, on any static host."""
    target = rel(old, new)
    return redirect_html(target, f"页面已移至 {target}", f'<p>本页已移至 <a href="{esc(target)}">{esc(target)}</a></p>')
