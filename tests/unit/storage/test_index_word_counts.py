"""Word counts per transcript come from the index's version rows (one small row per
transcript), not from summing every lemma row; an older index without them still counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, update

from workbench.services import Workbench
from workbench.storage.models import Posting
from workbench.storage.search_index import LEMMA, VERSION, word_counts

TEXTS = {
    "fg1": "Moderator: Hva betyr arbeidsmåten?\nKari: Brukeren får bestemme mer (latter) selv.\n",
    "fg2": "Moderator: Og hos dere?\nAnne: Brukerne sier de får mer håp, og tid.\n",
}


def _lemma_sums(wb: Workbench) -> dict[int, int]:
    with wb.store.read() as s:
        return {tid: int(n) for tid, n in s.execute(
            select(Posting.transcript_id, func.sum(Posting.count))
            .where(Posting.field == LEMMA).group_by(Posting.transcript_id))}


def _project(tmp_path: Path, target: str) -> Workbench:
    wb = Workbench.create(target)
    for name, text in TEXTS.items():
        file = tmp_path / f"{name}.txt"
        file.write_text(text, encoding="utf-8")
        wb.imports.import_file(file)
    return wb


def test_version_rows_carry_the_word_count(tmp_path: Path, project_target: str) -> None:
    with _project(tmp_path, project_target) as wb:
        expected = _lemma_sums(wb)
        assert sorted(expected.values()) == [8, 11]  # "(latter)" is a mark, not words
        with wb.store.read() as s:
            assert word_counts(s) == expected
            stored = dict(s.execute(select(Posting.transcript_id, Posting.count)
                                    .where(Posting.field == VERSION)).all())
        assert stored == expected
        assert {x.id: x.words for x in wb.transcripts.summaries()} == expected


def test_an_index_without_counts_in_its_version_rows_is_summed(
        tmp_path: Path, project_target: str) -> None:
    with _project(tmp_path, project_target) as wb:
        expected = _lemma_sums(wb)
        first = min(expected)
        with wb.store.derived() as s:  # what an index written before the counts looks like
            s.execute(update(Posting).where(Posting.field == VERSION,
                                            Posting.transcript_id == first).values(count=0))
        with wb.store.read() as s:
            assert word_counts(s) == expected
        assert {x.id: x.words for x in wb.transcripts.summaries()} == expected
