"""The theme map, review metrics, phases, checklist and comments, at the service layer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.themes import walk
from workbench.storage.models import PhaseChange, Project

from tests.unit.storage.test_changelog import dump
from tests.themes_fixtures import build_study


@pytest.fixture
def study(wb: Workbench):
    return build_study(wb)


def shape(wb: Workbench) -> list[tuple]:
    """The map as (depth, name, [code names]) in order."""
    names = {c.id: c.name for c in wb.codes.list()}
    return [
        (depth, th.name, [names[c] for c in th.code_ids])
        for th, depth in walk(wb.themes.tree())
    ]


def refused(wb: Workbench, fn, key: str) -> None:
    """``fn`` raises the UserError ``key`` and changes nothing, records nothing."""
    before = dump(wb), len(wb.history())
    with pytest.raises(UserError) as info:
        fn()
    assert info.value.key == key
    assert (dump(wb), len(wb.history())) == before


def undo_restores(wb: Workbench, fn) -> None:
    before = dump(wb)
    fn()
    after = dump(wb)
    assert after != before
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert dump(wb) == after


# -- create, rename, describe ---------------------------------------------------------


def test_new_theme_from_selected_codes(study):
    wb, c = study.wb, study.codes
    theme = wb.themes.create("Tiden som ramme", code_ids=[c["tid til relasjon"], c["håp"]])
    assert theme.status == "candidate" and not theme.is_misc
    assert shape(wb) == [(0, "Tiden som ramme", ["tid til relasjon", "håp"])]
    wb.undo()
    assert wb.themes.tree() == []


def test_bad_names_are_refused_and_change_nothing(study):
    wb = study.wb
    a = wb.themes.create("Håp")
    sub = wb.themes.create("Under", parent_id=a.id)
    refused(wb, lambda: wb.themes.create("   "), "theme.error.empty_name")
    refused(wb, lambda: wb.themes.create("håp"), "theme.error.duplicate")
    refused(wb, lambda: wb.themes.rename(sub.id, ""), "theme.error.empty_name")
    wb.themes.create("Under")  # same name on another level is fine
    refused(wb, lambda: wb.themes.rename(a.id, "under"), "theme.error.duplicate")
    refused(wb, lambda: wb.themes.update(a.id, status="ferdig"), "theme.error.status")


def test_rename_definition_status_discard(study):
    wb = study.wb
    a = wb.themes.create("Håp")
    undo_restores(wb, lambda: wb.themes.rename(a.id, "Å bære håpet"))
    undo_restores(wb, lambda: wb.themes.set_definition(a.id, "  Om håp.  "))
    assert wb.themes.get(a.id).definition == "Om håp."
    statuses = [wb.themes.cycle_status(a.id).status for _ in range(4)]
    assert statuses == ["reviewed", "defined", "final", "candidate"]
    assert wb.themes.discard(a.id).status == "discarded"
    assert wb.themes.cycle_status(a.id).status == "candidate"
    wb.undo()
    assert wb.themes.get(a.id).status == "discarded"


# -- moving themes ----------------------------------------------------------------------


def test_indent_outdent_reorder(study):
    wb = study.wb
    a, b, c = (wb.themes.create(n) for n in ("A", "B", "C"))
    refused(wb, lambda: wb.themes.indent(a.id), "themes.error.no_previous")
    refused(wb, lambda: wb.themes.outdent(a.id), "themes.error.already_main")
    undo_restores(wb, lambda: wb.themes.indent(b.id))
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "B"), (0, "C")]
    wb.themes.indent(c.id)
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "B"), (1, "C")]
    wb.themes.indent(c.id)  # under B now
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "B"), (2, "C")]
    wb.themes.outdent(c.id)
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "B"), (1, "C")]
    wb.themes.outdent(b.id)  # B goes right after A
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "C"), (0, "B")]
    undo_restores(wb, lambda: wb.themes.reorder(b.id, -1))
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "B"), (0, "A"), (1, "C")]
    refused(wb, lambda: wb.themes.reorder(b.id, -1), "themes.error.at_edge")
    refused(wb, lambda: wb.themes.reorder(c.id, 1), "themes.error.at_edge")
    positions = [th.position for th in wb.themes.tree()]
    assert positions == [0, 1]


def test_indent_refuses_a_duplicate_name_at_the_new_level(study):
    wb = study.wb
    a = wb.themes.create("A")
    wb.themes.create("B", parent_id=a.id)
    b = wb.themes.create("B")
    refused(wb, lambda: wb.themes.indent(b.id), "theme.error.duplicate")


def test_promote_and_demote(study):
    wb = study.wb
    a, b = wb.themes.create("A"), wb.themes.create("B")
    sub = wb.themes.create("Under", parent_id=a.id)
    deep = wb.themes.create("Dypt", parent_id=sub.id)
    refused(wb, lambda: wb.themes.promote(a.id), "themes.error.already_main")
    undo_restores(wb, lambda: wb.themes.promote(deep.id))
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "Under"), (0, "Dypt"), (0, "B")]
    wb.themes.demote(deep.id)  # back under the main theme above it
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "Under"), (1, "Dypt"), (0, "B")]
    wb.themes.demote(b.id, parent_id=sub.id)
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "Under"), (2, "B"), (1, "Dypt")]
    refused(wb, lambda: wb.themes.demote(a.id, parent_id=sub.id), "theme.error.cycle")


def test_move_refuses_cycles_and_keeps_positions_compact(study):
    wb = study.wb
    a, b, c = (wb.themes.create(n) for n in ("A", "B", "C"))
    sub = wb.themes.create("Under", parent_id=a.id)
    refused(wb, lambda: wb.themes.move(a.id, sub.id), "theme.error.cycle")
    refused(wb, lambda: wb.themes.move(a.id, a.id), "theme.error.cycle")
    undo_restores(wb, lambda: wb.themes.move(c.id, a.id, 0))
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A"), (1, "C"), (1, "Under"), (0, "B")]
    assert [th.position for th in wb.themes.tree()] == [0, 1]
    wb.themes.move(sub.id, None, 0)
    assert [th.name for th in wb.themes.tree()] == ["Under", "A", "B"]


# -- codes under themes ----------------------------------------------------------------


def test_cut_and_paste_a_code_and_link_it_twice(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"], c["latter"]])
    b = wb.themes.create("B")
    undo_restores(wb, lambda: wb.themes.move_code(c["håp"], a.id, b.id))
    assert shape(wb) == [(0, "A", ["latter"]), (0, "B", ["håp"])]
    wb.themes.link_code(a.id, c["håp"])  # one code under several themes
    assert shape(wb) == [(0, "A", ["latter", "håp"]), (0, "B", ["håp"])]
    refused(wb, lambda: wb.themes.move_code(c["håp"], b.id, a.id), "theme.error.already_linked")
    refused(wb, lambda: wb.themes.move_code(c["tid til relasjon"], b.id, a.id), "theme.error.not_linked")
    refused(wb, lambda: wb.themes.move_code(c["håp"], a.id, a.id), "themes.error.same_place")
    wb.themes.move_code(c["personavhengig"], None, b.id, position=0)  # from the list of free codes
    assert shape(wb)[1] == (0, "B", ["personavhengig", "håp"])
    wb.themes.reorder_code(b.id, c["håp"], -1)
    assert shape(wb)[1] == (0, "B", ["håp", "personavhengig"])
    refused(wb, lambda: wb.themes.reorder_code(b.id, c["håp"], -1), "themes.error.at_edge")
    wb.themes.move_code(c["håp"], b.id, None)  # out of every theme but this one
    assert shape(wb)[1] == (0, "B", ["personavhengig"])


def test_misc_bin(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["latter"]])
    bin_ = wb.themes.to_misc(c["latter"], a.id)
    assert bin_.is_misc and bin_.name == "Diverse"
    assert shape(wb) == [(0, "A", []), (0, "Diverse", ["latter"])]
    wb.themes.to_misc(c["personavhengig"])
    assert shape(wb)[1] == (0, "Diverse", ["latter", "personavhengig"])
    refused(wb, lambda: wb.themes.set_misc(a.id), "themes.error.misc_exists")
    refused(wb, lambda: wb.themes.create("Rest", is_misc=True), "themes.error.misc_exists")
    wb.undo()
    wb.undo()
    assert wb.themes.misc() is None
    wb.themes.set_misc(a.id)
    assert wb.themes.misc().id == a.id


# -- merge and split ------------------------------------------------------------------


def test_merge_moves_codes_subthemes_and_notes(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]], definition="Om håp.")
    b = wb.themes.create("B", code_ids=[c["håp"], c["tid til relasjon"]], definition="Om tid.")
    sub = wb.themes.create("Under B", parent_id=b.id)
    wb.notes.add("theme", b.id, "memo om B")
    before = dump(wb)
    merged = wb.themes.merge(b.id, a.id)
    assert shape(wb) == [(0, "A", ["håp", "tid til relasjon"]), (1, "Under B", [])]
    assert merged.definition == "Om håp.\n\nOm tid."
    assert [n.text for n in wb.notes.list("theme", a.id)] == ["memo om B"]
    assert wb.themes.get(sub.id).parent_id == a.id
    wb.undo()
    assert dump(wb) == before


def test_merge_refusals(study):
    wb = study.wb
    a = wb.themes.create("A")
    sub = wb.themes.create("X", parent_id=a.id)
    b = wb.themes.create("B")
    wb.themes.create("X", parent_id=b.id)
    refused(wb, lambda: wb.themes.merge(a.id, a.id), "themes.error.merge_self")
    refused(wb, lambda: wb.themes.merge(a.id, sub.id), "themes.error.merge_descendant")
    refused(wb, lambda: wb.themes.merge(b.id, a.id), "theme.error.duplicate")  # two «X» under A
    wb.themes.merge(sub.id, a.id)  # a sub-theme into its own parent is fine
    assert shape(wb) == [(0, "A", []), (0, "B", []), (1, "X", [])]


def test_split_moves_chosen_codes_to_a_new_sibling(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"], c["tid til relasjon"], c["latter"]])
    wb.themes.create("Z")
    sub = wb.themes.create("Under", parent_id=a.id)
    before = dump(wb)
    new = wb.themes.split(a.id, [c["tid til relasjon"]], "A2", subtheme_ids=[sub.id])
    assert shape(wb) == [
        (0, "A", ["håp", "latter"]), (0, "A2", ["tid til relasjon"]), (1, "Under", []),
        (0, "Z", []),
    ]
    assert new.status == "candidate"
    wb.undo()
    assert dump(wb) == before
    refused(wb, lambda: wb.themes.split(a.id, [], "A3"), "themes.error.split_empty")
    refused(wb, lambda: wb.themes.split(a.id, [c["personavhengig"]], "A3"), "theme.error.not_linked")
    refused(wb, lambda: wb.themes.split(a.id, [c["håp"]], "z"), "theme.error.duplicate")


def test_delete_theme_lifts_its_subthemes_in_place(study):
    wb = study.wb
    a, b = wb.themes.create("A"), wb.themes.create("B")
    wb.themes.create("A1", parent_id=a.id)
    wb.themes.create("A2", parent_id=a.id)
    undo_restores(wb, lambda: wb.themes.delete(a.id))
    assert [(d, n) for d, n, _ in shape(wb)] == [(0, "A1"), (0, "A2"), (0, "B")]
    assert b.id in {th.id for th in wb.themes.tree()}


# -- review: extracts, matrices, mirror -----------------------------------------------


def test_theme_extracts_are_grouped_with_attribution(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    wb.themes.create("Under", parent_id=a.id, code_ids=[c["brukeren bestemmer"], c["håp"]])
    review = wb.themes.extracts(a.id)
    assert [(g.transcript_name, g.group) for g in review.groups] == [
        ("fg1", "Ledere"), ("fg2", "Miljøterapeuter"),
    ]
    rows = [(x.text, x.speaker, x.profession, x.group, x.theme_name) for x in review.all]
    assert rows == [
        ("brukerne må få bestemme mer", "Leder 2", "vernepleier", "Ledere", "Under"),
        ("brukeren opplever håp", "Leder 1", "sykepleier", "Ledere", "A"),
        ("Brukerne får bestemme mer selv", "Miljøterapeut 2", "sosionom", "Miljøterapeuter", "Under"),
        ("det gir håp", "Miljøterapeut 2", "sosionom", "Miljøterapeuter", "A"),
    ]
    assert review.stats.extracts == 4 and review.stats.informants == 3
    assert review.stats.groups == 2 and not review.stats.thin


def test_recode_move_to_theme_and_quote(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    b = wb.themes.create("B", code_ids=[c["tid til relasjon"]])
    extract = wb.themes.extracts(a.id).all[0]
    undo_restores(wb, lambda: wb.codes.set_quote(extract.coding_id, True))
    assert wb.themes.extracts(a.id).all[0].is_quote
    assert wb.themes.stats()[a.id].quotes == 1
    undo_restores(wb, lambda: wb.themes.move_extract(extract.coding_id, b.id))
    assert [x.coding_id for x in wb.themes.extracts(b.id).all if x.coding_id == extract.coding_id]
    empty = wb.themes.create("Tom")
    refused(wb, lambda: wb.themes.move_extract(extract.coding_id, empty.id), "themes.error.no_code_in_theme")
    refused(
        wb, lambda: wb.themes.move_extract(extract.coding_id, b.id, code_id=c["latter"]),
        "themes.error.code_not_in_theme",
    )


def test_matrices_make_thin_themes_visible(study):
    wb, c = study.wb, study.codes
    broad = wb.themes.create("Bred", code_ids=[c["håp"], c["brukeren bestemmer"]])
    thin = wb.themes.create("Tynn", code_ids=[c["personavhengig"]])
    moderator = wb.themes.create("Moderator", code_ids=[c["latter"]])
    wb.themes.create("Forkastet", code_ids=[c["håp"]])
    wb.themes.discard(wb.themes.tree()[-1].id)
    groups = wb.themes.matrix("group")
    assert groups.columns == ("Ledere", "Miljøterapeuter")
    rows = {r.name: r for r in groups.rows}
    assert "Forkastet" not in rows
    assert [(x.extracts, x.informants) for x in rows["Bred"].cells] == [(2, 2), (2, 1)]
    assert not rows["Bred"].thin
    assert rows["Tynn"].thin and rows["Tynn"].cells[0].extracts == 0
    assert rows["Moderator"].thin and rows["Moderator"].total.informants == 0
    people = wb.themes.matrix("informant")
    assert people.columns == ("Leder 1", "Leder 2", "Miljøterapeut 1", "Miljøterapeut 2")
    row = {r.name: r for r in people.rows}["Bred"]
    assert [x.extracts for x in row.cells] == [1, 1, 0, 2]
    stats = wb.themes.stats()
    assert (stats[broad.id].informants, stats[thin.id].informants, stats[moderator.id].informants) == (3, 1, 0)


def test_mirror_warning_when_main_themes_repeat_the_interview_guide(wb: Workbench):
    guide = wb.codes.create("a: Bakgrunn for innføringen", origin="deductive")
    wb.codes.create("Initiativ ovenfra", origin="deductive", parent_id=guide.id)
    wb.codes.create("b: Er det mulig å innføre", origin="deductive")
    practice = wb.codes.create("c: Endringer i måten å arbeide på", origin="deductive")
    new = wb.codes.create("Ny praksis", origin="deductive", parent_id=practice.id)
    own = wb.codes.create("Nye ord på gammel praksis")
    wb.themes.create("Bakgrunn for innføringen")  # the focus area's name, label dropped
    wb.themes.create("Om det er mulig å innføre")  # adds one word: still a mirror
    report = wb.themes.mirror_check()
    assert report.warn and [m.reason for m in report.mirrors] == ["name", "name"]
    wb.themes.create("En arbeidsmåte som hviler på noen få", code_ids=[own.id])
    wb.themes.create("Å bære håpet for brukeren")
    report = wb.themes.mirror_check()
    assert report.warn and report.share == 0.5  # two of four
    wb.themes.create("Hvem bestemmer hva som er bedring")
    assert not wb.themes.mirror_check().warn  # two of five
    # built from a focus area's codes, whatever the name says
    area = wb.codes.create("d: Personalets forståelse", origin="deductive")
    wrong = wb.codes.create("Misforståelser", origin="deductive", parent_id=area.id)
    wb.themes.create("Ledelsen ville det", code_ids=[wrong.id, own.id])
    wb.themes.create("Noe nytt", code_ids=[new.id])
    report = wb.themes.mirror_check()
    assert report.warn and {m.reason for m in report.mirrors} == {"name", "codes"}
    assert len(report.mirrors) == 4  # four of seven
    wb.themes.create("Også fra a", code_ids=[guide.id])
    assert len(wb.themes.mirror_check().mirrors) == 4  # each deductive code is matched once


@pytest.mark.parametrize(
    ("theme", "code", "mirrors"),
    [
        ("Bakgrunn for innføringen", "a: Bakgrunn for innføringen", True),
        ("a) Bakgrunn for innføringen", "a: Bakgrunn for innføringen", True),
        ("Håp og optimisme", "Håp", True),
        ("Håp", "Håp", True),
        ("Hvem bestemmer hva som er forbedring?", "Nøkkelspørsmål: Hvem bestemmer hva som er forbedring", True),
        ("Å bære håpet for brukeren", "Håp", False),
        ("Tiden som ramme for medvirkning", "Medvirkning", False),
        ("Tid: en ramme", "Tid", True),
        ("", "Håp", False),
    ],
)
def test_names_mirror(theme, code, mirrors):
    from workbench.services.theme_metrics import names_mirror

    assert names_mirror(theme, code) is mirrors


def test_mirror_ignores_misc_and_discarded_and_inductive_codes(wb: Workbench):
    wb.codes.create("Håp", origin="inductive")
    wb.codes.create("Tid")
    wb.themes.create("Håp")
    wb.themes.create("Tid")
    assert not wb.themes.mirror_check().mirrors
    wb.codes.create("Tilknytning", origin="deductive")
    wb.codes.create("Mening", origin="deductive")
    t1 = wb.themes.create("Tilknytning")
    wb.themes.create("Mening", is_misc=True)
    wb.themes.discard(t1.id)
    assert not wb.themes.mirror_check().mirrors


# -- phases and the checklist ----------------------------------------------------------


def test_move_on_and_go_back_with_a_reason(wb: Workbench):
    assert wb.phases.advance() == 2
    assert wb.phases.advance() == 3
    refused(wb, lambda: wb.phases.back(""), "phase.error.reason_needed")
    refused(wb, lambda: wb.phases.back("nytt blikk", to=3), "phases.error.not_back")
    assert wb.phases.back("Temaene speilet intervjuguiden", to=1) == 1
    refused(wb, lambda: wb.phases.back("igjen"), "phases.error.first")
    history = wb.phases.history()
    assert [(h.from_phase, h.to_phase, h.reason) for h in history][-1] == (
        3, 1, "Temaene speilet intervjuguiden",
    )
    for _ in range(5):
        wb.phases.advance()
    refused(wb, lambda: wb.phases.advance(), "phases.error.last")
    wb.undo()
    assert wb.phases.current() == 5


def test_time_per_phase_from_the_log(wb: Workbench):
    wb.phases.advance()
    wb.phases.advance()
    with Session(wb.store.engine) as s, s.begin():  # put the log at known times (test only)
        project = s.query(Project).one()
        start = project.created
        for i, change in enumerate(s.query(PhaseChange).order_by(PhaseChange.id)):
            change.created = start + timedelta(hours=2 * (i + 1))
    times = wb.phases.durations(now=start + timedelta(hours=5))
    assert [(x.phase, round(x.seconds / 3600), x.visits) for x in times[:3]] == [
        (1, 2, 1), (2, 2, 1), (3, 1, 1),
    ]
    item = wb.phases.checklist(now=start + timedelta(hours=5))[-1]
    assert item.key == "checklist.item.time" and item.status == "ok"
    assert "1: 2 t" in item.detail


def test_checklist_is_filled_from_the_data(study):
    wb, c = study.wb, study.codes
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.phases.checklist(2)}
    assert items["coverage"].status == "ok" and "fg1" in items["coverage"].detail
    assert items["uncoded"].status == "ok"
    assert items["single_extract"].params["n"] == 2  # personavhengig, latter
    assert items["active"].status == "info"
    wb.themes.create("Bred", code_ids=[c["håp"], c["brukeren bestemmer"]])
    wb.themes.create("Tynn", code_ids=[c["personavhengig"]])
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.phases.checklist(4)}
    assert items["one_informant"].status == "warn" and "Tynn" in items["one_informant"].detail
    assert "Bred" not in items["one_informant"].detail
    assert items["one_group"].status == "warn"
    assert items["collated"].status == "warn"  # tid til relasjon, latter not under a theme
    assert items["coherent"].status == "info"
    phase5 = {i.key.rsplit(".", 1)[1]: i for i in wb.phases.checklist(5)}
    assert phase5["defined"].params["n"] == 2
    phase6 = {i.key.rsplit(".", 1)[1]: i for i in wb.phases.checklist(6)}
    assert phase6["quotes"].status == "warn"
    assert all(i.text and not i.text.startswith("checklist.") for i in wb.phases.checklist(6))
    wb.journal.add("Jeg merker at jeg leter etter håp.")
    assert {i.key: i.status for i in wb.phases.checklist()}["checklist.item.active"] == "ok"


def test_uncoded_transcript_is_flagged(wb_with_transcript):
    wb, _tr = wb_with_transcript
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.phases.checklist(2)}
    assert items["uncoded"].status == "warn" and "fg1" in items["uncoded"].detail
    assert items["coverage"].status == "warn"


# -- comments ---------------------------------------------------------------------------


def test_comments_anchor_to_theme_code_and_extract(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    extract = wb.themes.extracts(a.id).all[0]
    on_theme = wb.review.comment("theme", a.id, "Er dette et tema eller en kode?")
    wb.review.comment("code", c["håp"], "Uklar kode")
    on_extract = wb.review.comment("coding", extract.coding_id, "Godt sitat")
    assert on_extract.anchor_label == "brukeren opplever håp"
    counts = wb.review.open_counts()
    assert counts[a.guid] == 1 and counts[extract.coding_guid] == 1
    assert wb.themes.extracts(a.id).all[0].open_comments == 1
    wb.review.reply(on_theme.id, "Et tema, mener jeg.")
    (thread,) = wb.review.comments(anchor_guid=a.guid)
    assert [r.text for r in thread.replies] == ["Et tema, mener jeg."]
    wb.review.resolve(on_theme.id)
    assert a.guid not in wb.review.open_counts()
    wb.themes.rename(a.id, "Nytt navn")
    assert wb.review.comments(anchor_guid=a.guid)[0].anchor_label == "A"  # kept as written


# -- any sequence of map operations keeps the map valid and undoes cleanly -----------------

map_ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["create", "sub", "indent", "outdent", "promote", "demote", "reorder", "merge",
             "split", "move_code", "link", "misc", "delete", "rename", "status"]
        ),
        st.integers(0, 6), st.integers(0, 6), st.sampled_from(["A", "B", "a", "C", ""]),
    ),
    min_size=1, max_size=20,
)


def _apply(wb: Workbench, codes: list[int], op: tuple) -> None:
    kind, i, j, name = op
    themes = [th for th, _ in walk(wb.themes.tree())]
    pick = (lambda k: themes[k % len(themes)]) if themes else (lambda k: None)
    th, other = pick(i), pick(j)
    if kind == "create":
        wb.themes.create(name or "T", code_ids=[codes[i % len(codes)]])
    elif th is None:
        return
    elif kind == "sub":
        wb.themes.create(name or "S", parent_id=th.id)
    elif kind == "indent":
        wb.themes.indent(th.id)
    elif kind == "outdent":
        wb.themes.outdent(th.id)
    elif kind == "promote":
        wb.themes.promote(th.id)
    elif kind == "demote":
        wb.themes.demote(th.id, other.id)
    elif kind == "reorder":
        wb.themes.reorder(th.id, 1 if j % 2 else -1)
    elif kind == "merge":
        wb.themes.merge(th.id, other.id)
    elif kind == "split":
        wb.themes.split(th.id, list(th.code_ids[:1]), name or "Ny")
    elif kind == "move_code" and th.code_ids:
        wb.themes.move_code(th.code_ids[0], th.id, other.id)
    elif kind == "link":
        wb.themes.link_code(th.id, codes[j % len(codes)])
    elif kind == "misc":
        wb.themes.to_misc(codes[j % len(codes)])
    elif kind == "delete":
        wb.themes.delete(th.id)
    elif kind == "rename":
        wb.themes.rename(th.id, name)
    elif kind == "status":
        wb.themes.cycle_status(th.id)


def _check_valid(wb: Workbench) -> None:
    from workbench.domain.model import name_key

    def level(nodes) -> None:
        assert [n.position for n in nodes] == list(range(len(nodes)))
        keys = [name_key(n.name) for n in nodes]
        assert len(keys) == len(set(keys))
        for n in nodes:
            level(n.children)

    tree = wb.themes.tree()
    level(tree)
    assert sum(th.is_misc for th, _ in walk(tree)) <= 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(map_ops)
def test_map_operations_keep_the_map_valid_and_undo_all(tmp_path_factory, sequence):
    path = tmp_path_factory.mktemp("map") / "p.wbp"
    with Workbench.create(path) as wb:
        empty = dump(wb)
        codes = [wb.codes.create(n).id for n in ("k1", "k2", "k3")]
        for op in sequence:
            try:
                _apply(wb, codes, op)
            except UserError:
                pass
            _check_valid(wb)
        full = dump(wb)
        while wb.undo() is not None:
            pass
        assert dump(wb) == empty
        while wb.redo() is not None:
            pass
        assert dump(wb) == full
