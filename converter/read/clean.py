"""Clean a decoded source (`SourceText`) into content lines (`CleanSource`), one source line at a time.

What later stages may rely on:

1. Every `Line.text` is non-empty, has no leading/trailing white space and no markdown heading marks
   (`#`) or bold marks (`**`); the number of `#` is kept as `Line.hint`, a hint at most.
2. Letter-spacing is undone: white space between two CJK characters is removed, except on a short line
   of several multi-character words (`自治区党委 人民政府`, `发布政令 宣传政策`, `序号 事项 主要内容`),
   where one space between words is kept (also when a narrow column or a stray space cut its first or
   last word to one character: `措 完成时限 国发批次`); later stages drop those spaces with `unspaced` where
   a line turns out to be no list (a heading, a title, running text). Spaces between CJK text and digits
   are removed, and so are all spaces inside letter-spacing (`一 、 2 0 2 3 年`).
3. ASCII `, : ; ! ?` next to CJK text and `( )` around CJK text are full-width (`，：；！？（）`).
4. Tab-separated lines keep their tabs (`Line.tabbed`), each cell cleaned as above; a row that a narrow
   column cut over consecutive lines is one line again (its tabs make up the table's count exactly: the
   smallest count that splits the table's tabbed lines into consecutive groups adding up to it).
5. Page numbers, and running heads (a short line printed the same beside page numbers again and again),
   are not in `lines`; they are in `furniture`, with the reason (running slogans are recognised where
   they are printed, in the front matter).

Cleaning is pure and idempotent: `normalize(normalize(s)) == normalize(s)`. Joining wrapped lines is not
done here: it needs to know where a document body is, so `parse.blocks` does it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter

from converter.model import CleanSource, Furniture, Line, SourceText
from converter.numbering import match_marker

# A CJK ideograph, or full-width punctuation / brackets / quotes that sit between CJK text.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014\u2026\u2e3a\u00b7"
_CJK_ANY = re.compile(f"[{_CJK}{_CJK_PUNCT}]")
_IDEOGRAPH = re.compile(f"[{_CJK}]")

_HEADING_MARKS = re.compile(r"^\s*(#{1,6})\s+(?:#{1,6}\s+)*")
_BOLD = re.compile(r"\*\*")
_SPACES = re.compile(r"[ \u3000\u00a0]+")
_ASCII_PAREN_PAIR = re.compile(r"\(([^()]*)\)")
_FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_WIDENABLE = re.compile(r"[,:;!?()]")
_ASCII_PAREN = re.compile(r"[()]")
# Every character that one of the steps of `normalize` acts on: a line without any is only stripped.
_NORMALIZED_AWAY = re.compile(r"[#*$\t \u3000\u00a0,:;!?()]")
# LaTeX left by the extraction for symbols of the printed page: shown as the symbol.
_LATEX = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\mu": "μ", r"\pi": "π",
    r"\sigma": "σ", r"\lambda": "λ", r"\Omega": "Ω", r"\omega": "ω", r"\times": "×", r"\div": "÷",
    r"\pm": "±", r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥", r"\neq": "≠", r"\approx": "≈",
    r"\%": "%", r"\cdot": "·", r"\circ": "°", r"\sim": "～",
}  # fmt: skip
_LATEX_MATH = re.compile(r"\$\s*((?:\\[A-Za-z]+|\\%)(?:\s*(?:\\[A-Za-z]+|\\%))*)\s*\$")

# Page furniture recognised on a line by itself, wherever it stands.
_PAGE_NUMBER = re.compile(r"^[-—–·\s]*\d{1,4}[-—–·\s]*$")

# A "word list" line keeps its spaces: a few words of CJK text, each at least two characters.
_SENTENCE_END = "。！？；：!?;:…"
_WORD = re.compile(f"^[{_CJK}]{{2,12}}$")
_CUT_OFF = re.compile(f"^[{_CJK}]$")


def clean(source: SourceText) -> CleanSource:
    """Turn decoded lines into content lines and furniture (see the module docstring for the guarantees)."""
    lines: list[Line] = []
    furniture: list[Furniture] = []
    known = dict(source.furniture)
    rows, absorbed = _cut_rows(source.lines)
    for no, raw in enumerate(source.lines, start=1):
        if not raw.strip():
            continue
        if no in absorbed:  # its text is in the row it was cut from: a line of its own no more
            furniture.append(Furniture(no, raw.strip(), ROW_PIECE))
            continue
        raw = rows.get(no, raw)
        if no in known:
            furniture.append(Furniture(no, raw.strip(), known[no]))
            continue
        hint_match = _HEADING_MARKS.match(raw) if "#" in raw else None
        hint = len(hint_match.group(1)) if hint_match else 0
        # Tabbed when two cells hold text once cleaned (`**⇥1` is one cell: cleaning it twice must agree).
        cells = normalize_cells(raw) if "\t" in raw else ""
        tabbed = bool(cells) and len([cell for cell in cells.split("\t") if cell]) >= 2
        text = cells if tabbed else normalize(raw)
        if not text.strip():
            furniture.append(Furniture(no, raw.strip(), "markup only"))
            continue
        reason = furniture_reason(text)
        if reason:
            furniture.append(Furniture(no, raw.strip(), reason))
            continue
        lines.append(Line(no=no, text=text, hint=hint, tabbed=tabbed))
    heads = _running_heads(lines, [f.line for f in furniture if f.reason == "page number"])
    furniture += [Furniture(line.no, line.text, "running head") for line in lines if line.no in heads]
    lines = [line for line in lines if line.no not in heads]
    return CleanSource(source=source, lines=tuple(lines), furniture=tuple(sorted(furniture, key=lambda f: f.line)))


ROW_PIECE = "row piece, joined to the row above"
"""The `Furniture.reason` of a line a narrow column cut off a tab-separated row: joined back to it."""
_ROW_PIECES = 4
_CUT_SLACK = 1.5  # how far short of the widest line of a table a line cut by the column may end


def _cut_rows(raw: tuple[str, ...]) -> tuple[dict[int, str], set[int]]:
    """Tab-separated rows that a narrow column cut over consecutive lines, joined back. Each run of
    non-blank lines with tabbed lines in it is read as a table whose rows all have the same number of
    tabs: the smallest number that splits its tabbed lines into consecutive groups whose tabs add up to
    it exactly (`_table_rows`); where none does, by the tab counts of the rows just above (`_short_rows`).
    Returns {first line: joined row} and the lines taken in."""
    rows: dict[int, str] = {}
    absorbed: set[int] = set()
    # Only the runs with tabbed lines in them are looked at: found from those lines (most lines have none).
    tabbed = [j for j, line in enumerate(raw) if "\t" in line and line.strip()]
    done = -1  # the end of the last run looked at
    for j in tabbed:
        if j < done:
            continue
        k = j
        while k > 0 and raw[k - 1].strip():
            k -= 1
        end = j + 1
        while end < len(raw) and raw[end].strip():
            end += 1
        done = end
        if sum("\t" in raw[i] for i in range(k, end)) >= 2:
            groups = _table_rows(raw, k, end)
            for group in groups if groups is not None else _short_rows(raw, k, end):
                if len(group) > 1:
                    rows[group[0] + 1] = "".join(raw[i] for i in group)
                    absorbed.update(i + 1 for i in group[1:])
    return rows, absorbed


def _table_rows(raw: tuple[str, ...], start: int, end: int) -> list[list[int]] | None:
    """Rows (lists of line indexes) of the tabbed lines in raw[start:end], or None when no tab count
    splits them. A line without tabs among them is part of a row cut by the column: of the row above
    when the line above it ends at the full width (`…⇥预` / `期性`), of the row below when it does
    itself (`巩固 拓展 脱贫 攻坚 成果` / `⇥1⇥…`); else it stands between rows."""
    tabbed = [j for j in range(start, end) if "\t" in raw[j]]
    first, last = tabbed[0], tabbed[-1]
    full = max(width(raw[j]) for j in range(first, last + 1)) - _CUT_SLACK
    attach: dict[int, int] = {}  # line without tabs → -1 (row above) or +1 (row below)
    for j in range(first + 1, min(last + 2, end)):
        if "\t" in raw[j]:
            continue
        if width(raw[j - 1]) >= full and (j - 1 not in attach or attach[j - 1] < 0):
            attach[j] = -1
        elif j < last and width(raw[j]) >= full:
            attach[j] = 1
        elif j < last:
            return None
    counts = [raw[j].count("\t") for j in tabbed]
    for total in range(max(counts), sum(counts) + 1):
        groups, at = [], 0
        for j, count in zip(tabbed, counts, strict=True):
            if at == 0:
                groups.append([j])
            else:
                groups[-1].append(j)
            at += count
            if at > total:
                break
            at %= total
        else:
            if at == 0:
                if len(groups) < 2:  # every tabbed line one row: no table shows that count (a header and a row)
                    return None
                # A table whose rows are one line each was not cut: lines without tabs around it stay apart.
                if all(len(group) == 1 for group in groups):
                    return []
                return [_with_attached(group, attach) for group in groups]
    return None


def _with_attached(group: list[int], attach: dict[int, int]) -> list[int]:
    """A row's lines with the untabbed lines cut off it, in order."""
    lines = set(group)
    lines |= {j for j, side in attach.items() if (side < 0 and j - 1 in lines) or (side > 0 and j + 1 == group[0])}
    # A piece after a piece after the row (a cell cut twice) goes with it too.
    while any(j - 1 in lines and j not in lines and side < 0 for j, side in attach.items()):
        lines |= {j for j, side in attach.items() if side < 0 and j - 1 in lines}
    return sorted(lines | {j for j in range(group[0], group[-1] + 1)})


def _short_rows(raw: tuple[str, ...], start: int, end: int) -> list[list[int]]:
    """Rows cut over consecutive lines by the tab counts of the rows above: a line with fewer tabs than
    the most of the last few tabbed lines, and the lines right after it whose tabs make up the difference."""
    groups: list[list[int]] = []
    recent: list[int] = []  # tab counts of the last tabbed lines (header and rows)
    k = start
    while k < end:
        tabs = raw[k].count("\t")
        if tabs:
            want = max(recent[-3:], default=0)
            if 0 < tabs < want:
                total, stop = tabs, k + 1
                while total < want and stop < end and stop - k <= _ROW_PIECES:
                    total += raw[stop].count("\t")
                    stop += 1
                if total == want and stop - k > 1:
                    groups.append(list(range(k, stop)))
                    recent.append(want)
                    k = stop
                    continue
            recent.append(tabs)
        k += 1
    return groups


def _running_heads(lines: list[Line], page_numbers: list[int]) -> set[int]:
    """Line numbers of running heads: a short line printed the same beside page numbers again and again
    (within two lines of one), and mostly there. Only those occurrences go; the same text elsewhere stays.
    A stray space does not make another text (`宁夏回族自 治区人民政府公报`). A page has one running head
    on each side of its number at most: of the texts near it on one side, only the one printed near the
    most page numbers counts (a table cell printed again on each page it runs over, `出入境`, is none)."""
    if len(page_numbers) < 2:
        return set()
    order = [line.no for line in lines]
    sides: list[list[list[Line]]] = []  # per page number: the lines before it, the lines after it
    near: dict[str, set[int]] = {}
    for page in page_numbers:
        at = bisect.bisect_left(order, page)
        sides.append([lines[max(at - 2, 0) : at], lines[at : at + 2]])
        for side in sides[-1]:
            for line in side:
                near.setdefault(unspaced(line.text), set()).add(line.no)
    seen = Counter(unspaced(line.text) for line in lines)
    candidates = {
        text for text, nos in near.items()
        if len(nos) >= 2 and 3 * len(nos) >= 2 * seen[text] and len(text) <= 40 and text[-1] not in _SENTENCE_END
        and match_marker(text) is None
    }  # fmt: skip
    heads: dict[str, set[int]] = {}
    for side in itertools.chain.from_iterable(sides):
        found = [line for line in side if unspaced(line.text) in candidates]
        if found:
            best = max(len(near[unspaced(line.text)]) for line in found)
            for line in found:
                if len(near[unspaced(line.text)]) == best:
                    heads.setdefault(unspaced(line.text), set()).add(line.no)
    return {no for text, nos in heads.items() if len(nos) >= 2 and 3 * len(nos) >= 2 * seen[text] for no in nos}


def furniture_reason(text: str) -> str | None:
    """Why a cleaned line is page furniture wherever it stands, or None when it is content."""
    if _PAGE_NUMBER.match(text) and not text.strip().isdigit():
        return "page number"
    return None


def normalize(text: str) -> str:
    """Normalise one non-tabular line: marks, spacing and punctuation width (idempotent)."""
    if not _NORMALIZED_AWAY.search(text):
        return text.strip()  # most lines: nothing below would change them
    # Each step only on a line that has what it acts on (most have none).
    if "#" in text:
        text = _HEADING_MARKS.sub("", text)
    if "*" in text:
        text = _BOLD.sub("", text)
    if "$" in text:
        text = _LATEX_MATH.sub(_latex_symbols, text)
    text = _SPACES.sub(" ", text.replace("\t", " ")).strip()
    # Punctuation first: a converted comma or colon is CJK punctuation for the spacing rule below.
    return _collapse_spaces(widen_punctuation(text))


def widen_punctuation(text: str) -> str:
    """ASCII `, : ; ! ?` beside CJK text and `( )` around it made full-width (rule 3 of the module
    docstring). Also for lines joined again: a mark a narrow column cut off its text (`…车道` / `;`,
    `（市、区` / `)`) had no CJK neighbour on its own line. A run of marks widens one more mark a pass
    (each widened mark is CJK beside the next): until nothing moves."""
    # A pass that changes the text widens a mark for good: the passes end, at the latest with no mark left.
    while _WIDENABLE.search(text):
        widened = _widen_punctuation(text)
        if widened == text:
            break
        text = widened
    return text


def normalize_cells(text: str) -> str:
    """Normalise a tab-separated line cell by cell, keeping the tabs (and empty cells)."""
    cells = _HEADING_MARKS.sub("", text.rstrip()).split("\t")
    return "\t".join(normalize(cell) for cell in cells).rstrip("\t")


def _latex_symbols(match: re.Match[str]) -> str:
    """`$\\alpha$` → α; a formula with an unknown command stays as printed."""
    commands = re.findall(r"\\[A-Za-z]+|\\%", match.group(1))
    if all(c in _LATEX for c in commands):
        return "".join(_LATEX[c] for c in commands)
    return match.group(0)


def _widen_punctuation(text: str) -> str:
    """ASCII , : ; ! ? beside CJK text, and ( ) around CJK text, become full-width (one pass of
    `widen_punctuation`, over a text with a mark to widen)."""
    if "(" in text:
        text = _ASCII_PAREN_PAIR.sub(_widen_pair, text)
    paired = _paired_parens(text) if "(" in text else set()
    out: list[str] | None = None  # the characters, once one changes
    for match in _WIDENABLE.finditer(text):
        i = match.start()
        ch = text[i]
        if ch in _FULLWIDTH:
            # The nearest character that is no space, before or after: most often the very next one.
            before = text[i - 1] if i else ""
            if before == " ":
                before = _neighbour(text, i, -1)
            if _CJK_ANY.match(before) is None:
                after = text[i + 1 : i + 2]
                if after == " ":
                    after = _neighbour(text, i, 1)
                if _CJK_ANY.match(after) is None:
                    continue
            wide = _FULLWIDTH[ch]
        # A parenthesis whose partner is on another line: widened when it opens or closes CJK text; one
        # whose full-width partner follows (a title joined from lines: `(2021年—` + `2023年）`) too.
        elif ch == "(" and i not in paired and (_is_ideograph(_neighbour(text, i, 1)) or "）" in text[i:]):
            wide = "（"
        elif ch == ")" and i not in paired and _is_ideograph(_neighbour(text, i, -1)):
            wide = "）"
        else:
            continue
        if out is None:
            out = list(text)
        out[i] = wide
    return text if out is None else "".join(out)


def _widen_pair(match: re.Match[str]) -> str:
    """A pair of ASCII parentheses on one line, made full-width when there is CJK text inside."""
    inner = match.group(1)
    return f"（{inner}）" if _IDEOGRAPH.search(inner) else match.group(0)


def _paired_parens(text: str) -> set[int]:
    """Positions of ASCII parentheses that have a partner on the same line."""
    stack: list[int] = []
    paired: set[int] = set()
    if "(" not in text:
        return paired
    for match in _ASCII_PAREN.finditer(text):
        if match.group() == "(":
            stack.append(match.start())
        elif stack:
            paired.update((stack.pop(), match.start()))
    return paired


def _is_ideograph(ch: str) -> bool:
    return bool(ch) and bool(_IDEOGRAPH.match(ch))


def _collapse_spaces(text: str) -> str:
    """Remove letter-spacing and CJK/digit spacing, keeping spaces in a short list of CJK words."""
    if " " not in text:
        return text
    words = text.split(" ")
    if 2 <= len(words) <= 8 and all(map(_WORD.match, words)):
        return text
    # A list of words whose first or last was cut off by a narrow column (`措 完成时限 国发批次`).
    inner = words[1 if _CUT_OFF.match(words[0]) else 0 : -1 if _CUT_OFF.match(words[-1]) else None]
    if inner and len(inner) < len(words) <= 8 and all(map(_WORD.match, inner)):
        return text
    if not _SPACE_BESIDE_NON_CJK.search(text):  # every space between CJK text: every space is joinable
        return text.replace(" ", "")
    spaced = _letter_spaced_runs(words)
    out: list[str] = []
    for i, word in enumerate(words):
        if i and not (_joinable(out[-1][-1], word[0]) or (i in spaced and i - 1 in spaced)):
            out.append(" ")
        out.append(word)
    return "".join(out)


_LETTER_SPACED_RUN = 4
_SPACE_BESIDE_NON_CJK = re.compile(f"(?<![{_CJK}{_CJK_PUNCT}]) | (?![{_CJK}{_CJK_PUNCT}])")


def _letter_spaced_runs(words: list[str]) -> set[int]:
    """Indexes of the words inside letter-spacing: runs of at least four one-character words, one of them
    CJK (`一 、 2 0 2 3 年`), where digits and Latin letters spaced out with the CJK text join too."""
    inside: set[int] = set()
    run: list[int] = []
    for i, word in enumerate([*words, ""]):
        if len(word) == 1:
            run.append(i)
            continue
        if len(run) >= _LETTER_SPACED_RUN and any(_is_cjk(words[k]) for k in run):
            inside.update(run)
        run = []
    return inside


_WORD_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def unspaced(text: str) -> str:
    """Text without the spaces kept between CJK words (rule 2 of the module docstring), for a line that
    turns out not to be a list of words: a heading, a title, a line of running text."""
    # Most texts have no space; the pattern, a look-behind first, would be tried at each character.
    return _WORD_SPACE.sub("", text) if " " in text else text


def _joinable(left: str, right: str) -> bool:
    """Whether the space between two characters is an extraction artefact in Chinese text."""
    left_cjk, right_cjk = _is_cjk(left), _is_cjk(right)
    if left_cjk and right_cjk:
        return True
    if left_cjk or right_cjk:
        other = right if left_cjk else left
        return other.isdigit() or other in "%％.·"
    return False


def _neighbour(text: str, i: int, step: int) -> str:
    """The nearest non-space character before (step -1) or after (step 1) position i, or ''."""
    j = i + step
    if 0 <= j < len(text) and text[j] != " ":  # most often the very next one
        return text[j]
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_ANY.match(ch))


_HALF_WIDTH = re.compile("[^\u2e80-\U0010ffff“”‘’—…·]")
"""Characters printed half a cell wide: below U+2E80, except the quotes and dashes set full width."""


def width(text: str) -> float:
    """Printed width in CJK cells: ASCII and half-width characters count one half."""
    return len(text) - 0.5 * len(_HALF_WIDTH.findall(text))
