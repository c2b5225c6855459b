"""The shape of Textual's private API that ``workbench.tui.compat`` relies on.

If a Textual upgrade renames or reshapes any of it, these tests fail (rather than a screen
misbehaving): ``WrappedDocument``'s break tables, ``TextArea``'s line cache and its
assignment of ``wrapped_document``, and ``Footer``'s ``_bindings_ready``.
"""

from __future__ import annotations

import inspect

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.widgets import Button, Footer, TextArea
from textual.widgets.text_area import Document, WrappedDocument

from workbench.tui.compat import FastWrappedDocument, FastWrapTextArea, StableFooter
from workbench.tui.screens.coding.wrapping import break_lines

TABLES = ("_wrap_offsets", "_offset_to_line_info", "_line_index_to_offsets",
          "_tab_width_cache", "_width", "_tab_width")

TEXT = "\n".join([
    "Leder 1 · informant · 00:17",
    "At brukeren opplever håp, og at vi har tid til relasjonen – det er forbedring for meg.",
    "",
    "kort",
    "Eitlangtordsomikkjegårpåeinlinjeogmåbrytastfleiregonger og så litt til",
    "  to mellomrom først,   og flere   inni.",
])


def test_wrapped_document_has_the_tables_we_fill():
    params = list(inspect.signature(WrappedDocument.wrap).parameters)
    assert params == ["self", "width", "tab_width"]
    assert list(inspect.signature(WrappedDocument.__init__).parameters) == [
        "self", "document", "width", "tab_width",
    ]
    assert callable(WrappedDocument.wrap_range)
    assert isinstance(inspect.getattr_static(WrappedDocument, "height"), property)
    wrapped = WrappedDocument(Document(TEXT), width=20, tab_width=4)
    assert set(TABLES) <= set(vars(wrapped))


@pytest.mark.parametrize("width", [0, 7, 20, 33, 200])
def test_fast_wrap_fills_the_tables_exactly_as_textual_does(width):
    document = Document(TEXT)
    textual = WrappedDocument(document, width=width, tab_width=4)
    ours = FastWrappedDocument(document, tab_width=4, breaks=break_lines)
    ours.wrap(width)
    assert break_lines(document.lines, width) is not None  # the fast path was taken
    for name in TABLES:
        assert getattr(ours, name) == getattr(textual, name), name
    assert ours.height == textual.height
    assert ours.lines == textual.lines
    for y in range(textual.height):
        location = textual.offset_to_location((3, y))
        assert ours.offset_to_location((3, y)) == location
        assert ours.location_to_offset(location) == textual.location_to_offset(location)


def test_lines_with_wide_characters_or_tabs_take_textual_s_own_wrap():
    document = Document("a\tb og så noen ord\n日本語のテキスト です")
    assert break_lines(document.lines, 6) is None
    textual = WrappedDocument(document, width=6, tab_width=4)
    ours = FastWrappedDocument(document, tab_width=4, breaks=break_lines)
    ours.wrap(6)
    for name in TABLES:
        assert getattr(ours, name) == getattr(textual, name), name


class _Area(FastWrapTextArea):
    BREAKS = staticmethod(break_lines)


class _AreaApp(App[None]):
    def compose(self) -> ComposeResult:
        yield _Area("\n".join(f"linje {i}" for i in range(100)), soft_wrap=True, id="area")


async def test_text_area_assigns_wrapped_document_and_caches_lines_by_y():
    app = _AreaApp()
    async with app.run_test(size=(40, 12)) as pilot:
        area = app.query_one(_Area)
        assert type(area.wrapped_document) is FastWrappedDocument  # set in __init__
        area.load_text("\n".join(f"rad {i}" for i in range(100)))
        assert type(area.wrapped_document) is FastWrappedDocument  # and on every load
        await pilot.pause()
        area.scroll_to(y=50, animate=False, immediate=True)
        await pilot.pause()
        cache = area._line_cache
        assert callable(cache.keys) and callable(cache.discard)
        keys = list(cache.keys())
        assert keys and all(isinstance(k, tuple) for k in keys)
        rows = {k[2] for k in keys}  # the wrapped y offset is the key's third item
        assert set(range(50, 55)) <= rows and max(rows) < 100
        area.drop_cached_lines(50, 52)
        assert {k[2] for k in cache.keys()} == rows - {50, 51, 52}
        area.drop_cached_lines()
        assert not list(cache.keys())


class _FooterApp(App[None]):
    BINDINGS = [Binding("ctrl+k", "bell", "Ring", id="test.ring")]

    def compose(self) -> ComposeResult:
        yield Button("a", id="a")
        yield Button("b", id="b")
        yield StableFooter()


async def test_footer_has_the_hooks_the_stable_footer_uses():
    assert isinstance(inspect.getattr_static(Footer, "_bindings_ready"), Reactive)
    assert list(inspect.signature(Footer.bindings_changed).parameters) == ["self", "screen"]
    app = _FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(StableFooter)
        keys = list(footer.children)
        assert any("Ring" in str(key.render()) for key in keys)
        app.query_one("#b").focus()  # the same keys: no rebuild
        await pilot.pause()
        assert list(footer.children) == keys and footer._bindings_ready


class _PlainFooterApp(_FooterApp):
    def compose(self) -> ComposeResult:
        yield Button("a", id="a")
        yield Button("b", id="b")
        yield Footer()


async def test_stable_footer_keys_are_made_in_the_state_textual_gives_them():
    """Keys made already in the footer's compact state (no restyle on mount) end up as
    Textual's own footer leaves them: same compact value, classes and width; the palette
    key keeps its own compact look."""
    from textual.widgets._footer import FooterKey

    def state(app: App[None]) -> list[tuple[object, ...]]:
        return [(k.key, k.compact, sorted(k.classes), k.region.width)
                for k in app.screen.query(FooterKey)]

    seen = []
    for app in (_PlainFooterApp(), _FooterApp()):
        async with app.run_test(size=(100, 10)) as pilot:
            await pilot.pause()
            seen.append(state(app))
    assert seen[0] == seen[1]
    assert any(compact for _key, compact, _c, _w in seen[1])  # the palette key
    assert any(not compact for _key, compact, _c, _w in seen[1])


def test_nothing_else_uses_textual_private_api():
    """Only compat.py may reach into an underscore name of a Textual object."""
    import re
    from pathlib import Path

    import workbench.tui

    root = Path(workbench.tui.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "compat.py":
            continue
        text = path.read_text("utf-8")
        if re.search(r"from textual[\w.]*\._|import textual[\w.]*\._", text):
            offenders.append(f"{path.name}: imports a private textual module")
        for name in ("_line_cache", "_wrapped_document", "_keymap", "_bindings_ready",
                     "_notifications", "_wrap_offsets", "_offset_to_line_info",
                     "_css_update_count", "_on_screen_resume", "_on_screen_suspend"):
            if re.search(rf"\.{name}\b", text):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


async def test_the_open_select_menu_says_close_in_our_words_and_esc_still_closes_it():
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Select
    from textual.widgets._select import SelectOverlay

    from workbench.tui.compat import translate_select_menu

    translate_select_menu("Lukk menyen")

    class Menu(App[None]):
        def compose(self) -> ComposeResult:
            yield Select([("en", 1), ("to", 2)], value=1)
            yield Footer()

    app = Menu()
    async with app.run_test(size=(60, 12)) as pilot:
        select = app.query_one(Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded
        overlay = app.query_one(SelectOverlay)
        shown = {b.description for _key, b in overlay._merged_bindings}
        assert "Lukk menyen" in shown and "Dismiss menu" not in shown
        footer_text = " ".join(str(w.render()) for w in app.query("FooterKey"))
        assert "Lukk menyen" in footer_text and "Dismiss" not in footer_text
        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded


def test_read_only_breaks_give_what_break_lines_gives():
    from workbench.tui.screens.coding.wrapping import ReadOnlyBreaks

    lines = Document(TEXT).lines
    breaks = ReadOnlyBreaks()
    for width in (0, 7, 20, 33, 200, 20):
        assert breaks(lines, width) == break_lines(lines, width)
    wide = Document("ein linje\n漢字 og meir tekst").lines
    assert breaks(wide, 5) is None and break_lines(wide, 5) is None
    assert breaks(["\tinnrykk"], 0) is None  # tabs: Textual works out their widths


async def test_a_kept_screen_keeps_its_styles_on_resume_unless_the_css_changed():
    """KeptScreen relies on Screen._on_screen_resume/_on_screen_suspend, the resume
    event's refresh_styles and App._css_update_count."""
    from textual import events
    from textual.screen import Screen
    from textual.widgets import Static

    from workbench.tui.compat import KeptScreen

    assert "refresh_styles" in events.ScreenResume.__dataclass_fields__ or hasattr(
        events.ScreenResume, "refresh_styles")
    assert list(inspect.signature(Screen._on_screen_resume).parameters) == ["self", "event"]
    assert callable(Screen._on_screen_suspend)

    restyled: list[bool] = []

    class Kept(KeptScreen):
        def compose(self) -> ComposeResult:
            yield Static("kept")

        def _on_screen_resume(self, event: events.ScreenResume) -> None:
            super()._on_screen_resume(event)
            restyled.append(event.refresh_styles)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")

    app = Host()
    async with app.run_test() as pilot:
        assert isinstance(app._css_update_count, int)
        app.install_screen(Kept(), "kept")
        for _ in range(2):
            app.push_screen("kept")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
        assert restyled == [True, False]  # styled when first shown, then kept
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        app.push_screen("kept")
        await pilot.pause()
        assert restyled == [True, False, True]  # the theme changed while it was away


async def test_a_kept_screen_is_resumed_once_per_push(monkeypatch):
    """Textual calls the resume handler of every class in the screen's MRO; KeptScreen's
    must not call Screen's again (that restyled the whole screen a second time)."""
    from textual.screen import Screen
    from textual.widgets import Static

    from workbench.tui.compat import KeptScreen

    screen_resumes: list[object] = []
    original = Screen.__dict__["_on_screen_resume"]

    def counting(self, event):  # type: ignore[no-untyped-def]
        if isinstance(self, KeptScreen):
            screen_resumes.append(event)
        return original(self, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", counting)

    class Kept(KeptScreen):
        def compose(self) -> ComposeResult:
            yield Static("kept")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")

    app = Host()
    async with app.run_test() as pilot:
        app.install_screen(Kept(), "kept")
        for pushes in (1, 2):
            app.push_screen("kept")
            await pilot.pause()
            assert len(screen_resumes) == pushes
            app.pop_screen()
            await pilot.pause()
