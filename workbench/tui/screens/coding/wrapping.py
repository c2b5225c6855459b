"""Fast soft wrapping for long transcripts: the break positions.

Textual's ``WrappedDocument.wrap`` measures every word's cell width; on a 15 000-word
transcript that is most of the time it takes to open one. Transcript lines are nearly always
made of one-cell characters without tabs, and for those a greedy wrap by character count
gives the very same break positions. Anything else (wide or combining characters, tabs)
is left to Textual's own algorithm (:func:`break_lines` returns None). The positions are
handed to Textual by :class:`workbench.tui.compat.FastWrappedDocument`.

Plain Python (no Textual), so it can be tested on its own.
"""

from __future__ import annotations

import re

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


def break_lines(lines: list[str], width: int) -> list[list[int]] | None:
    """Break positions of every line at ``width`` (0: no wrapping), or None when a line
    holds a character that may not be one cell wide."""
    if not width:  # no breaks whatever the characters; only tabs need Textual's widths
        return None if any("\t" in line for line in lines) else [[] for _ in lines]
    if any(_NOT_SIMPLE.search(line) for line in lines):
        return None
    return [simple_offsets(line, width) for line in lines]


class ReadOnlyBreaks:
    """:func:`break_lines` for a read-only text: whether its lines are all simple is
    worked out once per list of lines, not at every wrap (a new text, then its width),
    and the breaks at the last width are kept (the same lines wrapped again at the same
    width, as TextArea does when it is first sized, cost nothing)."""

    def __init__(self) -> None:
        self._lines: list[str] | None = None
        self._count = -1
        self._simple: bool | None = None
        self._kept: tuple[int, list[list[int]]] | None = None
        self.width = -1  # the width the lines were last wrapped at

    def wrapped_at(self, lines: list[str], width: int) -> bool:
        """Whether ``lines`` were last wrapped at ``width``."""
        return lines is self._lines and len(lines) == self._count and width == self.width

    def __call__(self, lines: list[str], width: int) -> list[list[int]] | None:
        if lines is not self._lines or len(lines) != self._count:
            self._lines, self._count = lines, len(lines)
            self._simple, self._kept = None, None
        self.width = width
        if not width:
            return break_lines(lines, 0)
        if self._simple is None:
            self._simple = not any(_NOT_SIMPLE.search(line) for line in lines)
        if not self._simple:
            return None
        if self._kept is None or self._kept[0] != width:
            self._kept = (width, [simple_offsets(line, width) for line in lines])
        return list(self._kept[1])  # a list of its own for each wrap (lines never change)
