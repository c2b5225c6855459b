"""The participant view's data: one informant's turns and codings across transcripts."""

from __future__ import annotations

import pytest

from workbench.i18n import UserError

from tests.conftest import sample_parsed
from tests.themes_fixtures import build_study


def test_participant_turns_across_transcripts_with_their_codes(wb):
    study = build_study(wb)
    wb.transcripts.add_parsed(sample_parsed(), name="fg3")
    leader = next(p for p in wb.transcripts.participants() if p.label == "Leder 1")
    turns = wb.transcripts.participant_turns(leader.id)
    assert [(x.transcript, x.index, x.turns) for x in turns] == [
        ("fg1", 2, 6), ("fg1", 5, 6), ("fg3", 2, 6), ("fg3", 5, 6),
    ]
    assert turns[0].text == "Jeg er sykepleier og har vært leder i fem år (latter)."
    assert turns[1].codes == ("håp", "tid til relasjon")
    assert turns[0].codes == () and turns[3].codes == ()
    fg1 = wb.transcripts.get(study.fg1).text
    s, e = turns[1].coding_spans[0]
    assert fg1[s:e] == "brukeren opplever håp"
    assert all(x.transcript_id == study.fg1 for x in turns[:2])


def test_participant_turns_of_an_unknown_participant(wb):
    with pytest.raises(UserError):
        wb.transcripts.participant_turns(999)
