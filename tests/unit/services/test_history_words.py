"""The change log speaks the researcher's words: names and first words, never ids."""

from __future__ import annotations

import re

from workbench.i18n import set_language
from workbench.services import command_summary
from workbench.storage.models import Command, Transcript

ID_LIKE = re.compile(r"\[\d+, \d+\)|\b(kode|tema|koding|transkripsjon|taler|kommentar) \d+\b")


def _summaries(wb) -> list[str]:
    return [h.summary for h in wb.history()]


def test_coding_and_codebook_changes_name_the_text_speaker_and_code(wb_with_transcript):
    wb, tr = wb_with_transcript
    with wb.store.read() as s:
        text = s.get(Transcript, tr.id).text
    start = text.index("At brukeren")
    end = text.index("relasjonen.") + len("relasjonen.")
    hope = wb.codes.create("Håp")
    time = wb.codes.create("Tid")
    coding = wb.codes.apply(tr.id, start, end, code_id=hope.id)
    wb.codes.set_quote(coding.id, True)
    wb.codes.merge(time.id, hope.id)
    wb.codes.rename(hope.id, "Håp og tid")
    theme = wb.themes.create("Å bære håpet")
    wb.themes.link_code(theme.id, hope.id)
    wb.themes.update(theme.id, definition="Om håp.")
    wb.themes.update(theme.id, status="reviewed")
    wb.themes.move_code(hope.id, theme.id, None)
    wb.codes.remove_coding(coding.id)
    got = _summaries(wb)
    assert got[:10] == [
        "Fjernet koden «Håp og tid» fra «At brukeren opplever håp, og at…» (Leder 1, fg1)",
        "Tok koden «Håp og tid» ut av temaet «Å bære håpet»",
        "Satte status for temaet «Å bære håpet» til gjennomgått",
        "Skrev definisjon for temaet «Å bære håpet»",
        "La koden «Håp og tid» under temaet «Å bære håpet»",
        "Opprettet temaet «Å bære håpet»",
        "Ga koden «Håp» nytt navn: «Håp og tid»",
        "Slo sammen koden «Tid» inn i «Håp»",
        "Merket «At brukeren opplever håp, og at…» (Leder 1, fg1) som sitat",
        "Kodet «At brukeren opplever håp, og at…» (Leder 1, fg1) med «Håp»",
    ]
    assert not [s for s in got if ID_LIKE.search(s) or "{" in s]
    set_language("en")
    assert _summaries(wb)[7] == "Merged the code “Tid” into “Håp”"


def test_undo_and_redo_say_what_was_undone_in_words(wb_with_transcript):
    wb, tr = wb_with_transcript
    theme = wb.themes.create("Tid")
    wb.themes.update(theme.id, definition="Tid som ramme.")
    assert wb.undo().summary == "Skrev definisjon for temaet «Tid»"
    assert wb.redo().summary == "Skrev definisjon for temaet «Tid»"


def test_phases_journal_and_comments_read_as_sentences(wb):
    wb.phases.set(2)
    wb.phases.set(1, reason="Leste på nytt.")
    wb.journal.add("Etter veiledermøtet skiller jeg mellom tid og håp i analysen.")
    got = _summaries(wb)
    assert got[:3] == [
        "Skrev i refleksjonsloggen: «Etter veiledermøtet skiller jeg mellom tid…»",
        "Gikk tilbake til fase 1: Gjøre seg kjent med datamaterialet. Begrunnelse: Leste på nytt.",
        "Gikk videre til fase 2: Koding av teksten",
    ]


def test_autocode_names_the_unit_in_bokmaal(wb_with_transcript):
    wb, _tr = wb_with_transcript
    wb.search.autocode("bruker", code_name="Brukeren", unit="sentence")
    summary = _summaries(wb)[0]
    assert summary == "Autokodet 2 utdrag med «Brukeren» fra søket «bruker» (setningene treffene står i)"
    assert "sentence" not in summary


def test_old_entries_without_names_still_read_sensibly():
    old = [
        ("coding.add", {"transcript": 1, "start": 23135, "end": 23169, "code": 3}, "Kodet et utdrag"),
        ("code.merge", {"source": 65, "target": 66}, "Slo sammen to koder"),
        ("theme.update", {"id": 8, "status": None}, "Endret et tema"),
        ("theme.move_code", {"code": 65, "source": None, "target": 12}, "Flyttet en kode mellom temaer"),
        ("coding.remove", {"id": 58}, "Fjernet en koding"),
        ("code.rename", {"id": 4, "name": "Håp"}, "Ga en kode nytt navn: «Håp»"),
        ("coding.autocode", {"code": "Brukeren", "query": "bruker (sentence)", "n": 1},
         "Autokodet 1 utdrag med «Brukeren» fra søket «bruker» (setningene treffene står i)"),
    ]
    for name, args, expected in old:
        assert command_summary(Command(name=name, args=args)) == expected
    set_language("en")
    assert command_summary(Command(name="code.merge", args={"source": 65, "target": 66})) == "Merged two codes"
