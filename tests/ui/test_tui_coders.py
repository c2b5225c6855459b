"""Team views in the terminal UI, at 80×24: the coding screen's coder view (h) and colours
by coder (H), a blind coder's coding screen, and assigning from the members screen (F8)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, SelectionList, Static

from workbench.domain.coders import coder_colours
from workbench.i18n import t
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.members import MembersScreen
from workbench.tui.widgets.help import HelpScreen
from workbench.tui.widgets.modals import ChoiceModal, MultiChoiceModal
from workbench.tui.widgets.picker import FuzzyPicker

from tests.conftest import sample_parsed
from tests.ui.helpers import open_members, settle, workers_done

SIZE = (80, 24)


def make_team(path: Path) -> tuple[Path, dict[str, tuple[int, int]]]:
    """anne (researcher) coded «sykepleier» and «håp» with Håp; bo (co-coder) coded
    «håp» with Håp too and «relasjonen» with Tid."""
    spans: dict[str, tuple[int, int]] = {}
    with Workbench.create(path, title="Team", actor="anne") as wb:
        wb.members.add("bo", "co-coder")
        tid = wb.transcripts.add_parsed(sample_parsed(), name="fg1").id
        text = wb.transcripts.get(tid).text
        for word in ("sykepleier", "håp", "relasjonen"):
            start = text.index(word)
            spans[word] = (start, start + len(word))
        hope = wb.codes.create("Håp").id
        wb.codes.create("Tid")
        wb.codes.apply(tid, *spans["sykepleier"], code_id=hope)
        wb.codes.apply(tid, *spans["håp"], code_id=hope)
    with Workbench.open(path, actor="bo") as wb:
        wb.codes.apply(tid, *spans["håp"], code_id=hope)
        wb.codes.apply(tid, *spans["relasjonen"], name="Tid")
    return path, spans


async def open_coding(pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    for _ in range(50):
        await workers_done(pilot.app)
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, CodingScreen) and screen.loaded:
            return screen
    raise AssertionError("the coding screen did not load")


def shown(screen: CodingScreen) -> list[tuple[str, int, int]]:
    return sorted((c.coder, c.start, c.end) for c in screen.view.codings.values())


def status(screen: CodingScreen) -> str:
    return str(screen.query_one("#coding-status", Static).render())


async def test_coder_view_and_colours_by_coder_at_80x24(tmp_path: Path) -> None:
    path, spans = make_team(tmp_path / "studie.wbp")
    wb = Workbench.open(path, actor="anne")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_coding(pilot)
            assert [c[0] for c in shown(screen)] == ["anne", "anne", "bo", "bo"]
            # h: choose the view in a picker; only the disagreements
            await pilot.press("h")
            assert isinstance(app.screen, FuzzyPicker)
            app.screen.query_one("#picker-input", Input).value = "uenigheter"
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            assert shown(screen) == [("anne", *spans["sykepleier"]), ("bo", *spans["relasjonen"])]
            assert status(screen).startswith(t("team_views.tui.status_disagreements") + " · ")
            assert len(status(screen)) <= SIZE[0] - 2  # fits the status line
            screen.set_coder_view("coder", "bo")
            await settle(pilot)
            assert [c[0] for c in shown(screen)] == ["bo", "bo"]
            assert "Bare bo" in status(screen)
            screen.set_coder_view("mine")
            await settle(pilot)
            assert [c[0] for c in shown(screen)] == ["anne", "anne"]
            # a coding of mine while a colleague's view is shown: still only theirs
            screen.set_coder_view("coder", "bo")
            await settle(pilot)
            screen.apply_code(name="Tid", span=spans["sykepleier"])
            await settle(pilot)
            assert [c[0] for c in shown(screen)] == ["bo", "bo"]
            screen.set_coder_view("all")
            await settle(pilot)
            assert len(shown(screen)) == 5 and t("team_views.tui.status_mine") not in status(screen)

            # H: stripes by coder, the codebook's counts split by coder
            await pilot.press("H")
            await settle(pilot)
            colours = coder_colours(["anne", "bo"])
            assert screen.view.coder_colours == colours
            row = screen.doc.location(screen.doc.stored_offset_to_display(spans["håp"][0]))[0]
            assert set(screen.view._row_codes[row]) == {"anne", "bo"}
            tree = screen.codebook.tree
            hope = next(c for c in tree.codes.values() if c.name == "Håp")
            assert str(tree.nodes[hope.id].label).endswith("  3 (2·1)")
            await pilot.press("H")
            await settle(pilot)
            assert screen.view.coder_colours is None
            assert str(tree.nodes[hope.id].label).endswith("  3")

            # F1 lists the new keys
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            rows = {(keys, what) for keys, what, _id in app.screen.rows}
            assert {("h", t("coding_ui.key.coders")),
                    ("H", t("coding_ui.key.coder_colours"))} <= rows
    finally:
        wb.close()


async def test_assign_blind_from_the_members_screen_then_code_blind(tmp_path: Path) -> None:
    path, spans = make_team(tmp_path / "studie.wbp")
    wb = Workbench.open(path, actor="anne")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_members(pilot)
            assert not screen.query_one("#assignments", DataTable).display
            await pilot.press("g")
            assert isinstance(app.screen, FuzzyPicker)
            await pilot.press("enter")  # fg1, the only transcript
            await pilot.pause()
            assert isinstance(app.screen, MultiChoiceModal)
            # every coder starts ticked: untick bo and tick him again
            assert app.screen.query_one(SelectionList).selected == [0, 1]
            await pilot.press("down", "space")
            assert app.screen.query_one(SelectionList).selected == [0]
            await pilot.press("space")
            assert sorted(app.screen.query_one(SelectionList).selected) == [0, 1]
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceModal)
            await pilot.press("enter")  # yes, blind
            await settle(pilot)
            a = wb.assignments.of("fg1")
            assert a is not None and a.coders == ("anne", "bo") and a.blind
            table = screen.query_one("#assignments", DataTable)
            assert [str(c) for c in table.get_row_at(0)] == ["fg1", "anne, bo",
                                                             t("team_views.tui.members.yes")]
            # t: the kind of analysis
            await pilot.press("t")
            assert isinstance(app.screen, ChoiceModal)
            await pilot.press("down", "enter")
            await settle(pilot)
            assert wb.analysis_kind == "codebook"
            assert "kodebokbasert" in str(screen.query_one("#analysis-kind", Static).render())
            await pilot.press("escape")
            await settle(pilot)
            # anne codes fg1 blind: bo's codings are not on the screen
            coding = await open_coding(pilot)
            assert [c[0] for c in shown(coding)] == ["anne", "anne"]
            assert status(coding).startswith(t("team_views.tui.status_blind") + " · ")
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            await pilot.press("u", "enter")
            await settle(pilot)
            assert not wb.assignments.of("fg1").blind
            await pilot.press("escape")
            coding = await open_coding(pilot)
            assert [c[0] for c in shown(coding)] == ["anne", "anne", "bo", "bo"]
            assert t("team_views.tui.status_blind") not in status(coding)
    finally:
        wb.close()


async def test_a_co_coder_may_not_assign(tmp_path: Path) -> None:
    path, _spans = make_team(tmp_path / "studie.wbp")
    wb = Workbench.open(path, actor="bo")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            for key in ("g", "u", "t"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, MembersScreen), key
            assert wb.assignments.list() == [] and wb.analysis_kind == "reflexive"
    finally:
        wb.close()
