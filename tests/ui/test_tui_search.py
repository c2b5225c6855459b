"""Search and analysis tables in the terminal UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.search import SearchScreen
from workbench.tui.screens.tables import TablesScreen
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

TEXT = (
    "Moderator: Hva betyr det for brukerne?\n"
    "Kari: Brukeren får bestemme mer. Vi har for lite tid.\n"
    "Per: Brukere merker det, men tiden strekker ikke til.\n"
)


@pytest.fixture
def project(tmp_path: Path):
    file = tmp_path / "fg1.txt"
    file.write_text(TEXT, encoding="utf-8")
    with Workbench.create(tmp_path / "s.wbp") as wb:
        wb.imports.import_file(file, group="Ledere")
        yield wb


async def settle(pilot, check, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.03)
        if check():
            return
    raise AssertionError("condition never became true")


async def test_search_shows_kwic_and_codes_all_hits(project: Workbench):
    app = WorkbenchApp(project)
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#query", Input).value = "bruker"
        await pilot.press("enter")
        table = screen.query_one("#hits", DataTable)
        await settle(pilot, lambda: table.row_count == 3)
        assert [table.get_row_at(i)[3] for i in range(3)] == ["brukerne", "Brukeren", "Brukere"]
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # the sentence
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = "Brukerperspektiv"
        await pilot.press("enter")
        await settle(pilot, lambda: len(project.codes.codings()) == 3)
    text = project.transcripts.get("fg1").text
    spans = sorted(text[c.start:c.end] for c in project.codes.codings())
    assert spans == ["Brukere merker det, men tiden strekker ikke til.",
                     "Brukeren får bestemme mer.", "Hva betyr det for brukerne?"]


async def test_search_without_hits_says_so(project: Workbench):
    app = WorkbenchApp(project)
    async with app.run_test() as pilot:
        app.push_screen(SearchScreen("sjiraff"))
        await pilot.pause()
        screen = app.screen
        await settle(pilot, lambda: "Ingen treff" in str(screen.query_one("#summary").render()))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_tables_screen_switches_and_exports_csv(project: Workbench, tmp_path: Path):
    project.search.autocode("bruker", code_name="Bruker", unit="turn")
    app = WorkbenchApp(project)
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TablesScreen)
        table = screen.query_one("#table", DataTable)
        await settle(pilot, lambda: screen.current is not None and table.row_count == 1)
        assert table.get_row_at(0)[:2] == ["Bruker", "3"]
        await pilot.press("5")
        await settle(pilot, lambda: screen.current is not None and screen.current.kind == "words")
        target = tmp_path / "ord.csv"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, target.exists)
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == "Gruppe,Plass,Ord,Antall"
