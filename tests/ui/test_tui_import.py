"""Importing in the terminal UI: review detected speakers, then commit."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.importing import ChooseFileModal, ImportScreen
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

TEXT = (
    "Moderator: Velkommen. Presenter dere gjerne.\n"
    "Kari: Jeg heter Kari og er sykepleier (latter).\n"
    "Kari Ø.: Og leder i seks år.\n"
    "Per: Per, vernepleier. Brukerne først.\n"
)


async def wait_for_plan(pilot, screen: ImportScreen) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if screen.plan is not None and screen.query_one(DataTable).row_count:
            return
    raise AssertionError("the import plan never appeared")


async def test_import_review_speakers_and_commit(wb, tmp_path: Path):
    file = tmp_path / "fg1.txt"
    file.write_text(TEXT, encoding="utf-8")
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 45)) as pilot:
        app.action_import_file(str(file))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        await wait_for_plan(pilot, screen)
        table = screen.query_one(DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Moderator", "Kari", "Kari Ø.", "Per"
        ]
        # Kari: replace the real name by a pseudonym everywhere.
        table.move_cursor(row=1)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = "Leder 1"
        await pilot.press("enter")
        await pilot.pause()
        # "Kari Ø." is the same person as Kari.
        table.move_cursor(row=2)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # Moderator, then Kari
        await pilot.pause()
        # Per: profession and a plain rename.
        table.move_cursor(row=3)
        await pilot.press("y")
        await pilot.pause()
        app.screen.query_one(Input).value = "vernepleier"
        await pilot.press("enter")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "Leder 2"
        await pilot.press("enter")
        await pilot.pause()
        screen.query_one("#group", Input).value = "Ledere"
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, HomeScreen):
                break
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#transcripts", DataTable).row_count == 1
    (summary,) = wb.transcripts.summaries()
    assert summary.name == "fg1"
    tr = wb.transcripts.get(summary.id)
    assert [t.speaker for t in tr.turns] == ["Moderator", "Leder 1", "Leder 1", "Leder 2"]
    assert "Kari" not in tr.text and "Jeg heter Leder 1" in tr.text
    assert "Per, vernepleier" in tr.text  # a rename changes the label, not the text
    people = {p.label: p for p in wb.transcripts.participants()}
    assert people["Leder 2"].profession == "vernepleier"
    assert people["Leder 2"].group == "Ledere" and people["Moderator"].group is None


async def test_bad_file_shows_a_message_and_imports_nothing(wb, tmp_path: Path):
    file = tmp_path / "broken.docx"
    file.write_bytes(b"this is not a Word file")
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        app.action_import_file(str(file))
        for _ in range(60):
            await pilot.pause(0.05)
            if "broken.docx" in str(app.screen.query_one("#status").render()) and app.screen.plan is None and not app.screen.query_one("#progress").display:
                break
        status = str(app.screen.query_one("#status").render())
        assert status.startswith("Ikke importert")
        await pilot.press("ctrl+s")  # nothing to commit
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert wb.transcripts.summaries() == []


async def test_ctrl_o_opens_the_file_chooser(wb):
    app = WorkbenchApp(wb)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChooseFileModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
