"""The thematic map as a figure: main themes → sub-themes (→ codes), in the project's colours.

One layout, two renderings: :func:`to_svg` writes the SVG text by hand and :func:`to_png`
draws the same boxes with Pillow; the text is measured and drawn in Source Sans Pro from
the ``font-source-sans-pro`` package (PyPI wheels only, no system fonts or libraries; it has
æ, ø and å, which Pillow's own default font lacks). The report embeds the PNG.

The layout is a grid of cards, up to four across: each card is a main theme's box (filled
with its colour) with its sub-themes below it (a light tint of the colour), joined by a
line down the left side. Text wraps inside the boxes; nothing is cut. Eight main themes
with six sub-themes each fit an A4 page as two rows of four cards.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from workbench.domain.codebook import PALETTE, tint

from .docx import ThemeData

# Units: a card is 520 wide; on a landscape A4 page with four cards across, 24 units print
# as about 8 pt and 30 as about 10 pt.
CARD_WIDTH = 520
GAP = 36
MARGIN = 24
INDENT = 30
PAD = 8
SUB_GAP = 8
MAIN_SIZE, SUB_SIZE, CODE_SIZE = 30, 24, 19
LINE = 1.2
MAX_COLUMNS = 4
FONT_FAMILY = "'Source Sans Pro', 'Source Sans 3', 'Segoe UI', Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    lines: tuple[tuple[str, int, bool, str], ...]
    """(text, size, bold, colour) per line, from the top."""


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, str]] = field(default_factory=list)


@lru_cache(maxsize=None)
def _font(size: int, bold: bool = False):  # type: ignore[no-untyped-def]
    import font_source_sans_pro as source_sans
    from PIL import ImageFont

    return ImageFont.truetype(source_sans.SourceSansProBold if bold else source_sans.SourceSansPro,
                              size)


def text_length(text: str, size: int, bold: bool = False) -> float:
    # The SVG may be shown in a wider fallback font: measure with room to spare.
    return _font(size, bold).getlength(text) * 1.12


def wrap(text: str, size: int, width: float, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width``; a word longer than a line stands alone."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_length(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.55 else "#ffffff"


def _box(x: float, y: float, w: float, texts: Sequence[tuple[str, int, bool]], fill: str,
         stroke: str, colour: str) -> Box:
    lines: list[tuple[str, int, bool, str]] = []
    for text, size, bold in texts:
        for line in wrap(text, size, w - 2 * PAD, bold):
            lines.append((line, size, bold, colour if size != CODE_SIZE else "#333333"))
    h = 2 * PAD + sum(size * LINE for _t, size, _b, _c in lines)
    return Box(x, y, w, h, fill, stroke, tuple(lines))


def layout(themes: Sequence[ThemeData], colours: Sequence[str], *, codes: bool = False) -> Layout:
    """Cards for ``themes`` (main themes with their sub-themes) in ``colours`` (one per main
    theme; the palette when short)."""
    columns = max(1, min(MAX_COLUMNS, len(themes)))
    out = Layout(width=2 * MARGIN + columns * CARD_WIDTH + (columns - 1) * GAP, height=0)
    y = MARGIN
    for row_start in range(0, len(themes), columns):
        row_height = 0.0
        for col, theme in enumerate(themes[row_start:row_start + columns]):
            index = row_start + col
            colour = (colours[index] if index < len(colours) else "") or PALETTE[index % len(PALETTE)]
            x = MARGIN + col * (CARD_WIDTH + GAP)
            main = _box(x, y, CARD_WIDTH, [(theme.name, MAIN_SIZE, True)], colour, colour,
                        readable_on(colour))
            out.boxes.append(main)
            bottom = main.y + main.h
            trunk_x = x + INDENT / 2
            last_mid = None
            for child in _flatten(theme):
                texts = [(child.name, SUB_SIZE, False)]
                if codes:
                    texts += [("• " + c, CODE_SIZE, False) for c in child.own_codes]
                sub = _box(x + INDENT, bottom + SUB_GAP, CARD_WIDTH - INDENT, texts,
                           tint(colour, 0.8), colour, "#000000")
                out.boxes.append(sub)
                mid = sub.y + min(sub.h / 2, PAD + SUB_SIZE * LINE / 2)
                out.lines.append((trunk_x, mid, sub.x, mid, colour))
                last_mid = mid
                bottom = sub.y + sub.h
            if last_mid is not None:
                out.lines.insert(0, (trunk_x, main.y + main.h, trunk_x, last_mid, colour))
            row_height = max(row_height, bottom - y)
        y += row_height + GAP
    out.height = y - GAP + MARGIN if themes else 2 * MARGIN
    return out


def _flatten(theme: ThemeData) -> list[ThemeData]:
    """The sub-themes of a main theme in map order (deeper levels follow their parent)."""
    out: list[ThemeData] = []
    for child in theme.children:
        out.append(child)
        out.extend(_flatten(child))
    return out


def to_svg(plan: Layout, *, title: str = "") -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{plan.width:.0f}" '
        f'height="{plan.height:.0f}" viewBox="0 0 {plan.width:.0f} {plan.height:.0f}" '
        f'font-family="{escape(FONT_FAMILY)}">',
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(f'<rect width="{plan.width:.0f}" height="{plan.height:.0f}" fill="#ffffff"/>')
    for x1, y1, x2, y2, colour in plan.lines:
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="{colour}" stroke-width="3"/>')
    for box in plan.boxes:
        parts.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
                     f'height="{box.h:.1f}" rx="8" fill="{box.fill}" stroke="{box.stroke}" '
                     f'stroke-width="2"/>')
        y = box.y + PAD
        for text, size, bold, colour in box.lines:
            y += size * LINE
            weight = ' font-weight="bold"' if bold else ""
            parts.append(f'<text x="{box.x + PAD:.1f}" y="{y - size * 0.3:.1f}" '
                         f'font-size="{size}"{weight} fill="{colour}">{escape(text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def to_png(plan: Layout, *, scale: float = 2.0) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (round(plan.width * scale), round(plan.height * scale)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for x1, y1, x2, y2, colour in plan.lines:
        draw.line([(x1 * scale, y1 * scale), (x2 * scale, y2 * scale)], fill=colour,
                  width=round(3 * scale))
    for box in plan.boxes:
        draw.rounded_rectangle(
            [box.x * scale, box.y * scale, (box.x + box.w) * scale, (box.y + box.h) * scale],
            radius=round(8 * scale), fill=box.fill, outline=box.stroke, width=round(2 * scale),
        )
        y = box.y + PAD
        for text, size, bold, colour in box.lines:
            font = _font(round(size * scale), bold)
            draw.text(((box.x + PAD) * scale, (y + size * (LINE - 1) / 2) * scale), text,
                      font=font, fill=colour)
            y += size * LINE
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def outline_lines(themes: Sequence[ThemeData], *, codes: bool = False) -> list[str]:
    """The figure as text (for ``--preview``): main theme, then its sub-themes indented."""
    lines: list[str] = []

    def walk(theme: ThemeData, depth: int) -> None:
        lines.append("    " * depth + ("■ " if depth == 0 else "└ ") + theme.name)
        if codes and depth:
            lines.extend("    " * (depth + 1) + "• " + c for c in theme.own_codes)
        for child in theme.children:
            walk(child, depth + 1)

    for theme in themes:
        walk(theme, 0)
    return lines


__all__ = ["Layout", "layout", "outline_lines", "readable_on", "to_png", "to_svg", "wrap"]
