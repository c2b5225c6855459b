"""One pseudonymisation step for every way text enters: transcript files of every format,
file names, speaker sheets and .qdpx projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.speakers import SpeakerSpec
from workbench.services import Workbench

KEY_SHEET = [
    SpeakerSpec("Kari", "Leder 1", "informant"),
    SpeakerSpec("Torstein", "Kollega A", "informant"),
    SpeakerSpec("Moderator", None, "moderator"),
]


def keyed(tmp_path: Path) -> Workbench:
    wb = Workbench.create(tmp_path / "studie.wbp")
    first = tmp_path / "fg0.txt"
    first.write_text("Moderator: Hei.\nKari: Hei.\nTorstein: Hei.\n", encoding="utf-8")
    wb.imports.import_file(first, sheet=KEY_SHEET)
    return wb


def test_a_qdpx_from_a_colleague_is_pseudonymised_with_the_key(tmp_path):
    colleague = tmp_path / "kollega"
    colleague.mkdir()
    source = colleague / "intervju Kari.txt"
    source.write_text("Moderator: Velkommen.\nKari: Hei, jeg heter Kari og jobber med Torstein.\n",
                      encoding="utf-8")
    with Workbench.create(colleague / "k.wbp") as other:
        result = other.imports.import_file(source)
        assert "Kari" in result.speakers
        tr = other.transcripts.get(result.transcript_id)
        start = tr.text.index("jobber")
        other.codes.apply(tr.id, start, start + len("jobber med Torstein"), name="arbeid")
        other.exchange.export_qdpx(colleague / "kollega.qdpx")
    with keyed(tmp_path) as wb:
        wb.exchange.import_qdpx(colleague / "kollega.qdpx")
        labels = {p.label for p in wb.transcripts.participants()}
        assert "Kari" not in labels and "Leder 1" in labels
        names = [s.name for s in wb.transcripts.summaries()]
        assert "intervju Leder 1" in names and not any("Kari" in n for n in names)
        tid = next(s.id for s in wb.transcripts.summaries() if s.name == "intervju Leder 1")
        tr = wb.transcripts.get(tid)
        assert "Hei, jeg heter Leder 1 og jobber med Kollega A." in tr.text
        assert {t.speaker for t in tr.turns} == {"Moderator", "Leder 1"}
        (coding,) = wb.codes.codings(transcript_id=tid)
        assert tr.text[coding.start:coding.end] == "jobber med Kollega A"
        csv_path = wb.exchange.export_segments(tmp_path / "seg.csv")
        qdpx = wb.exchange.export_qdpx(tmp_path / "ut.qdpx")
    data = csv_path.read_bytes().decode("utf-8-sig")
    assert "Kari" not in data and "Torstein" not in data
    import zipfile

    with zipfile.ZipFile(qdpx) as zf:
        for member in zf.namelist():
            body = zf.read(member).decode("utf-8", "replace")
            assert "Kari" not in body and "Torstein" not in body, member


@pytest.mark.parametrize("suffix,body", [
    (".txt", "Kari: Jeg jobber med Torstein.\n"),
    (".srt", "1\n00:00:01,000 --> 00:00:03,000\nKari: Jeg jobber med Torstein.\n"),
    (".vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Kari>Jeg jobber med Torstein.\n"),
])
def test_every_transcript_format_goes_through_the_key(tmp_path, suffix, body):
    path = tmp_path / f"samtale med Kari{suffix}"
    path.write_text(body, encoding="utf-8")
    with keyed(tmp_path) as wb:
        result = wb.imports.import_file(path)
        tr = wb.transcripts.get(result.transcript_id)
        assert result.name == "samtale med Leder 1"
        assert "Kari" not in tr.text and "Torstein" not in tr.text
        assert "Kollega A" in tr.text
        assert result.speakers == ["Leder 1"]
        assert wb.history()[0].args["file"] == f"samtale med Leder 1{suffix}"
