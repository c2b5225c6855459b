"""SVG snapshots of the theme map and the review screen (pytest-textual-snapshot).

Update after an intended change of the screens with ``pytest --snapshot-update``.

The theme map and the review screen read their data in thread workers: each snapshot is
taken once they have shown it.
"""

from __future__ import annotations

import pytest

from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.themes.map import NodeRef

from tests.themes_fixtures import build_study
from tests.ui.helpers import idle_nlp, settle

SIZE = (150, 40)


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


@pytest.fixture
def mapped(wb: Workbench):
    """A small theme map in progress: sub-themes, a definition, a quote, a misc bin, a
    comment, and codes left over."""
    s = build_study(wb)
    c = s.codes
    top = wb.themes.create(
        "Brukeren bestemmer – men innenfor rammer", code_ids=[c["brukeren bestemmer"]],
        definition="Medvirkning oppleves som ekte i det små, men rammene settes av andre.",
    )
    wb.themes.create("Tid som forutsetning", parent_id=top.id, code_ids=[c["tid til relasjon"]])
    wb.themes.update(top.id, status="reviewed")
    hope = wb.themes.create("Å bære håpet", code_ids=[c["håp"]])
    wb.themes.to_misc(c["latter"])
    quote = next(x for x in wb.codes.codings() if x.code_id == c["håp"])
    wb.codes.set_quote(quote.id, True)
    wb.review.comment("theme", hope.id, "Er dette ett tema eller to?")
    s.top, s.hope = top.id, hope.id
    return s


async def open_map(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+t")
    await settle(pilot)


def test_theme_map_snapshot(snap_compare, mapped):
    app = WorkbenchApp(mapped.wb)
    assert snap_compare(app, run_before=open_map, terminal_size=SIZE)


def test_review_screen_snapshot(snap_compare, mapped):
    app = WorkbenchApp(mapped.wb)

    async def open_review(pilot) -> None:
        await open_map(pilot)
        screen = app.screen
        from textual.widgets import Tree

        tree = screen.query_one("#theme-tree", Tree)
        tree.move_cursor(screen._find_node(tree, NodeRef("theme", mapped.top)))
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(app, run_before=open_review, terminal_size=SIZE)


def test_review_mode_map_snapshot(snap_compare, mapped):
    app = WorkbenchApp(mapped.wb, review=True)
    assert snap_compare(app, run_before=open_map, terminal_size=SIZE)
