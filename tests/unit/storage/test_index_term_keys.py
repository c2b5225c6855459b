"""A multi-file import keeps the index's term keys it has met (TermKeys), and trusts only
those whose transaction committed: the new terms of one rolled back are written again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from workbench.services import Workbench
from workbench.storage import search_index
from workbench.storage.models import PostingTerm, Transcript
from workbench.storage.search_index import TermKeys, write_index


def _terms(wb: Workbench) -> dict[str, int]:
    with wb.store.read() as s:
        return {term: key for key, term in s.execute(select(PostingTerm.id, PostingTerm.term))}


def test_keys_of_a_rolled_back_transaction_are_not_kept(tmp_path: Path,
                                                        project_target: str) -> None:
    file = tmp_path / "fg1.txt"
    file.write_text("Kari: Brukeren får bestemme mer.\n", encoding="utf-8")
    with Workbench.create(project_target) as wb:
        wb.imports.import_file(file)
        with wb.store.read() as s:
            tid = s.scalar(select(Transcript.id))
        keys = TermKeys()
        with wb.store.derived() as s:
            write_index(s, tid, "Kari: Brukeren får bestemme mer.", keys=keys)
        keys.committed()
        assert keys.known == {t: k for t, k in _terms(wb).items() if t in keys.known}
        assert "bruker" in keys.known and not keys.pending

        with pytest.raises(RuntimeError), wb.store.derived() as s:
            write_index(s, tid, "Ola: Sykepleierne lytter.", keys=keys)
            assert "sykepleier" in keys.pending
            raise RuntimeError("rolled back")
        assert "sykepleier" not in _terms(wb) and "sykepleier" not in keys.known

        with wb.store.derived() as s:  # the rolled-back terms are looked up and added again
            write_index(s, tid, "Ola: Sykepleierne lytter til brukeren.", keys=keys)
        keys.committed()
        stored = _terms(wb)
        assert all(stored[t] == k for t, k in keys.known.items())
        assert {"sykepleierne", "sykepleier", "bruker"} <= keys.known.keys()
        with wb.store.read() as s:
            assert search_index.find_postings(s, "lemma", "sykepleier") == {tid: [1]}
            assert search_index.find_postings(s, "lemma", "bruker") == {tid: [4]}
