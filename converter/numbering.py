"""Chinese numerals, dates and clause markers: text in, ints, ISO dates and `Marker` values out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The only module that knows how Chinese numerals, Y年M月D日 dates and the clause markers (第X编/章/节/条,
# 一、, （一）, 1., （1）, ①) are written. `MARKER_KINDS` is the ordered table that decides nesting: a kind
# earlier in the table encloses the ones after it.

_DIGITS = {"〇": 0, "零": 0, "两": 2} | {char: i for i, char in enumerate("一二三四五六七八九", start=1)}
_CN_DIGITS = "一二三四五六七八九"

# A Chinese numeral written with units (十 百 千), up to 9999. Shared by `cn_to_int` and the markers so
# that `一二、` or `十十、` are never taken for numbers.
_CN_UNIT_NUMERAL = r"""
    (?=[一二两三四五六七八九十])            # not empty, and no leading 零
    (?:(?P<thousands>[一二两三四五六七八九])千)?
    (?:(?P<hundreds>[一二两三四五六七八九])百)?
    (?P<zero>[零〇])?                     # 一百零五, 一千零五十: a zero marks a skipped unit
    (?:(?P<tens>[一二两三四五六七八九])?十)?  # 十一 has an implied 一; 一百一十 spells it out
    (?P<units>[一二两三四五六七八九])?
"""
_CN_NUMBER = re.compile(_CN_UNIT_NUMERAL, re.VERBOSE)
# The same shape without group names, for embedding in other patterns.
_CN_NUMERAL = re.sub(r"\(\?P<\w+>", "(?:", _CN_UNIT_NUMERAL)

_ARABIC = re.compile(r"[0-9０-９]+")
_POSITIONAL = re.compile(r"[一二三四五六七八九][〇零一二三四五六七八九]+")
"""Digit-by-digit numerals as in years: 二〇二三."""


def cn_to_int(text: str) -> int:
    """The value of a Chinese numeral (一 … 九千九百九十九, 两, 〇, 二〇二三) or of ASCII/full-width digits.

    A numeral without units is read digit by digit, as years are written: 二〇二三 → 2023.
    """
    s = text.strip()
    if _ARABIC.fullmatch(s):
        return int(s)  # int() reads full-width digits too
    if s in ("〇", "零"):
        return 0
    if _POSITIONAL.fullmatch(s):
        return int("".join(str(_DIGITS[c]) for c in s))
    m = _CN_NUMBER.fullmatch(s)
    # A zero only makes sense between a larger unit and what follows it: 一百零五, not 零五 or 一百零.
    if m is None or (m["zero"] and not ((m["thousands"] or m["hundreds"]) and (m["tens"] or m["units"]
                                                                               or s.endswith("十")))):
        raise ValueError(f"expected a Chinese or Arabic numeral like 二十三 or 23, got {text!r}")
    value = 0
    for unit, group in ((1000, "thousands"), (100, "hundreds"), (1, "units")):
        if m[group]:
            value += _DIGITS[m[group]] * unit
    if "十" in s:
        value += 10 * (_DIGITS[m["tens"]] if m["tens"] else 1)
    return value


def int_to_cn(n: int) -> str:
    """The Chinese numeral for 1–9999 as used in headings: 十, 十一, 二十, 一百零五, 一百一十."""
    if not 1 <= n <= 9999:
        raise ValueError(f"expected an integer from 1 to 9999, got {n}")
    parts: list[str] = []
    pending_zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        # 十一 rather than 一十一 when the tens lead; 一百一十 keeps the 一.
        if not (unit == 10 and digit == 1 and not parts):
            parts.append(_CN_DIGITS[digit - 1])
        parts.append(name)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class MarkerKind:
    """One kind of clause marker, a row of `MARKER_KINDS`."""

    name: str
    """Stable machine name: bian zhang jie tiao yi paren arabic paren_arabic circled."""
    rank: int
    """Nesting order, 0 = outermost (第X编) … 8 = innermost (①)."""
    id_prefix: str
    """Anchor prefix: `pt` `ch` `sec` `art` for 编章节条; empty for the others (bare numbers)."""


BIAN = MarkerKind("bian", 0, "pt")
ZHANG = MarkerKind("zhang", 1, "ch")
JIE = MarkerKind("jie", 2, "sec")
TIAO = MarkerKind("tiao", 3, "art")
YI = MarkerKind("yi", 4, "")
PAREN = MarkerKind("paren", 5, "")
ARABIC = MarkerKind("arabic", 6, "")
PAREN_ARABIC = MarkerKind("paren_arabic", 7, "")
CIRCLED = MarkerKind("circled", 8, "")

MARKER_KINDS: tuple[MarkerKind, ...] = (BIAN, ZHANG, JIE, TIAO, YI, PAREN, ARABIC, PAREN_ARABIC, CIRCLED)
"""第X编 > 第X章 > 第X节 > 第X条 > 一、 > （一） > 1. > （1） > ①, outermost first."""

_ARTICLE_KINDS = {"编": BIAN, "章": ZHANG, "节": JIE, "条": TIAO}


@dataclass(frozen=True, slots=True)
class Marker:
    """A clause marker found at the start of a line."""

    kind: MarkerKind
    """Which row of `MARKER_KINDS`."""
    number: int
    """The printed number, 第三条 → 3."""
    label: str
    """Normalised printed form: 第三条, 一、, （二）, 1., （1）, ① (`format_label`)."""
    rest: str
    """The text after the marker, stripped."""


_MARKER = re.compile(
    rf"""
    (?:
        第 \s* (?P<article_n>{_CN_NUMERAL}|[0-9０-９]{{1,4}}) \s* (?P<article>[编章节条])
                                                # 第五条本办法…: text may follow without a space
      | (?P<yi_n>{_CN_NUMERAL}) \s* [、，．.]   # 一、 一，一．; not 一是, which is prose
      | [（(] \s* (?P<paren_n>{_CN_NUMERAL}) \s* [）)]
      | [（(] \s* (?P<paren_arabic_n>[0-9０-９]{{1,3}}) \s* [）)]
      | (?P<paren_arabic_c>[⑴-⒇])            # ⑴ is a one-character （1）
      | (?P<arabic_n>[0-9０-９]{{1,3}}) [.．、] (?![0-9０-９])   # 1. but not 1.5%
      | (?P<arabic_c>[⒈-⒛])                   # ⒈ is a one-character 1.
      | (?P<circled>[①-⑳])
    )
    \s* (?P<rest>.*)
    """,
    re.VERBOSE | re.DOTALL,
)


_LABEL_SHAPES: dict[MarkerKind, tuple[str, bool, str]] = {
    BIAN: ("第", True, "编"), ZHANG: ("第", True, "章"), JIE: ("第", True, "节"), TIAO: ("第", True, "条"),
    YI: ("", True, "、"), PAREN: ("（", True, "）"), ARABIC: ("", False, "."), PAREN_ARABIC: ("（", False, "）"),
}  # fmt: skip
"""How each kind but ① prints its number: what comes before it, whether it is a Chinese numeral (else
Arabic digits), what comes after it. (Looked up, not compared kind by kind: a kind's `==` is a dataclass's,
and every marker found is labelled.)"""


def format_label(kind: MarkerKind, number: int) -> str:
    """The normalised label a marker of this kind and number prints as: 第三条, 一、, （二）, 1., （1）, ①."""
    shape = _LABEL_SHAPES.get(kind)
    if shape is not None:
        before, chinese, after = shape
        return f"{before}{int_to_cn(number) if chinese else number}{after}"
    if kind == CIRCLED and 1 <= number <= 20:
        return chr(ord("①") + number - 1)
    raise ValueError(f"no label for marker kind {kind.name!r} number {number}")


def match_marker(text: str) -> Marker | None:
    """The clause marker a stripped line starts with, or None if it starts with none."""
    m = _MARKER.match(text)
    if m is None:
        return None
    try:
        kind, number = _kind_and_number(m)
    except ValueError:  # a numeral of the right characters but no valid value, e.g. 一百零、
        return None
    # 第0条 or （0） is a misreading, not a clause.
    if not 1 <= number <= 9999:
        return None
    return Marker(kind, number, format_label(kind, number), m["rest"].strip())


def _kind_and_number(m: re.Match[str]) -> tuple[MarkerKind, int]:
    if m["article"]:
        kind, number = _ARTICLE_KINDS[m["article"]], cn_to_int(m["article_n"])
    elif m["yi_n"]:
        kind, number = YI, cn_to_int(m["yi_n"])
    elif m["paren_n"]:
        kind, number = PAREN, cn_to_int(m["paren_n"])
    elif m["paren_arabic_n"]:
        kind, number = PAREN_ARABIC, int(m["paren_arabic_n"])
    elif m["paren_arabic_c"]:
        kind, number = PAREN_ARABIC, ord(m["paren_arabic_c"]) - ord("⑴") + 1
    elif m["arabic_n"]:
        kind, number = ARABIC, int(m["arabic_n"])
    elif m["arabic_c"]:
        kind, number = ARABIC, ord(m["arabic_c"]) - ord("⒈") + 1
    else:
        kind, number = CIRCLED, ord(m["circled"]) - ord("①") + 1
    return kind, number


def anchor_part(kind: MarkerKind, number: int) -> str:
    """This marker's part of a clause anchor: `ch2`, `sec3`, `art5`, `pt1`, or a bare `2` for the others."""
    return f"{kind.id_prefix}{number}"


_DATE = re.compile(
    rf"""
    (?P<year>[0-9０-９]{{4}}|[〇零一二三四五六七八九]{{4}}) \s* 年 \s*  # 2023年, 二〇二三年
    (?P<month>[0-9０-９]{{1,2}}|{_CN_NUMERAL}) \s* 月 \s*             # 3月, 十二月
    (?P<day>[0-9０-９]{{1,2}}|{_CN_NUMERAL}) \s* 日                    # 2日, 二十八日
    """,
    re.VERBOSE,
)


def _iso(m: re.Match[str]) -> str | None:
    try:
        return dt.date(cn_to_int(m["year"]), cn_to_int(m["month"]), cn_to_int(m["day"])).isoformat()
    except ValueError:  # 2月30日, 十三月: not a date
        return None


def match_date(text: str) -> str | None:
    """A line that is exactly one date (2023年3月2日, 2021 年 2 月 28 日, 二〇二三年三月二日) as ISO."""
    m = _DATE.fullmatch(text.strip())
    return _iso(m) if m else None


def find_dates(text: str) -> list[str]:
    """Every valid Y年M月D日 date in running text, in order, as ISO strings."""
    return [iso for m in _DATE.finditer(text) if (iso := _iso(m)) is not None]
