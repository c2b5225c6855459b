"""The transcript: one read-only TextArea that paints coded spans and a margin of stripes.

Coded spans are painted through TextArea's documented ``get_line()`` hook. Styles are
computed per display row once per coding change (only the rows a change touches), never
while painting: ``get_line`` just attaches a ready list of spans to the line.

The coding stripes live in a margin to the left of the text: the widget reports that
margin as its gutter width (so wrapping, the cursor and mouse hits account for it) and
prepends one small strip per rendered line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.color import Color
from textual.geometry import Offset, Region, Size
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from workbench.services.codes import CodingView
from workbench.tui.compat import FastWrapTextArea

from .layout import BLANK, HEADER, HEADER_MODERATOR, TEXT_MODERATOR, DisplayDoc
from .wrapping import ReadOnlyBreaks

# TextArea's editing actions (the transcript is never edited) and its f6/f7 selection
# shortcuts: disabling them lets keys like ctrl+z, ctrl+y, delete, f6 and f7 reach the
# screen and the app.
_EDIT_ACTIONS = frozenset({
    "delete_left", "delete_right", "delete_word_left", "delete_word_right", "delete_line",
    "delete_to_start_of_line", "delete_to_end_of_line", "delete_to_end_of_line_or_delete_line",
    "cut", "paste", "undo", "redo", "select_line", "select_all",
})

MARGIN_STRIPES = 3
MARGIN_WIDTH = MARGIN_STRIPES + 1
STRIPE = "▌"

Item = tuple[int, int, int]  # (start column, end column, coding id) on one row


class TranscriptView(FastWrapTextArea):
    """Shows a :class:`DisplayDoc`; knows the codings of the open transcript."""

    BREAKS = ReadOnlyBreaks()  # the text is never edited

    DEFAULT_CSS = """
    TranscriptView {
        border: none;
        padding: 0 1 0 0;
        height: 1fr;
        overflow-y: scroll;  /* a scrollbar appearing would change the width: a re-wrap */
    }
    TranscriptView:focus {
        border: none;
    }
    TranscriptView > .text-area--selection {
        background: transparent;
        text-style: reverse;
    }
    TranscriptView > .transcript-view--header {
        color: $text-accent;
        text-style: bold;
    }
    TranscriptView > .transcript-view--header-moderator {
        color: $text-secondary;
        text-style: bold italic;
    }
    TranscriptView > .transcript-view--moderator {
        color: $text-muted;
        text-style: italic;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {
        "transcript-view--header",
        "transcript-view--header-moderator",
        "transcript-view--moderator",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(
            "", read_only=True, soft_wrap=True, show_line_numbers=False,
            highlight_cursor_line=False, tab_behavior="focus", id=id,
        )
        self.doc: DisplayDoc | None = None
        self.codings: dict[int, CodingView] = {}
        self.colours: dict[int, str] = {}
        self._row_items: dict[int, list[Item]] = {}
        self._coding_rows: dict[int, list[int]] = {}
        self._row_spans: list[list[Span] | None] = []
        self._row_codes: list[tuple[int, ...]] = []
        self._row_base: list[Style | str] = []
        self._margin_cache: dict[tuple[int, ...], Strip] = {}
        self._style_cache: dict[tuple[int, bool], Style] = {}
        self._background = Color(0, 0, 0)
        self._palette: tuple[object, ...] = ()
        self._follow_cursor = False
        self.coder_colours: dict[str, str] | None = None  # stripes by coder (team views)
        self._css_applied: object = None  # the theme whose CSS fallbacks are filled in
        self._center_when_sized = False  # select_display() before the first layout

    # -- TextArea hooks ----------------------------------------------------------------

    def follow_cursor_on_resize(self) -> None:
        """After the next resize (and re-wrap), scroll the cursor's line back into view."""
        self._follow_cursor = True

    def on_resize(self, event: object) -> None:
        if self._follow_cursor:
            self._follow_cursor = False
            self.call_after_refresh(self._cursor_into_view)  # once it has re-wrapped

    def _cursor_into_view(self) -> None:
        y = self.wrapped_document.location_to_offset(self.cursor_location).y
        self.scroll_to(y=max(0, y - self.size.height // 3), animate=False, immediate=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _EDIT_ACTIONS:
            return False
        return super().check_action(action, parameters)

    @property
    def gutter_width(self) -> int:
        return MARGIN_WIDTH

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        if line_index >= len(self._row_base):
            return Text(line, end="", no_wrap=True)
        spans = self._row_spans[line_index]
        # Rich ignores a Text's own style when rendering a Text without spans, so the
        # row's base style (headers, moderator turns) is the first span.
        return Text(line, end="", no_wrap=True, spans=list(spans) if spans else None)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.doc is not None and not self.BREAKS.wrapped_at(self.document.lines,
                                                               self.wrap_width):
            self._wrap_now()
        # TextArea fills in its theme's CSS fallbacks (five component styles) on every
        # paint, however few lines changed; they change only with the styles, so they are
        # filled in again only after a style update (or a new theme).
        if self._css_applied is self._theme:
            return super(TextArea, self).render_lines(crop)
        self._css_applied = self._theme
        return super().render_lines(crop)

    def _wrap_now(self) -> None:
        """Wrap the text at the width the view has now.

        A text shown before the view was first laid out (the coding screen's first open
        shows its transcript as it mounts) was wrapped at no width; TextArea wraps it again
        on its Resize event, which comes after the first paint. Wrapped here, the first
        paint has the text as it stays (the wrap on Resize then finds the breaks kept)."""
        self.wrapped_document.wrap(self.wrap_width, tab_width=self.indent_width)
        self.drop_cached_lines()
        height = self.wrapped_document.height
        self.virtual_size = Size(0, height)
        self.vertical_scrollbar.window_virtual_size = height  # its thumb, in this paint too
        if self._center_when_sized:
            self._center_when_sized = False
            self.scroll_cursor_visible(center=True)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        visual_y = y + self.scroll_offset.y
        if visual_y >= self.virtual_size.height:
            return strip  # a blank line below the text, already full width
        row, _ = self.wrapped_document.offset_to_location(Offset(0, visual_y))
        codes = self._row_codes[row] if row < len(self._row_codes) else ()
        return Strip.join([self._margin(codes), strip])

    def notify_style_update(self) -> None:
        # Called on every pseudo-class change (focus, hover) too: restyle the rows only
        # when the colours they use have changed (a theme switch).
        self._css_applied = None
        if self.doc is not None and self.is_mounted:
            before = self._palette
            self._compute_base_styles()
            if self._palette != before:
                self._style_cache.clear()
                self._margin_cache.clear()
                for row in range(len(self._row_base)):
                    self._restyle_row(row)
        super().notify_style_update()

    # -- content -----------------------------------------------------------------------

    def show(
        self, doc: DisplayDoc, codings: Iterable[CodingView], colours: dict[int, str],
        *, keep_text: bool = False,
    ) -> None:
        """Show a laid-out transcript with its codings (``keep_text``: text is unchanged)."""
        self.doc = doc
        if not keep_text or self.document.line_count != doc.row_count:
            self.load_text(doc.text)
        self.colours = dict(colours)
        self.codings = {c.id: c for c in codings}
        self._style_cache.clear()
        self._margin_cache.clear()
        self._palette = ()  # a new document: new row kinds
        self._compute_base_styles()
        self._place_all()

    def set_codings(self, codings: Iterable[CodingView]) -> None:
        self.codings = {c.id: c for c in codings}
        self._place_all()

    def set_colours(self, colours: dict[int, str]) -> None:
        self.colours = dict(colours)
        self._style_cache.clear()
        self._margin_cache.clear()
        for row in list(self._row_items):
            self._restyle_row(row)
        self._invalidate()

    def set_coder_colours(self, colours: dict[str, str] | None) -> None:
        """Colour the margin stripes by coder (``{coder: colour}``), or by code (None)."""
        if colours == self.coder_colours:
            return
        self.coder_colours = dict(colours) if colours is not None else None
        self._margin_cache.clear()
        if self.doc is not None:
            for row in list(self._row_items):
                self._restyle_row(row)
            self._invalidate()

    def add_coding(self, coding: CodingView) -> None:
        self.codings[coding.id] = coding
        rows = self._place(coding)
        for row in rows:
            self._restyle_row(row)
        self._invalidate(rows)

    def remove_coding(self, coding_id: int) -> None:
        self.codings.pop(coding_id, None)
        rows = self._coding_rows.pop(coding_id, [])
        for row in rows:
            items = [it for it in self._row_items.get(row, ()) if it[2] != coding_id]
            if items:
                self._row_items[row] = items
            else:
                self._row_items.pop(row, None)
            self._restyle_row(row)
        self._invalidate(rows)

    # -- offsets -----------------------------------------------------------------------

    def _index(self, location: tuple[int, int]) -> int:
        """The display offset of a (row, column) location: from the document's row starts
        (the TextArea's own conversion adds up the length of every row above)."""
        doc = self.doc
        row, column = location
        if doc is None or not 0 <= row < doc.row_count:
            return self.document.get_index_from_location(location)
        return doc.offset(row, column)

    def display_span(self) -> tuple[int, int]:
        """The selection as display offsets ``[a, b)``."""
        start, end = sorted(self.selection)
        return self._index(start), self._index(end)

    def cursor_offset(self) -> int:
        return self._index(self.selection.end)

    def select_display(self, a: int, b: int, *, center: bool = True) -> None:
        assert self.doc is not None
        self.selection = Selection(self.doc.location(a), self.doc.location(b))
        if center and not self.size:  # not laid out yet: centred once it is wrapped
            self._center_when_sized = True
        elif center:
            self.scroll_cursor_visible(center=True)

    def go_to_row(self, row: int, *, cursor_row: int | None = None) -> None:
        """Scroll ``row`` to the top and put the cursor at ``cursor_row`` (default ``row``)."""
        self.selection = Selection.cursor((cursor_row if cursor_row is not None else row, 0))
        y = self.wrapped_document.location_to_offset((row, 0)).y
        self.scroll_to(y=y, animate=False, immediate=True)

    def codings_at(self, a: int, b: int | None = None) -> list[CodingView]:
        """Codings at the caret ``a`` (or overlapping stored ``[a, b)``)."""
        if b is None or b <= a:  # a caret touching a coding's end is in it too
            hits = [c for c in self.codings.values() if c.start <= a <= c.end]
        else:
            hits = [c for c in self.codings.values() if c.start < b and a < c.end]
        return sorted(hits, key=lambda c: (c.start, c.end, c.id))

    # -- painting --------------------------------------------------------------------

    def _compute_base_styles(self) -> None:
        assert self.doc is not None
        _, background = self.background_colors
        self._background = background if background.a else Color(0, 0, 0)
        style = self.get_component_rich_style
        header = style("transcript-view--header")
        header_mod = style("transcript-view--header-moderator")
        moderator = style("transcript-view--moderator")
        palette = (self._background, header, header_mod, moderator, self.rich_style)
        if palette == self._palette and len(self._row_base) == self.doc.row_count:
            return
        self._palette = palette
        by_kind: dict[int, Style | str] = {
            HEADER: header, HEADER_MODERATOR: header_mod, TEXT_MODERATOR: moderator,
        }
        self._row_base = [by_kind.get(kind, "") for kind in self.doc.row_kinds]

    def _place_all(self) -> None:
        assert self.doc is not None
        rows = self.doc.row_count
        self._row_items = {}
        self._coding_rows = {}
        self._row_spans = [None] * rows
        self._row_codes = [()] * rows
        for coding in sorted(self.codings.values(), key=lambda c: (c.start, c.id)):
            self._place(coding)
        for row in range(rows):
            if row in self._row_items or self._row_base[row]:
                self._restyle_row(row)
        self._invalidate()

    def _place(self, coding: CodingView) -> list[int]:
        doc = self.doc
        assert doc is not None
        touched: list[int] = []
        starts = doc.line_starts
        last_row = len(starts) - 1
        for a, b in doc.stored_to_display(coding.start, coding.end):
            ra, ca = doc.location(a)
            rb, cb = doc.location(b)
            for row in range(ra, rb + 1):
                c0 = ca if row == ra else 0
                if row == rb:
                    c1 = cb
                else:
                    c1 = (starts[row + 1] - 1 if row < last_row else len(doc.text)) - starts[row]
                if c1 <= c0 or doc.row_kinds[row] == BLANK:
                    continue
                self._row_items.setdefault(row, []).append((c0, c1, coding.id))
                touched.append(row)
        self._coding_rows[coding.id] = touched
        return touched

    def _row_length(self, row: int) -> int:
        doc = self.doc
        assert doc is not None
        starts = doc.line_starts
        end = starts[row + 1] - 1 if row + 1 < len(starts) else len(doc.text)
        return end - starts[row]

    def _code_style(self, code_id: int, overlap: bool) -> Style:
        key = (code_id, overlap)
        style = self._style_cache.get(key)
        if style is None:
            try:
                colour = Color.parse(self.colours.get(code_id, "#888888"))
            except Exception:  # noqa: BLE001 - a bad colour must not stop painting
                colour = Color.parse("#888888")
            tint = colour.blend(self._background, 0.4)
            style = Style(
                bgcolor=tint.rich_color,
                color="black" if tint.brightness > 0.55 else "white",
                underline=overlap,
            )
            self._style_cache[key] = style
        return style

    def _restyle_row(self, row: int) -> None:
        items = self._row_items.get(row)
        base = self._row_base[row]
        spans: list[Span] = []
        if base:
            spans.append(Span(0, self._row_length(row), base))
        if not items:
            self._row_spans[row] = spans or None
            self._row_codes[row] = ()
            return
        codings = self.codings
        points = sorted({p for c0, c1, _ in items for p in (c0, c1)})
        for p0, p1 in zip(points, points[1:], strict=False):
            active = [cid for c0, c1, cid in items if c0 <= p0 and c1 >= p1]
            if not active:
                continue
            # The innermost (shortest, then newest) coding gives the colour.
            top = min(active, key=lambda cid: (codings[cid].end - codings[cid].start, -cid))
            spans.append(Span(p0, p1, self._code_style(codings[top].code_id, len(active) > 1)))
        self._row_spans[row] = spans
        seen: dict[int | str, None] = {}
        by_coder = self.coder_colours is not None
        for _, _, cid in sorted(items):  # a stripe per code, or per coder (team views)
            seen.setdefault(codings[cid].coder if by_coder else codings[cid].code_id, None)
        self._row_codes[row] = tuple(seen)  # type: ignore[arg-type]

    def _margin(self, codes: tuple[int, ...]) -> Strip:
        strip = self._margin_cache.get(codes)
        if strip is None:
            colours: dict = self.colours if self.coder_colours is None else self.coder_colours
            segments: list[Segment] = []
            shown = codes[:MARGIN_STRIPES]
            for i, code_id in enumerate(shown):
                more = i == MARGIN_STRIPES - 1 and len(codes) > MARGIN_STRIPES
                segments.append(
                    Segment("+" if more else STRIPE, Style(color=colours.get(code_id)))
                )
            segments.append(Segment(" " * (MARGIN_WIDTH - len(shown))))
            strip = Strip(segments, MARGIN_WIDTH).apply_style(self.rich_style)
            self._margin_cache[codes] = strip
        return strip

    def _invalidate(self, rows: list[int] | None = None) -> None:
        """Repaint ``rows`` (document rows; all when None)."""
        # TextArea caches rendered lines by size, scroll, position and selection, not by
        # our styles: drop the cached lines of the rows that changed.
        if rows is None:
            self.drop_cached_lines()
            self.refresh()
            return
        if not rows:
            return
        first, last = min(rows), max(rows)
        wrapped = self.wrapped_document
        top = wrapped.location_to_offset((first, 0)).y
        bottom = wrapped.location_to_offset((last, self._row_length(last))).y
        self.drop_cached_lines(top, bottom)
        self.refresh_lines(top, bottom - top + 1)
