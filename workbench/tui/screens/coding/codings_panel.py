"""The codes under the cursor: a small focusable list that repaints without a re-layout.

An OptionList re-lays out the screen whenever its number of lines changes, which would
repaint the whole screen on every coding; this list has a fixed size and only refreshes
itself.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget

from workbench.i18n import t


class CodingsPanel(Widget, can_focus=True):
    DEFAULT_CSS = """
    CodingsPanel {
        height: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False, id="codings_panel.down"),
        Binding("up", "move(-1)", show=False, id="codings_panel.up"),
        Binding("enter", "select", show=False, id="codings_panel.select"),
    ]

    class Selected(Message):
        def __init__(self, panel: CodingsPanel, coding_id: int) -> None:
            super().__init__()
            self.panel = panel
            self.coding_id = coding_id

        @property
        def control(self) -> CodingsPanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.items: list[tuple[int, Content]] = []
        self.highlighted: int | None = None

    def set_items(self, items: list[tuple[int, Content]]) -> None:
        before = self._rows()
        self.items = items
        self.highlighted = 0 if items else None
        self._refresh_changed(before)

    def _rows(self) -> list[tuple[object, ...]]:
        """What each row shows (the empty list's one row of text included)."""
        if not self.items:
            return [("none",)]
        lit = self.has_focus
        return [(cid, label.plain, tuple(label.spans), lit and i == self.highlighted)
                for i, (cid, label) in enumerate(self.items)]

    def _refresh_changed(self, before: list[tuple[object, ...]]) -> None:
        """Repaint only the rows whose text or highlight changed: the panel is 14 rows
        high and coding a selection usually changes one of them."""
        after = self._rows()
        width = self.content_region.width
        changed = [y for y in range(max(len(before), len(after)))
                   if (before[y] if y < len(before) else None)
                   != (after[y] if y < len(after) else None)]
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    @property
    def highlighted_id(self) -> int | None:
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted][0]

    def render(self) -> Content:
        if not self.items:
            return Content.styled(t("coding_ui.under_cursor_none"), "dim")
        lines = []
        for index, (_, label) in enumerate(self.items):
            if index == self.highlighted and self.has_focus:
                label = label.stylize("reverse")
            lines.append(label)
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        if not self.items:
            return
        current = self.highlighted or 0
        self.highlighted = max(0, min(len(self.items) - 1, current + step))
        self.refresh()

    def action_select(self) -> None:
        coding_id = self.highlighted_id
        if coding_id is not None:
            self.post_message(self.Selected(self, coding_id))

    def on_click(self, event: events.Click) -> None:
        index = event.y
        if 0 <= index < len(self.items):
            self.highlighted = index
            self.refresh()
            self.post_message(self.Selected(self, self.items[index][0]))
