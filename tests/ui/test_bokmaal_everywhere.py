"""Every screen of the bokmål UI is in bokmål: a walk through them all (and the command
palette, the help, the pickers and dialogs) fails on any English UI word from
``tests/english_words.py``."""

from __future__ import annotations

import html
import re

import pytest

from workbench.i18n import get_language
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen

from tests.english_words import ENGLISH_UI_WORDS
from tests.themes_fixtures import build_study
from tests.ui.helpers import idle_nlp, settle

# Not after a dot: binding ids (``coding.sentence``) in the help are names for the config
# file, not UI words.
_WORDS = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, ENGLISH_UI_WORDS)) + r")(?![\w-])")


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


def screen_text(app: WorkbenchApp) -> str:
    """What the terminal shows now (text chunks of the SVG screenshot, one per line)."""
    svg = app.export_screenshot()
    chunks = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "\n".join(html.unescape(c).replace("\xa0", " ") for c in chunks)


def test_the_word_list_catches_what_it_should():
    assert _WORDS.search("palette") and _WORDS.search("Search for commands…")
    assert not _WORDS.search("research Søk kommandoer Tema Fargetema app.palette")


async def test_every_screen_speaks_bokmaal(wb: Workbench):
    assert get_language() == "nb"
    study = build_study(wb)
    theme = wb.themes.create("Håp", code_ids=[study.codes["håp"]]).id
    wb.review.comment("theme", theme, "Hvor mange grupper?")
    app = WorkbenchApp(wb)
    found: dict[str, list[str]] = {}
    visited: set[str] = set()

    async with app.run_test(size=(110, 34)) as pilot:

        async def look(where: str, *keys: str, wait: bool = True) -> None:
            if keys:
                await pilot.press(*keys)
            if wait:
                await settle(pilot)
            else:  # the file chooser reads folders in workers that need not finish
                await pilot.pause(0.3)
            for _ in range(20):  # a screen that loads in a worker
                if not isinstance(app.screen, CodingScreen) or app.screen.loaded:
                    break
                await settle(pilot)
            await pilot.pause(0.1)
            visited.add(type(app.screen).__name__)
            hits = _WORDS.findall(screen_text(app))
            if hits:
                found[where] = sorted(set(hits))

        await look("home")
        await look("help", "f1")
        await look("home after help", "escape")
        await look("palette", "ctrl+p")
        await look("palette search", *"tem")
        await look("home after palette", "escape")
        await look("participant picker", "w")
        await look("participant view", "enter")
        await look("home again", "escape")
        await look("coding", "enter")
        await look("coding, no selection", "c")
        await look("coding picker", "t", "c")
        await look("coding after picker", "escape")
        await look("coding find", "slash", *"dere", "enter")
        await look("coding codebook", "escape", "k")
        await look("coding palette", "ctrl+p")
        await look("coding help", "escape", "f1")
        await look("back to home", "escape", "escape", "escape")
        await look("search", "f3")
        await look("tables", "escape", "f4")
        await look("code × group", "4")
        await look("export", "escape", "ctrl+e")
        await look("theme map", "escape", "ctrl+t")
        await look("theme review", "v")
        await look("comments", "escape", "o")
        await look("journal", "escape", "ctrl+j")
        await look("checklist", "escape", "f7")
        await look("import", "escape", "escape", "ctrl+o", wait=False)
    assert found == {}
    assert visited >= {
        "HomeScreen", "HelpScreen", "CommandPalette", "FuzzyPicker", "ParticipantScreen",
        "CodingScreen", "SearchScreen", "TablesScreen", "ExportScreen", "ThemeMapScreen",
        "ThemeReviewScreen", "CommentsModal", "ChooseFileModal",
    }, visited
