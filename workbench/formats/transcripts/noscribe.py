"""noScribe HTML (.html/.htm), and any other HTML transcript, read leniently with lxml.

noScribe writes one ``<p>`` per speaker turn; inside it each segment is an anchor
``<a name="ts_{start_ms}_{end_ms}_{speaker}">``, and the text starts with ``S01:`` and a
``[hh:mm:ss]`` timestamp. A paragraph with such anchors is one turn whose start/end are the
first/last anchor times; the speaker is the label written in the text, else the anchors'.
Paragraphs without anchors (the title, the info line, hand-written text) follow the ordinary
paragraph rules; headings ``<h1>``–``<h6>`` become unattributed turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from workbench.domain.parsed import ParsedTranscript
from workbench.i18n import UserError, t

from .labels import clean_label, split_marker
from .reading import Progress, Ticker, decode_text
from .turns import LineParser, Segment, merge_segments

_ANCHOR = re.compile(r"ts_(\d+)_(\d+)(?:_(.*))?\Z", re.DOTALL)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table thead tbody tfoot tr td th caption "
    "blockquote pre section article header footer main nav aside figure figcaption hr "
    "address details summary form fieldset body".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SKIP = frozenset("head script style template noscript title meta link object iframe".split())
_CHUNK = 500


@dataclass(slots=True)
class _Block:
    heading: bool = False
    parts: list[str] = field(default_factory=list)
    #: (start_ms, end_ms, speaker, index into ``parts`` where the anchor's text begins)
    anchors: list[tuple[int, int, str, int]] = field(default_factory=list)


def parse_html(data: bytes, name: str, progress: Progress | None = None) -> ParsedTranscript:
    text, encoding = decode_text(data, name)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise UserError("import.error.no_text", name=name)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise UserError("import.error.html_invalid", name=name) from None
    body = root.find("body")
    blocks: list[_Block] = [_Block()]
    try:
        _walk(body if body is not None else root, blocks)
    except RecursionError:
        raise UserError("import.error.html_invalid", name=name) from None

    is_noscribe = any(b.anchors for b in blocks) or _generator_is_noscribe(root)
    ticker = Ticker(progress, len(blocks), _CHUNK)
    parser = LineParser()
    for index, block in enumerate(blocks):
        if index % _CHUNK == 0:
            ticker.tick(index)
        _feed_block(parser, block, is_noscribe)
    turns = parser.finish()
    ticker.finish()
    result = ParsedTranscript("noscribe_html" if is_noscribe else "html", turns, encoding=encoding)
    if encoding == "cp1252":
        result.warnings.append(t("import.warning.legacy_encoding", name=name))
    return result


def _generator_is_noscribe(root: etree._Element) -> bool:
    head = root.find("head")
    if head is None:
        return False
    return any("noscribe" in (meta.get("content") or "").casefold() for meta in head.iter("meta"))


def _walk(element: etree._Element, blocks: list[_Block]) -> None:
    """Text of ``element``'s subtree into blocks; a block element opens and closes a block."""
    tag = element.tag
    if not isinstance(tag, str):  # comment or processing instruction: only its tail counts
        return
    tag = tag.lower()
    if tag in _SKIP:
        return
    is_block = tag in _BLOCK
    if is_block:
        blocks.append(_Block(heading=tag in _HEADINGS))
    current = blocks[-1]
    if tag == "br":
        current.parts.append("\n")
    elif tag == "a":
        m = _ANCHOR.match(element.get("name") or element.get("id") or "")
        if m is not None:
            speaker = clean_label(m.group(3) or "")
            current.anchors.append((int(m.group(1)), int(m.group(2)), speaker, len(current.parts)))
    if element.text:
        current.parts.append(_HTML_SPACE.sub(" ", element.text))
    for child in element:
        _walk(child, blocks)
        if child.tail:
            blocks[-1].parts.append(_HTML_SPACE.sub(" ", child.tail))
    if is_block:
        blocks.append(_Block())


def _feed_block(parser: LineParser, block: _Block, is_noscribe: bool) -> None:
    lines = _lines("".join(block.parts))
    if not lines:
        return
    if block.heading:
        parser.heading("\n".join(lines))
        return
    if not block.anchors:
        if is_noscribe:
            # noScribe anchors every turn; other paragraphs (title, info lines) are no turns
            if parser.builder.in_speaker_turn:
                parser.continue_turn("\n".join(lines))
            else:
                parser.start_turn(None, "\n".join(lines))
        else:
            for line in lines:
                parser.feed(line)
        parser.paragraph_break()
        return
    label, _, rest = split_marker(lines[0])
    speaker = label or next((a[2] for a in block.anchors if a[2]), None)
    if speaker is None:
        _feed_unattributed_anchors(parser, block)
        return
    start = min(a[0] for a in block.anchors)
    end = max(a[1] for a in block.anchors)
    # a leading "[hh:mm:ss]" is dropped with the label: the anchors carry exact times
    parser.start_turn(speaker, "\n".join([rest, *lines[1:]]), start, end)
    parser.paragraph_break()


def _feed_unattributed_anchors(parser: LineParser, block: _Block) -> None:
    """Without speaker detection noScribe writes one paragraph: split it at pauses."""
    anchors = block.anchors
    prefix = _lines("".join(block.parts[: anchors[0][3]]))
    if prefix:
        parser.start_turn(None, "\n".join(prefix))
        parser.paragraph_break()
    segments = []
    for i, (start, end, _, at) in enumerate(anchors):
        until = anchors[i + 1][3] if i + 1 < len(anchors) else len(block.parts)
        segments.append(Segment(None, "".join(block.parts[at:until]), start, end))
    for turn in merge_segments(segments):
        _, _, text = split_marker(turn.text)  # drop a leading "[hh:mm:ss]"
        parser.start_turn(None, text or turn.text, turn.start_ms, turn.end_ms)
        parser.paragraph_break()


def _lines(text: str) -> list[str]:
    return [line for line in (part.strip() for part in text.split("\n")) if line]
