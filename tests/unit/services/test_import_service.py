"""Importing into a project: speakers, pseudonyms, the search index, failures change nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workbench.domain.speakers import SpeakerSpec
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage import migrations
from workbench.storage import search_index
from workbench.storage.models import Posting
from workbench.storage.search_index import FIELDS_OF

from tests.unit.storage.test_changelog import dump

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parents[2] / "fixtures"

TEXT = """Notat: opptaket startet etter presentasjonsrunden.

Moderator: Velkommen. Vil dere si litt om dere selv?
Kari: Jeg heter Kari og er sykepleier. (latter) Brukerne kjenner meg godt.
Kari Ø.: Og jeg glemte å si at jeg har vært her i ti år.
Per: Per heter jeg, vernepleier. Karis poeng om brukeren er viktig.
Moderator: Takk. Hva betyr forbedring for dere?
Per: At brukeren selv får bestemme.
"""


def write(tmp_path: Path, name: str, text: str = TEXT, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def token_count(wb: Workbench) -> int:
    with wb.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Posting)))


def test_plan_then_commit_with_merge_and_pseudonyms(wb, tmp_path):
    path = write(tmp_path, "fg1.txt")
    plan = wb.imports.plan(path, group="Ledere")
    assert list(plan.speakers) == ["Moderator", "Kari", "Kari Ø.", "Per"]
    assert plan.speakers["Moderator"].role == "moderator"
    assert plan.speakers["Moderator"].group == ""
    assert plan.speakers["Per"].group == "Ledere"
    assert dump(wb)["transcript"] == []  # planning writes nothing
    plan.merge("Kari Ø.", "Kari")
    plan.pseudonymise("Kari", "Leder 1")
    plan.pseudonymise("Per", "Leder 2")
    plan.speakers["Per"].profession = "vernepleier"
    result = wb.imports.commit(plan)
    assert result.speakers == ["Moderator", "Leder 1", "Leder 2"]
    tr = wb.transcripts.get(result.transcript_id)
    assert "Kari" not in tr.text and "Per " not in tr.text
    assert "Jeg heter Leder 1" in tr.text and "Leder 1s poeng" in tr.text
    assert tr.turns[0].speaker is None  # the note before the first speaker is kept
    assert [t.speaker for t in tr.turns[1:4]] == ["Moderator", "Leder 1", "Leder 1"]
    people = {p.label: p for p in wb.transcripts.participants()}
    assert people["Leder 2"].profession == "vernepleier"
    # The replacement list is kept: a later import is pseudonymised the same way.
    later = wb.imports.import_file(
        write(tmp_path, "fg1b.txt", "Kari: Jeg er tilbake.\nPer: Hei Kari.\n"), group="Ledere"
    )
    assert later.speakers == ["Leder 1", "Leder 2"]
    assert "Kari" not in wb.transcripts.get(later.transcript_id).text
    assert len(wb.transcripts.participants()) == 3


def test_speaker_sheet_assigns_roles_professions_groups(wb, tmp_path):
    sheet = [
        SpeakerSpec("Moderator", None, "moderator"),
        SpeakerSpec("Kari", "Leder 1", "informant", "sykepleier", "Ledere", ["Kari Ø."]),
        SpeakerSpec("Per", "Leder 2", "informant", "vernepleier", "Ledere"),
    ]
    result = wb.imports.import_file(write(tmp_path, "fg1.txt"), sheet=sheet)
    assert result.speakers == ["Moderator", "Leder 1", "Leder 2"]
    people = {p.label: p for p in wb.transcripts.participants()}
    assert (people["Leder 1"].profession, people["Leder 1"].group) == ("sykepleier", "Ledere")
    assert people["Moderator"].role == "moderator"


def test_import_builds_the_lemma_index_and_undo_removes_it(wb, tmp_path):
    wb.imports.import_file(write(tmp_path, "fg1.txt"))
    with wb.store.read() as s:
        lemmas = {term for _tid, _field, term, _n, _occ in search_index.occurrences(s)
                  if _field in FIELDS_OF["lemma"]}
    assert "bruker" in lemmas  # brukerne, brukeren
    assert token_count(wb) > 30
    wb.undo()
    assert token_count(wb) == 0
    wb.redo()
    assert token_count(wb) > 30


def test_a_failed_file_leaves_the_project_exactly_as_it_was(wb, tmp_path):
    wb.imports.import_file(write(tmp_path, "ok.txt"))
    before = dump(wb), token_count(wb), len(wb.history())
    for bad in (write(tmp_path, "empty.txt", ""), write(tmp_path, "broken.docx", "not a zip")):
        with pytest.raises(UserError):
            wb.imports.import_file(bad)
    with pytest.raises(UserError) as err:
        wb.imports.import_file(write(tmp_path, "again.txt"))  # same text again
    assert err.value.key == "importing.already_imported"
    assert (dump(wb), token_count(wb), len(wb.history())) == before


def test_progress_is_reported(wb, tmp_path):
    lines = "".join(f"Informant {i % 7 + 1}: Dette er ytring nummer {i} om brukeren.\n" for i in range(3000))
    seen: list[tuple[str, int, int]] = []
    wb.imports.import_file(write(tmp_path, "long.txt", lines), progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert "parse" in stages and stages[-1] == "done"
    parse = [(d, n) for s, d, n in seen if s == "parse"]
    assert len(parse) >= 2 and parse[-1][0] == parse[-1][1]


def test_codebook_import_reuses_existing_codes(wb):
    existing = wb.codes.create("HÅP")
    result = wb.codebooks.import_file(REPO / "codebooks" / "chime.yaml")
    assert result.codes_added > 5
    names = [c.name for c in wb.codes.list()]
    assert len(names) == len({n.casefold() for n in names})
    assert existing.id in {c.id for c in wb.codes.list()}
    wb.undo()
    assert [c.name for c in wb.codes.list()] == ["HÅP"]


def test_codebook_export_then_import_round_trips(wb, tmp_path, same_backend):
    wb.codebooks.import_file(REPO / "codebooks" / "induktiv-eksempel.yaml")
    text = wb.codebooks.export_yaml()
    new_target, _url_of = same_backend
    with Workbench.create(new_target()) as other:
        target = tmp_path / "kodebok.yaml"
        target.write_text(text, encoding="utf-8")
        other.codebooks.import_file(target)
        assert [(c.name, c.colour, c.origin) for c in other.codes.list()] == [
            (c.name, c.colour, c.origin) for c in wb.codes.list()
        ]
        assert [t.name for t in other.themes.tree()] == [t.name for t in wb.themes.tree()]


# SQLite only: old .wbp files, their upgrade and the backup file next to them.
def test_schema_1_file_is_upgraded_with_a_backup(tmp_path):
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v1.wbp", path)
    with Workbench.open(path, actor="forsker") as wb:  # undo is per person: the log's author
        info = wb.info()
        assert info.schema_version == migrations.SCHEMA_VERSION == 6
        assert info.title == "Studie laget med skjema 1"
        assert (info.codes, info.codings, info.themes, info.open_comments) == (2, 2, 1, 1)
        assert info.phase == 2
        assert token_count(wb) > 0  # the index was built for the old transcript
        # The old change log still undoes and redoes.
        assert wb.undo().name == "comment.add"
        assert wb.info().open_comments == 0
        assert wb.redo().name == "comment.add"
        assert wb.redo().name == "code.create"  # undone before the upgrade
        wb.undo()
    backups = list(tmp_path.glob("old.wbp.schema1.bak*"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT value FROM workbench_meta").fetchone() == ("1",)
    con.close()


def test_upgraded_schema_matches_a_new_one(tmp_path):
    old = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v1.wbp", old)
    Workbench.open(old).close()
    Workbench.create(tmp_path / "new.wbp").close()

    def schema(path: Path) -> dict:
        con = sqlite3.connect(path)
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for table in tables:
            cols = sorted((r[1], r[2].upper(), r[3]) for r in con.execute(f"PRAGMA table_info('{table}')"))
            idx = sorted(r[1] for r in con.execute(f"PRAGMA index_list('{table}')"))
            out[table] = (cols, idx)
        con.close()
        return out

    assert schema(old) == schema(tmp_path / "new.wbp")
