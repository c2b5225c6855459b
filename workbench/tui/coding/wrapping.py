"""Fast soft wrapping for long transcripts.

Textual's ``WrappedDocument.wrap`` measures every word's cell width; on a 15 000-word
transcript that is most of the time it takes to open one. Transcript lines are nearly always
made of one-cell characters without tabs, and for those a greedy wrap by character count
gives the very same break positions. Anything else (wide or combining characters, tabs)
falls back to Textual's own algorithm. ``height`` is cached: Textual's recomputes it by
summing over every line on every rendered line.
"""

from __future__ import annotations

import re

from textual.document._wrapped_document import WrappedDocument

_CHUNK = re.compile(r"\S+\s*|\s+")  # as textual._wrap: a word with its trailing spaces
# Characters that may not be exactly one cell wide (tabs, controls, combining marks,
# East Asian wide characters, emoji …): their lines take Textual's slow path.
_NOT_SIMPLE = re.compile(
    "[^\x20-\x7e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f]"
)


def simple_offsets(line: str, width: int) -> list[int]:
    """Break positions for a line of one-cell characters (same rules as Textual's wrap)."""
    offsets: list[int] = []
    if len(line) <= width:
        return offsets
    append = offsets.append
    cell = 0
    for match in _CHUNK.finditer(line):
        start, end = match.span()
        size = end - start
        if width - cell >= size:
            cell += size
        elif size > width:  # a word longer than a line is folded
            position = start
            while True:
                if position:
                    append(position)
                if end - position <= width:
                    cell = end - position
                    break
                position += width
        elif cell and start:
            append(start)
            cell = size
    return offsets


class FastWrappedDocument(WrappedDocument):
    _height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._height = None
        lines = self.document.lines
        if any(_NOT_SIMPLE.search(line) for line in lines):
            super().wrap(width, tab_width)
            return
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        wrap_offsets: list[list[int]] = []
        offset_to_line_info: list[tuple[int, int]] = []
        line_index_to_offsets: list[list[int]] = []
        add_info = offset_to_line_info.append
        y = 0
        for index, line in enumerate(lines):
            offsets = simple_offsets(line, width) if width else []
            wrap_offsets.append(offsets)
            sections = len(offsets) + 1
            line_index_to_offsets.append(list(range(y, y + sections)))
            for section in range(sections):
                add_info((index, section))
            y += sections
        self._wrap_offsets = wrap_offsets
        self._offset_to_line_info = offset_to_line_info
        self._line_index_to_offsets = line_index_to_offsets
        self._tab_width_cache = [[0] if line else [] for line in lines]  # no tabs
        self._height = y

    def wrap_range(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._height = None
        return super().wrap_range(*args, **kwargs)

    @property
    def height(self) -> int:
        if self._height is None:
            self._height = super().height
        return self._height
