"""The participant view: one informant's turns and codings across transcripts, and jumping
to each from there."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from workbench.i18n import t
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.participants import ParticipantScreen
from workbench.tui.widgets.picker import FuzzyPicker

from tests.themes_fixtures import build_study
from tests.ui.helpers import idle_nlp, settle


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


async def loaded(pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    for _ in range(30):
        await settle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, CodingScreen) and screen.loaded:
            return screen
    raise AssertionError("the coding screen did not load")


def rows(screen: ParticipantScreen) -> list[str]:
    options = screen.query_one("#participant-turns", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_from_home_choose_an_informant_and_jump_to_a_turn(wb: Workbench):
    study = build_study(wb)
    app = WorkbenchApp(wb)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, FuzzyPicker)
        app.screen.query_one("#picker-input", Input).value = "Leder 1"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, ParticipantScreen)
        shown = rows(view)
        assert len(shown) == 2
        assert shown[0].startswith(t("participant_ui.turn_head", transcript="fg1", n=3, total=6))
        assert "Jeg er sykepleier" in shown[0] and t("participant_ui.no_codes") in shown[0]
        assert "■ håp" in shown[1] and "■ tid til relasjon" in shown[1]
        await pilot.press("down", "enter")
        coding = await loaded(pilot)
        assert coding.transcript_id == study.fg1
        span = coding.selected_span()
        text = wb.transcripts.get(study.fg1).text
        assert span is not None
        assert text[span[0]:span[1]] == (
            "At brukeren opplever håp, og at vi har tid til relasjonen.")
        await pilot.press("escape", "escape")  # the selection, then back to the list
        await settle(pilot)
        assert app.screen is view


async def test_from_the_coding_screen_the_speaker_under_the_cursor(wb: Workbench):
    study = build_study(wb)
    app = WorkbenchApp(wb)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        coding = await loaded(pilot)
        assert coding.transcript_id == study.fg1
        await pilot.press("n", "n", "n")  # Leder 2
        await pilot.press("w")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, ParticipantScreen)
        assert "Leder 2" in str(view.query_one("#participant-title").render())
        summary = str(view.query_one("#participant-summary").render())
        assert summary == t("participant_ui.summary", turns="1 ytring",
                            transcripts="1 transkripsjon", coded=1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is coding  # back in the coding screen, at the turn
        span = coding.selected_span()
        text = wb.transcripts.get(study.fg1).text
        assert span is not None and text[span[0]:span[1]].startswith("Vernepleier.")
