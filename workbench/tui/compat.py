"""The one place that touches Textual's private API.

Three speed-ups need more of Textual than its public API offers. Everything they rely on is
here, and ``tests/ui/test_compat.py`` checks that the pinned Textual still has that shape
(attribute names, signatures, cache keys): if a Textual upgrade breaks one, that test fails
before a screen does.

- :class:`FastWrappedDocument` fills ``WrappedDocument``'s private break tables from
  precomputed break positions (a greedy wrap by character count is about ten times faster
  than Textual's cell-measuring one on long transcripts).
- :class:`FastWrapTextArea` makes a ``TextArea`` use it, and drops single cached lines
  (``TextArea`` caches rendered lines by size, scroll, position and selection, not by the
  styles a subclass computes).
- :class:`StableFooter`: a ``Footer`` that recomposes only when the keys it shows change.
- :class:`KeptScreen`: a screen kept installed and pushed again is not restyled from
  scratch when nothing that styles it has changed since it was last on top.

Nothing else in ``workbench.tui`` may use an underscore attribute of a Textual object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, TextArea
from textual.widgets._footer import FooterKey
from textual.widgets.text_area import DocumentBase, WrappedDocument

# Break positions of every line for a width, or None when Textual's own algorithm must do it.
Breaks = Callable[[list[str], int], "list[list[int]] | None"]


class FastWrappedDocument(WrappedDocument):
    """A WrappedDocument whose break positions come from ``breaks`` when it can give them.

    ``height`` is cached too: Textual's sums over every line each time it is read, which is
    on every rendered line.
    """

    _height: int | None = None

    def __init__(self, document: DocumentBase, *, tab_width: int, breaks: Breaks) -> None:
        self.breaks = breaks
        super().__init__(document, tab_width=tab_width)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._height = None
        offsets = self.breaks(self.document.lines, width)
        if offsets is None:
            super().wrap(width, tab_width)
            return
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        offset_to_line_info: list[tuple[int, int]] = []
        line_index_to_offsets: list[list[int]] = []
        add_info = offset_to_line_info.append
        y = 0
        for index, line_offsets in enumerate(offsets):
            sections = len(line_offsets) + 1
            line_index_to_offsets.append(list(range(y, y + sections)))
            for section in range(sections):
                add_info((index, section))
            y += sections
        self._wrap_offsets = offsets
        self._offset_to_line_info = offset_to_line_info
        self._line_index_to_offsets = line_index_to_offsets
        # ``breaks`` only answers for lines without tabs: one tab section per line.
        self._tab_width_cache = [[0] if line else [] for line in self.document.lines]
        self._height = y

    def wrap_range(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._height = None
        return super().wrap_range(*args, **kwargs)

    @property
    def height(self) -> int:
        if self._height is None:
            self._height = super().height
        return self._height


class FastWrapTextArea(TextArea):
    """A TextArea that soft-wraps with :class:`FastWrappedDocument` and ``BREAKS``."""

    BREAKS: ClassVar[Breaks | None] = None

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self.__wrapped

    @wrapped_document.setter
    def wrapped_document(self, value: WrappedDocument) -> None:
        # TextArea assigns a new WrappedDocument for every text it loads: swap in ours.
        breaks = type(self).BREAKS
        if breaks is not None and type(value) is WrappedDocument:
            value = FastWrappedDocument(value.document, tab_width=self.indent_width,
                                        breaks=breaks)
        self.__wrapped = value

    def drop_cached_lines(self, top: int | None = None, bottom: int | None = None) -> None:
        """Forget rendered lines ``top``..``bottom`` (wrapped y offsets; all when None)."""
        cache = self._line_cache
        if top is None or bottom is None:
            cache.clear()
            return
        for key in [k for k in cache.keys() if top <= k[2] <= bottom]:
            cache.discard(key)


class StableFooter(Footer):
    """A Footer that recomposes only when the keys it shows change.

    Textual's Footer rebuilds all its key widgets whenever the screen's bindings are
    updated, which happens on every focus change (about 0.2 s of CPU on the coding screen).
    Moving the focus between the transcript, the codebook and the find bar rarely changes
    the keys shown, so this footer compares what it would show and skips the rebuild when
    nothing changed.
    """

    _shown: tuple[object, ...] | None = None

    def _signature(self, screen: Screen[object]) -> tuple[object, ...]:
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip,
             self.app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        """Textual's keys, each made already in the footer's ``compact`` state: a new key
        starts compact, so a key bound to a normal footer was restyled twice on mount (its
        initial watcher, then the bound value), for every key each time a screen's footer
        is built. The palette key is not bound (always compact) and is left as it is."""
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                self._bindings_ready = True
                return
            self._shown = signature
        super().bindings_changed(screen)


def translate_select_menu(description: str) -> None:
    """Give the open ``Select`` menu's Esc key (Textual's «Dismiss menu») our own words.

    ``SelectOverlay`` declares that binding with an English description and builds its
    bindings map when the class is made, so both are replaced here, once per process.
    """
    from textual.binding import Binding
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", description)]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


class KeptScreen(Screen[object]):
    """A screen that is installed once and pushed again and again (the coding screen).

    Textual restyles every widget of a screen each time it is pushed (``ScreenResume``
    with ``refresh_styles``): on the coding screen that is some 15 ms of each transcript
    switch. The styles can only differ when the app's CSS changed meanwhile (a theme, a
    newly read style sheet, the app's classes); when none of that changed since the
    screen was last on top, the resume keeps its styles. Anything that changes on the
    screen itself (focus, classes) restyles its widgets as it happens, as always.
    """

    _styled_as: tuple[object, ...] | None = None

    def _style_state(self) -> tuple[object, ...]:
        app = self.app
        return (app._css_update_count, len(app.stylesheet.source), app.theme,
                tuple(sorted(app.classes)))

    # Textual calls the handler of every class in the MRO, this one first and then
    # Screen's own (calling super() here would run Screen's resume twice, restyling again).
    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._styled_as is not None and self._styled_as == self._style_state():
            event.refresh_styles = False

    def _on_screen_suspend(self) -> None:
        self._styled_as = self._style_state()
