"""Parse the lines of a 人事任免 block into `Appointment` decisions, one per dated 文号 line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from converter.docnumber import match_doc_number_line
from converter.model import Appointment, Line, Span
from converter.numbering import match_date

# A decision names a person, then what happens to them: 任 / 免去 / 晋升 / 提名为 / 聘任 …
_DECISION = re.compile(r"^(免去|[\u4e00-\u9fff]{1,4}?(任|晋升|提名为|聘任|兼任|试用))")
_PREAMBLE_END = "决定："


def parse_appointments(lines: Sequence[Line], file: str) -> tuple[Appointment, ...]:
    """Split at each dated 文号 line; within each: 主送, preamble up to `…决定：`, decisions, notes."""
    starts = [k for k, line in enumerate(lines) if _dated_doc_number(line) is not None]
    out: list[Appointment] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        out.append(_one(lines[start:end], file))
    return tuple(out)


def _dated_doc_number(line: Line) -> tuple[str, str] | None:
    found = match_doc_number_line(line.text)
    if found is None or not found[1]:
        return None
    date = match_date(found[1])
    return (str(found[0]), date) if date else None


def _one(lines: Sequence[Line], file: str) -> Appointment:
    head = match_doc_number_line(lines[0].text)
    assert head is not None  # the caller split at dated 文号 lines
    date = match_date(head[1])
    body = [line.text for line in lines[1:]]
    addressees = None
    if body and body[0].endswith("：") and _PREAMBLE_END not in body[0]:
        addressees = body.pop(0).rstrip("：")
    preamble_parts: list[str] = []
    while body and not _DECISION.match(body[0]):
        line = body.pop(0)
        preamble_parts.append(line)
        if line.endswith(_PREAMBLE_END):
            break
    decisions: list[str] = []
    while body and _DECISION.match(body[0]):
        decisions.append(body.pop(0))
    return Appointment(
        doc_number=head[0],
        date=date,
        addressees=addressees,
        preamble="".join(preamble_parts),
        decisions=tuple(decisions),
        notes=tuple(body),
        span=Span(file, lines[0].no, lines[-1].no),
    )
