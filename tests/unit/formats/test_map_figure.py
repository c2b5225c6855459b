"""The thematic map as a figure: one layout drawn as SVG and PNG, legible for 8 × 6."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from workbench.formats.word import docx as word
from workbench.formats.word import figure

NAMES = ["Håp og relasjon som kjernen i forbedring", "Tid", "Økonomien styrer mer enn vi vil",
         "Å bli spurt", "Ildsjeler", "Kveldene", "Språket", "Trygghet som felles grunn"]


def eight_by_six() -> tuple[word.ThemeData, ...]:
    return tuple(
        word.ThemeData(name, children=tuple(
            word.ThemeData(f"{name}: undertema {i} med et ganske langt navn som må brytes",
                           own_codes=(f"kode {i}a", f"kode {i}b"))
            for i in range(1, 7)))
        for name in NAMES
    )


def test_layout_keeps_every_box_on_the_canvas_and_no_line_too_wide():
    plan = figure.layout(eight_by_six(), [])
    assert len(plan.boxes) == 8 * 7
    for box in plan.boxes:
        assert 0 <= box.x and box.x + box.w <= plan.width
        assert 0 <= box.y and box.y + box.h <= plan.height
        for text, size, bold, _colour in box.lines:
            assert figure.text_length(text, size, bold) <= box.w - 2 * figure.PAD or " " not in text
    # two rows of four cards: fits a landscape A4 page at about 8 pt for sub-themes
    assert plan.width / plan.height > 24.7 / 16.0 * 0.9
    scale_cm = 24.7 / plan.width
    assert figure.SUB_SIZE * scale_cm / 2.54 * 72 >= 7.5  # points
    # boxes of one card never overlap
    subs = sorted((b for b in plan.boxes if b.x > figure.MARGIN and b.x < figure.MARGIN + 100),
                  key=lambda b: b.y)
    assert all(a.y + a.h <= b.y for a, b in zip(subs, subs[1:]))


def test_main_themes_keep_their_colours_and_sub_themes_a_tint():
    themes = eight_by_six()[:2]
    plan = figure.layout(themes, ["#4e79a7", "#f28e2b"])
    mains = [b for b in plan.boxes if b.lines[0][1] == figure.MAIN_SIZE]
    assert [b.fill for b in mains] == ["#4e79a7", "#f28e2b"]
    assert all(b.fill != "#4e79a7" for b in plan.boxes if b.stroke == "#4e79a7" and b not in mains)
    assert figure.readable_on("#4e79a7") == "#ffffff" and figure.readable_on("#ffe0e0") == "#000000"


def test_svg_and_png_come_from_the_same_layout():
    plan = figure.layout(eight_by_six(), [], codes=True)
    svg = figure.to_svg(plan, title="Figur 1. Tematisk kart")
    root = ET.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    texts = [e.text for e in root.iter(f"{ns}text")]
    assert "Håp og relasjon som kjernen i forbedring" in " ".join(texts)
    assert any(t and t.startswith("• kode 1a") for t in texts)  # codes when asked for
    assert len(list(root.iter(f"{ns}rect"))) == 1 + len(plan.boxes)
    image = Image.open(io.BytesIO(figure.to_png(plan, scale=1.0)))
    assert image.size == (round(plan.width), round(plan.height))
    assert image.getpixel((int(plan.boxes[0].x + 4), int(plan.boxes[0].y + 20))) != (255, 255, 255)


def test_the_report_embeds_the_figure_with_its_caption():
    data = word.ThemeMapData("Studie", eight_by_six(), 10)
    doc = word.report_document(data, word.ReportOptions(table=None))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figur 1. Tematisk kart"]
    assert len(doc.inline_shapes) == 1
    assert doc.sections[0].orientation == 1  # landscape for the figure, then portrait
    assert doc.sections[-1].orientation == 0
    assert doc.inline_shapes[0].width.cm <= 24.7 + 1e-6
