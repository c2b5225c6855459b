"""Project members and roles, enforced where changes are recorded (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from workbench.i18n import UserError, t
from workbench.services import Workbench
from workbench.storage.commands import COMMANDS, RESEARCHER_ONLY, SUPERVISOR_COMMANDS

from tests.themes_fixtures import build_study
from tests.unit.services.test_review_mode import mutations
from tests.unit.storage.test_changelog import dump


def test_a_project_without_members_lets_everyone_work(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        assert wb.members.list() == [] and wb.store.role is None
        wb.codes.create("håp")
    with Workbench.open(project_target, actor="hvem som helst") as other:
        other.codes.create("tid")
        other.phases.set(2)
        assert not other.store.review_mode


def test_the_first_to_add_members_becomes_researcher(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.members.add("veileder", role="supervisor")
        wb.members.add("kari", role="co-coder")
        assert [(m.name, m.role) for m in wb.members.list()] == [
            ("forsker", "researcher"), ("veileder", "supervisor"), ("kari", "co-coder"),
        ]
        assert wb.members.role_of() == "researcher"
        assert wb.history()[0].summary == t("command.member.add", name="kari", role="co-coder")
        # one undoable command: the researcher and the first member together
        wb.undo()
        wb.undo()
        assert wb.members.list() == []
        wb.redo()
        assert [m.name for m in wb.members.list()] == ["forsker", "veileder"]


def test_adding_yourself_first_must_be_as_researcher(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        with pytest.raises(UserError) as err:
            wb.members.add("forsker", role="supervisor")
        assert err.value.key == "members.error.first_is_researcher"
        assert wb.members.add("forsker", role="researcher").role == "researcher"
        assert len(wb.members.list()) == 1


def test_member_errors_are_clear(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.members.add("kari", role="co-coder")
        for call, key in [
            (lambda: wb.members.add("kari"), "members.error.exists"),
            (lambda: wb.members.add("  "), "members.error.empty_name"),
            (lambda: wb.members.add("ola", role="sjef"), "members.error.unknown_role"),
            (lambda: wb.members.set_role("ola", "co-coder"), "members.error.not_found"),
            (lambda: wb.members.remove("forsker"), "members.error.last_researcher"),
            (lambda: wb.members.set_role("forsker", "co-coder"), "members.error.last_researcher"),
        ]:
            with pytest.raises(UserError) as err:
                call()
            assert err.value.key == key
        wb.members.set_role("kari", "researcher")
        wb.members.set_role("forsker", "co-coder")  # kari is a researcher now
        assert wb.members.role_of() == "co-coder"
        with pytest.raises(UserError) as err:  # and a co-coder may not manage members
            wb.members.add("ola")
        assert err.value.key == "storage.error.role_refused"


def test_a_stranger_is_refused_once_there_are_members(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.members.add("veileder", role="supervisor")
    with pytest.raises(UserError) as err:
        Workbench.open(project_target, actor="ukjent")
    assert err.value.key == "storage.error.not_member"
    text = err.value.message()
    assert "forsker, veileder" in text and "workbench member add" in text and "ukjent" in text


def test_removed_member_can_no_longer_write(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.members.add("kari", role="co-coder")
        with Workbench.open(project_target, actor="kari") as kari:
            kari.codes.create("håp")
            wb.members.remove("kari")
            with pytest.raises(UserError) as err:
                kari.codes.create("tid")
            assert err.value.key == "storage.error.not_member"
        assert [c.name for c in wb.codes.list()] == ["håp"]


@pytest.fixture
def supervised(project_target):
    with Workbench.create(project_target, actor="forsker") as wb:
        study = build_study(wb)
        c = study.codes
        a = wb.themes.create("Tid", code_ids=[c["tid til relasjon"], c["personavhengig"]])
        b = wb.themes.create("Håp", code_ids=[c["håp"]])
        sub = wb.themes.create("Kveldene", parent_id=a.id)
        wb.journal.add("Første notat.")
        wb.notes.add("theme", a.id, "memo")
        comment = wb.review.comment("theme", a.id, "Et spørsmål")
        wb.members.add("veileder", role="supervisor")
        wb.members.add("kari", role="co-coder")
        ids = {"a": a.id, "b": b.id, "sub": sub.id, "comment": comment.id, **c,
               "fg1": study.fg1, "coding": wb.codes.codings()[0].id,
               "journal": wb.journal.list()[0].id, "note": wb.notes.list("theme", a.id)[0].id,
               "participant": wb.transcripts.participants()[0].id}
    yield project_target, ids


def test_supervisor_member_is_refused_every_writing_command_but_comments(supervised):
    target, ids = supervised
    with Workbench.open(target, actor="veileder") as wb:
        assert wb.store.role == "supervisor" and wb.store.review_mode and not wb.editable
        before = dump(wb), len(wb.history())
        for name, call in mutations(wb, ids).items():
            with pytest.raises(UserError) as err:
                call()
            assert err.value.key == "review.error.read_only", name
        for name, call in {
            "member.add": lambda: wb.members.add("ola"),
            "member.role": lambda: wb.members.set_role("kari", "researcher"),
            "member.remove": lambda: wb.members.remove("kari"),
        }.items():
            with pytest.raises(UserError) as err:
                call()
            assert err.value.key == "review.error.read_only", name
        for name in sorted(set(COMMANDS) - SUPERVISOR_COMMANDS):  # every declared kind
            with pytest.raises(UserError) as err:
                with wb.store.command(name):
                    pass
            assert err.value.key == "review.error.read_only", name
        assert (dump(wb), len(wb.history())) == before
        # what a supervisor may do
        wb.review.comment("theme", ids["b"], "Tynt tema?")
        wb.review.reply(ids["comment"], "Svar")
        wb.review.resolve(ids["comment"])
        wb.snapshots.create("Veileders kopi")
        assert [h.name for h in wb.history()[:4]] == [
            "snapshot.create", "comment.resolve", "comment.reply", "comment.add",
        ]
        assert wb.undo().name == "snapshot.create"  # their own, nobody else's


def test_co_coder_does_the_analysis_but_not_the_project_settings(supervised):
    target, ids = supervised
    with Workbench.open(target, actor="kari") as wb:
        assert wb.store.role == "co-coder" and wb.editable
        code = wb.codes.create("ny kode")
        wb.codes.apply(ids["fg1"], 0, 5, code_id=code.id)
        wb.themes.link_code(ids["b"], code.id)
        wb.journal.add("Kari sitt notat")
        before = dump(wb)
        for call in (lambda: wb.phases.set(3), lambda: wb.set_title("Ny"),
                     lambda: wb.members.add("ola"), lambda: wb.members.remove("veileder")):
            with pytest.raises(UserError) as err:
                call()
            assert err.value.key == "storage.error.role_refused"
            assert "kari er medkoder" in err.value.message()
        for name in sorted(RESEARCHER_ONLY):
            with pytest.raises(UserError):
                with wb.store.command(name):
                    pass
        assert dump(wb) == before


def test_a_role_change_applies_to_undo_too(supervised):
    target, _ids = supervised
    with Workbench.open(target, actor="kari") as kari, \
            Workbench.open(target, actor="forsker") as forsker:
        kari.codes.create("kari sin kode")
        forsker.members.set_role("kari", "supervisor")
        with pytest.raises(UserError) as err:
            kari.undo()  # a supervisor may not take codes back either
        assert err.value.key == "review.error.read_only"
        assert kari.codes.find("kari sin kode") is not None
        forsker.members.set_role("kari", "co-coder")
        assert kari.undo().name == "code.create"
