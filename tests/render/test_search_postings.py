"""The search index's postings made with numpy (`part_postings`) against their definition, a Python step
per key (`postings_python`): the same shard files, byte for byte, for any text; and the cheaper folding
(`_folded`) against NFKC + lower-casing."""

from __future__ import annotations

import unicodedata
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.render import search_index as si
from converter.render import search_postings as sp

# What gazette text holds, and what folding must get right: Han characters (common, rare, compatibility
# ideographs that NFKC maps to common ones), ASCII and full-width letters and digits, the ideographic
# space, punctuation, circled and Roman numerals, ℃, combining marks (NFKC composes them with a letter
# before them: the letter leaves its alphanumeric run), the dotted capital I (lower-cased to i + a mark).
_ALPHABET = (
    "营商环境发展宁夏回族自治区人民政府第一条二〇〇号办法年月日"
    "\U00020000\U0002a6d6\uf900\uf9a8\u3400"
    "abcXYZ0123456789ＡＢｃ０１２"
    "\u3000 ，。、；：（）〔〕[]“”《》……—·\t"
    "①②ⅡⅤ℃½ﬁ\u0301\u0308e\u0130\u212a"
)
_pieces = st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=6)


def _record(title: str, numbers: list[str], sections: list[tuple[str, list[str]]]) -> str:
    """A document's search record as JSON text, as `search_index` hands it over."""
    sections_ = [(f"a{k}", heading, pieces) for k, (heading, pieces) in enumerate(sections)]
    return orjson.dumps({"t": title, "n": numbers, "s": sections_}).decode()


_records = st.builds(
    _record,
    st.text(alphabet=_ALPHABET, max_size=30),
    st.lists(st.text(alphabet=_ALPHABET, max_size=12), max_size=2),
    st.lists(st.tuples(st.text(alphabet=_ALPHABET, max_size=12), _pieces), max_size=4),
)


def _python_files(name: str, docs: list[tuple[int, str]]) -> dict[str, str]:
    return sp._files(name, sp.postings_python(docs))[0]


@given(st.lists(_records, max_size=8), st.integers(0, 3))
def test_numpy_postings_are_the_python_ones_byte_for_byte(records: list[str], first: int) -> None:
    docs = [(first + 2 * k, record) for k, record in enumerate(records)]  # ids ascending, not from 0
    assert sp.part_postings("p", docs) == _python_files("p", docs)


@given(st.text(alphabet=_ALPHABET, max_size=200))
def test_folding_is_nfkc_then_lower_case(text: str) -> None:
    assert sp._folded(text) == unicodedata.normalize("NFKC", text).lower()


def test_a_part_whose_runs_do_not_fit_the_packed_keys_is_made_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [(k, _record(f"文件{k}", [f"宁政发〔2023〕{k}号"], [("第一条", [f"共 {k} a{k}b 项，营商环境"])])) for k in range(6)]
    expected = _python_files("r", docs)
    called: list[int] = []
    python = sp.postings_python
    monkeypatch.setattr(sp, "_MAX_RUNS", 3)  # six documents with two runs of their own each
    monkeypatch.setattr(sp, "postings_python", lambda d: called.append(len(d)) or python(d))
    assert sp.part_postings("r", docs) == expected
    assert called == [6]


def test_the_samples_postings_are_the_python_ones(conversion: Any) -> None:
    issues = [p for p in conversion.corpus.issues if p.docs]
    docs = list(enumerate(text for p in issues for text in si.issue_records(p)))
    made = sp.part_postings("p", docs)
    assert made == _python_files("p", docs)
    assert len(made) >= 16 and sum(map(len, made.values())) > 100_000  # the samples fill the shards
