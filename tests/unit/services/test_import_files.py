"""Importing several files at once: the text processing may run in worker processes, and
what is stored is exactly what importing them one after the other stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from workbench.i18n import UserError
from workbench.services import Workbench, importing
from workbench.storage import search_index
from workbench.storage.models import Participant, Transcript, Turn

TEXTS = [
    "Moderator: Hva betyr arbeidsmåten for brukerne?\n"
    "Kari: Brukeren får bestemme mer. (latter) Vi har for lite tid, men brukere merker det.\n"
    "Per: Jeg tenker at bruker og pårørende må med. F.eks. kl. 14 i 2019.\n",
    "Moderator: Og hos dere?\n"
    "Anne: Brukerne sier de får mer håp. //Ja// for lite tid er et problem her også.\n"
    "Ola: Samarbeidet med brukerne er bedre, avdelingslederen sier det.\n",
    "Moderator: Til slutt?\n"
    "Kari: Vi pleier å snakke om håpet, og lederne lytter.\n",
]


def _files(tmp_path: Path) -> list[Path]:
    out = []
    for i, text in enumerate(TEXTS, 1):
        path = tmp_path / f"fg{i}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def _stored(wb: Workbench) -> tuple:
    with wb.store.read() as s:
        names = dict(s.execute(select(Transcript.id, Transcript.name)).all())
        turn_key = {tid: (names[t], pos) for tid, t, pos in
                    s.execute(select(Turn.id, Turn.transcript_id, Turn.position))}
        postings = [
            (names[tid], field, term, count, [(n, a, b, turn_key.get(k)) for n, a, b, k in occ])
            for tid, field, term, count, occ in search_index.occurrences(s)]
        sentences = sorted((names[t], a, b) for t in names for a, b in search_index.sentences(s, t))
        texts = sorted(s.execute(select(Transcript.name, Transcript.text)).all())
        people = sorted(s.execute(select(Participant.label, Participant.role)).all())
    return postings, sentences, texts, people


def test_workers_store_what_one_after_the_other_stores(tmp_path: Path, project_target: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path)
    with Workbench.create(tmp_path / "one_by_one.wbp") as wb:
        expected_results = [wb.imports.import_file(f) for f in files]
        expected = _stored(wb)
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    with Workbench.create(project_target) as wb:
        results = wb.imports.import_files(files, workers=2)
        assert [(r.name, r.turns, r.words, r.speakers) for r in results] == [
            (r.name, r.turns, r.words, r.speakers) for r in expected_results]
        assert _stored(wb) == expected
        assert len(wb.search.search("bruker")) == 5  # moderators left out
        assert wb.undo() is not None  # each file is its own command
        assert [t.name for t in wb.transcripts.summaries()] == ["fg1", "fg2"]


def test_it_stops_at_the_first_file_that_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path)
    twin = tmp_path / "twin.txt"
    twin.write_text(TEXTS[0], encoding="utf-8")
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    with Workbench.create(tmp_path / "p.wbp") as wb:
        with pytest.raises(UserError):
            wb.imports.import_files([files[0], twin, files[1]], workers=2)
        assert [t.name for t in wb.transcripts.summaries()] == ["fg1"]


def test_few_bytes_are_imported_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_a: object, **_k: object) -> None:
        raise AssertionError("no worker processes for a little text")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    with Workbench.create(tmp_path / "p.wbp") as wb:
        results = wb.imports.import_files(_files(tmp_path), workers=2)
        assert [r.name for r in results] == ["fg1", "fg2", "fg3"]


def test_each_file_goes_on_past_a_failed_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """import_each reports a broken file and a twin with their errors, in the file order,
    and stores the others exactly as importing them one by one (with or without the pool)."""
    files = _files(tmp_path)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word file")
    twin = tmp_path / "twin.txt"
    twin.write_text(TEXTS[0], encoding="utf-8")
    batch = [files[0], broken, files[1], twin, files[2]]
    with Workbench.create(tmp_path / "one_by_one.wbp") as wb:
        for f in files:
            wb.imports.import_file(f)
        expected = _stored(wb)
    stored = []
    used: list[bool] = []
    real_pooled = importing.ImportService._import_pooled

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        used.append(True)
        return real_pooled(self, *args, **kwargs)

    monkeypatch.setattr(importing.ImportService, "_import_pooled", spy)
    for pooled in (False, True):
        monkeypatch.setattr(importing, "PARALLEL_BYTES", 0 if pooled else 10**12)
        with Workbench.create(tmp_path / f"p{pooled}.wbp") as wb:
            used.clear()
            outcomes = list(wb.imports.import_each(batch, workers=2))
            assert used == ([True] if pooled else [])  # the pool, or one file after another
            assert [p for p, _o in outcomes] == batch
            kinds = [type(o).__name__ for _p, o in outcomes]
            assert kinds == ["ImportResult", "UserError", "ImportResult", "UserError",
                             "ImportResult"]
            assert outcomes[3][1].key == "importing.already_imported"
            stored.append(_stored(wb))
            assert wb.undo() is not None
            assert [t.name for t in wb.transcripts.summaries()] == ["fg1", "fg2"]
    assert stored[0] == stored[1] == expected


def test_stopping_the_iteration_keeps_what_was_yielded(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    with Workbench.create(tmp_path / "p.wbp") as wb:
        outcomes = wb.imports.import_each(_files(tmp_path), workers=2)
        path, first = next(outcomes)
        outcomes.close()  # the pool stops; the files not yielded are not imported
        assert path.name == "fg1.txt" and first.name == "fg1"
        assert [t.name for t in wb.transcripts.summaries()] == ["fg1"]


def test_a_command_in_between_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the pooled import remembers between its own commands (positions, the texts for
    the «already imported» check) is read again when another command came in between."""
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    files = _files(tmp_path)
    other = tmp_path / "other" / "fg3.txt"
    other.parent.mkdir()
    other.write_text(TEXTS[2], encoding="utf-8")
    with Workbench.create(tmp_path / "p.wbp") as wb:
        outcomes = wb.imports.import_each(files, workers=2)
        assert next(outcomes)[1].name == "fg1"
        wb.imports.import_file(other, name="annen")  # the third file's text, under another name
        rest = list(outcomes)
        assert rest[0][1].name == "fg2"
        assert isinstance(rest[1][1], UserError) and rest[1][1].key == "importing.already_imported"
        assert [t.name for t in wb.transcripts.summaries()] == ["fg1", "annen", "fg2"]


def test_a_ready_fork_server_takes_the_first_file_at_once(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """While the fork server may still be loading, the pool is made only after a few files
    are read (its first worker waits for the server); once a worker has answered, the next
    import makes its pool at the first file."""
    from concurrent import futures

    from workbench.nlp import workers

    files = _files(tmp_path)
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(workers, "_warm", False)
    planned: list[Path] = []
    real_plan = importing.ImportService.plan

    def plan(self: importing.ImportService, path: Path, **kwargs: object) -> object:
        planned.append(path)
        return real_plan(self, path, **kwargs)  # type: ignore[arg-type]

    made_after: list[int] = []

    class Pool(futures.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            made_after.append(len(planned))
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing.ImportService, "plan", plan)
    monkeypatch.setattr(futures, "ProcessPoolExecutor", Pool)
    for name in ("cold", "warm"):
        planned.clear()
        with Workbench.create(tmp_path / f"{name}.wbp") as wb:
            assert len(wb.imports.import_files(files, workers=2)) == 3
        assert workers.known_warm()
    assert made_after == [3, 1]
