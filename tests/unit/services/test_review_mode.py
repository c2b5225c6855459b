"""Supervisor review mode: the project is writable for comments, and for nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.codebook import CodebookSpec, CodeSpec
from workbench.i18n import UserError, catalogue
from workbench.services import Workbench
from workbench.services.review_mode import REVIEW_ALLOWED, enable_review_mode, is_review_mode

from tests.conftest import sample_parsed
from tests.unit.storage.test_changelog import dump
from tests.themes_fixtures import build_study


@pytest.fixture
def reviewed(project_target: str):
    """A project with a theme map, reopened by the supervisor in review mode."""
    path = project_target
    with Workbench.create(path, actor="forsker") as wb:
        study = build_study(wb)
        c = study.codes
        a = wb.themes.create("Tid", code_ids=[c["tid til relasjon"], c["personavhengig"]])
        b = wb.themes.create("Håp", code_ids=[c["håp"]])
        sub = wb.themes.create("Kveldene", parent_id=a.id)
        wb.journal.add("Første notat.")
        wb.notes.add("theme", a.id, "memo")
        comment = wb.review.comment("theme", a.id, "Et spørsmål")
        ids = {"a": a.id, "b": b.id, "sub": sub.id, "comment": comment.id, **c,
               "fg1": study.fg1, "coding": wb.codes.codings()[0].id,
               "journal": wb.journal.list()[0].id, "note": wb.notes.list("theme", a.id)[0].id,
               "participant": wb.transcripts.participants()[0].id}
    supervisor = Workbench.open(path, actor="veileder")
    enable_review_mode(supervisor)
    yield supervisor, ids
    supervisor.close()


def mutations(wb: Workbench, i: dict) -> dict[str, object]:
    """Every mutating service call (and some of each kind twice, in different shapes)."""
    return {
        "title": lambda: wb.set_title("Ny tittel"),
        "code.create": lambda: wb.codes.create("ny kode"),
        "code.rename": lambda: wb.codes.rename(i["håp"], "håpet"),
        "code.update": lambda: wb.codes.update(i["håp"], description="x"),
        "code.move": lambda: wb.codes.move(i["håp"], i["latter"]),
        "code.delete": lambda: wb.codes.delete(i["latter"]),
        "code.merge": lambda: wb.codes.merge(i["latter"], i["håp"]),
        "coding.add": lambda: wb.codes.apply(i["fg1"], 0, 5, code_id=i["håp"]),
        "coding.add_new": lambda: wb.codes.apply(i["fg1"], 0, 5, name="helt ny"),
        "coding.remove": lambda: wb.codes.remove_coding(i["coding"]),
        "coding.memo": lambda: wb.codes.set_memo(i["coding"], "memo"),
        "coding.quote": lambda: wb.codes.set_quote(i["coding"], True),
        "coding.recode": lambda: wb.codes.recode(i["coding"], i["latter"]),
        "theme.create": lambda: wb.themes.create("Nytt tema"),
        "theme.rename": lambda: wb.themes.rename(i["a"], "Tiden"),
        "theme.update": lambda: wb.themes.set_definition(i["a"], "def"),
        "theme.status": lambda: wb.themes.cycle_status(i["a"]),
        "theme.discard": lambda: wb.themes.discard(i["a"]),
        "theme.misc": lambda: wb.themes.set_misc(i["b"]),
        "theme.move": lambda: wb.themes.move(i["b"], i["a"]),
        "theme.indent": lambda: wb.themes.indent(i["b"]),
        "theme.outdent": lambda: wb.themes.outdent(i["sub"]),
        "theme.promote": lambda: wb.themes.promote(i["sub"]),
        "theme.demote": lambda: wb.themes.demote(i["b"]),
        "theme.reorder": lambda: wb.themes.reorder(i["b"], -1),
        "theme.merge": lambda: wb.themes.merge(i["b"], i["a"]),
        "theme.split": lambda: wb.themes.split(i["a"], [i["personavhengig"]], "Ny"),
        "theme.delete": lambda: wb.themes.delete(i["b"]),
        "theme.link_code": lambda: wb.themes.link_code(i["b"], i["latter"]),
        "theme.unlink_code": lambda: wb.themes.unlink_code(i["b"], i["håp"]),
        "theme.move_code": lambda: wb.themes.move_code(i["håp"], i["b"], i["a"]),
        "theme.reorder_code": lambda: wb.themes.reorder_code(i["a"], i["personavhengig"], -1),
        "theme.to_misc": lambda: wb.themes.to_misc(i["latter"]),
        "theme.move_extract": lambda: wb.themes.move_extract(i["coding"], i["b"]),
        "phase.set": lambda: wb.phases.set(2),
        "phase.advance": lambda: wb.phases.advance(),
        "journal.add": lambda: wb.journal.add("veilederens notat"),
        "journal.edit": lambda: wb.journal.edit(i["journal"], "endret"),
        "journal.delete": lambda: wb.journal.delete(i["journal"]),
        "note.add": lambda: wb.notes.add("project", None, "notat"),
        "note.edit": lambda: wb.notes.edit(i["note"], "endret"),
        "note.delete": lambda: wb.notes.delete(i["note"]),
        "transcript.import": lambda: wb.transcripts.add_parsed(sample_parsed(), name="fg9"),
        "transcript.rename": lambda: wb.transcripts.rename(i["fg1"], "ny"),
        "transcript.group": lambda: wb.transcripts.set_group(i["fg1"], "Andre"),
        "transcript.delete": lambda: wb.transcripts.delete(i["fg1"]),
        "participant.update": lambda: wb.transcripts.update_participant(i["participant"], profession="lege"),
        "codebook.import": lambda: wb.codebooks.import_spec(
            CodebookSpec(name="CHIME", codes=[CodeSpec(name="Håp i CHIME")])
        ),
    }


def test_every_mutation_is_refused_and_nothing_changes(reviewed):
    wb, ids = reviewed
    assert is_review_mode(wb)
    before = dump(wb), len(wb.history())
    for name, call in mutations(wb, ids).items():
        with pytest.raises(UserError) as info:
            call()
        assert info.value.key == "review.error.read_only", name
    assert (dump(wb), len(wb.history())) == before


def test_every_known_command_name_but_comments_is_refused(reviewed):
    wb, _ids = reviewed
    names = {k.split(".", 1)[1] for k in catalogue("nb") if k.startswith("command.")}
    assert {"code.create", "theme.create", "coding.add"} <= names
    for name in sorted(names - REVIEW_ALLOWED):
        with pytest.raises(UserError):
            with wb.store.command(name):
                pass


def test_supervisor_comments_replies_resolves_and_freezes(reviewed):
    wb, ids = reviewed
    note = wb.review.comment("theme", ids["b"], "Tynt tema – bare én gruppe?")
    wb.review.comment("coding", ids["coding"], "Godt sitat")
    wb.review.reply(ids["comment"], "Svar fra veileder")
    wb.review.resolve(ids["comment"])
    wb.snapshots.create("Veileders kopi")
    authors = {c.author for c in wb.review.comments()}
    assert authors == {"forsker", "veileder"}
    assert note.author == "veileder"
    assert [h.name for h in wb.history()[:5]] == [
        "snapshot.create", "comment.resolve", "comment.reply", "comment.add", "comment.add",
    ]


def test_undo_in_review_mode_only_touches_own_comments(reviewed):
    wb, ids = reviewed
    before = dump(wb)
    assert wb.undo() is None  # undo is per person: the researcher's changes are not mine
    assert wb.redo() is None
    assert dump(wb) == before
    wb.review.comment("theme", ids["a"], "En kommentar")
    assert wb.undo().name == "comment.add"
    assert wb.redo().name == "comment.add"
    assert len(wb.review.comments()) == 2


def test_researcher_can_resolve_and_undo_again_after_review(reviewed, tmp_path):
    wb, ids = reviewed
    wb.review.comment("theme", ids["a"], "Fra veileder")
    path = wb.store.target  # the path, or the URL with its password
    with Workbench.open(path, actor="forsker") as researcher:
        assert not is_review_mode(researcher)
        (open_comment,) = [c for c in researcher.review.comments() if c.author == "veileder"]
        researcher.review.reply(open_comment.id, "Takk, endret.")
        researcher.review.resolve(open_comment.id)
        researcher.themes.rename(ids["a"], "Tiden som ramme")
        assert researcher.undo().name == "theme.rename"


def test_enable_is_idempotent(reviewed):
    wb, _ = reviewed
    enable_review_mode(wb)
    enable_review_mode(wb.store)
    wb.review.comment("project", None, "Hei")
    with pytest.raises(UserError):
        wb.codes.create("x")
