"""The thematic map as a box-drawing diagram for the terminal.

The same tree shape as the report's figure (``workbench.formats.word.figure``): a grid of
cards, each a main theme's box (heavy lines, filled with the theme's colour) with its
sub-themes below it in light boxes, joined by a line down the left side; codes are
optional. Deeper sub-themes follow their parent, marked «↳». Text wraps inside the boxes;
a word longer than a box is broken, so no line is ever wider than the width asked for.

:func:`diagram` is pure: it returns lines of styled segments and knows nothing of Rich or
Textual; the screen turns the segments into styled text. ``"".join(s.text for s in line)``
is the plain text of a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .codebook import PALETTE, tint

__all__ = [
    "CARD_MAX", "CARD_MIN", "MAX_COLUMNS", "MapNode", "Segment", "diagram", "main_colours",
    "plain", "readable_on",
]

CARD_MIN = 30
"""Narrowest card before the diagram drops to fewer columns."""
CARD_MAX = 48
"""Widest card: at wide terminals the cards stop at a readable width."""
MAX_COLUMNS = 4
GAP = 2
INDENT = 4  # where a sub-theme box starts inside its card
TRUNK = 1  # the column of the line joining the sub-themes


@dataclass(frozen=True)
class MapNode:
    """A theme of the diagram: its name, its own codes and its sub-themes."""

    name: str
    codes: tuple[str, ...] = ()
    children: tuple[MapNode, ...] = ()
    colour: str = ""
    """``#rrggbb`` for a main theme (empty: the palette's colour for its place)."""


@dataclass(frozen=True)
class Segment:
    """A run of text in one style. Colours are ``#rrggbb`` or empty (the terminal's own)."""

    text: str
    fg: str = ""
    bg: str = ""
    bold: bool = False
    dim: bool = False


Line = tuple[Segment, ...]


def plain(line: Sequence[Segment]) -> str:
    return "".join(s.text for s in line)


def readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#ffffff"


def main_colours(first_code_colours: Sequence[str]) -> list[str]:
    """One colour per main theme, each its own: the colour of its first code, or the
    palette's next free colour when it has no code or another main theme has that colour
    (the rule of the report's figure)."""
    used: set[str] = set()
    out: list[str] = []
    for colour in first_code_colours:
        colour = (colour or "").lower()
        if not colour or colour in used:
            colour = next((c for c in PALETTE if c not in used), PALETTE[len(out) % len(PALETTE)])
        used.add(colour)
        out.append(colour)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters; words longer than a line are cut
    into pieces of ``width``."""
    width = max(1, width)
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if len(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


@dataclass
class _Card:
    width: int
    lines: list[Line] = field(default_factory=list)


def _flatten(node: MapNode, depth: int = 1) -> list[tuple[MapNode, int]]:
    out: list[tuple[MapNode, int]] = []
    for child in node.children:
        out.append((child, depth))
        out.extend(_flatten(child, depth + 1))
    return out


def _text_rows(name: str, codes: Sequence[str], inner: int, prefix: str = "") -> list[tuple[str, bool]]:
    """The rows inside a box: the name (wrapped), then ``• code`` rows; (text, is_code)."""
    rows = [(row, False) for row in wrap(prefix + name, inner)]
    for code in codes:
        pieces = wrap(code, max(1, inner - 2))
        rows.append(("• " + pieces[0], True))
        rows.extend(("  " + piece, True) for piece in pieces[1:])
    return rows


def _card(node: MapNode, colour: str, width: int, codes: bool) -> _Card:
    card = _Card(width)
    add = card.lines.append
    ink = readable_on(colour)
    subs = _flatten(node)
    # The main theme: a heavy box filled with its colour.
    inner = width - 4
    add((Segment("┏" + "━" * (width - 2) + "┓", fg=colour),))
    for row, is_code in _text_rows(node.name, node.codes if codes else (), inner):
        add((
            Segment("┃", fg=colour),
            Segment(" " + row.ljust(inner) + " ", fg=ink, bg=colour, bold=not is_code),
            Segment("┃", fg=colour),
        ))
    if subs:
        add((Segment("┗" + "━" * (TRUNK - 1) + "┯" + "━" * (width - TRUNK - 2) + "┛",
                     fg=colour),))
    else:
        add((Segment("┗" + "━" * (width - 2) + "┛", fg=colour),))
    if not subs:
        return card
    # The sub-themes: light boxes in a tint of the colour, joined by the trunk.
    indent = min(INDENT, width - 5)  # width >= 8, so indent >= 3 = TRUNK + 2
    box_width = width - indent
    sub_inner = box_width - 4
    fill = tint(colour, 0.8)
    lead = " " * TRUNK
    for index, (sub, depth) in enumerate(subs):
        last = index == len(subs) - 1
        through = Segment(lead + "│" + " " * (indent - TRUNK - 1), fg=colour)
        after = Segment(" " * indent) if last else through
        # The joint replaces the box's left border on its first row.
        joint = Segment(lead + ("└" if last else "├") + "─" * (indent - TRUNK - 1) + "┤",
                        fg=colour)
        rows = _text_rows(sub.name, sub.codes if codes else (), sub_inner, "↳ " * (depth - 1))
        add((through, Segment("╭" + "─" * (box_width - 2) + "╮", fg=colour)))
        for i, (row, is_code) in enumerate(rows):
            left = (joint,) if i == 0 else (after, Segment("│", fg=colour))
            add((
                *left,
                Segment(" " + row.ljust(sub_inner) + " ", fg="#333333" if is_code else "#000000",
                        bg=fill),
                Segment("│", fg=colour),
            ))
        add((after, Segment("╰" + "─" * (box_width - 2) + "╯", fg=colour)))
    return card


def diagram(themes: Sequence[MapNode], width: int, *, codes: bool = False) -> list[Line]:
    """The map as lines no wider than ``width`` (at least 8): up to four cards across, as
    many as fit at :data:`CARD_MIN` or more; each card at most :data:`CARD_MAX` wide."""
    if not themes:
        return []
    width = max(8, width)
    columns = max(1, min(MAX_COLUMNS, len(themes), (width + GAP) // (CARD_MIN + GAP)))
    card_width = min(CARD_MAX, (width - GAP * (columns - 1)) // columns)
    colours = main_colours([th.colour for th in themes])
    cards = [_card(th, colours[i] or PALETTE[i % len(PALETTE)], card_width, codes)
             for i, th in enumerate(themes)]
    out: list[Line] = []
    for row_start in range(0, len(cards), columns):
        row = cards[row_start:row_start + columns]
        height = max(len(card.lines) for card in row)
        if out:
            out.append(())
        for y in range(height):
            line: list[Segment] = []
            for col, card in enumerate(row):
                if col:
                    line.append(Segment(" " * GAP))
                if y < len(card.lines):
                    line.extend(card.lines[y])
                elif col < len(row) - 1:
                    line.append(Segment(" " * card.width))
            out.append(tuple(line))
    return out
