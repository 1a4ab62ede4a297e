"""The per-issue pieces of archive-wide files kept between builds (`publish.pieces`): read back under the
issue's render digest, made again when missing, not signed by this machine for that name, or not a list
of strings, removed once no issue of the build has their digest, all gone with `--clean`; an
archive-wide file made from kept pieces is the file made from scratch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import REPO_ROOT

from converter import pipeline
from converter.link import ids
from converter.model import Corpus, PublishedIssue
from converter.publish import pieces
from converter.publish.incremental import render_digests
from converter.render.browse import appointment_rows, appointments_index, by_issuer, by_kind, by_year
from converter.render.search_index import issue_records, search_index

SAMPLES = sorted((REPO_ROOT / "sources").glob("*.txt"))


@pytest.fixture(scope="module")
def conversion() -> pipeline.Conversion:
    return pipeline.convert(SAMPLES, workers=1)


def _issues(conversion: pipeline.Conversion) -> list[PublishedIssue]:
    return [p for p in conversion.corpus.issues if p.docs]


def _counting(make: Callable[[PublishedIssue], list[str]], made: list[str]) -> Callable[[PublishedIssue], list[str]]:
    def count(issue: PublishedIssue) -> list[str]:
        made.append(issue.key)
        return make(issue)

    return count


def test_a_piece_is_made_once_and_read_back_after(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    digests = render_digests(conversion.corpus)
    issues = _issues(conversion)
    made: list[str] = []
    first = pieces.kept(tmp_path, digests).memo("records", _counting(issue_records, made))
    assert [first(p) for p in issues] == [issue_records(p) for p in issues]
    again = pieces.kept(tmp_path, digests).memo("records", _counting(issue_records, made))
    assert [again(p) for p in issues] == [issue_records(p) for p in issues]
    assert made == [p.key for p in issues]  # the second build made none


def test_a_damaged_piece_is_made_again(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    digests = render_digests(conversion.corpus)
    issue = _issues(conversion)[0]
    memo = pieces.kept(tmp_path, digests).memo("records", issue_records)
    memo(issue)
    path = tmp_path / "records" / f"{digests[issue.key]}.json"
    signed = path.read_bytes()
    for damaged in (b"", signed[:10], signed[: len(signed) // 2], signed[:32] + b'["x"]', signed + b" "):
        path.write_bytes(damaged)
        assert memo(issue) == issue_records(issue)


def test_a_piece_not_signed_for_its_name_is_never_taken(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    digests = render_digests(conversion.corpus)
    first, second = _issues(conversion)[:2]
    memo = pieces.kept(tmp_path, digests).memo("records", issue_records)
    memo(first), memo(second)
    crafted = tmp_path / "records" / f"{digests[first.key]}.json"
    crafted.write_bytes(b"\0" * 32 + b'["<script>alert(1)</script>"]')  # valid JSON, unsigned
    assert memo(first) == issue_records(first)
    # a piece signed for another issue's digest, copied over this one's
    assert issue_records(second) != issue_records(first)
    crafted.write_bytes((tmp_path / "records" / f"{digests[second.key]}.json").read_bytes())
    assert memo(first) == issue_records(first)


def test_pieces_of_other_digests_are_removed_and_clean_removes_all(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    digests = render_digests(conversion.corpus)
    issue = _issues(conversion)[0]
    pieces.kept(tmp_path, digests).memo("rows", appointment_rows)(issue)
    stale = tmp_path / "rows" / ("0" * 64 + ".json")
    stale.write_text("[]")
    pieces.kept(tmp_path, digests)
    assert sorted(p.name for p in (tmp_path / "rows").iterdir()) == [f"{digests[issue.key]}.json"]
    pieces.kept(tmp_path, digests, clean=True)
    assert not tmp_path.exists()


def test_archive_wide_files_from_kept_pieces_are_those_made_from_scratch(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    issues = _issues(conversion)
    for _ in range(2):  # made and kept, then read back
        kept = pieces.kept(tmp_path, render_digests(conversion.corpus))
        assert appointments_index(issues, kept.memo("rows", appointment_rows)) == appointments_index(issues)
        for page in (by_issuer, by_kind, by_year):
            assert page(issues, kept.memo) == page(issues)
        assert search_index(issues, "salt", records=kept.memo("records", issue_records)) == search_index(issues, "salt")


def test_the_manifest_from_kept_pieces_is_the_manifest(conversion: pipeline.Conversion, tmp_path: Path) -> None:
    digests = render_digests(conversion.corpus)
    expected = ids.manifest(conversion.corpus)
    for _ in range(2):  # made and kept, then read back (a new corpus object each time: not the memo's)
        memo = pieces.kept(tmp_path, digests).memo("manifest", ids.issue_manifest)
        assert ids.manifest(Corpus(conversion.corpus.issues), memo) == expected
