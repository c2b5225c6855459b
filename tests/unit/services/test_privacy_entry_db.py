"""Every way text enters the project goes through the one pseudonymisation step: a real
name from the linking key never reaches the database (the SQLite file's bytes, or a
``pg_dump`` of the PostgreSQL schema), and no path names a participant or transcript
with one. Runs on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.domain.speakers import SpeakerSpec
from workbench.formats.refi import model as refi
from workbench.formats.refi.writer import qdpx_archive
from workbench.i18n import UserError
from workbench.services import Workbench

from tests.unit.services.privacy_db import assert_absent

REAL = ["Kari", "Torstein"]
KEY_SHEET = [
    SpeakerSpec("Kari", "Leder 1", "informant"),
    SpeakerSpec("Torstein", "Kollega A", "informant"),
    SpeakerSpec("Moderator", None, "moderator"),
]


def keyed(target: str, tmp_path: Path) -> Workbench:
    """A project whose key holds Kari → Leder 1 and Torstein → Kollega A (the first
    import's file has neither name in it: the sheet gives both)."""
    wb = Workbench.create(target)
    first = tmp_path / "fg0.txt"
    first.write_text("Moderator: Hei.\nKari: Hei.\nTorstein: Hei.\n", encoding="utf-8")
    wb.imports.import_file(first, sheet=KEY_SHEET)
    return wb


def test_add_parsed_pseudonymises_labels_text_and_names(project_target, tmp_path):
    parsed = ParsedTranscript("txt", [
        ParsedTurn("Moderator", "Velkommen, Kari og Torstein."),
        ParsedTurn("Kari", "Jeg jobber med Torstein.", 0, 1000),
        ParsedTurn("TORSTEIN", "Og Karis kontor er ved siden av.", 1000, 2000),
    ])
    with keyed(project_target, tmp_path) as wb:
        summary = wb.transcripts.add_parsed(parsed, name="intervju Kari", group="Torstein sin",
                                            original_filename="intervju Kari.txt")
        tr = wb.transcripts.get(summary.id)
        assert tr.name == "intervju Leder 1"
        assert tr.original_filename == "intervju Leder 1.txt"
        assert tr.group == "Kollega A sin"
        assert "Velkommen, Leder 1 og Kollega A." in tr.text
        assert "Leder 1s kontor" in tr.text
        assert [t.speaker for t in tr.turns] == ["Moderator", "Leder 1", "Kollega A"]
        labels = {p.label for p in wb.transcripts.participants()}
        assert labels == {"Moderator", "Leder 1", "Kollega A"}
        assert wb.history()[0].args["name"] == "intervju Leder 1"
    assert_absent(project_target, REAL)


def test_add_parsed_needs_the_key(project_target, tmp_path):
    with keyed(project_target, tmp_path) as wb:
        key = wb.privacy.key_path()
        key.rename(key.with_name("borte"))
        parsed = ParsedTranscript("txt", [ParsedTurn("Kari", "Hei.")])
        with pytest.raises(UserError) as info:
            wb.transcripts.add_parsed(parsed, name="fg9")
        assert info.value.key == "privacy.error.key_missing"
        assert "fg9" not in {s.name for s in wb.transcripts.summaries()}


@pytest.mark.parametrize("suffix,body", [
    (".txt", "Kari: Jeg jobber med Torstein.\n"),
    (".srt", "1\n00:00:01,000 --> 00:00:03,000\nKari: Jeg jobber med Torstein.\n"),
    (".vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Kari>Jeg jobber med Torstein.\n"),
])
def test_transcript_files_store_no_real_name(project_target, tmp_path, suffix, body):
    path = tmp_path / f"samtale med Kari{suffix}"
    path.write_text(body, encoding="utf-8")
    with keyed(project_target, tmp_path) as wb:
        result = wb.imports.import_file(path, group="Karis gruppe")
        assert result.name == "samtale med Leder 1"
        assert wb.transcripts.get(result.transcript_id).group == "Leder 1s gruppe"
    assert_absent(project_target, REAL)


def test_a_docx_transcript_stores_no_real_name(project_target, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Moderator: Velkommen.")
    document.add_paragraph("Kari: Jeg jobber med Torstein.")
    path = tmp_path / "Torstein og Kari.docx"
    document.save(str(path))
    with keyed(project_target, tmp_path) as wb:
        result = wb.imports.import_file(path)
        assert result.name == "Kollega A og Leder 1"
    assert_absent(project_target, REAL)


def test_a_yaml_codebook_with_memos_stores_no_real_name(project_target, tmp_path):
    book = tmp_path / "Karis kodebok.yaml"
    book.write_text(
        "name: Karis kodebok\n"
        "description: Laget sammen med Torstein\n"
        "codes:\n"
        "  - name: Karis arbeid\n"
        "    description: Det Kari sier om jobben med Torstein\n"
        "    codes:\n"
        "      - name: Torstein som kollega\n"
        "themes:\n"
        "  - name: Samarbeid med Torstein\n"
        "    definition: Hvordan Kari og Torstein jobber\n"
        "    codes: [Karis arbeid, Torstein som kollega]\n",
        encoding="utf-8",
    )
    with keyed(project_target, tmp_path) as wb:
        result = wb.codebooks.import_file(book)
        assert result.name == "Leder 1s kodebok" and result.codes_added == 2
        assert result.themes_added == 1
        codes = {c.name: c for c in wb.codes.list()}
        assert set(codes) == {"Leder 1s arbeid", "Kollega A som kollega"}
        assert codes["Leder 1s arbeid"].description == \
            "Det Leder 1 sier om jobben med Kollega A"
        assert wb.history()[0].args["file"] == "Leder 1s kodebok.yaml"
    assert_absent(project_target, REAL)


def test_a_qdc_codebook_stores_no_real_name(project_target, tmp_path):
    other = tmp_path / "kollega"
    other.mkdir()
    with Workbench.create(other / "k.wbp") as colleague:
        colleague.codes.create("Karis arbeid", description="Det Kari sier om Torstein")
        colleague.exchange.export_qdc(other / "Kari.qdc")
    with keyed(project_target, tmp_path) as wb:
        result = wb.exchange.import_qdc(other / "Kari.qdc")
        assert result.name == "Leder 1"
        (code,) = [c for c in wb.codes.list() if "arbeid" in c.name]
        assert code.name == "Leder 1s arbeid"
        assert code.description == "Det Leder 1 sier om Kollega A"
        assert wb.history()[0].args["file"] == "Leder 1.qdc"
    assert_absent(project_target, REAL)


def test_a_qdpx_named_after_an_informant_stores_no_real_name(project_target, tmp_path):
    """«intervju Kari.qdpx» from another program (no workbench extension): the file name is
    the sources' original file name and the log's argument; both are pseudonymised."""
    doc = refi.Project(
        name="Kari sitt prosjekt", description="Intervju med Kari",
        codes=(refi.Code(guid="c0000000-0000-4000-8000-000000000001", name="Torsteins rolle",
                         description="Det Kari sier om Torstein"),),
        sources=(refi.TextSource(
            guid="b0000000-0000-4000-8000-000000000001", name="intervju Kari",
            text="Kari: Jeg jobber med Torstein.\n",
            selections=(refi.Selection(guid="e0000000-0000-4000-8000-000000000001",
                                       start=21, end=29, codings=(refi.Coding(
                                           guid="d0000000-0000-4000-8000-000000000001",
                                           code_guid="c0000000-0000-4000-8000-000000000001"),)),),
        ),),
        notes=(refi.Note(guid="a0000000-0000-4000-8000-000000000001", name="Om Kari",
                         text="Torstein ringte Kari."),),
        note_refs=("a0000000-0000-4000-8000-000000000001",),
    )
    path = tmp_path / "intervju Kari.qdpx"
    path.write_bytes(qdpx_archive(doc))
    with keyed(project_target, tmp_path) as wb:
        result = wb.exchange.import_qdpx(path)
        assert result.path.name == "intervju Leder 1.qdpx"
        assert wb.history()[0].args["file"] == "intervju Leder 1.qdpx"
        tid = next(s.id for s in wb.transcripts.summaries() if s.name == "intervju Leder 1")
        tr = wb.transcripts.get(tid)
        assert tr.original_filename == "intervju Leder 1.qdpx"
        (coding,) = wb.codes.codings(transcript_id=tid)
        assert tr.text[coding.start:coding.end] == "Kollega A"
    assert_absent(project_target, REAL)


def test_our_own_qdpx_named_after_an_informant_stores_no_real_name(project_target, tmp_path):
    colleague = tmp_path / "kollega"
    colleague.mkdir()
    source = colleague / "intervju Kari.txt"
    source.write_text("Moderator: Velkommen.\nKARI: Hei, jeg heter Kari og jobber med Torstein.\n",
                      encoding="utf-8")
    with Workbench.create(colleague / "k.wbp") as other:
        other.imports.import_file(source)
        other.journal.add("Kari var sliten i dag; Torstein kom sent.")
        other.notes.add("project", None, "Torstein vil lese transkripsjonen.", title="Kari")
        other.exchange.export_qdpx(colleague / "intervju Kari.qdpx")
    with keyed(project_target, tmp_path) as wb:
        wb.exchange.import_qdpx(colleague / "intervju Kari.qdpx")
        assert wb.history()[0].args["file"] == "intervju Leder 1.qdpx"
        labels = {p.label for p in wb.transcripts.participants()}
        assert "KARI" not in labels and "Leder 1" in labels
    assert_absent(project_target, REAL)


def test_no_participant_or_transcript_is_renamed_to_a_real_name(project_target, tmp_path):
    with keyed(project_target, tmp_path) as wb:
        tid = wb.transcripts.summaries()[0].id
        person = next(p for p in wb.transcripts.participants() if p.label == "Leder 1")
        for rename in (lambda: wb.transcripts.rename(tid, "intervju med Kari"),
                       lambda: wb.transcripts.rename(tid, "kari"),
                       lambda: wb.transcripts.update_participant(person.id, label="KARI"),
                       lambda: wb.transcripts.update_participant(person.id, label="Torstein")):
            with pytest.raises(UserError) as info:
                rename()
            assert info.value.key == "privacy.error.real_name_label"
        wb.transcripts.rename(tid, "fg null")  # a pseudonymous name is fine
    assert_absent(project_target, REAL)
