"""Titles printed over two or three lines (`converter/parse/document.py`), with or without a 文号 after
them, and the corpus of laws and regulations beside the project scored as a whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converter.pipeline import parse_source
from converter.read.source import decode_source

# ../shared/corpus beside the project (or beside the checkout that holds this worktree).
CORPUS = next((p / "shared" / "corpus" for p in Path(__file__).resolve().parents[2:] if (p / "shared" / "corpus").is_dir()),
              Path(__file__).resolve().parents[3] / "shared" / "corpus")  # fmt: skip


def _titles(text: str) -> list[str]:
    source, _ = decode_source(text.encode("utf-8"), "t.txt")
    return [d.title for d in parse_source(source).documents]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("某某市实施\n《中华人民共和国某某法》办法\n第一章 总则\n第一条 为了实施本法，制定本办法。\n",
         "某某市实施《中华人民共和国某某法》办法"),
        # The first line already ends like a title (…代表); the second ends it again.
        ("某某市人民代表大会代表\n建议批评和意见工作条例\n第一条 为了做好工作，制定本条例。\n",
         "某某市人民代表大会代表建议批评和意见工作条例"),
        ("政府工作报告\n——2024年1月在自治区人民代表大会上\n各位代表：\n现在，我代表自治区人民政府报告工作。\n",
         "政府工作报告"),
        # A title is no list of words: a stray space in it goes.
        ("滨州市 海岸带生态保护与利用条例\n第一条 为了保护海岸带，制定本条例。\n", "滨州市海岸带生态保护与利用条例"),
        # Cut at the wrap width of the text below (12 cells), its end on a short line: a law ends in no type.
        ("中华人民共和国粮食安全保\n障法\n第一章 总 则\n第一条 为了保障粮食有效\n供给，确保国家粮食安全，\n"
         "提高防范和抵御\n粮食安全风险能力，维护经\n济社会稳定和国家安全，根\n据宪法，制定本\n法。\n"
         "第二条 国家粮食安全工作\n坚持中国共产党的领导，贯\n彻总体国家安全\n观，统筹发展和安全，实施\n",
         "中华人民共和国粮食安全保障法"),
    ],
)
def test_a_title_without_wenhao_over_lines(text: str, title: str) -> None:
    assert _titles(text)[0] == title


@pytest.mark.skipif(not (CORPUS / "corpus.py").is_file(), reason="../shared/corpus is not beside the project")
def test_the_corpus_scores_at_least_0_99(tmp_path: Path) -> None:
    texts = sorted((CORPUS / "text").glob("*.txt"))
    out = tmp_path / "json"
    result = subprocess.run([sys.executable, "-m", "converter.cli", "-q", "convert", "--json", str(out), *map(str, texts)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    scored = subprocess.run([sys.executable, str(CORPUS / "corpus.py"), "score", str(out)], capture_output=True,
                            text=True, check=True)  # fmt: skip
    last = scored.stdout.strip().splitlines()[-1]
    assert last.startswith("corpus ") and float(last.split()[1]) >= 0.99, scored.stdout[-3000:]
