"""SVG snapshots of the main screens (pytest-textual-snapshot).

The project data is fixed text with fixed times; nothing on these screens shows a GUID, a
file path or the clock. Regenerate after an intended change with
``pytest tests/ui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen

from tests.ui.helpers import workers_done

SIZE = (130, 36)


async def _wait_for_coding_screen(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(50):
        await workers_done(pilot.app)
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, CodingScreen) and screen.loaded:
            break
    await pilot.pause(0.2)  # the side panels follow the text by a moment


def test_home_screen(snap_compare, wb_with_transcript):
    wb, _ = wb_with_transcript
    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE)


def test_coding_screen(snap_compare, wb_with_transcript):
    wb, summary = wb_with_transcript
    moderator = next(p for p in wb.transcripts.participants() if p.label == "Moderator")
    wb.transcripts.update_participant(moderator.id, role="moderator")
    text = wb.transcripts.get(summary.id).text

    def span(needle: str) -> tuple[int, int]:
        start = text.index(needle)
        return start, start + len(needle)

    hope = wb.codes.create("håp", colour="#59a14f", description="Tro på at ting kan bli bedre.")
    time = wb.codes.create("tid til relasjonen", colour="#f28e2b")
    users = wb.codes.create("brukermedvirkning", colour="#4e79a7")
    wb.codes.create("tillit", colour="#b07aa1", parent_id=users.id)
    wb.codes.apply(summary.id, *span("At brukeren opplever håp"), code_id=hope.id,
                   memo="Håp som mål for forbedring.")
    wb.codes.apply(summary.id, *span("vi har tid til relasjonen"), code_id=time.id)
    wb.codes.apply(summary.id, *span("brukerne må få bestemme mer"), code_id=users.id)
    wb.codes.apply(summary.id, *span("opplever håp, og at vi"), code_id=users.id)

    async def open_and_move(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("enter")
        await _wait_for_coding_screen(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CodingScreen)
        screen.find_next("opplever")  # the cursor in two overlapping codings
        await pilot.pause(0.2)

    assert snap_compare(WorkbenchApp(wb), terminal_size=SIZE, run_before=open_and_move)


def test_coding_screen_at_80x24(snap_compare, wb_with_transcript):
    """The SSH case: the codebook pane is folded, the text gets the width (at least 56
    columns), the status line says which turn of how many and who speaks."""
    wb, _ = wb_with_transcript

    async def open_and_move(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("enter")
        await _wait_for_coding_screen(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CodingScreen)
        await pilot.press("n", "n", "n")
        await pilot.pause(0.2)
        assert screen.codebook_folded
        assert screen.view.content_region.width >= 56

    assert snap_compare(WorkbenchApp(wb), terminal_size=(80, 24), run_before=open_and_move)
