"""文号: parsing, printing, slugs, finding in running text, and number lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.docnumber import DocNumber, find_doc_numbers, match_doc_number_line, trim_issuer

REAL_ISSUERS = [
    "国发", "国函", "国办发", "国办函", "中发", "宁党发", "宁党办发", "宁政发", "宁政办发", "宁政干发",
    "宁政规发", "宁政办规发", "宁政函", "宁政办函", "财预", "银发", "宁国资发", "人社部发",
]
BRACKETS = [
    ("〔", "〕"), ("[", "]"), ("［", "］"), ("(", ")"), ("（", "）"), ("〈", "〉"), ("【", "】"), ("〔", "]"),
]
SPACE = st.sampled_from(["", " ", "  ", "\u3000"])


@given(
    issuer=st.sampled_from(REAL_ISSUERS),
    year=st.integers(1949, 2099),
    serial=st.integers(1, 9999),
    brackets=st.sampled_from(BRACKETS),
    spaces=st.lists(SPACE, min_size=5, max_size=5),
)
def test_round_trip_through_any_spelling(
    issuer: str, year: int, serial: int, brackets: tuple[str, str], spaces: list[str]
) -> None:
    number = DocNumber(issuer, year, serial)
    a, b, c, d, e = spaces
    spelled = f"{issuer}{a}{brackets[0]}{b}{year}{c}{brackets[1]}{d}{serial}{e}号"
    assert DocNumber.parse(spelled) == number
    assert str(DocNumber.parse(str(number))) == str(number)
    assert [found for found, _, _ in find_doc_numbers(f"根据{spelled}执行")] == [number]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宁政办发[2023]13号", "宁政办发〔2023〕13号"),
        ("宁政发 〔2023〕35号", "宁政发〔2023〕35号"),
        ("宁政办发 〔 2023 〕 54 号", "宁政办发〔2023〕54号"),
        ("（宁政办发〔2021〕7号）", "宁政办发〔2021〕7号"),
        ("  (国函(2019)38号) ", "国函〔2019〕38号"),
        ("宁政发 〔2023〕7\n号", "宁政发〔2023〕7号"),
        ("国办发【2020】42", "国办发〔2020〕42号"),
        ("宁 政 办 发〔２０２３〕１３号", "宁政办发〔2023〕13号"),
    ],
)
def test_parse_normalises(text: str, expected: str) -> None:
    assert str(DocNumber.parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("宁政办发2023年13号", "expected a 文号"),
        ("〔2023〕13号", "expected a 文号"),
        ("宁政办发〔2023〕13号 各市", "expected a 文号"),
        ("宁政办发〔1948〕1号", "year must be 1949–2099, got 1948"),
        ("宁政办发〔2023〕0号", "serial must be 1–9999, got 0"),
        ("宁政办发〔2023〕12345号", "expected a 文号"),
    ],
)
def test_parse_rejects_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DocNumber.parse(text)


@pytest.mark.parametrize(
    ("number", "slug"),
    [
        ("宁政办发〔2023〕13号", "nzbf-2023-13"),
        ("宁党发〔2023〕1号", "ndf-2023-1"),
        ("国函〔2019〕38号", "gh-2019-38"),
        ("宁政干发〔2020〕14号", "nzgf-2020-14"),
        ("国办发〔2020〕42号", "gbf-2020-42"),
        ("宁政办规发〔2021〕2号", "nzbgf-2021-2"),
        ("银发〔2021〕3号", "yf-2021-3"),
        ("宁行发〔2021〕3号", "nxf-2021-3"),
        ("ABC发〔2021〕3号", "abcf-2021-3"),
    ],
)
def test_slug(number: str, slug: str) -> None:
    assert DocNumber.parse(number).slug == slug


def test_issuer_slug_is_only_the_initials() -> None:
    assert DocNumber("宁政办发", 2023, 13).issuer_slug == "nzbf"


def test_ordering_is_issuer_then_year_then_serial() -> None:
    numbers = [DocNumber("宁政发", 2023, 2), DocNumber("宁政发", 2021, 9), DocNumber("宁政发", 2023, 10)]
    assert [str(n) for n in sorted(numbers)] == [
        "宁政发〔2021〕9号", "宁政发〔2023〕2号", "宁政发〔2023〕10号",
    ]


# Sentences copied from the sample extractions in sources/.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("先行区的实施意见》（宁党发〔2020〕17号）总体部署，利用三", ["宁党发〔2020〕17号"]),
        ("告知承诺制的指导意见》（国办发〔2020〕42号），现就我区全面推", ["国办发〔2020〕42号"]),
        ("考核办法的通知》（宁政办发〔2016〕194号），经自治区人民政", ["宁政办发〔2016〕194号"]),
        ("目标纲要的通知》（宁政发〔2021〕1号）和《自治区党委人", ["宁政发〔2021〕1号"]),
        ("自治区人民政府工作规则》 (宁政发 〔2023〕7\n号)停止执行。", ["宁政发〔2023〕7号"]),
        ("推广工 作 的\n\n通知》(国函\n\n〔2019〕38\n号)(第五批\n\n第4项)", ["国函〔2019〕38号"]),
        ("(宁政办发[2021]3号) ..... (3)", ["宁政办发〔2021〕3号"]),
        ("宁政干发〔2020〕13号 2020年11月26日", ["宁政干发〔2020〕13号"]),
        ("根据宁政办发〔2021〕3号和国函〔2019〕38号文件", ["宁政办发〔2021〕3号", "国函〔2019〕38号"]),
        ("国务院国发〔2021〕4号", ["国发〔2021〕4号"]),
        ("宁夏宁政发〔2021〕4号", ["宁政发〔2021〕4号"]),
        ("2023年工作要点（2023）", []),
        ("宁政发〔2023〕7", []),  # in running text 号 is required
        ("宁政发〔1900〕7号", []),
    ],
)
def test_find_doc_numbers_in_sentences(sentence: str, expected: list[str]) -> None:
    assert [str(number) for number, _, _ in find_doc_numbers(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("根据宁政办发〔2021〕3号执行", "宁政办发〔2021〕3号"),
        ("规则》 (宁政发 〔2023〕7\n号)停止", "宁政发 〔2023〕7\n号"),
        ("印发的宁 政 办 发〔2023〕13号", "宁 政 办 发〔2023〕13号"),
    ],
)
def test_find_doc_numbers_offsets_cover_the_written_form(sentence: str, span: str) -> None:
    [(_, start, end)] = find_doc_numbers(sentence)
    assert sentence[start:end] == span


@pytest.mark.parametrize(
    ("run", "issuer"),
    [
        ("根据宁政办发", "宁政办发"),
        ("的通知》（国函", "国函"),
        ("国务院办公厅国办发", "国办发"),
        ("国务院国发", "国发"),
        ("宁国资发", "宁国资发"),
        ("按照人社部发", "人社部发"),
        ("宁政办规发", "宁政办规发"),
        ("依据某某某甲字", "某某甲字"),  # no known prefix: after the last prose stop, at most 4 characters
    ],
)
def test_trim_issuer(run: str, issuer: str) -> None:
    assert trim_issuer(run) == issuer


@pytest.mark.parametrize(
    ("line", "number", "rest"),
    [
        ("宁政干发〔2020〕13号 2020年11月26日", "宁政干发〔2020〕13号", "2020年11月26日"),
        ("宁政发 〔2023〕35号", "宁政发〔2023〕35号", ""),
        ("（宁政办发[2021]3号） ..... （3）", "宁政办发〔2021〕3号", "..... （3）"),
        ("(宁政办发〔2021〕94号)…………… (", "宁政办发〔2021〕94号", "…………… ("),
        ("  宁政办发〔2023〕13号", "宁政办发〔2023〕13号", ""),
    ],
)
def test_match_doc_number_line(line: str, number: str, rest: str) -> None:
    assert match_doc_number_line(line) == (DocNumber.parse(number), rest)


@pytest.mark.parametrize(
    "line",
    [
        "根据宁政办发〔2021〕3号文件精神",
        "各市、县（区）人民政府",
        "〔2019〕38号",
        "宁政发〔2023〕7",
        "的通知》（国函〔2019〕38号）",
    ],
)
def test_match_doc_number_line_needs_a_leading_doc_number(line: str) -> None:
    assert match_doc_number_line(line) is None


@pytest.mark.parametrize(
    ("issuer", "year", "serial", "message"),
    [
        ("", 2023, 1, "issuer must be"),
        ("宁政办发", 2100, 1, "year must be"),
        ("宁政办发", 2023, 10000, "serial must be"),
    ],
)
def test_constructor_validates(issuer: str, year: int, serial: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DocNumber(issuer, year, serial)
