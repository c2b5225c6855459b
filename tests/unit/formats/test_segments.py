"""The segments CSV: one row per coding, readable by R, pandas and Excel."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.formats.csv import COLUMNS, SegmentRow, segments_csv
from workbench.services.exchange import ExchangeService

from tests.conftest import sample_parsed


def read_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_segments_csv_content(wb_with_transcript, tmp_path):
    wb, tr = wb_with_transcript
    text = wb.transcripts.get(tr.id).text
    people = {p.label: p for p in wb.transcripts.participants()}
    wb.transcripts.update_participant(people["Moderator"].id, role="moderator")
    wb.transcripts.update_participant(people["Leder 1"].id, profession="sykepleier")
    hope = wb.codes.create("håp")
    time = wb.codes.create("tid, relasjon")
    wb.themes.create("Håpet som bærer", code_ids=[hope.id])
    wb.themes.create("Tid; og «rom»", code_ids=[hope.id, time.id])
    a = text.index("At brukeren opplever håp")
    first = wb.codes.apply(tr.id, a, a + len("At brukeren opplever håp"), code_id=hope.id,
                           memo="Sterkt sitat")
    wb.codes.set_quote(first.id, True)
    # A span across the moderator's question and Leder 1's answer.
    b = text.index("Hva betyr")
    wb.codes.apply(tr.id, b, a + 2, code_id=time.id)

    path = ExchangeService(wb.store).export_segments(tmp_path / "segmenter.csv")
    assert path.read_bytes().count(b"\r\n") >= 3  # CRLF row ends (RFC 4180)
    rows = read_rows(path)
    assert list(rows[0]) == list(COLUMNS)
    assert [r["code"] for r in rows] == ["tid, relasjon", "håp"]  # in text order
    span, quote = rows
    assert quote == {
        "transcript": "fg1", "group": "Ledere", "speaker": "Leder 1", "role": "informant",
        "profession": "sykepleier", "code": "håp", "themes": "Håpet som bærer; Tid; og «rom»",
        "start": str(a), "end": str(a + 24), "text": "At brukeren opplever håp",
        "quote": "true", "memo": "Sterkt sitat", "coder": "tester", "coding_guid": first.guid,
    }
    assert span["speaker"] == "Moderator; Leder 1"
    assert span["role"] == "moderator; informant"
    assert span["profession"] == "; sykepleier"
    assert span["text"] == text[b:a + 2] and "\n\n" in span["text"]  # verbatim, line breaks kept
    assert span["themes"] == "Tid; og «rom»"
    assert int(span["end"]) - int(span["start"]) == len(span["text"])


def test_segments_of_a_project_without_codings(wb, tmp_path):
    wb.transcripts.add_parsed(sample_parsed(), name="fg1")
    rows = read_rows(ExchangeService(wb.store).export_segments(tmp_path / "tom.csv"))
    assert rows == []
    assert (tmp_path / "tom.csv").read_text("utf-8-sig").splitlines() == [",".join(COLUMNS)]


def test_segments_writer_quotes_what_needs_quoting():
    row = SegmentRow(
        transcript='fg "1"', group="", speakers=(), roles=(), professions=(), code="a,b",
        themes=(), start=0, end=3, text="ja\nnei", quote=False, memo="", coder="kari",
        coding_guid="x",
    )
    data = segments_csv([row])
    assert data.startswith("\ufeff".encode())
    [parsed] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]
    assert parsed[:10] == ['fg "1"', "", "", "", "", "a,b", "", "0", "3", "ja\nnei"]
