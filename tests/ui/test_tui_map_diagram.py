"""The theme map as a box-drawing diagram on the theme-map screen (key g), driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Tree

from workbench.domain.codebook import PALETTE
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.themes import ThemeMapScreen
from workbench.tui.widgets.help import HelpScreen
from workbench.tui.widgets.map_diagram import MapDiagram

from tests.ui.helpers import idle_nlp, recorded_notifications, settle
from tests.unit.storage.test_changelog import dump


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


MAINS = ["Ildsjeler bærer satsingen", "Tid og rom", "Ledelse på tvers", "Ungdommenes stemme",
         "Foreldre som ressurs", "Kompetanse i laget", "Økonomi og rammer", "Å bli sett"]


@pytest.fixture
def big_map(wb: Workbench) -> Workbench:
    """Eight main themes with six sub-themes each, one code under each sub-theme, a
    discarded theme and a misc bin."""
    for i, main in enumerate(MAINS):
        parent = wb.themes.create(main).id
        for j in range(6):
            code = wb.codes.create(f"kode {i}.{j}", colour=PALETTE[(i + j) % len(PALETTE)]).id
            wb.themes.create(f"Undertema {i + 1}.{j + 1} om hverdagen", parent_id=parent,
                             code_ids=[code])
    gone = wb.themes.create("Forkastet idé").id
    wb.themes.discard(gone, True)
    misc = wb.themes.create("Diverse").id
    wb.themes.set_misc(misc, True)
    return wb


def diagram_text(screen: ThemeMapScreen) -> tuple[MapDiagram, list[str]]:
    widget = screen.query_one("#diagram", MapDiagram)
    return widget, widget.lines()


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_g_shows_the_map_as_a_diagram_and_back(big_map: Workbench, size) -> None:
    wb = big_map
    app = WorkbenchApp(wb)
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemeMapScreen)
        widget = screen.query_one("#diagram", MapDiagram)
        assert not widget.display
        footer_keys = {b.binding.action for b in screen.active_bindings.values()}
        assert "diagram" in footer_keys and "diagram_codes" not in footer_keys
        await pilot.press("g")
        await settle(pilot)
        assert widget.display and widget.has_focus
        assert not screen.query_one("#map-body").display
        widget, lines = diagram_text(screen)
        width = widget.scrollable_content_region.width
        assert width >= size[0] - 4  # the diagram takes the whole screen's width
        assert max(len(line) for line in lines) <= width
        text = "\n".join(lines)
        words = text.replace("│", " ").replace("┃", " ").split()
        for i, main in enumerate(MAINS):
            assert all(w in words for w in main.split()), main
            for j in range(6):
                assert f"{i + 1}.{j + 1}" in words
        assert text.count("┏") == 8 and text.count("╭") == 48
        assert "Forkastet" not in words and "kode" not in words
        note = str(screen.query_one("#diagram-note").render())
        assert "«Forkastet idé»" in note and "«Diverse»" in note
        across = lines[0].count("┏")
        assert across == (2 if size[0] == 80 else 4)
        # The diagram is taller than the screen at 80×24: it scrolls.
        if size == (80, 24):
            assert widget.max_scroll_y > 0
            await pilot.press("pagedown")
            await pilot.pause()
            assert widget.scroll_y > 0
        # K: the codes too; the footer now offers it and «Liste», not «Diagram».
        footer_keys = {b.binding.action for b in screen.active_bindings.values()}
        assert {"list", "diagram_codes"} <= footer_keys and "diagram" not in footer_keys
        assert "new_theme" not in footer_keys
        await pilot.press("K")
        await settle(pilot)
        _, lines = diagram_text(screen)
        assert "• kode 7.5" in "\n".join(lines)
        assert max(len(line) for line in lines) <= width
        # g again: back to the list, the tree has the focus.
        await pilot.press("g")
        await settle(pilot)
        assert not widget.display
        assert screen.query_one("#theme-tree", Tree).has_focus


async def test_the_diagram_refuses_changes_with_a_hint_and_stays_current(big_map) -> None:
    wb = big_map
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorded_notifications(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        await pilot.press("g")
        await settle(pilot)
        before = dump(wb)
        await pilot.press("n", "x", "delete")
        await settle(pilot)
        assert dump(wb) == before
        assert app.screen is screen  # no prompt opened
        assert sum("Trykk g" in m for m in seen) == 3
        # A change made while the diagram shows (here: through the services, then the
        # app's refresh path) is drawn at once; so is its undo.
        first = wb.themes.tree()[0]
        app.run_command(lambda: wb.themes.rename(first.id, "Ildsjelene bærer alt"),
                        origin=None)
        await settle(pilot)
        _, lines = diagram_text(screen)
        assert "Ildsjelene bærer alt" in "\n".join(lines)
        await pilot.press("ctrl+z")
        await settle(pilot)
        _, lines = diagram_text(screen)
        assert "Ildsjelene" not in "\n".join(lines)
        assert "Ildsjeler bærer satsingen" in "\n".join(lines)
        # Escape goes back to the list first, then off the screen.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.diagram_mode
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ThemeMapScreen)


async def test_f1_lists_the_diagram_keys(wb: Workbench) -> None:
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"themes.diagram", "themes.list", "themes.diagram_codes"} <= ids


async def test_an_empty_map_says_how_to_start(wb: Workbench) -> None:
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert "Ingen tema ennå" in str(app.screen.query_one("#diagram-text").render())


async def test_in_review_mode_the_diagram_says_why_a_change_is_refused(big_map) -> None:
    wb = big_map
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorded_notifications(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        footer = {b.binding.action for b in screen.active_bindings.values()}
        assert "diagram" in footer and "new_theme" not in footer
        await pilot.press("g")
        await settle(pilot)
        assert screen.diagram_mode
        await pilot.press("n")  # a supervisor cannot change the map at all: that is the reason
        await settle(pilot)
        assert any("Veiledermodus" in m for m in seen)
        assert not any("Trykk g" in m for m in seen)
        await pilot.press("c")  # allowed in the list, not in the diagram: go back to the list
        await settle(pilot)
        assert any("Trykk g" in m for m in seen)
        await pilot.press("K")
        await settle(pilot)
        assert "• kode 0.0" in "\n".join(screen.query_one("#diagram", MapDiagram).lines())
        seen.clear()
        await pilot.press("g")  # back to the list, without a refusal
        await settle(pilot)
        assert not screen.diagram_mode and seen == []
        await pilot.press("K")  # the diagram's key does nothing in the list, and says nothing
        await settle(pilot)
        assert not screen.diagram_mode and seen == []
