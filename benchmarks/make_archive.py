"""Write N synthetic issue extractions derived from the five samples in sources/, for benchmarks.

    python benchmarks/make_archive.py 240                   # into a new temporary directory (printed)
    python benchmarks/make_archive.py 720 --out /tmp/a720 --seed 7

Issues run 24 a year back from the newest (2024 第24期 by default): issue k (0 = newest) is year
`newest − k // 24`, number `24 − k % 24`. Each one is assembled from the sample documents as their own
extraction left them (hard wrapping with or without a blank line after every line, `#` marks,
letter-spacing, tab tables, `<sup>` footnotes, the exploded 13-row table, page breaks inside
paragraphs), then mutated:

- new 文号: a document keeps its issuer; the year becomes the issue's year and the serial is unique per
  issue (`(number − 1) × 10 + position + 1`); the 人事任免 decisions get new 宁政干发 numbers likewise;
- dates and years written `YYYY年` are shifted by the same number of years, city names are permuted;
- the interior lines of hard-wrapped paragraphs and the sentences of one-line paragraphs are shuffled;
- long documents are cut at a top-level clause about half of the time (their 落款 kept);
- every document cites 0–3 documents of earlier synthetic issues by 文号, so that linking has work;
- about 85% of issues have front matter (masthead, 编辑委员会, cover data, a 目录 regenerated for the
  documents with page slogans and a repeated 目 录 inside it, colophon) taken from one of the three
  samples that have it; the others have none, and two in three of those get a `.meta.yml` sidecar.
  Only an issue without front matter may start with the 政府工作报告 (a document without 文号).

Each issue is 50–200 KB, about the size of a real one. The output depends only on the seed and the
samples: the same seed gives byte-identical files. Issue (year, number) is drawn from its own random
stream, so archive N+1 holds the same issues as archive N plus one older; to add the *newest* issue to
an archive, generate N+1 and hold back the file `make_archive` names first (`newest_first`).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter import pipeline  # noqa: E402
from converter.docnumber import DocNumber, find_doc_numbers  # noqa: E402
from converter.model import Clause, Document, Issue, Paragraph  # noqa: E402

SAMPLES = ROOT / "sources"
ISSUES_A_YEAR = 24
NEWEST = (2024, 24)
MIN_BYTES, MAX_BYTES = 50_000, 195_000
MAX_DOCS = 10
FRONT_SHARE = 0.85
CITIES = ("银川", "石嘴山", "吴忠", "固原", "中卫")
SECTIONS = {  # issuer → TOC section, in printed order
    "宁党发": "【自治区党委 人民政府文件】",
    "宁政发": "【自治区人民政府文件】",
    "宁政办发": "【自治区人民政府办公厅文件】",
    None: "【人事任免】",
}
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=\s*年)")
_LEAP_DAY = re.compile(r"((?:19|20)[0-9]{2})(\s*年\s*0?2\s*月\s*)29(\s*日)")
_COVER_ISSUE = re.compile(r"(?<![0-9])[0-9]{4}(\s*年\s*第\s*)[0-9]{1,3}(\s*期)")
_COVER_TOTAL = re.compile(r"(总\s*第\s*)[0-9]{1,5}")
_COVER_DATE = re.compile(r"[0-9]{4}(\s*年\s*)[0-9]{1,2}(\s*月\s*)[0-9]{1,2}(\s*日\s*出版)")
_TOC_HEADING = re.compile(r"^[#\s]*目\s*录\s*$")
_COLOPHON_START = re.compile(r"^[#\s]*主\s*编\s*[:：]")
_SLOGAN = re.compile(r"^[#\s]*[\u4e00-\u9fff]{4}( [\u4e00-\u9fff]{4})+\s*$")
_TOC_TAIL = re.compile(r"^(?P<open>[(（])(?P<num>.+?号)(?P<close>[)）])(?P<leader>\s*[.．…·。]{2,}\s*)"
                       r"(?P<popen>[(（])\s*[0-9]+\s*(?P<pclose>[)）])\s*$")  # fmt: skip
_SENTENCE = re.compile(r"[^。]*。|[^。]+$")


@dataclass(frozen=True, slots=True)
class Template:
    """One sample document as printed in its extraction, and what the generator needs to know about it."""

    name: str
    lines: tuple[str, ...]
    """The raw source lines of the document (title to last line)."""
    title: str
    number: DocNumber | None
    appointments: tuple[DocNumber, ...]
    year: int
    """The year the document's dates refer to (its 文号's year, else its date's, else its issue's)."""
    paragraphs: tuple[tuple[int, int], ...]
    """Running-text paragraphs, as [first, last] indexes into `lines`."""
    cuts: tuple[int, ...]
    """Indexes of top-level clause headings where the document may be cut short."""
    tail: tuple[str, ...]
    """Lines after the last block (落款, date, publication note), kept when the document is cut."""
    ascii: bool
    """Whether the extraction writes parentheses in ASCII."""

    @property
    def lead_only(self) -> bool:
        """A document without 文号 and not 人事任免: found only at the start of an issue without front matter."""
        return self.number is None and not self.appointments

    @property
    def size(self) -> int:
        return sum(len(line.encode()) + 1 for line in self.lines)


@dataclass(frozen=True, slots=True)
class Front:
    """The front matter of a sample: lines before, the 目录 style, and lines after (colophon)."""

    head: tuple[str, ...]
    heading: str
    section_prefix: str
    tail_formats: tuple[re.Match[str], ...]
    furniture: tuple[str, ...]
    """Slogan lines and the repeated 目 录 heading, inserted once inside the regenerated 目录."""
    colophon: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Placed:
    """A document chosen for an issue."""

    template: Template
    number: DocNumber | None
    appointments: dict[DocNumber, DocNumber]
    delta: int
    """Years added to every `YYYY年` of the text."""
    cities: dict[str, str]
    cut: int | None
    """Keep lines before this index (then the tail), or everything."""

    @property
    def title(self) -> str:
        return mutate(self.template.title, self)


@dataclass(frozen=True, slots=True)
class Plan:
    """One synthetic issue before its text is written."""

    year: int
    number: int
    stem: str
    front: Front | None
    sidecar: bool
    docs: tuple[Placed, ...]


def load_samples(samples: Path = SAMPLES) -> tuple[list[Template], list[Front]]:
    """Cut the sample extractions into document templates and front-matter templates."""
    templates: list[Template] = []
    fronts: list[Front] = []
    for path in sorted(samples.glob("*.txt")):
        issue, _ = pipeline.convert_one(path)
        raw = path.read_text(encoding="utf-8").split("\n")
        if issue.toc and issue.documents:
            fronts.append(_front(raw[: issue.documents[0].span.first - 1]))
        for k, document in enumerate(issue.documents):
            templates.append(_template(f"{path.stem}#{k}", document, issue, raw))
    return templates, fronts


def _template(name: str, document: Document, issue: Issue, raw: list[str]) -> Template:
    first, last = document.span.first, document.span.last
    lines = tuple(raw[first - 1 : last])
    blocks = list(document.blocks())
    paragraphs = tuple(
        (b.span.first - first, b.span.last - first)
        for b in blocks
        if isinstance(b, Paragraph) and first <= b.span.first and b.span.last <= last
    )
    tops = [b for part in (document.body, *(e.blocks for e in document.enclosed)) for b in part]
    cuts = tuple(
        b.span.first - first
        for b in tops
        if isinstance(b, Clause) and b.span.first - first > len(lines) * 0.3
    )
    end = max((b.span.last for b in blocks), default=last)
    tail = lines[end - first + 1 :] if 0 < last - end <= 15 else ()
    year = (
        document.doc_number.year
        if document.doc_number
        else int(document.date[:4])
        if document.date
        else issue.meta.year or NEWEST[0]
    )
    text = "\n".join(lines)
    return Template(
        name=name,
        lines=lines,
        title=document.title,
        number=document.doc_number,
        appointments=tuple(a.doc_number for a in document.appointments if a.doc_number is not None),
        year=year,
        paragraphs=paragraphs,
        cuts=cuts,
        tail=tail,
        ascii=text.count("(") > text.count("（"),
    )


def _front(lines: list[str]) -> Front:
    toc = next(i for i, line in enumerate(lines) if _TOC_HEADING.match(line))
    colophon = next(i for i in range(toc, len(lines)) if _COLOPHON_START.match(lines[i]))
    region = lines[toc + 1 : colophon]
    tails = tuple(m for line in region if (m := _TOC_TAIL.match(line)))
    sections = [line for line in region if "【" in line]
    slogans = [line for line in region if _SLOGAN.match(line) or _TOC_HEADING.match(line)]
    return Front(
        head=tuple(lines[:toc]),
        heading=lines[toc],
        section_prefix=sections[0].split("【")[0] if sections else "",
        tail_formats=tails,
        furniture=tuple(slogans),
        colophon=tuple(lines[colophon:]),
    )


def issue_dates(k: int, newest: tuple[int, int] = NEWEST) -> tuple[int, int]:
    """(year, number) of the k-th issue back from the newest, 24 a year."""
    year, number = newest
    index = year * ISSUES_A_YEAR + number - 1 - k
    return index // ISSUES_A_YEAR, index % ISSUES_A_YEAR + 1


def plan_issue(seed: int, year: int, number: int, templates: list[Template], fronts: list[Front]) -> Plan:
    """Choose the documents and front matter of one issue from its own random stream."""
    rng = random.Random(f"plan:{seed}:{year}:{number}")
    stem = f"{year}-{number:02d}_" + hashlib.sha256(f"{seed}:{year}:{number}".encode()).hexdigest()[:16]
    front = rng.choice(fronts) if rng.random() < FRONT_SHARE else None
    sidecar = front is None and rng.random() < 2 / 3
    target = rng.uniform(MIN_BYTES + 5_000, MAX_BYTES - 10_000)
    total = 4_000 if front else 0
    pool = [t for t in templates if not t.lead_only]
    rng.shuffle(pool)
    leads = [t for t in templates if t.lead_only]
    if front is None and leads and rng.random() < 0.4:
        pool.insert(0, rng.choice(leads))
    chosen: list[tuple[Template, int | None]] = []
    for template in pool:
        cut = (
            rng.choice(template.cuts)
            if template.cuts and template.size > 15_000 and rng.random() < 0.5
            else None
        )
        size = _placed_size(template, cut)
        if total + size > MAX_BYTES:
            continue
        chosen.append((template, cut))
        total += size
        if total >= target or len(chosen) == MAX_DOCS:
            break
    rank = list(SECTIONS.values())
    if not (chosen and chosen[0][0].lead_only):
        chosen.sort(key=lambda c: rank.index(_section(c[0])))
    docs = []
    for position, (template, cut) in enumerate(chosen):
        serial = (number - 1) * MAX_DOCS + position + 1
        new = DocNumber(template.number.issuer, year, serial) if template.number else None
        delta = year - template.year
        appointments = {
            old: DocNumber(old.issuer, old.year + delta, (number - 1) * 20 + i + 1)
            for i, old in enumerate(template.appointments)
        }
        shuffled = list(CITIES)
        rng.shuffle(shuffled)
        docs.append(Placed(template, new, appointments, delta, dict(zip(CITIES, shuffled, strict=True)), cut))
    return Plan(year, number, stem, front, sidecar, tuple(docs))


def _placed_size(template: Template, cut: int | None) -> int:
    if cut is None:
        return template.size
    return sum(len(line.encode()) + 1 for line in (*template.lines[:cut], *template.tail))


def _section(template: Template) -> str:
    if template.number is None:
        return SECTIONS[None]
    return SECTIONS.get(template.number.issuer, SECTIONS["宁政办发"])


def mutate(text: str, placed: Placed) -> str:
    """Years shifted, the document's own 文号 renumbered, cities permuted; other 文号 left as cited."""
    out: list[str] = []
    pos = 0
    for number, start, end in find_doc_numbers(text):
        out.append(_shift(text[pos:start], placed))
        new = placed.number if number == placed.template.number else placed.appointments.get(number)
        out.append(_renumber(text[start:end], new) if new is not None else text[start:end])
        pos = end
    out.append(_shift(text[pos:], placed))
    return "".join(out)


def _shift(text: str, placed: Placed) -> str:
    if placed.delta:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + placed.delta), text)
        text = _LEAP_DAY.sub(
            lambda m: m.group(0) if _leap(int(m.group(1))) else f"{m[1]}{m[2]}28{m[3]}", text
        )
    if any(city in text for city in CITIES):
        text = re.sub("|".join(CITIES), lambda m: placed.cities[m.group(0)], text)
    return text


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _renumber(written: str, new: DocNumber) -> str:
    """The 文号 as written (brackets, spacing), with the new issuer year and serial."""
    m = re.search(r"^(?P<issuer>.*?)(?P<open>\s*\S\s*)[12１２][0-9０-９]{3}(?P<close>\s*\S\s*)[0-9０-９]+(?P<hao>\s*号)$",
                  written)  # fmt: skip
    if m is None:
        return str(new)
    return f"{m['issuer']}{m['open']}{new.year}{m['close']}{new.serial}{m['hao']}"


def write_issue(plan: Plan, earlier: list[tuple[str, DocNumber]], seed: int) -> tuple[str, str | None]:
    """The text of one issue's extraction, and its sidecar (or None)."""
    rng = random.Random(f"text:{seed}:{plan.year}:{plan.number}")
    bodies = [_document_text(placed, earlier, rng) for placed in plan.docs]
    parts = []
    if plan.front is not None:
        parts.append(_front_text(plan, bodies, rng))
    parts.extend(bodies)
    text = "\n\n".join(parts) + "\n"
    sidecar = None
    if plan.sidecar:
        sidecar = (
            f"year: {plan.year}\nnumber: {plan.number}\ntotal_number: {_total(plan)}\n"
            f"published: {_published(plan.year, plan.number)}\n"
        )
    return text, sidecar


def _document_text(placed: Placed, earlier: list[tuple[str, DocNumber]], rng: random.Random) -> str:
    template = placed.template
    keep = len(template.lines) if placed.cut is None else placed.cut
    lines = [mutate(line, placed) for line in template.lines[:keep]]
    paragraphs = [(a, b) for a, b in template.paragraphs if b < keep]
    for first, last in paragraphs:
        if rng.random() < 0.7:
            _shuffle_paragraph(lines, first, last, rng)
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        if not earlier or not paragraphs:
            break
        title, number = rng.choice(earlier[:200]) if rng.random() < 0.8 else rng.choice(earlier)
        _first, last = rng.choice(paragraphs)
        title = title.replace("《", "〈").replace("》", "〉")
        left, right = ("(", ")") if template.ascii else ("（", "）")
        lines[last] += f"按照《{title}》{left}{number}{right}要求，抓好贯彻落实。"
    if placed.cut is not None:
        lines += ["", *(mutate(line, placed) for line in template.tail)]
    return "\n".join(lines)


def _shuffle_paragraph(lines: list[str], first: int, last: int, rng: random.Random) -> None:
    """Shuffle the interior lines of a hard-wrapped paragraph, or the sentences of a one-line paragraph
    after the first (which may carry its clause marker). Blank lines stay where they are."""
    filled = [i for i in range(first, last + 1) if lines[i].strip()]
    if len(filled) >= 4:
        inner = filled[1:-1]
        texts = [lines[i] for i in inner]
        rng.shuffle(texts)
        for i, text in zip(inner, texts, strict=True):
            lines[i] = text
    elif len(filled) == 1:
        sentences = _SENTENCE.findall(lines[filled[0]])
        if len(sentences) >= 4 and sentences[-1].endswith("。"):
            middle = sentences[1:]
            rng.shuffle(middle)
            lines[filled[0]] = sentences[0] + "".join(middle)


def _front_text(plan: Plan, bodies: list[str], rng: random.Random) -> str:
    front = plan.front
    assert front is not None
    head = "\n".join(front.head)
    head = _COVER_ISSUE.sub(lambda m: f"{plan.year}{m[1]}{plan.number}{m[2]}", head)
    head = _COVER_TOTAL.sub(lambda m: f"{m[1]}{_total(plan)}", head)
    year, month, day = _published(plan.year, plan.number).split("-")
    head = _COVER_DATE.sub(lambda m: f"{year}{m[1]}{int(month)}{m[2]}{int(day)}{m[3]}", head)
    toc: list[str] = [front.heading]
    page, section = 3, None
    furniture_after = rng.randrange(len(plan.docs))
    for k, (placed, body) in enumerate(zip(plan.docs, bodies, strict=True)):
        name = _section(placed.template)
        if name != section:
            toc.append(front.section_prefix + name)
            section = name
        width = rng.randint(24, 28)
        title = placed.title
        *wrapped, last = [title[i : i + width] for i in range(0, len(title), width)]
        toc += wrapped
        style = rng.choice(front.tail_formats)
        leader = f"{style['leader']}{style['popen']}{page}{style['pclose']}"
        if placed.number is None:
            toc.append(f"{last} {leader.lstrip()}")
        else:
            written = str(placed.number)
            if "[" in style["num"]:
                written = written.replace("〔", "[").replace("〕", "]")
            toc += [last, f"{style['open']}{written}{style['close']}{leader}"]
        page += len(body) // 1800 + 1
        if k == furniture_after and len(plan.docs) > 1:
            toc += list(front.furniture)
            section = None
    return "\n\n".join([head.rstrip("\n"), *toc, "\n".join(front.colophon).strip("\n")])


def _total(plan: Plan) -> int:
    """总第N期, continuous with the samples (2023年第6期 is 总第711期)."""
    return 711 + (plan.year - 2023) * ISSUES_A_YEAR + plan.number - 6


def _published(year: int, number: int) -> str:
    """Odd issues on the 15th, even ones on the last day of the month."""
    month = (number + 1) // 2
    if number % 2:
        return f"{year}-{month:02d}-15"
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return f"{year}-{month:02d}-{days}"


def make_archive(count: int, out: Path, seed: int = 0, samples: Path = SAMPLES) -> list[Path]:
    """Write `count` issues (and sidecars) into `out`; return the source paths, newest issue first."""
    if out.resolve() == samples.resolve() or out.resolve().is_relative_to(SAMPLES.resolve()):
        raise ValueError(f"refusing to write into {out}: the samples live there")
    templates, fronts = load_samples(samples)
    plans = [plan_issue(seed, *issue_dates(k), templates, fronts) for k in range(count)]
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    earlier: list[tuple[str, DocNumber]] = []  # newest first: the documents of older issues
    for plan in reversed(plans):  # oldest first, so that citations point back in time
        text, sidecar = write_issue(plan, earlier, seed)
        path = out / f"{plan.stem}.txt"
        path.write_text(text, encoding="utf-8")
        if sidecar is not None:
            (out / f"{plan.stem}.meta.yml").write_text(sidecar, encoding="utf-8")
        paths.append(path)
        earlier[:0] = [(d.title, d.number) for d in plan.docs if d.number is not None]
    return paths[::-1]


def edit_sidecar(sources: Path) -> bool:
    """Move the publication date of the oldest issue that has a sidecar by a day; False when none has."""
    for sidecar in sorted(sources.glob("*.meta.yml")):
        text = sidecar.read_text(encoding="utf-8")
        edited = re.sub(r"^published: (\d{4})-(\d\d)-(\d\d)", lambda m: f"published: {m[1]}-{m[2]}-{int(m[3]) % 28 + 1:02d}",
                        text, count=1, flags=re.MULTILINE)  # fmt: skip
        if edited != text:
            sidecar.write_text(edited, encoding="utf-8")
            return True
    return False


def edit_source(sources: Path) -> bool:
    """A typo fixed in an older issue (the one at a third of the archive, not of the newest year): the
    first 的 in the second half of its text becomes 之. False when there is no such character."""
    texts = sorted(sources.glob("*.txt"))
    if not texts:
        return False
    source = texts[len(texts) // 3]
    text = source.read_text(encoding="utf-8")
    at = text.find("的", len(text) // 2)
    if at < 0:
        return False
    source.write_text(text[:at] + "之" + text[at + 1 :], encoding="utf-8")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of issues")
    parser.add_argument("--out", type=Path, help="output directory (default: a new temporary directory)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("count must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="gongbao-archive-"))
    paths = make_archive(args.count, out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} issues, {size / 1e6:.1f} MB, to {out}")


if __name__ == "__main__":
    main()
