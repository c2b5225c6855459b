"""``CodeService.apply``: what it refuses, in which order, and what it logs.

Its checks run as one query under the write lock (the coding screen codes on every key);
these pin down that each refusal still names the right problem and changes nothing, and
that the log row holds the labels and the one inserted row undo takes back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workbench.i18n import UserError
from workbench.storage.models import Command, Transcript


def _refusal(fn) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as err:
        fn()
    return err.value.key


def test_apply_refuses_each_problem_in_order_and_changes_nothing(wb_with_transcript):
    wb, tr = wb_with_transcript
    with wb.store.read() as s:
        length = len(s.get(Transcript, tr.id).text)
    hope = wb.codes.create("Håp")
    before = wb.store.counts()
    apply = wb.codes.apply
    assert _refusal(lambda: apply(tr.id + 99, 0, 5, code_id=hope.id)) == "error.not_found"
    # a missing transcript is named before a bad span or a missing code
    assert _refusal(lambda: apply(tr.id + 99, 5, 5, code_id=hope.id + 99)) == "error.not_found"
    assert _refusal(lambda: apply(tr.id, 5, 5, code_id=hope.id)) == "coding.error.empty_span"
    assert _refusal(lambda: apply(tr.id, 5, 3, code_id=hope.id + 99)) == "coding.error.empty_span"
    assert _refusal(lambda: apply(tr.id, -1, 5, code_id=hope.id)) == "coding.error.out_of_range"
    assert (_refusal(lambda: apply(tr.id, 0, length + 1, code_id=hope.id))
            == "coding.error.out_of_range")
    with pytest.raises(UserError) as err:
        apply(tr.id, 0, 5, code_id=hope.id + 99)
    assert (err.value.key, err.value.params.get("kind")) == ("error.not_found", "code")
    assert _refusal(lambda: apply(tr.id, 0, 5)) == "code.error.no_code"
    assert _refusal(lambda: apply(tr.id, 0, 5, name=" \t")) == "code.error.empty_name"
    assert wb.store.counts() == before  # nothing was logged
    assert wb.codes.codings() == []

    first = apply(tr.id, 0, length, code_id=hope.id)  # the whole text is in range
    assert (first.start, first.end, first.code_id) == (0, length, hope.id)
    with pytest.raises(UserError) as err:
        apply(tr.id, 0, length, code_id=hope.id)
    assert (err.value.key, err.value.params.get("name")) == ("coding.error.duplicate", "Håp")
    # by name: an existing code is the same duplicate; a new name makes a code and codes
    assert _refusal(lambda: apply(tr.id, 0, length, name="håp")) == "coding.error.duplicate"
    other = apply(tr.id, 0, length, name="Tid")
    assert other.code_id not in (hope.id,)
    assert [c.code_id for c in wb.codes.codings()] == [hope.id, other.code_id]


def test_apply_logs_its_labels_and_one_insertion_that_undo_takes_back(wb_with_transcript):
    wb, tr = wb_with_transcript
    with wb.store.read() as s:
        text = s.get(Transcript, tr.id).text
    start = text.index("At brukeren")
    hope = wb.codes.create("Håp")
    coding = wb.codes.apply(tr.id, start, start + 30, code_id=hope.id)
    with wb.store.read() as s:
        name, args, changes = s.execute(
            select(Command.name, Command.args, Command.changes).order_by(Command.seq.desc())
        ).first()
    assert name == "coding.add"
    assert args == {
        "transcript": tr.id, "start": start, "end": start + 30, "code": hope.id,
        "text": "At brukeren opplever håp, og a", "speaker": "Leder 1", "doc": "fg1",
        "code_name": "Håp",
    }
    assert [(c["t"], c["op"], c["id"]) for c in changes] == [("coding", "i", coding.id)]
    row = changes[0]["new"]
    assert (row["guid"], row["start"], row["end"], row["code_id"], row["coder"]) == (
        coding.guid, start, start + 30, hope.id, wb.store.actor)
    assert wb.undo().name == "coding.add"
    assert wb.codes.codings() == []
    assert wb.redo().name == "coding.add"
    assert [c.guid for c in wb.codes.codings()] == [coding.guid]
    # a key is never handed out twice, not even after the undo of the row that had it
    wb.undo()
    again = wb.codes.apply(tr.id, start, start + 30, code_id=hope.id)
    assert again.id > coding.id
