"""The one change path: every command recorded, undoable and redoable, across reopening."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.storage.models import RECORDED_TABLES, Base

from tests.conftest import sample_parsed


def dump(wb: Workbench) -> dict[str, list[tuple]]:
    """Every row of every recorded table, in key order."""
    out: dict[str, list[tuple]] = {}
    with wb.store.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in RECORDED_TABLES and table.name != "project":
                rows = s.execute(select(table).order_by(table.c.id)).all()
                out[table.name] = [tuple(r) for r in rows]
    return out


def test_every_change_is_logged_with_who_and_what(wb_with_transcript):
    wb, tr = wb_with_transcript
    code = wb.codes.create("håp om bedring")
    wb.codes.apply(tr.id, 0, 10, code_id=code.id)
    history = wb.history()
    assert [h.name for h in history] == ["coding.add", "code.create", "transcript.import"]
    assert all(h.actor == "tester" for h in history)
    assert history[1].summary == "Opprettet koden «håp om bedring»"


def test_undo_and_redo_a_coding(wb_with_transcript):
    wb, tr = wb_with_transcript
    coding = wb.codes.apply(tr.id, 5, 20, name="tid til relasjon")
    assert len(wb.codes.codings()) == 1
    undone = wb.undo()
    assert undone is not None and undone.name == "coding.add"
    assert wb.codes.codings() == []
    assert wb.codes.find("tid til relasjon") is None  # created by the same command
    wb.redo()
    again = wb.codes.codings()
    assert [(c.id, c.guid, c.start, c.end) for c in again] == [
        (coding.id, coding.guid, 5, 20)
    ]


def test_failed_command_records_nothing(wb_with_transcript):
    wb, tr = wb_with_transcript
    wb.codes.create("A")
    before = dump(wb), len(wb.history())
    with pytest.raises(UserError):
        wb.codes.create("a")  # same name, other case
    with pytest.raises(UserError):
        wb.codes.apply(tr.id, 10, 5, name="baklengs")
    assert (dump(wb), len(wb.history())) == before


def test_new_command_abandons_redo(wb):
    wb.codes.create("A")
    wb.undo()
    wb.codes.create("B")
    assert wb.redo() is None
    states = {h.name: h.state for h in wb.history()}
    assert states == {"code.create": "done"} or [h.state for h in wb.history()] == ["done", "abandoned"]


def test_undo_history_survives_reopening(project_target):
    path = project_target
    with Workbench.create(path) as wb:
        wb.codes.create("første")
        wb.codes.create("andre")
    with Workbench.open(path) as wb:
        assert wb.undo().args == {"name": "andre"}
    with Workbench.open(path) as wb:
        assert [c.name for c in wb.codes.list()] == ["første"]
        assert wb.redo().args == {"name": "andre"}
        assert [c.name for c in wb.codes.list()] == ["andre", "første"]


def test_delete_code_undo_restores_codings_and_links(wb_with_transcript):
    wb, tr = wb_with_transcript
    code = wb.codes.create("medvirkning")
    wb.codes.apply(tr.id, 0, 5, code_id=code.id)
    wb.codes.apply(tr.id, 40, 60, code_id=code.id)
    theme = wb.themes.create("Brukeren bestemmer", code_ids=[code.id])
    wb.notes.add("code", code.id, "Et memo om koden")
    before = dump(wb)
    wb.codes.delete(code.id)
    assert wb.codes.codings() == []
    assert wb.themes.tree()[0].code_ids == ()
    wb.undo()
    assert dump(wb) == before
    assert wb.themes.tree()[0].code_ids == (code.id,)
    assert theme.id == wb.themes.tree()[0].id


def test_merge_codes_moves_everything_and_undoes(wb_with_transcript):
    wb, tr = wb_with_transcript
    a = wb.codes.create("håp")
    b = wb.codes.create("Håp om framtida")
    wb.codes.apply(tr.id, 0, 5, code_id=a.id)
    wb.codes.apply(tr.id, 0, 5, code_id=b.id)  # same span: not duplicated by the merge
    wb.codes.apply(tr.id, 7, 12, code_id=a.id)
    before = dump(wb)
    wb.codes.merge(a.id, b.id)
    codings = wb.codes.codings()
    assert {(c.code_id, c.start) for c in codings} == {(b.id, 0), (b.id, 7)}
    assert [c.name for c in wb.codes.list()] == ["Håp om framtida"]
    wb.undo()
    assert dump(wb) == before


def test_undo_transcript_import_removes_it_whole(wb):
    before = dump(wb)
    wb.transcripts.add_parsed(sample_parsed(), name="fg1")
    assert wb.info().transcripts[0].turns == 6
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert wb.info().transcripts[0].turns == 6


# -- property: any sequence of commands, undone all, leaves an empty project -------------

names = st.sampled_from(["håp", "Håp", "tid", "ledelse", "brukeren bestemmer", "æra", "ørnen", "å ha", ""])
ops = st.one_of(
    st.tuples(st.just("code"), names),
    st.tuples(st.just("apply"), st.integers(0, 5), st.integers(0, 300), st.integers(1, 40)),
    st.tuples(st.just("apply_new"), names, st.integers(0, 300), st.integers(1, 40)),
    st.tuples(st.just("rename"), st.integers(0, 5), names),
    st.tuples(st.just("delete_code"), st.integers(0, 5)),
    st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("nest"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("theme"), names, st.integers(-1, 3)),
    st.tuples(st.just("link"), st.integers(0, 3), st.integers(0, 5)),
    st.tuples(st.just("move_theme"), st.integers(0, 3), st.integers(-1, 3)),
    st.tuples(st.just("delete_theme"), st.integers(0, 3)),
    st.tuples(st.just("memo"), st.integers(0, 5), names),
    st.tuples(st.just("quote"), st.integers(0, 5)),
    st.tuples(st.just("remove_coding"), st.integers(0, 5)),
    st.tuples(st.just("journal"), names),
    st.tuples(st.just("phase"), st.integers(1, 6), names),
    st.tuples(st.just("comment"), st.integers(0, 3), names),
    st.tuples(st.just("resolve"), st.integers(0, 3)),
    st.tuples(st.just("snapshot"), names),
    st.tuples(st.just("participant"), st.integers(0, 3), st.sampled_from(["moderator", "informant"])),
)


def _pick(items: list, i: int):
    return items[i % len(items)] if items else None


def run_op(wb: Workbench, transcript_id: int, op: tuple) -> None:
    kind, *a = op
    codes = wb.codes.list()
    codings = wb.codes.codings()
    themes = [t for top in wb.themes.tree() for t in (top, *top.children)]
    if kind == "code":
        wb.codes.create(a[0])
    elif kind == "apply" and codes:
        wb.codes.apply(transcript_id, a[1], a[1] + a[2], code_id=_pick(codes, a[0]).id)
    elif kind == "apply_new":
        wb.codes.apply(transcript_id, a[1], a[1] + a[2], name=a[0])
    elif kind == "rename" and codes:
        wb.codes.rename(_pick(codes, a[0]).id, a[1])
    elif kind == "delete_code" and codes:
        wb.codes.delete(_pick(codes, a[0]).id)
    elif kind == "merge" and codes:
        wb.codes.merge(_pick(codes, a[0]).id, _pick(codes, a[1]).id)
    elif kind == "nest" and codes:
        wb.codes.move(_pick(codes, a[0]).id, _pick(codes, a[1]).id)
    elif kind == "theme":
        parent = _pick(themes, a[1]) if a[1] >= 0 else None
        wb.themes.create(a[0], parent_id=parent.id if parent else None)
    elif kind == "link" and themes and codes:
        wb.themes.link_code(_pick(themes, a[0]).id, _pick(codes, a[1]).id)
    elif kind == "move_theme" and themes:
        parent = _pick(themes, a[1]) if a[1] >= 0 else None
        wb.themes.move(_pick(themes, a[0]).id, parent.id if parent else None)
    elif kind == "delete_theme" and themes:
        wb.themes.delete(_pick(themes, a[0]).id)
    elif kind == "memo" and codings:
        wb.codes.set_memo(_pick(codings, a[0]).id, a[1])
    elif kind == "quote" and codings:
        c = _pick(codings, a[0])
        wb.codes.set_quote(c.id, not c.is_quote)
    elif kind == "remove_coding" and codings:
        wb.codes.remove_coding(_pick(codings, a[0]).id)
    elif kind == "journal":
        wb.journal.add(a[0])
    elif kind == "phase":
        wb.phases.set(a[0], a[1])
    elif kind == "comment" and themes:
        wb.review.comment("theme", _pick(themes, a[0]).id, a[1])
    elif kind == "resolve":
        comments = wb.review.comments()
        if comments:
            wb.review.resolve(_pick(comments, a[0]).id)
    elif kind == "snapshot":
        wb.snapshots.create(a[0])
    elif kind == "participant":
        people = wb.transcripts.participants()
        wb.transcripts.update_participant(_pick(people, a[0]).id, role=a[1])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ops, min_size=1, max_size=25))
def test_undo_all_then_redo_all(tmp_path_factory, sequence):
    undo_all_then_redo_all(str(tmp_path_factory.mktemp("prop") / "p.wbp"), sequence)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ops, min_size=1, max_size=25))
def test_undo_all_then_redo_all_on_postgresql(pg_schemas, sequence):
    """The same property on PostgreSQL (fewer examples: a project there costs more)."""
    undo_all_then_redo_all(pg_schemas.new(), sequence)


def undo_all_then_redo_all(target: str, sequence: list) -> None:
    with Workbench.create(target) as wb:
        empty = dump(wb)
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
        for op in sequence:
            try:
                run_op(wb, tr.id, op)
            except UserError:
                pass  # refused commands change nothing; that is checked elsewhere
        full = dump(wb)
        phase = wb.phases.current()
        while wb.undo() is not None:
            pass
        assert dump(wb) == empty
        assert wb.phases.current() == 1
        while wb.redo() is not None:
            pass
        assert dump(wb) == full
        assert wb.phases.current() == phase
