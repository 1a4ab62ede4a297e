"""Per-issue render digests (`publish.incremental.render_digests`): an issue's parse stands in the digest
as its cache key; what linking adds (cited-by lists, citations, relations) is pickled. Equal digests must
mean equal docs/ files, so every input of an issue's pages moves its digest, and nothing else does."""

from __future__ import annotations

from dataclasses import replace

import pytest
from projects import REPO_ROOT

from converter import pipeline
from converter.model import Corpus
from converter.publish.incremental import render_digests

SAMPLES = sorted((REPO_ROOT / "sources").glob("*.txt"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.Conversion, pipeline.Conversion]:
    """The samples converted into an empty cache, then again from it."""
    cache = tmp_path_factory.mktemp("digests") / "cache"
    return pipeline.convert(SAMPLES, cache, workers=1), pipeline.convert(SAMPLES, cache, workers=1)


def _digests(conversion: pipeline.Conversion, corpus: Corpus | None = None) -> dict[str, str]:
    return render_digests(corpus or conversion.corpus, conversion.issues, conversion.keys)


def test_an_issue_from_the_cache_has_the_digest_of_the_same_issue_converted(converted: tuple[pipeline.Conversion, ...]) -> None:
    fresh, cached = converted
    assert cached.reused == len(SAMPLES) and len(fresh.keys) == len(fresh.issues)
    assert _digests(cached) == _digests(fresh)
    assert len(set(_digests(fresh).values())) == len(_digests(fresh))


def test_what_linking_adds_and_the_parse_move_the_digest_of_that_issue_only(converted: tuple[pipeline.Conversion, ...]) -> None:
    conversion = converted[0]
    before = _digests(conversion)
    first = next(p for p in conversion.corpus.issues if p.docs)
    cited = replace(first, docs=(replace(first.docs[0], cited_by=(("2000/01/x/", ""),)), *first.docs[1:]))
    corpus = Corpus(tuple(cited if p is first else p for p in conversion.corpus.issues))
    after = _digests(conversion, corpus)
    assert {k for k in before if before[k] != after[k]} == {first.key}
    other_key = replace(conversion, keys=tuple(k if i is not first.issue else "0" * 64 for i, k in zip(conversion.issues, conversion.keys, strict=True)))
    assert {k for k, v in _digests(other_key).items() if before[k] != v} == {first.key}
    # an issue without a key (not converted through `convert`) is pickled whole: still a digest per issue
    assert render_digests(conversion.corpus).keys() == before.keys()
