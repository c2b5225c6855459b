"""Review mode in the coding and search screens: a supervisor reads, never changes."""

from __future__ import annotations

from textual.widgets import Static

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding.screen import CodingScreen, open_coding_screen
from workbench.tui.screens.search import SearchScreen


async def test_coding_keys_do_nothing_in_review_mode(wb_with_transcript):
    wb, tr = wb_with_transcript
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = open_coding_screen(app, tr.id)
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.loaded:
                break
        assert isinstance(app.screen, CodingScreen)
        banner = screen.query_one("#coding-readonly", Static)
        assert banner.display and "Veiledermodus" in str(banner.render())
        await pilot.press("n", "t", "c", "i", "r")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # no code picker opened
        app.push_screen(SearchScreen())
        await pilot.pause()
        assert app.screen.check_action("autocode", ()) is False
    assert wb.codes.codings() == [] and wb.codes.list() == []
