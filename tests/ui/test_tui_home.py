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


async def test_every_change_reaches_every_screen_as_one_message(wb):
    """Undo, redo and a command from a screen each post one DataChanged to every screen on
    the stack, and the home screen shows the change."""
    from workbench.tui.messages import DataChanged

    wb.codes.create("håp")
    seen: list[DataChanged] = []

    def hook(message: object) -> None:
        if isinstance(message, DataChanged):
            seen.append(message)

    app = WorkbenchApp(wb)
    async with app.run_test(message_hook=hook) as pilot:
        await pilot.pause()
        screens = len(app.screen_stack)
        counts = app.screen.query_one("#counts", Static)
        assert "Koder: 1" in str(counts.render())
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [(m.source, m.command, m.actor) for m in seen] == [("undo", "code.create",
                                                                  "tester")] * screens
        assert "Koder: 0" in str(counts.render())
        seen.clear()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert [m.source for m in seen] == ["redo"] * screens
        assert "Koder: 1" in str(counts.render())
        seen.clear()
        await pilot.press("f6")  # a command made from the app: the next phase
        await pilot.pause()
        assert [(m.source, m.actor) for m in seen] == [("command", "tester")] * screens
        assert "Fase 2" in str(app.screen.query_one("#phase", Static).render())


async def test_a_screen_under_another_reads_the_changes_when_shown_again(wb):
    wb.codes.create("håp")
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("ctrl+t")  # the theme map over the home screen
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        counts = home.query_one("#counts", Static)
        assert "Koder: 1" in str(counts.render())  # covered: not re-read yet
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home and "Koder: 0" in str(counts.render())


async def test_old_binding_ids_in_the_config_file_still_work(wb, tmp_path, monkeypatch):
    """The dialogs share modal.save / modal.cancel / modal.close now; a config file that
    remaps an old id (here the journal's save) keeps working, and F1 shows the new id."""
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"journal.save" = "ctrl+b"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.keymap == {"modal.save": "ctrl+b"}
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press(*"Notat", "ctrl+b")
        await pilot.pause()
        assert [e.text for e in wb.journal.list()] == ["Notat"]
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for row in app.screen.rows}
        assert rows["modal.save"] == "ctrl+b" and rows["modal.close"] == "escape"
