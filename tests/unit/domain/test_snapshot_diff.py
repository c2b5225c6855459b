"""diff_snapshots: a pure function over snapshot data, and the service around it."""

from __future__ import annotations

import pytest

from workbench.domain.snapshot_diff import (
    Added,
    Changed,
    Merged,
    Moved,
    Removed,
    Renamed,
    SnapshotDiff,
    diff_snapshots,
)
from workbench.i18n import UserError
from workbench.services import Workbench

from tests.themes_fixtures import build_study


def theme(guid: str, name: str, parent: str | None = None, **kw) -> dict:
    return {"guid": guid, "name": name, "parent": parent, "status": kw.get("status", "candidate"),
            "definition": kw.get("definition", ""), "position": 0}


def code(guid: str, name: str, parent: str | None = None, origin: str = "inductive") -> dict:
    return {"guid": guid, "name": name, "parent": parent, "origin": origin}


def snap(themes=(), codes=(), links=(), codings=None) -> dict:
    data = {
        "themes": list(themes), "codes": list(codes),
        "links": [{"code": c, "theme": t} for c, t in links],
    }
    if codings is not None:
        data["codings"] = [{"guid": g, "code": c} for g, c in codings]
    return data


BASE = snap(
    themes=[theme("T1", "Tid"), theme("T2", "Håp"), theme("S1", "Kveldene", "T1")],
    codes=[code("c1", "tid til relasjon"), code("c2", "håp"), code("c3", "kveld")],
    links=[("c1", "T1"), ("c2", "T2"), ("c3", "S1")],
    codings=[("k1", "c1"), ("k2", "c2"), ("k3", "c3"), ("k4", "c3")],
)


def test_the_same_map_has_no_changes():
    diff = diff_snapshots(BASE, BASE)
    assert diff.is_empty and diff == SnapshotDiff()
    assert diff_snapshots(None, None).is_empty
    assert diff_snapshots({}, snap()).is_empty


def test_added_and_removed_themes_and_codes():
    new = snap(
        themes=[theme("T1", "Tid"), theme("S1", "Kveldene", "T1"), theme("T3", "Makt")],
        codes=[code("c1", "tid til relasjon"), code("c3", "kveld"), code("c9", "rapporten er makt")],
        links=[("c1", "T1"), ("c3", "S1"), ("c9", "T3")],
    )
    diff = diff_snapshots(BASE, new)
    assert diff.added == (
        Added("theme", "T3", "Makt"), Added("code", "c9", "rapporten er makt", ("Makt",)),
    )
    assert diff.removed == (Removed("theme", "T2", "Håp"), Removed("code", "c2", "håp", ("Håp",)))
    assert not diff.merged and not diff.moved


def test_from_nothing_everything_is_added():
    diff = diff_snapshots(None, BASE)
    assert [(x.entity, x.name) for x in diff.added] == [
        ("theme", "Håp"), ("theme", "Kveldene"), ("theme", "Tid"),
        ("code", "håp"), ("code", "kveld"), ("code", "tid til relasjon"),
    ]
    assert diff.added[1].parents == ("Tid",)


def test_renamed_is_matched_by_guid_not_name():
    new = snap(
        themes=[theme("T1", "Tiden som  ramme"), theme("T2", "Håp"), theme("S1", "Kveldene", "T1")],
        codes=[code("c1", "tid til relasjon"), code("c2", "håpet"), code("c3", "kveld")],
        links=[("c1", "T1"), ("c2", "T2"), ("c3", "S1")],
    )
    diff = diff_snapshots(BASE, new)
    assert diff.renamed == (
        Renamed("theme", "T1", "Tid", "Tiden som ramme"), Renamed("code", "c2", "håp", "håpet"),
    )
    assert not diff.added and not diff.removed


def test_whitespace_only_name_change_is_not_a_rename():
    new = snap(themes=[theme("T1", " Tid "), theme("T2", "Håp"), theme("S1", "Kveldene", "T1")],
               codes=BASE["codes"], links=[("c1", "T1"), ("c2", "T2"), ("c3", "S1")])
    assert diff_snapshots(BASE, new).is_empty


def test_moved_theme_and_moved_code():
    new = snap(
        themes=[theme("T1", "Tid"), theme("T2", "Håp"), theme("S1", "Kveldene", "T2")],
        codes=BASE["codes"],
        links=[("c1", "T2"), ("c2", "T2"), ("c3", "S1"), ("c3", "T1")],
    )
    diff = diff_snapshots(BASE, new)
    assert diff.moved == (
        Moved("theme", "S1", "Kveldene", ("Tid",), ("Håp",)),
        Moved("code", "c3", "kveld", ("Kveldene",), ("Kveldene", "Tid")),
        Moved("code", "c1", "tid til relasjon", ("Tid",), ("Håp",)),
    )


def test_promoted_subtheme_is_moved_to_the_top():
    new = snap(themes=[theme("T1", "Tid"), theme("T2", "Håp"), theme("S1", "Kveldene")],
               codes=BASE["codes"], links=[("c1", "T1"), ("c2", "T2"), ("c3", "S1")],
               codings=BASE["codings"])
    assert diff_snapshots(BASE, new).moved == (Moved("theme", "S1", "Kveldene", ("Tid",), ()),)


def test_code_taken_out_of_every_theme_is_moved_to_none():
    new = {**BASE, "links": [{"code": "c1", "theme": "T1"}, {"code": "c3", "theme": "S1"}]}
    assert diff_snapshots(BASE, new).moved == (Moved("code", "c2", "håp", ("Håp",), ()),)


def test_merged_theme_and_the_moves_it_explains_are_not_repeated():
    # T1 (with sub-theme S1) merged into T2: its code and sub-theme now sit under T2
    new = snap(
        themes=[theme("T2", "Håp"), theme("S1", "Kveldene", "T2")],
        codes=BASE["codes"], links=[("c1", "T2"), ("c2", "T2"), ("c3", "S1")],
        codings=BASE["codings"],
    )
    diff = diff_snapshots(BASE, new)
    assert diff.merged == (Merged("theme", "T1", "Tid", "T2", "Håp"),)
    assert not diff.removed and not diff.moved
    assert diff.for_guid("T2") == [Merged("theme", "T1", "Tid", "T2", "Håp")]


def test_merge_of_a_theme_without_codes_is_seen_through_its_subthemes():
    old = snap(themes=[theme("A", "A"), theme("B", "B"), theme("A1", "A1", "A"), theme("A2", "A2", "A")])
    new = snap(themes=[theme("B", "B"), theme("A1", "A1", "B"), theme("A2", "A2", "B")])
    diff = diff_snapshots(old, new)
    assert diff.merged == (Merged("theme", "A", "A", "B", "B"),)
    assert not diff.moved


def test_a_deleted_theme_is_removed_not_merged():
    # codes left with no theme, or spread over two themes, or under a brand-new theme
    old = snap(themes=[theme("A", "A"), theme("B", "B"), theme("C", "C")],
               codes=[code("x", "x"), code("y", "y")], links=[("x", "A"), ("y", "A")])
    gone = snap(themes=[theme("B", "B"), theme("C", "C")], codes=old["codes"])
    spread = {**gone, "links": [{"code": "x", "theme": "B"}, {"code": "y", "theme": "C"}]}
    new_home = snap(themes=[theme("B", "B"), theme("C", "C"), theme("N", "Ny")],
                    codes=old["codes"], links=[("x", "N"), ("y", "N")])
    for new in (gone, spread, new_home):
        diff = diff_snapshots(old, new)
        assert diff.removed[0] == Removed("theme", "A", "A") and not diff.merged


def test_merge_target_is_the_theme_that_gained_the_codes():
    # code x sat under A and B; A merged into C: x now under B and C, only C gained it
    old = snap(themes=[theme("A", "A"), theme("B", "B"), theme("C", "C")],
               codes=[code("x", "x")], links=[("x", "A"), ("x", "B")])
    new = snap(themes=[theme("B", "B"), theme("C", "C")], codes=[code("x", "x")],
               links=[("x", "B"), ("x", "C")])
    diff = diff_snapshots(old, new)
    assert diff.merged == (Merged("theme", "A", "A", "C", "C"),)
    assert not diff.moved


def test_merged_code_is_found_through_its_codings():
    new = snap(
        themes=BASE["themes"], codes=[code("c1", "tid til relasjon"), code("c2", "håp")],
        links=[("c1", "T1"), ("c2", "T2"), ("c1", "S1")],
        codings=[("k1", "c1"), ("k2", "c2"), ("k3", "c1"), ("k4", "c1")],
    )
    diff = diff_snapshots(BASE, new)
    assert diff.merged == (Merged("code", "c3", "kveld", "c1", "tid til relasjon"),)
    assert not diff.removed
    assert diff.moved == (Moved("code", "c1", "tid til relasjon", ("Tid",), ("Kveldene", "Tid")),)


def test_old_snapshots_without_codings_fall_back_to_subcodes():
    old = snap(codes=[code("p", "Forelder"), code("q", "Annen"), code("k", "Barn", "p")])
    new = snap(codes=[code("q", "Annen"), code("k", "Barn", "q")])
    diff = diff_snapshots(old, new)
    assert diff.merged == (Merged("code", "p", "Forelder", "q", "Annen"),)
    assert not diff.changed  # the sub-code's new parent is explained by the merge
    lone = snap(codes=[code("p", "Forelder"), code("q", "Annen")])
    assert diff_snapshots(lone, snap(codes=[code("q", "Annen")])).removed == (
        Removed("code", "p", "Forelder"),
    )


def test_status_definition_origin_and_parent_code_changes():
    old = snap(themes=[theme("T", "Tid", definition="Om tid")],
               codes=[code("a", "A"), code("b", "B"), code("k", "K", "a", "deductive")])
    new = snap(themes=[theme("T", "Tid", status="defined", definition="Om tid og rom")],
               codes=[code("a", "A"), code("b", "B"), code("k", "K", "b", "inductive")])
    diff = diff_snapshots(old, new)
    assert diff.changed == (
        Changed("theme", "T", "Tid", "definition", "Om tid", "Om tid og rom"),
        Changed("theme", "T", "Tid", "status", "candidate", "defined"),
        Changed("code", "k", "K", "origin", "deductive", "inductive"),
        Changed("code", "k", "K", "parent_code", "A", "B"),
    )


def test_results_are_in_norwegian_order_and_serialisable():
    old = snap()
    new = snap(themes=[theme("1", "Ålesund"), theme("2", "Zebra"), theme("3", "Ærlighet"), theme("4", "ananas")])
    diff = diff_snapshots(old, new)
    assert [x.name for x in diff.added] == ["ananas", "Zebra", "Ærlighet", "Ålesund"]
    data = diff.to_dict()
    assert data["added"][0] == {"entity": "theme", "guid": "4", "name": "ananas", "parents": ()}
    assert diff.of("code").is_empty and len(diff.of("theme").added) == 4


# -- through the service ----------------------------------------------------------------


def test_service_diffs_a_snapshot_against_the_current_map(wb: Workbench):
    study = build_study(wb)
    c = study.codes
    a = wb.themes.create("Tid", code_ids=[c["tid til relasjon"]])
    b = wb.themes.create("Håp", code_ids=[c["håp"]])
    sub = wb.themes.create("Kveldene", parent_id=a.id, code_ids=[c["personavhengig"]])
    wb.snapshots.create("Til veileder 1")
    latter = next(x for x in wb.codes.list() if x.name == "latter")
    kept = next(x for x in wb.codes.list() if x.name == "personavhengig")
    wb.themes.merge(a.id, b.id)
    wb.themes.rename(b.id, "Håp og tid")
    wb.themes.promote(sub.id)
    wb.codes.merge(c["latter"], c["personavhengig"])
    wb.snapshots.create("Til veileder 2")
    diff = wb.snapshots.diff("Til veileder 1")
    assert diff.merged == (
        Merged("theme", a.guid, "Tid", b.guid, "Håp og tid"),
        Merged("code", latter.guid, "latter", kept.guid, "personavhengig"),
    )
    assert diff.renamed == (Renamed("theme", b.guid, "Håp", "Håp og tid"),)
    assert diff.moved == (Moved("theme", sub.guid, "Kveldene", ("Tid",), ()),)
    assert wb.snapshots.diff("Til veileder 1", "Til veileder 2") == diff
    assert wb.snapshots.diff("Til veileder 2").is_empty
    with pytest.raises(UserError) as info:
        wb.snapshots.diff("finnes ikke")
    assert info.value.key == "review.error.no_snapshot"
