"""Search and analysis tables in the terminal UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, SelectionList, Static

from workbench.services import Workbench
from workbench.services.search import SearchFilter
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.search import AutocodeReviewScreen, SearchScreen
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
        await settle(pilot, lambda: table.row_count == 2)
        assert [table.get_row_at(i)[3].plain for i in range(2)] == ["Brukeren", "Brukere"]
        left_out = screen.query_one("#left-out", Static)
        assert "Utelatt: moderator, ko-moderator (1 treff)" in str(left_out.render())
        await pilot.press("ctrl+r")  # the filter bar's switch: every role
        await settle(pilot, lambda: table.row_count == 3)
        assert [table.get_row_at(i)[3].plain for i in range(3)] == ["brukerne", "Brukeren", "Brukere"]
        assert "Alle roller er med" in str(left_out.render())
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # the sentence
        review = app.screen
        assert isinstance(review, AutocodeReviewScreen)
        await settle(pilot, lambda: len(review.previews) == 3)
        rows = review.query_one("#review", DataTable)
        assert rows.row_count == 6  # a heading per transcript and speaker, one row per hit
        assert "fg1 · Moderator" in rows.get_row_at(0)[2].plain
        assert rows.get_row_at(1)[2].plain == "Hva betyr det for brukerne?"
        assert project.codes.codings() == []  # nothing is coded before Enter
        await pilot.press("space")  # reject the moderator's question
        assert review.accepted == [False, True, True]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = "Brukerperspektiv"
        await pilot.press("enter")
        await settle(pilot, lambda: len(project.codes.codings()) == 2)
        await settle(pilot, lambda: app.screen is screen)
    text = project.transcripts.get("fg1").text
    spans = sorted(text[c.start:c.end] for c in project.codes.codings())
    assert spans == ["Brukere merker det, men tiden strekker ikke til.",
                     "Brukeren får bestemme mer."]
    project.undo()  # one command
    assert project.codes.codings() == []


async def test_forms_can_be_switched_off_and_a_whole_form_rejected(project: Workbench):
    app = WorkbenchApp(project)
    async with app.run_test(size=(150, 40)) as pilot:
        app.push_screen(SearchScreen("bruker"))
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#hits", DataTable)
        forms = screen.query_one("#forms", SelectionList)
        await settle(pilot, lambda: table.row_count == 2 and forms.option_count == 2)
        assert {forms.get_option_at_index(i).value for i in range(2)} == {"brukeren", "brukere"}
        forms.deselect("brukeren")
        await settle(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[3].plain == "Brukere"
        assert screen.last_filter.exclude_forms == frozenset({"brukeren"})
        forms.select("brukeren")
        await settle(pilot, lambda: table.row_count == 2)
        table.focus()
        await pilot.press("ctrl+a")
        await pilot.pause()
        await pilot.press("enter")  # the hit itself
        review = app.screen
        assert isinstance(review, AutocodeReviewScreen)
        await settle(pilot, lambda: len(review.previews) == 2)
        await pilot.press("f")  # reject every hit of the form under the cursor
        assert review.accepted.count(False) == 1
        await pilot.press("f")
        assert review.accepted == [True, True]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and project.codes.codings() == []


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
    project.search.autocode("bruker", code_name="Bruker", unit="turn",
                            filters=SearchFilter(all_roles=True))
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
