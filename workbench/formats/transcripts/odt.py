"""OpenDocument text (.odt), read with odfpy.

Paragraphs, list items, sections and tables in document order; ``text:h`` headings (and
paragraphs in a Heading/Title style) become unattributed turns; speaker rules as for .docx
(tables included). Tracked deletions and field declarations are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from workbench.domain.parsed import ParsedTranscript, normalise_text
from workbench.i18n import UserError

from .reading import Progress, Ticker, check_zip
from .turns import LineParser, feed_table_row

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SKIP = frozenset(
    {
        (_TEXT, "tracked-changes"),
        (_TEXT, "sequence-decls"),
        (_TEXT, "variable-decls"),
        (_TEXT, "user-field-decls"),
        (_TEXT, "soft-page-break"),
        (_TEXT, "index-title-template"),
        (_OFFICE, "forms"),
        (_TABLE, "table-columns"),
        (_TABLE, "table-column"),
        (_TABLE, "covered-table-cell"),
    }
)
_HEADING_PREFIXES = ("heading", "overskrift", "title", "tittel", "subtitle", "undertittel")
_ELEMENT = 1
_TEXT_NODE = 3
_CHUNK = 200


def parse_odt(data: bytes, name: str, progress: Progress | None = None) -> ParsedTranscript:
    check_zip(data, name, invalid_key="import.error.odt_invalid")
    try:
        from odf.opendocument import load

        document = load(io.BytesIO(data))
        body = document.text
        blocks = list(_iter_blocks(body))
    except UserError:
        raise
    except Exception:  # odfpy raises many kinds for damaged packages
        raise UserError("import.error.odt_invalid", name=name) from None

    ticker = Ticker(progress, len(blocks), _CHUNK)
    parser = LineParser()
    for index, (kind, node) in enumerate(blocks):
        if index % _CHUNK == 0:
            ticker.tick(index)
        if kind == "table":
            _feed_table(parser, node)
            continue
        text = normalise_text(_text(node))
        if not text.strip():
            parser.paragraph_break()
        elif kind == "h" or _heading_style(node):
            parser.heading(text)
        else:
            parser.feed_paragraph(text)
    turns = parser.finish()
    ticker.finish()
    return ParsedTranscript("odt", turns)


def _iter_blocks(node: Any) -> Iterator[tuple[str, Any]]:
    for child in node.childNodes:
        if child.nodeType != _ELEMENT:
            continue
        qname = child.qname
        if qname == (_TEXT, "p"):
            yield "p", child
        elif qname == (_TEXT, "h"):
            yield "h", child
        elif qname == (_TABLE, "table"):
            yield "table", child
        elif qname not in _SKIP:
            yield from _iter_blocks(child)


def _heading_style(node: Any) -> bool:
    style = node.attributes.get((_TEXT, "style-name")) or ""
    return style.casefold().startswith(_HEADING_PREFIXES)


def _text(node: Any) -> str:
    """Text of a paragraph with spaces, tabs and line breaks unwrapped (like odf.teletype)."""
    parts: list[str] = []
    _collect(node, parts)
    return "".join(parts)


def _collect(node: Any, parts: list[str]) -> None:
    for child in node.childNodes:
        kind = child.nodeType
        if kind == _TEXT_NODE:
            parts.append(child.data)
        elif kind == _ELEMENT:
            qname = child.qname
            if qname[0] == _TEXT:
                local = qname[1]
                if local == "s":
                    count = child.attributes.get((_TEXT, "c"))
                    parts.append(" " * (int(count) if count and count.isdigit() else 1))
                    continue
                if local == "tab":
                    parts.append("\t")
                    continue
                if local == "line-break":
                    parts.append("\n")
                    continue
                if local in ("tracked-changes", "note-citation"):
                    continue
            _collect(child, parts)


def _rows(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        if child.nodeType != _ELEMENT:
            continue
        if child.qname == (_TABLE, "table-row"):
            yield child
        elif child.qname in (
            (_TABLE, "table-header-rows"),
            (_TABLE, "table-rows"),
            (_TABLE, "table-row-group"),
        ):
            yield from _rows(child)


def _cell_text(cell: Any) -> str:
    lines: list[str] = []
    for kind, node in _iter_blocks(cell):
        if kind == "table":
            for row in _rows(node):
                lines.extend(
                    _cell_text(c)
                    for c in row.childNodes
                    if c.nodeType == _ELEMENT and c.qname == (_TABLE, "table-cell")
                )
        else:
            lines.append(_text(node))
    return "\n".join(lines)


def _feed_table(parser: LineParser, table: Any) -> None:
    parser.paragraph_break()
    first = True
    for row in _rows(table):
        cells = [
            _cell_text(cell)
            for cell in row.childNodes
            if cell.nodeType == _ELEMENT and cell.qname == (_TABLE, "table-cell")
        ]
        feed_table_row(parser, cells, first_row=first)
        first = False
    parser.paragraph_break()
