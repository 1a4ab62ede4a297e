"""人事任免 decision sentences → actions (who, 任/免/晋升/提名, which post), for the appointments index.

A decision as printed names one person and one or more actions, separated by ，or ；:

    夏斌任宁夏回族自治区煤炭地质局局长；
    张仁汉任宁夏广播电视台副台长，免去宁夏回族自治区文化和旅游厅副厅长（挂职）职务；
    免去李龙锦宁夏回族自治区教育厅一级巡视员，退休；
    张戈提名为宁夏农垦集团有限公司董事长人选；

Names are not delimited: a name is the 2–4 characters before the verb (任, 晋升, 提名为) or after 免去,
chosen so that the post that follows starts like an organ's name (宁夏…, 自治区…). A later clause without
a name (免去…职务) is about the same person; a clause with no verb (退休, 批准提前退休) is a remark on the
action before it. Nothing is dropped: a clause that fits none of these becomes an action of kind "" with
the clause as its post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verb as printed → the kind shown in the index. Longest first: 提名为 before 任, 兼任 before 任.
_VERBS: tuple[tuple[str, str], ...] = (("提名为", "提名"), ("晋升", "晋升"), ("兼任", "任"), ("任", "任"))
_DISMISS = "免去"
# How the posts in the gazette begin: the organ's name. Used only to find where a name ends.
_POST_STARTS = ("宁夏", "自治区", "黄河", "中国", "中共", "国家", "银川", "石嘴山", "吴忠", "固原", "中卫")
_NAME_LENGTHS = (2, 3, 4)
_CLAUSES = re.compile(r"[，,；;]")
_TRAILING = "；;。.，, \u3000"


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a decision does to one person."""

    name: str
    """The person's name as printed ('' when it could not be told from the post)."""
    kind: str
    """`任`, `免`, `晋升`, `提名`, or '' when the clause fits no pattern."""
    post: str
    """The post as printed, without 职务 / 人选."""
    remark: str = ""
    """A clause that qualifies the action: 退休, 批准提前退休."""


def actions(decision: str) -> tuple[Action, ...]:
    """The actions of one printed decision, in printed order."""
    out: list[Action] = []
    subject = ""
    for raw in _CLAUSES.split(decision.strip().rstrip(_TRAILING)):
        clause = raw.strip()
        if not clause:
            continue
        action = _action(clause, subject)
        if action is None:
            if out:
                last = out[-1]
                remark = f"{last.remark}，{clause}" if last.remark else clause
                out[-1] = Action(last.name, last.kind, last.post, remark)
            else:
                out.append(Action("", "", clause))
            continue
        out.append(action)
        subject = action.name or subject
    return tuple(out)


def _action(clause: str, subject: str) -> Action | None:
    """One clause as an action, or None for a remark (a clause without a verb)."""
    if clause.startswith(_DISMISS):
        name, post = _dismissed(clause[len(_DISMISS) :], subject)
        return Action(name, "免", post.removesuffix("职务"))
    # `<name><verb><post>`; a name may itself contain a verb character (任可晋升…, 任全录任…).
    candidates = [
        (length, verb, kind)
        for length in _NAME_LENGTHS
        for verb, kind in _VERBS
        if len(clause) > length + len(verb) and clause[length:].startswith(verb)
    ]
    for length, verb, kind in candidates:
        if clause[length + len(verb) :].startswith(_POST_STARTS):
            return _appointed(clause[:length], kind, clause[length + len(verb) :])
    for verb, kind in _VERBS:
        if subject and clause.startswith(verb):
            return _appointed(subject, kind, clause[len(verb) :])
    if candidates:
        length, verb, kind = candidates[0]
        return _appointed(clause[:length], kind, clause[length + len(verb) :])
    return None


def _appointed(name: str, kind: str, post: str) -> Action:
    return Action(name, kind, post.removesuffix("人选") if kind == "提名" else post)


def _dismissed(rest: str, subject: str) -> tuple[str, str]:
    """Split `<name><post>` after 免去; a post that starts at once belongs to the current subject."""
    if subject and rest.startswith(_POST_STARTS):
        return subject, rest
    for length in _NAME_LENGTHS:
        if rest[length:].startswith(_POST_STARTS):
            return rest[:length], rest[length:]
    return subject, rest
