"""The terminal UI's home screen, driven with Textual's Pilot."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.home import HomeScreen
from workbench.tui.widgets.help import HelpScreen


async def test_home_lists_transcripts_and_phase(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#transcripts", DataTable)
        assert table.row_count == 1
        assert table.get_row_at(0)[:2] == ["fg1", "Ledere"]
        assert "Fase 1" in str(screen.query_one("#phase", Static).render())
        assert app.title == "Teststudie"


async def test_empty_project_says_what_to_do(wb):
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.pause()
        empty = app.screen.query_one("#empty", Static)
        assert empty.display and "workbench import" in str(empty.render())


async def test_help_is_one_key_away_and_ctrl_q_quits(wb):
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[2] for row in app.screen.rows}
        assert {"app.quit", "app.help", "app.undo", "app.redo"} <= ids
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_undo_key_undoes_the_last_change(wb):
    wb.codes.create("håp")
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause()
    assert wb.codes.list() == []


async def test_keys_can_be_remapped_in_the_config_file(wb, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"app.undo" = "ctrl+u"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    wb.codes.create("håp")
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(wb.codes.list()) == 1
        await pilot.press("ctrl+u")
        await pilot.pause()
    assert wb.codes.list() == []
