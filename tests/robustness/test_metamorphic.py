"""Metamorphic robustness: the damage real extractions show, applied to every sample and to corpus texts,
must not change the structure the converter finds (documents: title, 文号, 主送, 落款 and date; outline
labels, texts and ids; appointments; issue data; 目录 entries with pages), nor lose a character.

Perturbations with a fixed seed (CI is deterministic): encodings and line endings, a blank line after
every line, half-width punctuation, page breaks with page numbers and a running head, hard wrapping
at 40 and 24 columns, letter-spaced headings, a chapter label and its title on separate lines, `#` marks
removed or moved to another level, and stray OCR spaces inside words. A case not yet handled would be
listed in KNOWN_FAILURES as a strict xfail (the list can only shrink)."""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from converter.link.corpus import link
from converter.model import Issue
from converter.pipeline import parse_source
from converter.read.source import decode_source
from converter.render.export import issue_json, outline

ROOT = Path(__file__).resolve().parents[2]
# ../shared/corpus beside the project (or beside the checkout that holds this worktree).
CORPUS = next((p / "shared" / "corpus" / "text" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
              ROOT.parent / "shared" / "corpus" / "text")  # fmt: skip
# Every 5th corpus text keeps the default run short; GONGBAO_ALL_CORPUS=1 takes every one.
_STEP = 1 if os.environ.get("GONGBAO_ALL_CORPUS") == "1" else 5
TEXTS = sorted((ROOT / "sources").glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[::_STEP]
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def structure(issue: Issue) -> dict[str, object]:
    meta = issue.meta
    return {
        "issue": (meta.year, meta.number, meta.total_number, meta.published),
        "toc": [(e.title, str(e.doc_number or ""), e.page) for e in issue.toc],
        "documents": [
            (d.title, str(d.doc_number or ""), d.addressees, d.signatories, d.date,
             [(o["id"], o["label"], o["text"]) for o in outline(d)],
             [(str(a.doc_number or ""), a.date, a.decisions) for a in d.appointments])
            for d in issue.documents
        ],
    }  # fmt: skip


def _convert(data: bytes, name: str) -> Issue:
    source, _ = decode_source(data, name)
    return parse_source(source)


def _paged(text: str) -> str:
    """Page breaks every 30–45 lines: a page number (three styles) and a running head, as printed."""
    rng = random.Random(len(text))
    lines, out, page, left = text.split("\n"), [], 1, 35
    for line in lines:
        out.append(line)
        left -= 1
        if left <= 0 and line.strip():  # a page ends on a printed line (not on a blank one)
            style = rng.choice(["— {} —", "·{}·", "- {} -"])
            out += [style.format(page), "宁夏回族自治区人民政府公报"]
            page, left = page + 1, rng.randint(30, 45)
    return "\n".join(out)


def _wrapped(text: str, columns: int) -> str:
    """Hard wrap at a display width (a CJK character counts two), as a narrow column prints the text."""
    out = []
    for line in text.split("\n"):
        piece, used = "", 0
        for char in line:
            w = 2 if ord(char) > 0x2E7F else 1
            if used + w > columns and piece:
                out.append(piece)
                piece, used = "", 0
            piece, used = piece + char, used + w
        out.append(piece)
    return "\n".join(out)


_CHAPTER = re.compile(r"^(#*\s*第[一二三四五六七八九十百零〇]+[章节])\s*(\S.*)$")
_SHORT_HEADING = re.compile(r"^(#*\s*)(第[一二三四五六七八九十百零〇]+[章节编](?:\s*\S{1,12})?|[一二三四五六七八九十]+、\S{1,10})$")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


def _letter_spaced(text: str) -> str:
    """Short headings (第三章 耕地保护, 一、总体要求) letter-spaced as a narrow heading line prints them."""
    def spaced(m: re.Match[str]) -> str:
        return m[1] + " ".join(m[2].replace(" ", ""))
    return "\n".join(_SHORT_HEADING.sub(spaced, line) for line in text.split("\n"))


def _split_headings(text: str) -> str:
    """A chapter or section label on its own line, its title on the next (第三章 / 国土空间规划)."""
    return "\n".join(_CHAPTER.sub(r"\1\n\2", line) for line in text.split("\n"))


def _marks(text: str, level: Callable[[int], int]) -> str:
    """Markdown heading marks moved to another level (0: removed)."""
    def moved(m: re.Match[str]) -> str:
        n = level(len(m[1]))
        return "#" * n + " " if n else ""
    return "\n".join(re.sub(r"^(#{1,6})\s+", moved, line) for line in text.split("\n"))


def _ocr_spaces(text: str) -> str:
    """Stray spaces inside long runs of Chinese text, about one in forty characters, as OCR leaves them."""
    rng = random.Random(len(text))
    def stray(m: re.Match[str]) -> str:
        run = m[0]
        return "".join(c + (" " if rng.random() < 0.025 and k < len(run) - 1 else "") for k, c in enumerate(run))
    return "\n".join(_HAN_RUN.sub(stray, line) for line in text.split("\n"))


PERTURBATIONS: dict[str, Callable[[str], bytes]] = {
    "letter-spaced": lambda t: _letter_spaced(t).encode("utf-8"),
    "split-headings": lambda t: _split_headings(t).encode("utf-8"),
    "no-marks": lambda t: _marks(t, lambda n: 0).encode("utf-8"),
    "wrong-marks": lambda t: _marks(t, lambda n: n % 3 + 1).encode("utf-8"),
    "ocr-spaces": lambda t: _ocr_spaces(t).encode("utf-8"),
    "wrap-40": lambda t: _wrapped(t, 40).encode("utf-8"),
    "wrap-24": lambda t: _wrapped(t, 24).encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16": lambda t: t.encode("utf-16"),
    "blank-lines": lambda t: "\n\n".join(t.split("\n")).encode("utf-8"),
    "half-width": lambda t: t.translate(_HALF).encode("utf-8"),
    "paged": lambda t: _paged(t).encode("utf-8"),
}


# Damage not yet undone, as strict xfails: a case that starts passing fails here until it is taken off
# the list (which can only shrink). Empty: every sample and corpus text keeps its structure under each.
KNOWN_FAILURES: set[tuple[str, str]] = set()


# Cases outside every 5th corpus text that a run over all of them (GONGBAO_ALL_CORPUS=1) found
# failing, each the one case of a rule (issue 14): kept in the default run, so the rule stays.
REGRESSIONS: list[tuple[str, str]] = [
    ("103.txt", "wrap-40"),  # a line cut again, printed with （电动） half-width: no title
    ("123.txt", "wrap-40"),  # a first line cut again short of the narrower width: no title
    ("118.txt", "wrap-24"),  # `)` cut off its text, widened when joined
    ("129.txt", "wrap-24"),  # 一、 after a line cut inside a word is text
    ("138.txt", "wrap-24"),  # a law's title cut at the wrap width
    ("113.txt", "ocr-spaces"),  # a clause line with stray spaces is measured as printed
]


def _cases() -> list[object]:
    extra = [(CORPUS / name, damage) for name, damage in REGRESSIONS if CORPUS / name not in TEXTS]
    return [
        pytest.param(path, damage, id=f"{path.name}-{damage}",
                     marks=[pytest.mark.xfail(strict=True, reason="this damage is not yet undone")]
                     if (path.name, damage) in KNOWN_FAILURES else [])
        for path, damage in [(path, damage) for path in TEXTS for damage in sorted(PERTURBATIONS)] + extra
        if path.is_file()
    ]  # fmt: skip


@pytest.mark.parametrize(("path", "damage"), _cases())
def test_damage_keeps_structure_and_text(path: Path, damage: str) -> None:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    before = _convert(text.encode("utf-8"), path.name)
    after = _convert(PERTURBATIONS[damage](text), path.name)
    assert structure(after) == structure(before)
    assert _characters(after) == _characters(before)  # nothing lost, nothing taken in from the damage


def _characters(issue: Issue) -> Counter[str]:
    """The CJK characters of what the export says of an issue (not its furniture, warnings or source)."""
    data = issue_json(issue, link([issue]))
    for key in ("furniture", "warnings", "source"):
        data.pop(key)
    return Counter(_IDEOGRAPH.findall(json.dumps(data, ensure_ascii=False)))
