"""文号 (document numbers): text in, `DocNumber` values (issuer, year, serial) with their offsets out."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

# The only module that knows how a 文号 is written; everything else asks it:
# - `DocNumber.parse` reads one whole 文号 (the issuer is taken as written);
# - `find_doc_numbers` finds every 文号 in running text, trimming prose off the issuer (`trim_issuer`);
# - `match_doc_number_line` recognises a line that starts with a 文号 (a document's number line).
# Accepted everywhere: any of the brackets 〔〕 [] ［］ () （） 〈〉 【】, mixed; whitespace anywhere,
# including a line break (`国函\n〔2019〕38\n号` in a hard-wrapped table cell); ASCII or full-width
# digits; years 1949–2099; serials 1–9999.

_FIRST_YEAR, _LAST_YEAR = 1949, 2099
_MAX_SERIAL = 9999
_MAX_ISSUER = 8
"""Longest issuer code we accept; real ones are 2–6 characters (宁政办规发 is 5)."""

# One character of an issuer code: a CJK ideograph or an ASCII letter (a few codes mix in Latin letters).
_ISSUER_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]"

_DOC_NUMBER = re.compile(
    rf"""
    (?P<issuer>
        {_ISSUER_CHAR}                      # 发文机关代字, e.g. 宁政办发; in running text this run may
        (?:[ \t\u3000]*{_ISSUER_CHAR}){{0,15}} #   begin with prose (根据…), trimmed later; letter-spaced ok;
                                            #   bounded so a long CJK paragraph is scanned in linear time
    )
    \s*                                     # `宁政发 〔2023〕`, or the bracket on the next line
    [〔\[［(（〈【] \s*                      # opening bracket: any variant
    (?P<year>[12１２][0-9０-９]{{3}})      # four-digit year; 1949–2099 checked in code
    \s* [〕\]］)）〉】] \s*                  # closing bracket: any variant, need not match the opening one
    (?P<serial>[0-9０-９]{{1,4}})           # 1–9999; no leading-zero rule, int() takes care of it
    (?P<hao>\s*号)?                         # 号 may follow a line break; optional only in `parse`
    """,
    re.VERBOSE,
)

_SPACE = re.compile(r"\s+")
_ISSUER_ONE = re.compile(_ISSUER_CHAR)
_ISSUER_MAX = 16  # issuer characters in a match at most (the pattern's one and {0,15})
# Cheap test first: most paragraphs hold no bracketed year, and the full pattern starts at every CJK character.
_BRACKETED_YEAR = re.compile(r"[〔\[［(（〈【]\s*[12１２][0-9０-９]{3}\s*[〕\]］)）〉】]")

# Characters that begin an issuer code: the authority's abbreviation (国 = 国务院, 中 = 中共中央,
# 宁 = 宁夏, 财 = 财政部, 银 = 人民银行 …). Multi-character entries avoid matching common words.
_ISSUER_PREFIXES: tuple[str, ...] = (
    "国", "中", "宁", "财", "银", "教", "人社", "发改", "工信", "商", "农", "科", "卫", "住建",
    "自然资", "生态", "应急", "市场监", "统", "审", "税", "海关", "证监", "银保监", "医保", "文旅",
)

# Characters that never occur in an issuer code but end the prose that often runs into one: function
# words and verbs that introduce a citation (根据 按照 依据 见 …) and the last character of an organ's
# full name (政府 办公厅 国务院 宁夏). The issuer starts after the last of them.
_PROSE_STOPS = frozenset("的了于据照按依根和及与或并见经由在对将把被为以是等其该此本印转府厅院夏区市县")

# pypinyin reads these the wrong way for issuer codes (or could, with a different dictionary); the code
# is always the reading used in official abbreviations.
_INITIAL_OVERRIDES = {"发": "f", "干": "g", "行": "x", "长": "c", "重": "z", "乐": "l"}


@dataclass(frozen=True, slots=True, order=True)
class DocNumber:
    """A 文号 such as 宁政办发〔2023〕13号, compared and sorted by issuer, year, serial."""

    issuer: str
    """发文机关代字, the issuing organ's code, e.g. `宁政办发`, `国函`."""
    year: int
    """Year in the brackets (1949–2099)."""
    serial: int
    """Serial number within the year and issuer (1–9999)."""

    def __post_init__(self) -> None:
        if not self.issuer or len(self.issuer) > _MAX_ISSUER:
            raise ValueError(f"文号 issuer must be 1–{_MAX_ISSUER} characters, got {self.issuer!r}")
        if not _FIRST_YEAR <= self.year <= _LAST_YEAR:
            raise ValueError(f"文号 year must be {_FIRST_YEAR}–{_LAST_YEAR}, got {self.year}")
        if not 1 <= self.serial <= _MAX_SERIAL:
            raise ValueError(f"文号 serial must be 1–{_MAX_SERIAL}, got {self.serial}")

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        """Read a string that is exactly one 文号 (surrounding spaces and parentheses allowed; 号 optional).

        The issuer is taken as written, spaces removed: trimming prose is for `find_doc_numbers`.
        """
        inner = text.strip()
        # A 文号 quoted in parentheses, `（宁政发〔2023〕7号）`: only strip a pair, so `(2023)` stays intact.
        while len(inner) > 1 and inner[0] in "(（" and inner[-1] in ")）":
            inner = inner[1:-1].strip()
        m = _DOC_NUMBER.fullmatch(inner)
        if m is None:
            raise ValueError(
                "expected a 文号 like 宁政办发〔2023〕13号 (issuer, year in brackets, serial, 号), "
                f"got {text!r}"
            )
        return cls._from_match(m, _SPACE.sub("", m["issuer"]))

    @classmethod
    def _from_match(cls, m: re.Match[str], issuer: str) -> DocNumber:
        return cls(issuer, int(m["year"]), int(m["serial"]))

    def __str__(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"

    @property
    def issuer_slug(self) -> str:
        """The issuer as lowercase pinyin initials, e.g. 宁政办发 → `nzbf`; ASCII letters are lowercased."""
        return _issuer_slug(self.issuer)

    @property
    def slug(self) -> str:
        """URL slug: issuer initials, year, serial, e.g. 宁政办发〔2023〕13号 → `nzbf-2023-13`."""
        return f"{self.issuer_slug}-{self.year}-{self.serial}"


@functools.lru_cache(maxsize=4096)
def _issuer_slug(issuer: str) -> str:
    """`DocNumber.issuer_slug`, once per issuer: pypinyin is slow and an archive has few issuers."""
    # Character by character rather than as a phrase, so a code's slug never depends on its
    # neighbours (银行 vs 行政) and stays stable across pypinyin dictionary updates.
    letters = []
    for char in issuer:
        initial = _INITIAL_OVERRIDES.get(char) or lazy_pinyin(char, style=Style.FIRST_LETTER)[0]
        letters.append(initial.lower())
    slug = re.sub(r"[^a-z0-9]", "", "".join(letters))
    # A code made only of characters pypinyin does not know still needs a URL-safe slug.
    return slug or "x"


def trim_issuer(run: str) -> str:
    """The issuer code at the end of a run of CJK text that ends just before a 文号's bracket.

    Rule: (1) drop everything up to the last prose-stop character (`_PROSE_STOPS`: 的 据 照 府 厅 院 …,
    which never occur in a code); (2) of what is left, keep the longest suffix of at most 8 characters
    that starts with a known issuer prefix (`_ISSUER_PREFIXES`: 国 中 宁 财 银 人社 …); (3) failing
    that, keep the last 4 characters (or fewer, if that is all there is). `根据宁政办发` → `宁政办发`,
    `国务院国发` → `国发`, `宁国资发` → `宁国资发`.
    """
    for i in range(len(run) - 1, -1, -1):
        if run[i] in _PROSE_STOPS:
            run = run[i + 1 :]
            break
    for start in range(max(0, len(run) - _MAX_ISSUER), len(run)):
        if run.startswith(_ISSUER_PREFIXES, start):
            return run[start:]
    return run[-4:]


def _trimmed_start(m: re.Match[str]) -> tuple[int, str]:
    """Offset where the trimmed issuer begins in the source text, and the issuer without spaces."""
    raw = m["issuer"]
    compact = _SPACE.sub("", raw)
    issuer = trim_issuer(compact)
    # Walk back over the raw run, skipping letter-spacing, until we have counted the issuer's characters.
    needed, pos = len(issuer), len(raw)
    while needed:
        pos -= 1
        if not raw[pos].isspace():
            needed -= 1
    return m.start("issuer") + pos, issuer


def find_doc_numbers(text: str) -> list[tuple[DocNumber, int, int]]:
    """Every 文号 in running text, in order, with the [start, end) offsets of the whole 文号 in `text`.

    A 文号 here must end in 号; the issuer is trimmed of preceding prose (`trim_issuer`). Candidates with a
    year or serial out of range are skipped, not reported.
    """
    found: list[tuple[DocNumber, int, int]] = []
    for m in _doc_number_matches(text):
        if m["hao"] is None:
            continue
        start, issuer = _trimmed_start(m)
        try:
            number = DocNumber._from_match(m, issuer)
        except ValueError:
            continue
        found.append((number, start, m.end()))
    return found


def _doc_number_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_DOC_NUMBER.finditer(text)`, without trying the pattern at every character of a
    long paragraph: a match holds a bracketed year, and starts at most 16 issuer characters (white space
    aside) before the first one after where the previous match ended."""
    pos = 0
    while (year := _BRACKETED_YEAR.search(text, pos)) is not None:
        start, letters = year.start(), 0
        while start > pos and letters < _ISSUER_MAX:
            char = text[start - 1]
            if not char.isspace():
                if not _ISSUER_ONE.match(char):
                    break
                letters += 1
            start -= 1
        m = _DOC_NUMBER.search(text, start)  # the leftmost match from `pos`: none starts before `start`
        if m is None:
            return
        yield m
        pos = m.end()


_LINE_START = re.compile(r"\s*(?P<paren>[(（]\s*)?")


def match_doc_number_line(text: str) -> tuple[DocNumber, str] | None:
    """A line that starts with a 文号 (after spaces or an opening parenthesis): the 文号 and the rest.

    The rest is stripped; a closing parenthesis right after 号 is consumed when the line opened with one,
    so `（宁政办发[2021]3号） ..... （3）` gives `..... （3）`. A line whose issuer would need trimming
    (`根据宁政办发〔2021〕3号…`) does not start with a 文号 and gives None.
    """
    if "号" not in text:  # what a 文号 ends in: most lines have none
        return None
    lead = _LINE_START.match(text)
    assert lead is not None  # the pattern can match the empty string
    m = _DOC_NUMBER.match(text, lead.end())
    if m is None or m["hao"] is None:
        return None
    compact = _SPACE.sub("", m["issuer"])
    if trim_issuer(compact) != compact:
        return None
    try:
        number = DocNumber._from_match(m, compact)
    except ValueError:
        return None
    rest = text[m.end() :].lstrip()
    if lead["paren"] and rest[:1] in (")", "）"):
        rest = rest[1:]
    return number, rest.strip()
