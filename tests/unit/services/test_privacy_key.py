"""The linking key lives in its own file, never in the project; every import goes through
one pseudonymisation step; a project made before this moves its list out on opening."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from workbench.domain.speakers import SpeakerSpec
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.privacy import FINGERPRINT, Pseudonymiser, set_key_path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXT = (
    "Moderator: Velkommen, Kari og Per.\n"
    "Kari: Jeg heter Kari og jobber med Torstein.\n"
    "Per: Hei Kari. Karis poeng er godt.\n"
)
SHEET = [
    SpeakerSpec("Moderator", None, "moderator"),
    SpeakerSpec("Kari", "Leder 1", "informant"),
    SpeakerSpec("Per", "Leder 2", "informant"),
    SpeakerSpec("Torstein", "Kollega A", "informant"),
]
REAL = ("Kari", "Per", "Torstein")


def write(folder: Path, name: str, text: str = TEXT) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def project_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def has_word(data: bytes, word: str) -> bool:
    import re

    return re.search(rb"(?<![\w])" + word.encode() + rb"(?![\w])", data) is not None


def test_the_key_goes_to_its_own_file_and_never_into_the_project(tmp_path):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path) as wb:
        result = wb.imports.import_file(write(tmp_path, "intervju Kari.txt"), sheet=SHEET)
        assert result.name == "intervju Leder 1"
        assert result.speakers == ["Moderator", "Leder 1", "Leder 2"]
        tr = wb.transcripts.get(result.transcript_id)
        assert "Jeg heter Leder 1 og jobber med Kollega A" in tr.text
        assert "Leder 1s poeng" in tr.text
        assert wb.history()[0].args["file"] == "intervju Leder 1.txt"
        assert wb.store.meta(FINGERPRINT)
    key_file = tmp_path / "studie.wbp.nokkel"
    key = json.loads(key_file.read_text(encoding="utf-8"))
    assert [(p["real"], p["pseudonym"]) for p in key["pairs"]] == [
        ("Kari", "Leder 1"), ("Per", "Leder 2"), ("Torstein", "Kollega A")]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    data = project_bytes(path)
    for name in REAL:
        assert not has_word(data, name), name
    assert key["id"].encode() not in data  # only a hash of it


def test_a_later_import_uses_the_key_and_a_sheet_row_without_pseudonym_keeps_it(tmp_path):
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        wb.imports.import_file(write(tmp_path, "fg1.txt"), sheet=SHEET)
        sheet = [SpeakerSpec("Kari", None, "informant", "sykepleier")]
        later = wb.imports.import_file(
            write(tmp_path, "fg2 Per.txt", "Kari: Hei Per.\nPer: Hei.\n"), sheet=sheet)
        assert later.speakers == ["Leder 1", "Leder 2"]
        assert later.name == "fg2 Leder 2"
        assert wb.transcripts.get(later.transcript_id).text.startswith("Hei Leder 2.")
        labels = {p.label for p in wb.transcripts.participants()}
        assert not labels & set(REAL)


def test_a_participant_may_not_be_named_with_a_real_name_of_the_key(tmp_path):
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        wb.imports.import_file(write(tmp_path, "fg1.txt"), sheet=SHEET)
        plan = wb.imports.plan(write(tmp_path, "fg2.txt", "Ola: Hei.\n"))
        plan.speakers["Ola"].new_label = "Kari"
        with pytest.raises(UserError) as info:
            wb.imports.commit(plan)
        assert info.value.key == "privacy.error.real_name_label"
        assert len(wb.transcripts.summaries()) == 1


def test_without_the_key_reading_works_and_importing_asks_for_it(tmp_path):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path) as wb:
        wb.imports.import_file(write(tmp_path, "fg1.txt"), sheet=SHEET)
    away = tmp_path / "annen disk"
    away.mkdir()
    shutil.move(tmp_path / "studie.wbp.nokkel", away / "nokkel")
    with Workbench.open(path) as wb:
        assert len(wb.info().transcripts) == 1
        wb.exchange.export_segments(tmp_path / "seg.csv")
        with pytest.raises(UserError) as info:
            wb.imports.import_file(write(tmp_path, "fg2.txt", "Kari: Hei.\n"))
        assert info.value.key == "privacy.error.key_missing"
        forced = wb.imports.import_file(write(tmp_path, "fg3.txt", "Ola: Hei.\n"),
                                        without_key=True)
        assert any("uten koblingsnøkkelen" in w for w in forced.warnings)
        set_key_path(wb.store, away / "nokkel")
        good = wb.imports.import_file(write(tmp_path, "fg4.txt", "Kari: Hei igjen.\n"))
        assert good.speakers == ["Leder 1"]
    assert not (tmp_path / "studie.wbp.nokkel").exists()


def test_another_projects_key_is_refused(tmp_path):
    with Workbench.create(tmp_path / "a.wbp") as a:
        a.imports.import_file(write(tmp_path, "fg1.txt"), sheet=SHEET)
    with Workbench.create(tmp_path / "b.wbp") as b:
        b.imports.import_file(write(tmp_path, "fg2.txt", "Ola: Hei.\n"),
                              sheet=[SpeakerSpec("Ola", "Leder 9", "informant")])
        set_key_path(b.store, tmp_path / "a.wbp.nokkel")
        with pytest.raises(UserError) as info:
            b.imports.import_file(write(tmp_path, "fg3.txt", "Ola: Hei igjen.\n"))
        assert info.value.key == "privacy.error.wrong_key"


def test_undo_of_an_import_keeps_the_key(tmp_path):
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        wb.imports.import_file(write(tmp_path, "fg1.txt"), sheet=SHEET)
        wb.undo()
        assert wb.info().transcripts == []
        again = wb.imports.import_file(write(tmp_path, "fg1b.txt", "Kari: Hei.\n"))
        assert again.speakers == ["Leder 1"]


def test_a_project_from_before_moves_its_list_out_on_first_open(tmp_path, capsys):
    path = tmp_path / "old.wbp"
    shutil.copy(FIXTURES / "schema_v3.wbp", path)
    before = sqlite3.connect(path)
    assert before.execute("SELECT count(*) FROM replacement").fetchone() == (3,)
    before.close()
    with Workbench.open(path) as wb:
        assert [t.name for t in wb.transcripts.summaries()] == ["intervju Leder 1"]
        assert wb.store.meta(FINGERPRINT)
        (coded,) = wb.codes.codings()
        text = wb.transcripts.get(coded.transcript_id).text
        assert text[coded.start:coded.end] == "jobber"
    err = capsys.readouterr().err
    assert "old.wbp.nokkel" in err and "3 navn" in err
    key = json.loads((tmp_path / "old.wbp.nokkel").read_text(encoding="utf-8"))
    assert [p["real"] for p in key["pairs"]] == list(REAL)
    data = project_bytes(path)
    for name in REAL:
        assert not has_word(data, name), name
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "replacement" not in tables
    # opening again says nothing, and undo still works on the cleaned log
    with Workbench.open(path, actor="forsker") as wb:
        assert wb.undo().name == "coding.add"
        assert wb.undo().name == "transcript.import"
        assert wb.info().transcripts == []
        wb.redo()
        assert [t.name for t in wb.transcripts.summaries()] == ["intervju Leder 1"]
    assert capsys.readouterr().err == ""


def test_pseudonymiser_maps_spans_across_replacements():
    pz = Pseudonymiser([("Kari", "Leder 1"), ("Kari Ø.", "Leder 1"), ("Per", "P")])
    text = "Hei Kari Ø. og Per, sa Kari."
    new, span = pz.mapped(text)
    assert new == "Hei Leder 1 og P, sa Leder 1."
    a = text.index("og")
    assert new[slice(*span(a, a + 2))] == "og"
    b = text.index("sa")
    assert new[slice(*span(b, len(text)))] == "sa Leder 1."
    assert new[slice(*span(text.index("Per"), text.index("Per") + 3))] == "P"
    assert pz.filename("intervju Per.docx") == "intervju P.docx"
    assert pz.text("Peru og Karis") == "Peru og Leder 1s"
