"""The theme map drawn as a box-drawing diagram: a scrollable view of
:func:`workbench.domain.map_text.diagram`, laid out again for its width when resized."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from workbench.domain.map_text import MapNode, Segment, diagram


def styled(lines: Sequence[Sequence[Segment]]) -> Text:
    """The diagram's lines as one Rich text, each segment in its colours."""
    out = Text(no_wrap=True, overflow="crop", end="")
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        for seg in line:
            out.append(seg.text, Style(color=seg.fg or None, bgcolor=seg.bg or None,
                                       bold=seg.bold or None, dim=seg.dim or None))
    return out


class MapDiagram(VerticalScroll):
    """Main themes → sub-themes (→ codes) in the project's colours; scrolls up and down."""

    DEFAULT_CSS = """
    MapDiagram { scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    MapDiagram > Static { width: auto; height: auto; }
    MapDiagram > #diagram-note { color: $text-muted; margin-top: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.themes: tuple[MapNode, ...] = ()
        self.codes = False
        self.note = ""
        self.empty = ""
        self._width = 0
        self._waits = 0

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="diagram-text", markup=False)
        yield Static(id="diagram-note", markup=False)

    def show(self, themes: Sequence[MapNode], *, codes: bool, note: str = "",
             empty: str = "") -> None:
        """Draw ``themes`` (codes too when ``codes``); ``note`` goes under the diagram,
        ``empty`` stands in for it when there is no theme."""
        self.themes, self.codes, self.note, self.empty = tuple(themes), codes, note, empty
        self._draw()

    def text_width(self) -> int:
        """The columns the diagram may use: the widget less its scrollbar gutter."""
        return max(8, self.scrollable_content_region.width)

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        if self.scrollable_content_region.width <= 0 and self._waits < 3:
            # just shown (it was display: none): lay out first, then draw for its width
            self._waits += 1
            self.call_after_refresh(self._draw)
            return
        self._waits = 0
        self._width = self.text_width()
        lines = diagram(self.themes, self._width, codes=self.codes)
        text = self.query_one("#diagram-text", Static)
        text.update(styled(lines) if lines else Text(self.empty, style="dim italic"))
        note = self.query_one("#diagram-note", Static)
        note.update(self.note)
        note.display = bool(self.note)

    def on_resize(self, _event: Resize) -> None:
        if self.text_width() != self._width:
            self._draw()

    def lines(self) -> list[str]:
        """The plain text of the diagram as drawn now (for tests and screen readers)."""
        from workbench.domain.map_text import plain

        return [plain(line) for line in diagram(self.themes, self._width or self.text_width(),
                                                codes=self.codes)]
