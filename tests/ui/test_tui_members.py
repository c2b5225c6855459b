"""Members and roles in the terminal UI: the members screen (F8), acting as a member, review
mode from the role, and per-person undo refusals shown as toasts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from workbench.i18n import UserError, t
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.home import HomeScreen
from workbench.tui.screens.members import MembersScreen
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

from tests.conftest import sample_parsed
from tests.ui.helpers import open_members, recorded_notifications, settle

SIZE = (100, 30)


def make_project(path: Path, members: dict[str, str] | None = None) -> Path:
    with Workbench.create(path, title="Teststudie", actor="tester") as wb:
        wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
        for name, role in (members or {}).items():
            wb.members.add(name, role)
    return path


def rows(screen: MembersScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#members", DataTable)
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1]))
            for i in range(table.row_count)]


async def choose(pilot, option_id: str) -> None:  # type: ignore[no-untyped-def]
    modal = pilot.app.screen
    assert isinstance(modal, ChoiceModal)
    ids = [key for key, _ in modal.options]
    for _ in range(ids.index(option_id)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_a_researcher_adds_changes_and_removes_members(tmp_path: Path) -> None:
    wb = Workbench.open(make_project(tmp_path / "studie.wbp"), actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_members(pilot)
            assert rows(screen) == []
            await pilot.press("a")
            assert isinstance(app.screen, PromptModal)
            await pilot.press(*"kari", "enter")
            await choose(pilot, "co-coder")
            you = t("team_tui.members.you")
            assert rows(screen) == [(f"tester{you}", t("members.role.researcher")),
                                    ("kari", t("members.role.co-coder"))]
            assert [(m.name, m.role) for m in wb.members.list()] == [
                ("tester", "researcher"), ("kari", "co-coder")]
            # the cursor stays on kari (by GUID); o changes her role
            await pilot.press("o")
            await choose(pilot, "supervisor")
            assert wb.members.role_of("kari") == "supervisor"
            assert rows(screen)[1] == ("kari", t("members.role.supervisor"))
            await pilot.press("x")
            await choose(pilot, "yes")
            assert [m.name for m in wb.members.list()] == ["tester"]
            assert rows(screen) == [(f"tester{you}", t("members.role.researcher"))]
    finally:
        wb.close()


async def test_a_supervisor_member_gets_review_mode_and_may_not_manage(tmp_path: Path) -> None:
    path = make_project(tmp_path / "studie.wbp", {"veil": "supervisor"})
    wb = Workbench.open(path, actor="veil")  # as `workbench open P --as veil`
    app = WorkbenchApp(wb)  # no review=True: the role decides
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.review
            assert t("review_ui.indicator", actor="veil") in app.sub_title
            screen = await open_members(pilot)
            toasts = recorded_notifications(app)
            await pilot.press("a")
            await pilot.pause()
            assert app.screen is screen  # no dialog opened
            assert toasts == [t("team_tui.members.refused", actor="veil",
                                role=t("members.role.supervisor"))]
            assert [(m.name, m.role) for m in wb.members.list()] == [
                ("tester", "researcher"), ("veil", "supervisor")]
    finally:
        wb.close()


async def test_undo_refused_because_of_someone_elses_later_change_is_a_toast(
    tmp_path: Path,
) -> None:
    path = make_project(tmp_path / "studie.wbp")
    wb = Workbench.open(path, actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            ok, code = app.run_command(lambda: wb.codes.create("tillit"))
            assert ok and code is not None
            with Workbench.open(path, actor="kari") as other:  # another person, another store
                other.codes.rename(code.id, "tillit til tjenesten")
            toasts = recorded_notifications(app)
            await pilot.press("ctrl+z")
            await settle(pilot)
            with pytest.raises(UserError) as refused:  # what the store says, naming kari
                wb.undo()
            assert "kari" in refused.value.message()
            assert refused.value.message() in toasts
            assert wb.codes.find("tillit til tjenesten") is not None  # nothing undone
            assert isinstance(app.screen, HomeScreen)
    finally:
        wb.close()


async def test_a_role_changed_by_someone_else_switches_review_mode(tmp_path: Path) -> None:
    path = make_project(tmp_path / "studie.wbp", {"kari": "co-coder"})
    wb = Workbench.open(path, actor="kari")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert not app.review
            toasts = recorded_notifications(app)
            with Workbench.open(path, actor="tester") as researcher:  # another process's store
                researcher.members.set_role("kari", "supervisor")
            for _ in range(60):
                await pilot.pause(0.05)
                if app.review:
                    break
            assert app.review and wb.store.review_mode
            assert t("team_tui.review_on", actor="kari") in toasts
            assert t("review_ui.indicator", actor="kari") in app.sub_title
            with Workbench.open(path, actor="tester") as researcher:
                researcher.members.set_role("kari", "co-coder")
            for _ in range(60):
                await pilot.pause(0.05)
                if not app.review:
                    break
            assert not app.review
            assert t("team_tui.review_off", actor="kari") in toasts
            assert t("review_ui.indicator", actor="kari") not in app.sub_title
    finally:
        wb.close()


async def test_removed_from_the_project_while_the_members_screen_is_open(tmp_path: Path) -> None:
    path = make_project(tmp_path / "studie.wbp", {"kari": "co-coder"})
    wb = Workbench.open(path, actor="kari")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_members(pilot)
            toasts = recorded_notifications(app)
            with Workbench.open(path, actor="tester") as researcher:
                researcher.members.remove("kari")
            for _ in range(60):
                await pilot.pause(0.05)
                if len(rows(screen)) == 1:
                    break
            await settle(pilot)
            assert rows(screen) == [("tester", t("members.role.researcher"))]
            with pytest.raises(UserError) as refused:  # the store's "not a member"
                wb.store.refresh_role()
            assert toasts.count(refused.value.message()) == 1  # said once
            assert len(toasts) == 2  # and the toast of who removed kari
            assert app.screen is screen  # the app keeps running
    finally:
        wb.close()
