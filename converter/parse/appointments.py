"""Parse the lines of a 人事任免 block into `Appointment` decisions, one per dated 文号 line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from converter.docnumber import match_doc_number_line
from converter.model import Appointment, Line, Span
from converter.numbering import match_date
from converter.read.clean import width

# A decision names a person, then what happens to them: 任 / 免去 / 晋升 / 提名为 / 聘任 …
_DECISION = re.compile(r"^(免去|[\u4e00-\u9fff]{1,4}?(任|晋升|提名为|聘任|兼任|试用))")
_PREAMBLE_END = "决定："
_ADDRESSEE_LINES = 3


def _goes_on(decision: str) -> bool:
    """A decision line that ends no decision (no ；or 。): the next line may continue it."""
    return decision[-1] not in "；;。."


def _wrapped(decision: str, nxt: str, widest: float) -> bool:
    """Whether the next line continues a decision cut by the column: the decision ends on no ；/。 and the
    next line starts no decision, or the cut is plain (a ，/、 or an open bracket at the end, or a line as
    wide as the widest: `…督导室副` / `主任督学（副厅级）；` starts like a decision but is none)."""
    if not _goes_on(decision):
        return False
    cut = decision[-1] in "，、" or decision.count("（") > decision.count("）") or width(decision) >= widest - 1
    return cut or not _DECISION.match(nxt)


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
    # 主送: the first lines up to one ending in a colon (a narrow column wraps it over two or three).
    colon = next((k for k, text in enumerate(body[:_ADDRESSEE_LINES]) if text.endswith("：")), None)
    if colon is not None and not any(_PREAMBLE_END in text or _DECISION.match(text) for text in body[: colon + 1]):
        addressees = "".join(body[: colon + 1]).rstrip("：")
        del body[: colon + 1]
    preamble_parts: list[str] = []
    # The preamble ends at `…决定：` where there is one (a wrapped line of it may start like a decision).
    end = next((k for k, text in enumerate(body) if text.endswith(_PREAMBLE_END)), None)
    if end is not None and not any(text[-1:] in "；;" for text in body[:end]):
        preamble_parts, body = body[: end + 1], body[end + 1 :]
    else:
        while body and not _DECISION.match(body[0]):
            line = body.pop(0)
            preamble_parts.append(line)
            if line.endswith(_PREAMBLE_END):
                break
    decisions: list[str] = []
    widest = max((width(text) for text in body), default=0.0)
    while body and (_DECISION.match(body[0]) or (decisions and _goes_on(decisions[-1]))):
        if decisions and _wrapped(decisions[-1], body[0], widest):
            decisions[-1] += body.pop(0)
        else:
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
