"""The coding screen repaints only what a change touches; what it shows must still be what a
full repaint would show.

Each test drives the screen, takes the screen as it is painted from the widgets' caches,
then drops every cache and paints it again from scratch: the two must be the same, segment
for segment (text and style).
"""

from __future__ import annotations

import dataclasses

from rich.segment import Segment
from textual.widget import Widget
from textual.widgets import TextArea

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.coding.codings_panel import CodingsPanel

from tests.ui.test_tui_coding import SIZE, find, open_coding, pick, span_of


STYLES = ("base_style", "gutter_style", "cursor_style", "cursor_line_style",
          "cursor_line_gutter_style", "bracket_matching_style", "selection_style")
"""The TextArea theme's styles that ``apply_css`` fills in from the CSS."""


def _painted(screen: CodingScreen) -> list[list[Segment]]:
    return [list(strip) for strip in screen._compositor.render_strips()]


def _from_scratch(screen: CodingScreen) -> list[list[Segment]]:
    """The screen painted again with every widget's cached lines dropped."""
    for widget in screen.query(Widget):
        widget._styles_cache.clear()
        widget._dirty_regions.clear()
        widget._render_content()  # the widget's content, rendered anew
        if isinstance(widget, TextArea):
            widget._line_cache.clear()
    screen.view._css_applied = None  # the transcript's theme fallbacks, filled in anew
    return _painted(screen)


def _assert_current(screen: CodingScreen) -> None:
    painted = _painted(screen)
    fresh = _from_scratch(screen)
    diff = [y for y, (a, b) in enumerate(zip(painted, fresh, strict=True)) if a != b]
    assert not diff, (
        f"stale lines {diff}: "
        + "; ".join(f"{''.join(s.text for s in painted[y])!r} != "
                    f"{''.join(s.text for s in fresh[y])!r}" for y in diff[:3])
    )


async def test_codings_and_removals_leave_no_stale_line(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await find(pilot, "tid til relasjonen")
        await pilot.press("c")
        await pick(pilot, "tid")
        await pilot.pause(0.2)
        _assert_current(screen)
        for needle in ("fem år", "relasjonen", "brukerne må få"):
            await find(pilot, needle)
            await pilot.press("r")
            await pilot.pause(0.2)  # the side panels' deferred update included
            _assert_current(screen)
        # two codes under the cursor, then one removed: the list shrinks by a row
        await find(pilot, "relasjonen")
        await pilot.press("c")
        await pick(pilot, "omsorg")
        await pilot.pause(0.2)
        panel = screen.query_one("#under-cursor", CodingsPanel)
        assert len(panel.items) == 3
        _assert_current(screen)
        panel.focus()  # the highlighted row is drawn reversed when the list has the focus
        await pilot.press("down")
        await pilot.pause(0.2)
        _assert_current(screen)
        await pilot.press("x")
        await pilot.pause(0.2)
        assert len(panel.items) == 2
        _assert_current(screen)
        screen.view.focus()
        start, end = span_of(wb, summary.id, "Velkommen")
        screen._select_stored(start, end)  # nothing coded here: the list says so
        await pilot.pause(0.2)
        assert panel.items == []
        _assert_current(screen)


async def test_the_transcript_follows_a_theme_switch_and_the_focus(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await find(pilot, "fem år")
        await pilot.press("c")
        await pick(pilot, "tid")
        await pilot.pause(0.2)
        view = screen.view

        def fallbacks_current() -> None:
            fresh = dataclasses.replace(view._theme)
            fresh.apply_css(view)
            assert [getattr(fresh, name) for name in STYLES] == [
                getattr(view._theme, name) for name in STYLES]

        before = _painted(screen)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause(0.2)
        fallbacks_current()
        assert _painted(screen) != before
        _assert_current(screen)
        screen.tree.focus()  # the transcript loses the focus: its cursor is not drawn
        await pilot.pause(0.2)
        fallbacks_current()
        _assert_current(screen)
        view.focus()
        await pilot.pause(0.2)
        fallbacks_current()
        _assert_current(screen)
        # a style change that keeps the theme: a class whose CSS gives another cursor
        app.stylesheet.add_source(
            "TranscriptView.-marked > .text-area--cursor { background: #ff0000; }",
            read_from=("test", ""))
        app.refresh_css(animate=False)
        await pilot.pause(0.2)
        theme = view._theme
        view.add_class("-marked")
        await pilot.pause(0.2)
        assert view._theme is theme  # the same theme object: only the styles changed
        fallbacks_current()
        assert view._theme.cursor_style is not None
        assert view._theme.cursor_style.bgcolor.triplet.hex == "#ff0000"
        _assert_current(screen)


async def test_selections_convert_to_the_same_offsets_as_the_document(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        view = screen.view
        for clean in (False, True):
            if clean:
                await pilot.press("v")  # the clean view: other rows, other offsets
                await pilot.pause()
            index = view.document.get_index_from_location  # a new document each time
            text = view.text
            for a, b in ((0, 0), (0, 5), (3, len(text)), (len(text) // 2, len(text) - 1),
                         (len(text), len(text))):
                view.select_display(a, b, center=False)
                start, end = sorted(view.selection)
                assert view.display_span() == (index(start), index(end)) == (a, b)
                assert view.cursor_offset() == index(view.selection.end)


async def test_the_first_open_paints_the_transcript_once_wrapped_and_at_the_selection(
        wb_with_transcript, monkeypatch):
    """The first open shows the transcript in the screen's first paint: wrapped at the
    view's width, the selection in view, the status line filled in; what comes later (the
    footer's keys) changes nothing above the footer."""
    from textual.screen import Screen

    from workbench.domain.parsed import ParsedTranscript, ParsedTurn
    from workbench.tui.screens.coding.screen import open_coding_screen

    wb, _first = wb_with_transcript
    long_turn = " ".join(f"ord{i} i en lang ytring om hverdagen på posten" for i in range(40))
    turns = [ParsedTurn(f"Informant {i % 3 + 1}", f"{i}: {long_turn}", i * 1000, i * 1000 + 900)
             for i in range(30)]
    turns[20] = ParsedTurn("Informant 2", "Her er den valgte setningen.", 20_000, 20_900)
    long = wb.transcripts.add_parsed(ParsedTranscript("txt", turns), name="lang", group="")
    target = span_of(wb, long.id, "den valgte setningen")

    frames: list[list[str]] = []
    painted = Screen._compositor_refresh

    def record(screen: Screen[object]) -> None:
        painted(screen)
        if isinstance(screen, CodingScreen) and screen is screen.app.screen:
            frames.append(["".join(s.text for s in strip)
                           for strip in screen._compositor.render_strips()])

    monkeypatch.setattr(Screen, "_compositor_refresh", record)
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = open_coding_screen(app, long.id, select=target)
        for _ in range(50):
            await pilot.pause()
            if screen.loaded and app.screen is screen:
                break
        await pilot.pause(0.2)
        assert screen.loaded and frames
        first, last = frames[0], frames[-1]
        assert first[:-1] == last[:-1]  # all but the footer, as it stays
        assert any("Her er den valgte setningen." in line for line in first)
        wrapped = screen.view.wrapped_document
        assert wrapped.height > screen.view.document.line_count  # the long turns wrap
        assert not any(line.rstrip().endswith("ord") for line in first)  # not cut off
        _assert_current(screen)
