"""The theme map at the service layer: create, move, merge, split and delete themes, and
the codes under them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.themes import walk

from tests.unit.services.support import refused, shape, undo_restores
from tests.unit.storage.test_changelog import dump


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


# -- moving an extract to another theme ------------------------------------------


def test_recode_move_to_theme_and_quote(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    b = wb.themes.create("B", code_ids=[c["tid til relasjon"]])
    extract = wb.metrics.extracts(a.id).all[0]
    undo_restores(wb, lambda: wb.codes.set_quote(extract.coding_id, True))
    assert wb.metrics.extracts(a.id).all[0].is_quote
    assert wb.metrics.stats()[a.id].quotes == 1
    undo_restores(wb, lambda: wb.themes.move_extract(extract.coding_id, b.id))
    assert [x.coding_id for x in wb.metrics.extracts(b.id).all if x.coding_id == extract.coding_id]
    empty = wb.themes.create("Tom")
    refused(wb, lambda: wb.themes.move_extract(extract.coding_id, empty.id), "themes.error.no_code_in_theme")
    refused(
        wb, lambda: wb.themes.move_extract(extract.coding_id, b.id, code_id=c["latter"]),
        "themes.error.code_not_in_theme",
    )


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


def test_map_operations_keep_the_map_valid_and_undo_all(backend, same_backend):
    new_target, _url_of = same_backend
    # PostgreSQL: each example is a new schema and every statement a round trip, so fewer
    # examples there (the same properties, a smaller sample) keep the suite's time.
    examples = 25 if backend == "sqlite" else 8

    @settings(max_examples=examples, deadline=None)
    @given(map_ops)
    def check(sequence):
        with Workbench.create(new_target()) as wb:
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

    check()
