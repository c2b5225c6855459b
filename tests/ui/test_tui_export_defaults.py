"""Export defaults in the terminal: the attribution pattern in the interface's language, and
the CSV of a table written to exports/ beside the project file, saying where."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from workbench.formats.word.kinds import default_attribution
from workbench.i18n import set_language
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.tables import TablesScreen
from workbench.tui.widgets.modals import PromptModal

from tests.ui.helpers import idle_nlp, recorded_notifications

TEXT = (
    "Moderator: Hva betyr det for brukerne?\n"
    "Kari: Brukeren får bestemme mer. Vi har for lite tid.\n"
)


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


async def until(pilot, check, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.03)
        if check():
            return
    raise AssertionError("condition never became true")


@pytest.mark.parametrize(("lang", "pattern"), [("nb", "({yrke}, {gruppe})"),
                                               ("en", "({profession}, {group})")])
async def test_the_attribution_is_prefilled_in_the_interface_language(wb: Workbench, lang,
                                                                      pattern) -> None:
    set_language(lang)
    assert default_attribution(lang) == pattern
    app = WorkbenchApp(wb)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = ExportScreen(kind="report")
        app.push_screen(screen)
        await pilot.pause()
        field = screen.query_one("#attribution", Input)
        assert field.value == pattern
        field.value = ""  # an empty field falls back to the same default, accepted as is
        assert screen.options().attribution == pattern


async def test_a_table_csv_goes_to_exports_beside_the_project(tmp_path: Path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not the project's folder
    folder = tmp_path / "studie"
    folder.mkdir()
    source = tmp_path / "fg1.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Workbench.create(folder / "min-studie.wbp") as wb:
        wb.imports.import_file(source, group="Ledere")
        app = WorkbenchApp(wb)
        async with app.run_test(size=(80, 24)) as pilot:
            seen = recorded_notifications(app)
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, TablesScreen)
                        and app.screen.current is not None)
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, PromptModal))
            expected = folder / "exports" / "min-studie-frequencies.csv"
            assert app.screen.query_one(Input).value == str(expected)
            await pilot.press("enter")
            await until(pilot, expected.exists)
            await until(pilot, lambda: any(str(expected) in m for m in seen))
    assert not (elsewhere / "exports").exists()
    assert expected.read_text(encoding="utf-8-sig").splitlines()[0].count(",") >= 1
