"""Withdrawal on the demo: the participant's words are gone from the whole file (tables,
change log, free pages), undo cannot bring them back, and others' codings keep their text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.demo import build_demo

from tests.unit.services.privacy_db import database_bytes

WHO = "Leder 2"


def coded_texts(wb: Workbench) -> dict[str, str]:
    texts = {}
    for coding in wb.codes.codings():
        text = wb.transcripts.get(coding.transcript_id).text
        texts[coding.guid] = text[coding.start:coding.end]
    return texts


def their_turns(wb: Workbench, label: str) -> list[tuple[int, int, int, str]]:
    out = []
    for summary in wb.transcripts.summaries():
        tr = wb.transcripts.get(summary.id)
        for turn in tr.turns:
            if turn.speaker == label:
                out.append((tr.id, turn.start, turn.end, tr.text[turn.start:turn.end]))
    return out


def full_dump(path: Path) -> bytes:
    return database_bytes(str(path))


def forms(phrase: str) -> list[bytes]:
    # as stored in text columns, and as JSON writes it in the change log
    return [phrase.encode("utf-8"), json.dumps(phrase)[1:-1].encode("ascii")]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"


def test_withdrawal_removes_their_words_everywhere_and_keeps_others_codings(demo):
    path = tmp_path_of(demo)
    with Workbench.open(path, actor="forsker") as wb:
        turns = their_turns(wb, WHO)
        assert len(turns) >= 5
        everyone_else = "\n".join(
            wb.transcripts.get(s.id).text for s in wb.transcripts.summaries()
        )
        phrases = []
        for _tid, _a, _b, text in sorted(turns, key=lambda x: -len(x[3])):
            middle = text[len(text) // 4: len(text) // 4 + 28].strip()
            if len(middle) > 15 and everyone_else.count(middle) == 1:
                phrases.append(middle)
            if len(phrases) == 5:
                break
        assert len(phrases) == 5, phrases
        before = coded_texts(wb)
        spans = {(tid, a, b) for tid, a, b, _ in turns}
        touching = {
            c.guid for c in wb.codes.codings()
            if any(tid == c.transcript_id and c.start < b and a < c.end for tid, a, b in spans)
        }
        assert touching  # the demo codes some of their words
    assert any(p.encode() in full_dump(path) for p in phrases)

    with Workbench.open(path, actor="forsker") as wb:
        receipt = wb.privacy.withdraw(WHO)
        assert receipt.turns == len(turns) and receipt.codings == len(touching)
        after = coded_texts(wb)
        assert set(after) == set(before) - touching
        assert all(after[g] == before[g] for g in after)  # exact text of every other coding
        assert WHO not in {p.label for p in wb.transcripts.participants()}
        history = wb.history()
        assert history[0].name == "participant.withdraw" and history[0].args["label"] == WHO
        assert ("Deltaker trukket", 1) in wb.exports.audit().log.kinds  # the audit lists it
        # undo everything that can be undone: their words do not come back
        while wb.undo() is not None:
            pass
        while wb.redo() is not None:
            pass
        assert coded_texts(wb) == after
        assert wb.history()[0].name == "participant.withdraw"  # never undone
        assert wb.history()[0].state == "done"
        assert wb.privacy.withdrawals()[0]["label"] == WHO
    dump = full_dump(path)
    for phrase in phrases:
        for form in forms(phrase):
            assert form not in dump, phrase
    assert b"deltaker trukket" in dump


def test_withdraw_an_unknown_participant_says_so(demo):
    with Workbench.open(tmp_path_of(demo), actor="forsker") as wb:
        with pytest.raises(UserError) as info:
            wb.privacy.withdraw("Leder 99")
        assert info.value.key == "privacy.error.no_participant"


def test_cli_withdraw_prints_a_receipt(demo, cli):
    result = cli("withdraw", tmp_path_of(demo), WHO)
    assert result.returncode == 0, result.stderr
    assert "Leder 2 er trukket" in result.stdout and "kan ikke angres" in result.stdout


def tmp_path_of(demo: Path) -> Path:
    return Path(demo)
