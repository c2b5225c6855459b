"""Every screen shows the project as it is after autocoding, undo and redo."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.search import AutocodeReviewScreen, SearchScreen
from workbench.tui.screens.themes import ThemeMapScreen

from tests.themes_fixtures import build_study
from tests.ui.helpers import idle_nlp, settle


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


def free_codes(screen: ThemeMapScreen) -> list[str]:
    options = screen.query_one("#free-codes", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_theme_map_shows_a_code_made_by_autocoding_from_f3(wb: Workbench):
    build_study(wb)
    app = WorkbenchApp(wb)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        themes = app.screen
        assert isinstance(themes, ThemeMapScreen)
        assert not any("relasjonsarbeid" in line for line in free_codes(themes))
        await pilot.press("f3")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).value = "relasjonen"
        search.query_one("#query", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert search.hits
        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.press("enter")  # code the hit itself
        review = app.screen
        assert isinstance(review, AutocodeReviewScreen)
        for _ in range(100):  # the hits are read in a worker
            if review.previews:
                break
            await pilot.pause(0.05)
        await pilot.press("enter")  # code the accepted hits (all of them)
        await settle(pilot)
        await pilot.press(*"relasjonsarbeid", "enter")
        await settle(pilot)
        assert "relasjonsarbeid" in {c.name for c in wb.codes.list()}
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is themes
        assert any("relasjonsarbeid" in line for line in free_codes(themes))
        await pilot.press("ctrl+z")  # undo the autocoding: the code goes again
        await settle(pilot)
        assert not any("relasjonsarbeid" in line for line in free_codes(themes))
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert any("relasjonsarbeid" in line for line in free_codes(themes))
