"""The browse page of validity (`browse/status.md`): every document the gazette says was stopped, repealed,
amended or replaced, by which document and in which words. Explicit sentences only (`link/relations.py`)."""

from __future__ import annotations

from converter.model import PublishedIssue
from converter.render.document import RELATION_LABELS
from converter.render.escape import esc
from converter.render.text import front_matter
from converter.urls import BROWSE, WENHAO_INDEX, rel

_HERE = f"{BROWSE}status/"


def by_status(issues: list[PublishedIssue]) -> str:
    """One row per relation, ordered by the 文号 acted on; a target the gazette holds is linked to it, one it
    does not hold to its 本公报未收录 note."""
    rows: list[tuple[str, str]] = []
    for published in issues:
        for doc in published.docs:
            for relation in doc.relations:
                target = next((c.target for c in doc.citations if c.doc_number == relation.target and c.target), None)
                name = esc(str(relation.target))
                note = f"{WENHAO_INDEX}#x-{relation.target.slug}"  # its 本公报未收录 note (render/wenhao.py)
                name = f'<a href="{esc(rel(_HERE, target or note))}">{name}</a>'
                where = f"{doc.url}#{relation.clause}" if relation.clause else doc.url
                by = f'<a href="{esc(rel(_HERE, where))}">{esc(str(doc.document.doc_number or doc.document.title))}</a>'
                rows.append((str(relation.target), f"<tr><td>{name}</td><td>{RELATION_LABELS[relation.kind]}</td>"
                                                   f"<td>{by}</td><td>{esc(relation.sentence)}</td></tr>"))  # fmt: skip
    head = "".join(f'<th scope="col">{h}</th>' for h in ("文号", "效力", "依据", "原文"))
    body = "".join(row for _, row in sorted(rows))
    table = f'<div class="md-typeset__table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    intro = (
        f"公报文件中明确写明停止执行、废止、修改或代替的文件，共{len(rows)}项，均引原句为据。"
        if rows else "公报文件中尚无写明停止执行、废止、修改或代替其他文件的句子。"
    )  # fmt: skip
    return "\n\n".join([front_matter("按效力浏览"), "# 按效力浏览", f'<p class="gb-lead">{intro}</p>', table]) + "\n"
