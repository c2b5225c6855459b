"""Word counts per transcript come from the index's per-transcript row (one small row per
transcript), not from summing every lemma posting; they are the same number."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from workbench.services import Workbench
from workbench.storage.models import Posting, TextIndex
from workbench.storage.search_index import FIELDS_OF, word_counts

TEXTS = {
    "fg1": "Moderator: Hva betyr arbeidsmåten?\nKari: Brukeren får bestemme mer (latter) selv.\n",
    "fg2": "Moderator: Og hos dere?\nAnne: Brukerne sier de får mer håp, og tid.\n",
}


def _lemma_sums(wb: Workbench) -> dict[int, int]:
    with wb.store.read() as s:
        return {tid: int(n) for tid, n in s.execute(
            select(Posting.transcript_id, func.sum(Posting.count))
            .where(Posting.field.in_(FIELDS_OF["lemma"])).group_by(Posting.transcript_id))}


def _project(tmp_path: Path, target: str) -> Workbench:
    wb = Workbench.create(target)
    for name, text in TEXTS.items():
        file = tmp_path / f"{name}.txt"
        file.write_text(text, encoding="utf-8")
        wb.imports.import_file(file)
    return wb


def test_the_text_index_row_carries_the_word_count(tmp_path: Path, project_target: str) -> None:
    with _project(tmp_path, project_target) as wb:
        expected = _lemma_sums(wb)
        assert sorted(expected.values()) == [8, 11]  # "(latter)" is a mark, not words
        with wb.store.read() as s:
            assert word_counts(s) == expected
            stored = dict(s.execute(select(TextIndex.transcript_id, TextIndex.words)).all())
        assert stored == expected
        assert {x.id: x.words for x in wb.transcripts.summaries()} == expected
