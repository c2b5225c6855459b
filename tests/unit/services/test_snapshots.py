"""Snapshots of the theme map and the one diff formatter (CLI, theme map, audit trail)."""

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
)
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.snapshots import describe_diff

from tests.unit.services.support import refused

LONG = "x" * 70

DIFF = SnapshotDiff(
    added=(Added("theme", "T3", "Ny retning", ("Tid",)), Added("code", "c9", "kveld")),
    removed=(Removed("theme", "T4", "Gammelt"), Removed("code", "c8", "borte", ("Tid",))),
    renamed=(Renamed("theme", "T1", "Tid", "Tiden"), Renamed("code", "c1", "håp", "håpet")),
    moved=(
        Moved("theme", "S1", "Kveldene", ("Tid",), ()),
        Moved("code", "c2", "ro", (), ("Tid", "Håp")),
    ),
    merged=(Merged("theme", "T2", "Håp", "T1", "Tiden"), Merged("code", "c3", "kveld", "c1", "håpet")),
    changed=(
        Changed("theme", "T1", "Tiden", "status", "candidate", "final"),
        Changed("theme", "T1", "Tiden", "definition", "", LONG),
        Changed("code", "c1", "håpet", "origin", "deductive", "inductive"),
        Changed("code", "c2", "ro", "parent_code", "håpet", ""),
    ),
)

THEME_LINES = [
    "Nytt tema: «Ny retning» under «Tid»",
    "Fjernet tema: «Gammelt»",
    "Tema omdøpt: «Tid» → «Tiden»",
    "Tema flyttet: «Kveldene» fra «Tid» til hovedtema",
    "Tema slått sammen: «Håp» inn i «Tiden»",
    "Status for «Tiden»: kandidat → endelig",
    f"Definisjonen av «Tiden» er endret: – → {LONG[:57]}…",
]


def test_every_change_is_one_line_themes_first():
    assert describe_diff(DIFF) == [
        *THEME_LINES,
        "Ny kode: «kveld»",
        "Fjernet kode: «borte»",
        "Kode omdøpt: «håp» → «håpet»",
        "Kode flyttet: «ro» fra (uten tema) til «Tid», «Håp»",
        "Kode slått sammen: «kveld» inn i «håpet»",
        "Opphav for koden «håpet»: deduktiv → induktiv",
        "Overordnet kode for «ro»: håpet → –",
    ]


def test_the_audit_trail_counts_code_changes():
    assert describe_diff(DIFF, count_codes=True) == [
        *THEME_LINES,
        "Koder: 1 nye, 1 fjernet, 1 omdøpt, 1 flyttet til andre tema, 1 slått sammen, 2 endret",
    ]
    only_themes = SnapshotDiff(renamed=(Renamed("theme", "T1", "Tid", "Tiden"),))
    assert describe_diff(only_themes, count_codes=True) == ["Tema omdøpt: «Tid» → «Tiden»"]


@pytest.mark.parametrize("count_codes", [False, True])
def test_no_changes_no_lines(count_codes):
    assert describe_diff(SnapshotDiff(), count_codes=count_codes) == []


def test_in_english():
    lines = describe_diff(DIFF, lang="en")
    assert lines[0] == "New theme: “Ny retning” under “Tid”"
    assert "Theme moved: “Kveldene” from “Tid” to main theme" in lines
    assert "Status of “Tiden”: candidate → final" in lines
    assert "Code moved: “ro” from (no theme) to “Tid”, “Håp”" in lines
    assert "Origin of the code “håpet”: deductive → inductive" in lines
    assert describe_diff(DIFF, lang="en", count_codes=True)[-1] == (
        "Codes: 1 new, 1 removed, 1 renamed, 1 moved to other themes, 1 merged, 2 changed"
    )


def test_create_list_data_and_diff(wb: Workbench):
    theme = wb.themes.create("Tid")
    first = wb.snapshots.create("  Til veileder  ")
    assert first.name == "Til veileder" and first.author == "tester"
    assert wb.snapshots.data("Til veileder") == wb.snapshots.data(first.id) == wb.snapshots.data()
    wb.themes.rename(theme.id, "Tiden")
    wb.snapshots.create("Etter møtet")
    assert [s.name for s in wb.snapshots.list()] == ["Til veileder", "Etter møtet"]
    assert wb.snapshots.diff("Til veileder").renamed == (Renamed("theme", theme.guid, "Tid", "Tiden"),)
    assert wb.snapshots.diff("Til veileder", "Etter møtet") == wb.snapshots.diff(first.id)
    assert wb.snapshots.diff("Etter møtet").is_empty


@pytest.mark.parametrize(
    ("name", "key"),
    [("  ", "snapshot.error.empty_name"), ("Til veileder", "snapshot.error.duplicate")],
)
def test_bad_names_are_refused_and_change_nothing(wb: Workbench, name: str, key: str):
    wb.snapshots.create("Til veileder")
    refused(wb, lambda: wb.snapshots.create(name), key)


def test_an_unknown_snapshot_names_the_ones_there_are(wb: Workbench):
    wb.snapshots.create("v1")
    wb.snapshots.create("v2")
    with pytest.raises(UserError) as info:
        wb.snapshots.diff("v3")
    assert info.value.key == "review.error.no_snapshot"
    assert "v1, v2" in info.value.message()
