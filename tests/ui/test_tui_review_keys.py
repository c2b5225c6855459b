"""Supervisor review mode: a refused key says why (one toast), keys that cannot work are
not in the footer, and the comment dialog highlights the first open comment and keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from workbench.i18n import t
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.themes import ThemeMapScreen
from workbench.tui.screens.themes.map import NodeRef
from workbench.tui.screens.themes.modals import CommentsModal

from tests.themes_fixtures import build_study
from tests.ui.helpers import idle_nlp, recorded_notifications, settle


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    idle_nlp(monkeypatch)


@pytest.fixture
def supervisor(tmp_path: Path):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path, actor="forsker") as wb:
        s = build_study(wb)
        theme = wb.themes.create("Håp", code_ids=[s.codes["håp"]]).id
        closed = wb.review.comment("theme", theme, "Gammel kommentar")
        wb.review.resolve(closed.id)
        wb.review.comment("theme", theme, "Hvor mange grupper?")
    wb = Workbench.open(path, actor="veileder")
    yield wb, theme
    wb.close()


def footer_text(app: WorkbenchApp) -> str:
    from textual.widgets import Footer

    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.children)


async def test_a_refused_key_says_why_once_and_is_not_in_the_footer(supervisor):
    wb, _ = supervisor
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(120, 36)) as pilot:
        seen = recorded_notifications(app)
        await pilot.press("enter")
        for _ in range(30):
            await settle(pilot)
            if isinstance(app.screen, CodingScreen) and app.screen.loaded:
                break
        assert isinstance(app.screen, CodingScreen)
        assert "c " + t("coding_ui.key.apply") + " " not in footer_text(app) + " "
        seen.clear()
        await pilot.press("c")
        await settle(pilot)
        assert seen == [t("tui.refused.review")]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ThemeMapScreen)
        assert "n " + t("themes_ui.key.new") + " " not in footer_text(app) + " "
        seen.clear()
        await pilot.press("n")  # a new theme: not for a supervisor
        await settle(pilot)
        assert seen == [t("tui.refused.review")]
        assert app.screen.__class__ is ThemeMapScreen
    assert wb.themes.tree()[0].name == "Håp" and len(wb.themes.tree()) == 1


async def test_the_comment_dialog_opens_on_the_open_comment_and_keeps_it(supervisor):
    wb, theme = supervisor
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemeMapScreen)
        screen.query_one("#theme-tree").focus()
        node = screen._find_node(screen.query_one("#theme-tree"), NodeRef("theme", theme))
        screen.query_one("#theme-tree").move_cursor(node)
        await pilot.pause()
        await pilot.press("o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, CommentsModal)
        options = modal.query_one("#threads", OptionList)
        open_comment = next(c for c in wb.review.comments() if c.status == "open")
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == str(open_comment.id)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"To grupper", "enter")
        await settle(pilot)
        assert app.screen is modal
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == str(open_comment.id)
    replied = next(c for c in wb.review.comments() if c.id == open_comment.id)
    assert [r.text for r in replied.replies] == ["To grupper"]
