"""From lines, paragraphs, table rows and timed segments to speaker turns.

* :class:`LineParser` turns a stream of lines/paragraphs into speaker turns following the
  rules every text-like format shares (continuation lines join the current turn, text
  before the first speaker is kept unattributed, nothing is dropped); :func:`feed_table_row`
  adds a table row (``speaker | text``, optionally led by a time column);
* :func:`merge_segments` does the same for timed segment formats (subtitles, Whisper).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.domain.parsed import ParsedTurn, normalise_text

from .clock import bare_timestamp, trailing_timestamp
from .labels import clean_label, is_loose_label, split_marker



class TurnBuilder:
    """Collects lines into turns; never emits an empty turn."""

    __slots__ = ("turns", "_open", "_speaker", "_start", "_end", "_lines")

    def __init__(self) -> None:
        self.turns: list[ParsedTurn] = []
        self._open = False
        self._speaker: str | None = None
        self._start: int | None = None
        self._end: int | None = None
        self._lines: list[str] = []

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def in_speaker_turn(self) -> bool:
        return self._open and self._speaker is not None

    @property
    def in_unattributed_turn(self) -> bool:
        return self._open and self._speaker is None

    def start(
        self,
        speaker: str | None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        text: str = "",
    ) -> None:
        self.flush()
        self._open = True
        self._speaker = speaker
        self._start = start_ms
        self._end = end_ms
        if text:
            self.add(text)

    def add(self, text: str) -> None:
        """Add text (possibly several lines) to the current turn, opening one if needed."""
        if not self._open:
            self.start(None)
        for line in text.splitlines():
            line = line.strip()
            if line:
                self._lines.append(line)

    def add_line(self, line: str) -> None:
        """Fast path of :meth:`add` for one stripped, non-empty line."""
        if not self._open:
            self.start(None)
        self._lines.append(line)

    def flush(self) -> None:
        if self._open and self._lines:
            end = self._end
            last = self._lines[-1]
            if last.endswith("#"):  # f4/MAXQDA put the end time at the end of the paragraph
                found = trailing_timestamp(last)
                if found is not None and found[1] > 0:
                    self._lines[-1] = last[: found[1]].rstrip()
                    if end is None:
                        end = found[0]
            text = unicodedata.normalize("NFC", "\n".join(self._lines))
            self.turns.append(ParsedTurn(self._speaker, text, self._start, end))
        self._open = False
        self._speaker = None
        self._start = self._end = None
        self._lines = []


class LineParser:
    """The shared rules for text-like formats (txt, docx, odt, html).

    Feed it lines (:meth:`feed`), paragraph ends (:meth:`paragraph_break`) and headings.
    A paragraph break ends an unattributed turn but not a speaker's turn: a speaker keeps
    the floor until the next speaker label or heading.
    """

    def __init__(self) -> None:
        self.builder = TurnBuilder()
        self._pending: tuple[int, str] | None = None  # a timestamp alone on its line

    def feed(self, line: str) -> None:
        line = line.strip()
        if not line:
            self.paragraph_break()
            return
        label, ms, rest = split_marker(line)
        builder = self.builder
        if label is not None:
            if self._pending is not None:
                if ms is None:
                    ms = self._pending[0]
                    self._pending = None
                else:
                    self._resolve_pending()
            builder.start(label, ms, None, rest)
            return
        if ms is not None:
            if not rest:
                self._resolve_pending()
                self._pending = (ms, line)
                return
            if not builder.in_speaker_turn:
                self._resolve_pending()
                builder.start(None, ms, None, rest)
                return
            # a timestamp inside a speaker's turn stays in the text
        if self._pending is not None:
            pending_ms, raw = self._pending
            self._pending = None
            if builder.in_speaker_turn:
                builder.add_line(raw)
            else:
                builder.start(None, pending_ms, None, line)
                return
        builder.add_line(line)

    def feed_paragraph(self, text: str) -> None:
        """A paragraph of a document: its lines, then a paragraph break."""
        for line in text.splitlines():
            self.feed(line)
        self.paragraph_break()

    def start_turn(
        self,
        speaker: str | None,
        text: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> None:
        """A turn whose speaker/times come from structure (table cell, anchor, bold run)."""
        if start_ms is None and self._pending is not None:
            start_ms = self._pending[0]
            self._pending = None
        else:
            self._resolve_pending()
        self.builder.start(speaker, start_ms, end_ms, text)

    def continue_turn(self, text: str) -> None:
        """Text that belongs to the current turn whatever it looks like."""
        self._resolve_pending()
        self.builder.add(text)

    def set_pending_timestamp(self, ms: int, raw: str) -> None:
        self._resolve_pending()
        self._pending = (ms, raw)

    def paragraph_break(self) -> None:
        if self.builder.in_unattributed_turn:
            self.builder.flush()

    def heading(self, text: str) -> None:
        """A heading: its own unattributed turn; it ends the current speaker's turn."""
        self._resolve_pending()
        self.builder.flush()
        self.builder.start(None, text=text)
        self.builder.flush()

    def finish(self) -> list[ParsedTurn]:
        self._resolve_pending()
        self.builder.flush()
        return self.builder.turns

    def _resolve_pending(self) -> None:
        """A lone timestamp that no turn started after: keep it as text."""
        if self._pending is None:
            return
        _, raw = self._pending
        self._pending = None
        if self.builder.in_speaker_turn:
            self.builder.add_line(raw)
        else:
            self.builder.start(None, text=raw)
            self.builder.flush()


_TABLE_HEADER_SPEAKER = frozenset(
    "taler speaker navn name person deltaker informant hvem initialer kode".split()
)
_TABLE_HEADER_TEXT = frozenset(
    "tekst text utsagn sitat transkripsjon replikk innhold tale svar ytring".split()
)


def feed_table_row(parser: LineParser, cells: Sequence[str], *, first_row: bool) -> None:
    """A table row: ``speaker | text`` (optionally ``time | speaker | text``) or plain cells."""
    cells = [normalise_text(cell).strip() for cell in cells]
    if not any(cells):
        return
    ms: int | None = None
    raw_time = ""
    if len(cells) >= 2 and cells[0] and (ms := bare_timestamp(cells[0])) is not None:
        raw_time, cells = cells[0], cells[1:]
    if len(cells) == 2:
        who, said = cells
        if first_row and (
            who.casefold().rstrip(":") in _TABLE_HEADER_SPEAKER
            and said.casefold() in _TABLE_HEADER_TEXT
        ):
            parser.heading(f"{who}\t{said}")
            return
        label = clean_label(who[:-1] if who.endswith(":") else who)
        if said and is_loose_label(label):
            parser.start_turn(label, said, ms)
            return
        if not who and said:
            if ms is not None:
                parser.set_pending_timestamp(ms, raw_time)
                parser.feed_paragraph(said)
            else:
                parser.continue_turn(said)
            return
    if ms is not None:
        parser.set_pending_timestamp(ms, raw_time)
    for cell in cells:
        parser.feed_paragraph(cell)


# -- timed segments (subtitles, Whisper, noScribe without speakers) ---------------------------

PARAGRAPH_GAP_MS = 2000
PARAGRAPH_SOFT_WORDS = 120
PARAGRAPH_HARD_WORDS = 300
SENTENCE_END = tuple(".!?…»\"”)")


@dataclass(slots=True)
class Segment:
    speaker: str | None
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


def merge_segments(segments: Iterable[Segment]) -> list[ParsedTurn]:
    """Consecutive segments of one speaker become one turn (start of first, end of last).

    Unattributed segments are grouped into paragraphs: a new one after a pause of
    :data:`PARAGRAPH_GAP_MS`, after a sentence once the paragraph is long, or when it is
    very long.
    """
    turns: list[ParsedTurn] = []
    speaker: str | None = None
    parts: list[str] = []
    words = 0
    start: int | None = None
    end: int | None = None

    def emit() -> None:
        if parts:
            text = unicodedata.normalize("NFC", " ".join(parts))
            turns.append(ParsedTurn(speaker, text, start, end))

    for seg in segments:
        text = " ".join(seg.text.split())
        if not text:
            continue
        same = bool(parts) and seg.speaker == speaker
        if same and speaker is None:
            gap = (
                seg.start_ms - end
                if seg.start_ms is not None and end is not None
                else 0
            )
            if (
                gap >= PARAGRAPH_GAP_MS
                or words >= PARAGRAPH_HARD_WORDS
                or (words >= PARAGRAPH_SOFT_WORDS and parts[-1].endswith(SENTENCE_END))
            ):
                same = False
        if same:
            parts.append(text)
            words += text.count(" ") + 1
            if start is None:
                start = seg.start_ms
            if seg.end_ms is not None:
                end = seg.end_ms
            continue
        emit()
        speaker, parts, words = seg.speaker, [text], text.count(" ") + 1
        start, end = seg.start_ms, seg.end_ms
    emit()
    return turns
