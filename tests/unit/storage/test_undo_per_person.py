"""Undo and redo per person: my undo takes back my latest command, and refuses (naming who
did what) when someone else's later change stands on it. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workbench.i18n import UserError, t
from workbench.services import Workbench
from workbench.services.labels import first_words
from workbench.storage.models import Transcript
from workbench.storage import undo as undo_module

from tests.conftest import sample_parsed
from tests.unit.storage.test_changelog import dump


@pytest.fixture
def team(project_target) -> Iterator[tuple[Workbench, Workbench, int]]:
    """The same project opened twice: by the researcher and by a co-coder."""
    with Workbench.create(project_target, actor="forsker") as wb:
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1")
    forsker = Workbench.open(project_target, actor="forsker")
    kari = Workbench.open(project_target, actor="kari")
    try:
        yield forsker, kari, tr.id
    finally:
        kari.close()
        forsker.close()


def refused(wb: Workbench, step, key: str) -> str:  # type: ignore[no-untyped-def]
    before = dump(wb), [(h.seq, h.state) for h in wb.history()]
    with pytest.raises(UserError) as err:
        step()
    assert err.value.key == key, err.value.message()
    assert (dump(wb), [(h.seq, h.state) for h in wb.history()]) == before
    return err.value.message()


def names(wb: Workbench) -> list[str]:
    return sorted(c.name for c in wb.codes.list())


def test_undo_and_redo_take_my_own_commands(team):
    forsker, kari, _tr = team
    forsker.codes.create("forskers kode")
    kari.codes.create("karis kode")
    forsker.journal.add("forskers notat")
    assert kari.undo().name == "code.create"  # not the researcher's later journal entry
    assert names(forsker) == ["forskers kode"]
    assert forsker.undo().name == "journal.add"
    assert forsker.undo().args == {"name": "forskers kode"}
    assert names(forsker) == []
    assert forsker.can_undo_redo() == (True, True)  # the transcript import is still mine
    assert kari.can_undo_redo() == (False, True)
    assert forsker.redo().args == {"name": "forskers kode"}  # most recently undone first
    assert forsker.redo().name == "journal.add"
    assert forsker.redo() is None
    assert kari.redo().args == {"name": "karis kode"}
    assert names(forsker) == ["forskers kode", "karis kode"]


def test_undo_is_refused_when_someone_else_changed_the_same_row(team):
    forsker, kari, _tr = team
    code = forsker.codes.create("håp")
    kari.codes.rename(code.id, "håpet")
    message = refused(forsker, forsker.undo, "storage.undo.conflict")
    assert "kari" in message
    assert t("command.code.rename", old="håp", name="håpet") in message
    assert t("command.code.create", name="håp") in message
    kari.undo()  # once kari takes the rename back, the researcher may undo
    assert forsker.undo().name == "code.create"
    assert names(forsker) == []


def test_undo_is_refused_when_a_later_row_points_to_mine(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    kari.codes.apply(tr, 0, 10, code_id=code.id)
    message = refused(forsker, forsker.undo, "storage.undo.conflict")
    coded = kari.history(1)[0]
    assert coded.summary == t("command.coding.add", text=first_words(excerpt(kari, tr, 0, 10)),
                              where=transcript_name(kari, tr), code_name="håp")
    assert coded.summary in message
    assert "kari" in message


def test_undo_is_refused_when_restoring_would_clash_with_a_later_row(team):
    forsker, kari, _tr = team
    code = forsker.codes.create("håp")
    forsker.codes.delete(code.id)
    kari.codes.create("Håp")  # the same name (name keys are case-insensitive)
    message = refused(forsker, forsker.undo, "storage.undo.conflict")
    assert "kari" in message and t("command.code.create", name="Håp") in message


def test_undo_is_refused_when_what_it_restores_points_to_a_deleted_row(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    coding = forsker.codes.apply(tr, 0, 10, code_id=code.id)
    forsker.codes.remove_coding(coding.id)
    kari.codes.delete(code.id)  # the code has no codings now
    message = refused(forsker, forsker.undo, "storage.undo.conflict")
    assert "kari" in message and t("command.code.delete", code_name="håp") in message


def test_redo_names_the_person_whose_undo_stands_in_the_way(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    kari.codes.apply(tr, 0, 10, code_id=code.id)
    assert kari.undo().name == "coding.add"
    assert forsker.undo().name == "code.create"  # kari's coding is undone: allowed
    message = refused(kari, kari.redo, "storage.redo.conflict")
    assert t("storage.conflict.undid", actor="forsker",
             what=t("command.code.create", name="håp")) in message
    forsker.redo()
    assert kari.redo().name == "coding.add"
    assert [c.code_id for c in kari.codes.codings()] == [code.id]


def test_unrelated_later_work_of_others_does_not_block_undo(team):
    forsker, kari, tr = team
    forsker.codes.create("håp")
    kari.journal.add("karis notat")
    kari.codes.apply(tr, 0, 10, name="karis kode")
    kari.review.comment("project", None, "Et spørsmål")
    assert forsker.undo().name == "code.create"
    assert names(kari) == ["karis kode"]
    assert forsker.redo().name == "code.create"


def test_another_persons_command_abandons_my_redo_only_where_it_conflicts(team):
    forsker, kari, tr = team
    a = forsker.codes.create("a")
    b = forsker.codes.create("b")
    forsker.codes.rename(a.id, "a2")        # r1
    forsker.codes.rename(b.id, "b2")        # r2
    forsker.undo()
    forsker.undo()                           # redo stack: r1, then r2
    kari.review.comment("project", None, "Hei")  # no conflict
    kari.codes.create("c")
    assert forsker.can_undo_redo()[1]
    kari.codes.rename(b.id, "b3")           # conflicts with redoing r2 only
    assert forsker.redo().args["name"] == "a2"
    assert forsker.redo() is None
    states = {h.args.get("name"): h.state for h in forsker.history() if h.name == "code.rename"}
    assert states == {"a2": "done", "b2": "abandoned", "b3": "done"}
    forsker.codes.rename(a.id, "a3")        # r3
    forsker.undo()
    forsker.undo()                           # redo stack: r1, then r3
    kari.codes.rename(a.id, "a4")           # conflicts with r1: r1 and everything after it goes
    assert forsker.redo() is None
    assert names(forsker) == ["a4", "b3", "c"]


def test_a_new_command_that_points_to_a_row_my_redo_deletes_abandons_it(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    forsker.codes.delete(code.id)
    forsker.undo()                   # the code is back; redo would delete it again
    kari.codes.apply(tr, 0, 10, code_id=code.id)
    assert forsker.redo() is None
    assert [c.code_id for c in kari.codes.codings()] == [code.id]


def test_my_new_command_abandons_my_redo_but_not_yours(team):
    forsker, kari, _tr = team
    forsker.codes.create("a")
    kari.codes.create("b")
    forsker.undo()
    kari.undo()
    forsker.codes.create("c")
    assert forsker.redo() is None
    assert kari.redo().args == {"name": "b"}


def test_undo_never_happens_halfway(team, monkeypatch):
    """Should the checks miss something, the replay fails on a constraint: everything is
    rolled back and the message says later changes depend on it, never "damaged"."""
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    kari.codes.apply(tr, 0, 10, code_id=code.id)
    monkeypatch.setattr(undo_module, "check_replay", lambda *a, **k: None)
    message = refused(forsker, forsker.undo, "storage.undo.depends")
    assert t("command.code.create", name="håp") in message
    assert "skadet" not in message and "sikkerhetskopi" not in message


def test_a_conflict_message_lists_a_few_and_counts_the_rest(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    spans = [(i * 10, i * 10 + 5) for i in range(5)]
    for start, end in spans:
        kari.codes.apply(tr, start, end, code_id=code.id)
    message = refused(forsker, forsker.undo, "storage.undo.conflict")
    assert message.count("kari:") == 3 and t("storage.conflict.more", n=2) in message


def test_undoing_everything_in_turn_empties_the_project(team):
    forsker, kari, tr = team
    code = forsker.codes.create("håp")
    kari.codes.apply(tr, 0, 10, code_id=code.id)
    theme = forsker.themes.create("Tema", code_ids=[code.id])
    kari.review.comment("theme", theme.id, "Fint")
    order = [(kari, "comment.add"), (forsker, "theme.create"), (kari, "coding.add"),
             (forsker, "code.create"), (forsker, "transcript.import")]
    for who, name in order:
        assert who.undo().name == name
    assert all(not rows for rows in dump(forsker).values())


def excerpt(wb, transcript_id: int, start: int, end: int) -> str:
    with wb.store.read() as s:
        return s.get(Transcript, transcript_id).text[start:end]


def transcript_name(wb, transcript_id: int) -> str:
    with wb.store.read() as s:
        return s.get(Transcript, transcript_id).name
