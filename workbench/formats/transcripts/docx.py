"""Word documents (.docx), read with python-docx.

Body paragraphs and tables are read in document order (also inside content controls).
A paragraph starts a speaker's turn when it begins with a speaker label, in bold or plain;
a bold run at the start of the paragraph ending with ``:`` is taken as a label even when its
shape is unusual (``Leder, avdeling B:``). Heading-styled paragraphs (Heading/Overskrift,
Title/Tittel, or an outline level) become unattributed turns. Tables with two columns
(speaker | text), optionally led by a time column, give one turn per row; other tables are
read cell by cell with the ordinary paragraph rules. Deleted tracked changes are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from lxml import etree

from workbench.domain.parsed import ParsedTranscript, normalise_text
from workbench.i18n import UserError

from .labels import clean_label, is_loose_label, split_marker
from .reading import Progress, Ticker, check_zip
from .turns import LineParser, feed_table_row

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": _W, "mc": _MC}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
W_T, W_TAB, W_BR, W_CR = _w("t"), _w("tab"), _w("br"), _w("cr")
W_NOBREAKHYPHEN, W_RPR, W_B, W_VAL = _w("noBreakHyphen"), _w("rPr"), _w("b"), _w("val")
W_PPR, W_PSTYLE, W_OUTLINELVL, W_SECTPR = _w("pPr"), _w("pStyle"), _w("outlineLvl"), _w("sectPr")
W_SDTPR = _w("sdtPr")
_BLOCKS = frozenset({W_P, W_TBL})
_ROWS = frozenset({W_TR})
_CELLS = frozenset({W_TC})
#: Property and alternative-content elements: never hold body text of their own.
_NOT_WRAPPERS = frozenset(
    {W_SECTPR, W_SDTPR, W_PPR, W_RPR, _w("tblPr"), _w("tblGrid"), _w("trPr"), _w("tcPr"),
     f"{{{_MC}}}Fallback"}
)

_RUNS = etree.XPath(
    ".//w:r[not(ancestor::mc:Fallback) and not(ancestor::w:moveFrom)]", namespaces=_NS
)
_HEADING_PREFIXES = ("heading", "overskrift", "title", "tittel", "subtitle", "undertittel")
_FALSE = frozenset({"0", "false", "off", "none"})
_CHUNK = 200


def parse_docx(data: bytes, name: str, progress: Progress | None = None) -> ParsedTranscript:
    check_zip(data, name, invalid_key="import.error.docx_invalid")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        heading_styles = _heading_style_ids(document)
    except UserError:
        raise
    except Exception:  # python-docx raises many kinds for damaged packages
        raise UserError("import.error.docx_invalid", name=name) from None

    blocks = list(_iter_blocks(body))
    ticker = Ticker(progress, len(blocks), _CHUNK)
    parser = LineParser()
    for index, block in enumerate(blocks):
        if index % _CHUNK == 0:
            ticker.tick(index)
        if block.tag == W_P:
            _feed_paragraph(parser, block, heading_styles)
        else:
            _feed_table(parser, block)
    turns = parser.finish()
    ticker.finish()
    return ParsedTranscript("docx", turns)


def _heading_style_ids(document: Any) -> frozenset[str]:
    ids: set[str] = set()
    for style in document.styles:
        style_id = (getattr(style, "style_id", None) or "").casefold()
        style_name = (getattr(style, "name", None) or "").casefold()
        if style_id.startswith(_HEADING_PREFIXES) or style_name.startswith(_HEADING_PREFIXES):
            ids.add(getattr(style, "style_id", ""))
            continue
        element = getattr(style, "element", None)
        if element is not None and _has_outline_level(element.find(W_PPR)):
            ids.add(getattr(style, "style_id", ""))
    return frozenset(ids)


def _iter_children(container: etree._Element, wanted: frozenset[str]) -> Iterator[etree._Element]:
    """Children with a wanted tag in document order, looking through wrappers such as
    content controls (``w:sdt``/``w:sdtContent``) and ``w:customXml``."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in wanted:
            yield child
        elif isinstance(tag, str) and tag not in _NOT_WRAPPERS:
            yield from _iter_children(child, wanted)


def _iter_blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables in document order."""
    return _iter_children(container, _BLOCKS)


def _paragraph_text(p: etree._Element) -> tuple[str, str]:
    """The paragraph's text and its leading bold text."""
    parts: list[str] = []
    bold: list[str] = []
    leading = True
    for run in _RUNS(p):
        pieces: list[str] = []
        for child in run:
            tag = child.tag
            if tag == W_T:
                pieces.append(child.text or "")
            elif tag == W_TAB:
                pieces.append("\t")
            elif tag == W_BR or tag == W_CR:
                pieces.append("\n")
            elif tag == W_NOBREAKHYPHEN:
                pieces.append("-")
        if not pieces:
            continue
        text = "".join(pieces)
        parts.append(text)
        if leading:
            if _is_bold(run):
                bold.append(text)
            elif text.strip():
                leading = False
            else:
                bold.append(text)
    return "".join(parts), "".join(bold)


def _is_bold(run: etree._Element) -> bool:
    rpr = run.find(W_RPR)
    if rpr is None:
        return False
    b = rpr.find(W_B)
    return b is not None and (b.get(W_VAL) or "true").casefold() not in _FALSE


def _is_heading(p: etree._Element, heading_styles: frozenset[str]) -> bool:
    ppr = p.find(W_PPR)
    if ppr is None:
        return False
    if _has_outline_level(ppr):
        return True
    style = ppr.find(W_PSTYLE)
    if style is None:
        return False
    style_id = style.get(W_VAL) or ""
    return style_id in heading_styles or style_id.casefold().startswith(_HEADING_PREFIXES)


def _has_outline_level(ppr: etree._Element | None) -> bool:
    """Outline levels 0-8 are headings; 9 is Word's explicit "body text"."""
    if ppr is None:
        return False
    level = ppr.find(W_OUTLINELVL)
    return level is not None and (level.get(W_VAL) or "9") != "9"


def _feed_paragraph(
    parser: LineParser, p: etree._Element, heading_styles: frozenset[str]
) -> None:
    raw, bold = _paragraph_text(p)
    text = normalise_text(raw)
    if not text.strip():
        parser.paragraph_break()
        return
    if _is_heading(p, heading_styles):
        parser.heading(text)
        return
    if bold.strip():
        found = _bold_label(text, normalise_text(bold))
        if found is not None:
            label, rest = found
            lines = rest.splitlines()
            parser.start_turn(label, lines[0] if lines else "")
            for line in lines[1:]:
                parser.feed(line)
            parser.paragraph_break()
            return
    parser.feed_paragraph(text)


def _bold_label(text: str, bold: str) -> tuple[str, str] | None:
    """``(label, rest)`` when a bold run at the start is a speaker label not found by shape."""
    stripped = text.lstrip()
    label, _, _ = split_marker(stripped.split("\n", 1)[0].strip())
    if label is not None:
        return None  # the ordinary rules see it already
    prefix = bold.strip()
    if "\n" in prefix or not stripped.startswith(prefix):
        return None
    after = stripped[len(prefix) :]
    if prefix.endswith(":"):
        candidate = prefix[:-1].strip()
    elif after.lstrip(" \t").startswith(":"):
        candidate = prefix
        after = after.lstrip(" \t")[1:]
    else:
        return None
    if after and not after[0].isspace():
        return None
    candidate = clean_label(candidate)
    if not is_loose_label(candidate):
        return None
    return candidate, after.strip()


def _cell_text(cell: etree._Element) -> str:
    """All text in a table cell, paragraph by paragraph, nested tables flattened."""
    lines: list[str] = []
    for block in _iter_children(cell, _BLOCKS):
        if block.tag == W_P:
            lines.append(_paragraph_text(block)[0])
        else:
            for tr in _iter_children(block, _ROWS):
                lines.extend(_cell_text(tc) for tc in _iter_children(tr, _CELLS))
    return "\n".join(lines)


def _feed_table(parser: LineParser, tbl: etree._Element) -> None:
    parser.paragraph_break()
    for index, tr in enumerate(_iter_children(tbl, _ROWS)):
        cells = [_cell_text(tc) for tc in _iter_children(tr, _CELLS)]
        feed_table_row(parser, cells, first_row=index == 0)
    parser.paragraph_break()
