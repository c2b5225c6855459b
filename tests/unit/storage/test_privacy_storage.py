"""The privacy deletions on both backends: the key file apart, withdrawal rewriting the
change log, and the vacuum that follows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from workbench.domain.speakers import SpeakerSpec
from workbench.services import Workbench
from workbench.services.privacy import FINGERPRINT, set_key_path
from workbench.storage.models import Command, Transcript


def test_key_and_withdrawal_on_both_backends(project_target, tmp_path: Path):
    source = tmp_path / "fg1 Kari.txt"
    source.write_text(
        "Moderator: Velkommen.\nKari: Jeg liker kveldsvaktene best av alt.\n"
        "Per: Jeg tenker at brukerne skal bestemme.\n", encoding="utf-8")
    with Workbench.create(project_target, actor="forsker") as wb:
        set_key_path(wb.store, tmp_path / "studie.nokkel")
        sheet = [SpeakerSpec("Kari", "Leder 1", "informant"),
                 SpeakerSpec("Per", "Leder 2", "informant")]
        result = wb.imports.import_file(source, sheet=sheet)
        assert result.name == "fg1 Leder 1"
        assert wb.store.meta(FINGERPRINT)
        tr = wb.transcripts.get(result.transcript_id)
        start = tr.text.index("brukerne")
        wb.codes.apply(tr.id, start, start + len("brukerne"), name="brukermedvirkning")
        k = tr.text.index("kveldsvaktene")
        wb.codes.apply(tr.id, k, k + len("kveldsvaktene"), name="turnus")
        receipt = wb.privacy.withdraw("Leder 1")
        assert (receipt.turns, receipt.codings) == (1, 1)
        with wb.store.read() as s:
            text = s.scalars(select(Transcript.text)).one()
            log = [(c.args, c.changes) for c in s.scalars(select(Command))]
        assert "kveldsvaktene" not in text and "brukerne skal" in text
        assert "kveldsvaktene" not in repr(log) and "Kari" not in repr(log)
        (coding,) = wb.codes.codings()
        assert text[coding.start:coding.end] == "brukerne"
    assert (tmp_path / "studie.nokkel").exists()
