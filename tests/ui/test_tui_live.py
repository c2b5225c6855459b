"""Live refresh between processes: the app is open on a project, and a second process
(another person, ``tests/ui/second_process.py``) codes, comments and undoes. The app must
show each change within two seconds without a key press, with a toast naming who did what,
on SQLite and on PostgreSQL (when ``WORKBENCH_TEST_PG_URL`` is set)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from workbench.i18n import t
from workbench.services import Workbench
from workbench.tui.app import WATCH_GROUP, WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.home import HomeScreen

from tests.conftest import REPO, sample_parsed
from tests.ui.helpers import recorded_notifications, settle
from tests.unit.storage.conftest import PG_ENV, PgSchemas, pg_base_url

SIZE = (100, 30)
LIMIT = 2.0  # seconds from the other process's commit to the change on screen


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A project with one transcript and the code "håp", on each backend."""
    if request.param == "sqlite":
        target = str(tmp_path / "studie.wbp")
        schemas = None
    else:
        base = pg_base_url()
        if base is None:
            pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server for this run")
        schemas = PgSchemas(base)
        target = schemas.new()
    with Workbench.create(target, title="Teststudie") as wb:
        wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
        wb.codes.create("håp")
    try:
        yield target
    finally:
        if schemas is not None:
            schemas.drop_all()


def other_process(target: str, actor: str, action: str) -> tuple[float, str]:
    """Run one action in a second process; when it committed, and the log's summary."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.second_process", target, actor, action],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
        text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    committed, summary = result.stdout.strip().split("\t", 1)
    return float(committed), summary


async def shown_after(
    pilot, target: str, actor: str, action: str, check: Callable[[], bool],  # type: ignore[no-untyped-def]
) -> tuple[float, str]:
    """Run one action in a second process while the app's event loop keeps running, and
    watch (pressing no key) for ``check()`` to hold. Returns how long after the other
    process's commit it first held, and the log's summary of the action. The screen is
    watched while the other process is still finishing, so its exit is not counted."""
    task = asyncio.ensure_future(asyncio.to_thread(other_process, target, actor, action))
    seen_at: float | None = None
    while True:
        if seen_at is None and check():
            seen_at = time.time()
        if task.done():
            committed, summary = task.result()
            if seen_at is not None:
                return seen_at - committed, summary
            if time.time() - committed > LIMIT + 3:
                raise AssertionError(f"not shown {LIMIT + 3:.0f} s after the other process's commit")
        await pilot.pause(0.02)


def counts_text(app: WorkbenchApp) -> str:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return str(screen.query_one("#counts", Static).render())


def counts(codings: int, comments: int) -> str:
    return t("tui.home.counts", participants=3, codes=1, codings=codings, themes=0,
             comments=comments)


async def test_another_process_changes_show_within_two_seconds(shared_project: str) -> None:
    target = shared_project
    wb = Workbench.open(target, actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert counts_text(app) == counts(codings=0, comments=0)
            toasts = recorded_notifications(app)

            took, summary = await shown_after(pilot, target, "kari", "code",
                                              lambda: counts_text(app) == counts(1, 0))
            assert took < LIMIT
            assert t("team_tui.toast.done", actor="kari", what=summary) in toasts[-1]

            took, summary = await shown_after(pilot, target, "per", "comment",
                                              lambda: counts_text(app) == counts(1, 1))
            assert took < LIMIT
            assert t("team_tui.toast.done", actor="per", what=summary) in toasts[-1]

            took, summary = await shown_after(pilot, target, "per", "undo",
                                              lambda: counts_text(app) == counts(1, 0))
            assert took < LIMIT
            assert t("team_tui.toast.undone", actor="per", what=summary) in toasts[-1]
            assert len(toasts) == 3

            # the app's own commits are announced by the app, never toasted as others'
            ok, _ = app.run_command(lambda: app.wb.review.comment("project", None, "Egen"))
            assert ok
            await pilot.pause(1.5)
            assert counts_text(app) == counts(1, 1)
            assert len(toasts) == 3
    finally:
        wb.close()


async def open_coding_with_last_code(pilot, wb: Workbench) -> tuple[CodingScreen, int]:  # type: ignore[no-untyped-def]
    """The coding screen on the transcript, its first utterance coded with "håp" (so r
    repeats "håp")."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("enter")
    for _ in range(50):
        await settle(pilot, 1)
        if isinstance(app.screen, CodingScreen) and app.screen.loaded:
            break
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.loaded
    code = wb.codes.find("håp")
    assert code is not None
    await pilot.press("t")  # the whole utterance under the cursor
    assert screen.apply_code(code_id=code.id) is not None
    assert screen.last_code_id == code.id
    await pilot.press("down", "t")  # the next utterance, to code with r
    return screen, code.id


async def test_an_action_on_something_another_process_removed(shared_project: str) -> None:
    """Another process deletes the code r would repeat, before the screen has heard of it.
    r gives a clear message, not "Fant ikke code 65", and the screen re-reads."""
    target = shared_project
    wb = Workbench.open(target, actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen, code_id = await open_coding_with_last_code(pilot, wb)
            # the refresh has not arrived yet: the watcher is stopped for this test
            app.workers.cancel_group(app, WATCH_GROUP)
            await pilot.pause(0.6)
            other_process(target, "kari", "delete-code")
            assert code_id in screen.codes  # still what the screen read before
            toasts = recorded_notifications(app)
            await pilot.press("r")
            await settle(pilot)
            assert toasts == [t("team_tui.gone")]
            assert code_id not in screen.codes  # read again
            assert wb.codes.list() == []
            assert wb.codes.codings() == []
    finally:
        wb.close()


async def test_repeat_after_the_last_code_was_replaced_elsewhere(shared_project: str) -> None:
    """Another process deletes "håp" and creates "tillit". The refresh shows the new
    codebook without a key press, and r then says that the last code is gone (the screen
    knows it by GUID, so no other code is ever taken for it) instead of coding anything."""
    target = shared_project
    wb = Workbench.open(target, actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen, _code_id = await open_coding_with_last_code(pilot, wb)
            names = lambda: {c.name for c in screen.codes.values()}  # noqa: E731
            took, _ = await shown_after(pilot, target, "kari", "replace-code",
                                        lambda: names() == {"tillit"})
            assert took < LIMIT
            await settle(pilot)
            toasts = recorded_notifications(app)
            await pilot.press("r")
            await settle(pilot)
            assert toasts == [t("team_tui.last_code_gone")]
            assert wb.codes.codings() == []  # kari's delete took the first coding with it
    finally:
        wb.close()


async def test_the_home_screen_keeps_its_transcript_when_another_is_removed(
    tmp_path: Path,
) -> None:
    """Three transcripts; the cursor is on the second. Kari, in another process, deletes
    the first: the cursor stays on the same transcript (by GUID), not on the same row
    number."""
    target = str(tmp_path / "studie.wbp")
    with Workbench.create(target, title="Teststudie") as wb:
        for name in "ABC":
            wb.transcripts.add_parsed(sample_parsed(), name=name, group="Ledere")
    wb = Workbench.open(target, actor="tester")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#transcripts", DataTable)

            def under_cursor() -> str:
                return str(table.get_row_at(table.cursor_row)[0])

            await pilot.press("down")
            assert under_cursor() == "B"
            took, _ = await shown_after(pilot, target, "kari", "delete-first",
                                        lambda: table.row_count == 2)
            assert took < LIMIT
            assert under_cursor() == "B"
    finally:
        wb.close()
