"""The displayed document of the coding screen and its exact offset map to the stored text.

The transcript is shown as speaker turns: a header line (speaker, role, time) and then the
turn's text, with a blank line between turns. Header lines and blank lines are not stored
text; each turn's text is a *piece* that maps one-to-one (verbatim reading) or through
:func:`workbench.domain.marks.clean_view` (clean reading) onto ``[turn.start, turn.end)`` of
the stored text. Every offset here is in Unicode code points.

This module is plain Python (no Textual) so the map can be tested on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Protocol

from workbench.i18n import t

MODERATOR_ROLES = frozenset({"moderator", "co-moderator"})

# ``str.splitlines`` (which Textual's Document uses) breaks lines on these as well as on
# "\n"; they are shown as spaces so display rows and offsets stay one-to-one. Tabs are
# shown as spaces too (one character each, so offsets are unchanged).
_SPECIAL = re.compile("[\t\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _shown(text: str) -> str:
    return _SPECIAL.sub(" ", text) if _SPECIAL.search(text) else text


class TextMap(Protocol):
    """What :func:`workbench.domain.marks.clean_view` returns (only what is used here)."""

    text: str

    def span_to_verbatim(self, start: int, end: int) -> tuple[int, int]: ...

    def span_to_clean(self, start: int, end: int) -> tuple[int, int]: ...

    def to_verbatim(self, index: int) -> int: ...

    def to_clean(self, index: int) -> int: ...


class TurnLike(Protocol):
    start: int
    end: int
    start_ms: int | None
    participant_id: int | None
    speaker: str | None
    role: str | None


class TranscriptLike(Protocol):
    text: str
    turns: Any  # a sequence of TurnLike


@dataclass(frozen=True)
class TurnInfo:
    index: int
    speaker: str | None
    participant_id: int | None
    role: str | None
    header_row: int | None  # None when the turn has no speaker
    first_row: int  # first row of the turn's text
    last_row: int

    @property
    def is_moderator(self) -> bool:
        return self.role in MODERATOR_ROLES


@dataclass(frozen=True)
class Piece:
    """A turn's displayed text: display ``[disp_start, disp_end)`` ↔ stored ``[start, end)``."""

    turn: int
    disp_start: int
    disp_end: int
    start: int
    end: int
    view: TextMap | None = None  # None: the display is the verbatim text itself

    def local_to_stored(self, local: int) -> int:
        if self.view is None:
            return self.start + local
        return self.start + self.view.to_verbatim(local)

    def local_span_to_stored(self, a: int, b: int) -> tuple[int, int]:
        if self.view is None:
            return self.start + a, self.start + b
        s, e = self.view.span_to_verbatim(a, b)
        return self.start + s, self.start + e

    def stored_span_to_local(self, s: int, e: int) -> tuple[int, int]:
        """``[s, e)`` clipped to this piece, in display offsets local to the piece."""
        ls, le = max(s, self.start) - self.start, min(e, self.end) - self.start
        if self.view is None:
            return ls, le
        return self.view.span_to_clean(ls, le)


# Row kinds, used for styling.
HEADER, HEADER_MODERATOR, TEXT, TEXT_MODERATOR, BLANK = range(5)


def format_ms(ms: int) -> str:
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def header_text(turn: TurnLike) -> str:
    parts = [turn.speaker or ""]
    if turn.role:
        parts.append(t(f"coding_ui.role.{turn.role}"))
    if turn.start_ms is not None:
        parts.append(format_ms(turn.start_ms))
    return " · ".join(parts)


@dataclass
class DisplayDoc:
    text: str
    clean: bool
    pieces: list[Piece]
    turns: list[TurnInfo]
    line_starts: list[int]  # display offset where each row starts
    row_kinds: list[int]
    row_turn: list[int]  # turn index of each row (-1 for none)
    _piece_disp: list[int] = field(default_factory=list, repr=False)
    _piece_stored: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._piece_disp = [p.disp_start for p in self.pieces]
        self._piece_stored = [p.start for p in self.pieces]

    # -- rows and columns --------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.line_starts)

    def location(self, offset: int) -> tuple[int, int]:
        row = bisect_right(self.line_starts, offset) - 1
        return row, offset - self.line_starts[row]

    def offset(self, row: int, column: int) -> int:
        return self.line_starts[row] + column

    # -- display → stored --------------------------------------------------------------

    def piece_at(self, offset: int) -> Piece | None:
        """The piece whose text holds (or ends at) display ``offset``."""
        i = bisect_right(self._piece_disp, offset) - 1
        if i >= 0 and offset <= self.pieces[i].disp_end:
            return self.pieces[i]
        return None

    def to_stored(self, offset: int) -> int:
        """A display offset as a stored offset (headers snap to their turn's start)."""
        if not self.pieces:
            return 0
        piece = self.piece_at(offset)
        if piece is not None:
            return piece.local_to_stored(offset - piece.disp_start)
        i = bisect_right(self._piece_disp, offset)
        if i < len(self.pieces):
            return self.pieces[i].start
        return self.pieces[-1].end

    def span_to_stored(self, a: int, b: int) -> tuple[int, int] | None:
        """The stored text a display selection ``[a, b)`` covers, or None if only headers."""
        if b < a:
            a, b = b, a
        first = max(0, bisect_right(self._piece_disp, a) - 1)
        start = end = None
        for piece in self.pieces[first:]:
            if piece.disp_start >= b:
                break
            la, lb = max(a, piece.disp_start), min(b, piece.disp_end)
            if lb <= la:
                continue
            s, e = piece.local_span_to_stored(la - piece.disp_start, lb - piece.disp_start)
            if e <= s:
                continue
            start = s if start is None else min(start, s)
            end = e if end is None else max(end, e)
        if start is None or end is None:
            return None
        return start, end

    def text_of(self, a: int, b: int) -> str:
        """The transcript text a display selection shows, without speaker headers."""
        if b < a:
            a, b = b, a
        parts = []
        first = max(0, bisect_right(self._piece_disp, a) - 1)
        for piece in self.pieces[first:]:
            if piece.disp_start >= b:
                break
            la, lb = max(a, piece.disp_start), min(b, piece.disp_end)
            if lb > la:
                parts.append(self.text[la:lb])
        return " ".join(parts)

    # -- stored → display --------------------------------------------------------------

    def stored_to_display(self, s: int, e: int) -> list[tuple[int, int]]:
        """Display ranges showing stored ``[s, e)`` (one per turn it touches)."""
        out: list[tuple[int, int]] = []
        first = max(0, bisect_right(self._piece_stored, s) - 1)
        for piece in self.pieces[first:]:
            if piece.start >= e:
                break
            if piece.end <= s:
                continue
            la, lb = piece.stored_span_to_local(s, e)
            if lb > la:
                out.append((piece.disp_start + la, piece.disp_start + lb))
        return out

    def stored_offset_to_display(self, s: int) -> int:
        """Where stored offset ``s`` is shown (the nearest shown place)."""
        if not self.pieces:
            return 0
        piece = self.pieces[max(0, bisect_right(self._piece_stored, s) - 1)]
        if s >= piece.end:
            return piece.disp_end
        if s <= piece.start:
            return piece.disp_start
        local = s - piece.start
        if piece.view is not None:
            local = piece.view.to_clean(local)
        return piece.disp_start + local

    # -- turns -------------------------------------------------------------------------

    def turn_at_row(self, row: int) -> TurnInfo | None:
        if not self.turns:
            return None
        row = max(0, min(row, len(self.row_turn) - 1))
        index = self.row_turn[row]
        if index < 0:  # a blank row belongs to the turn above it
            j = row
            while j >= 0 and self.row_turn[j] < 0:
                j -= 1
            index = self.row_turn[j] if j >= 0 else 0
        return self.turns[index]

    def piece_of_turn(self, turn: TurnInfo) -> Piece:
        return self.pieces[turn.index]


def build_document(
    transcript: TranscriptLike, *, clean: bool = False, clean_view: Any = None
) -> DisplayDoc:
    """Lay out ``transcript`` (a TranscriptView) for reading.

    ``clean_view`` is :func:`workbench.domain.marks.clean_view` (looked up when ``clean``).
    """
    if clean and clean_view is None:
        from workbench.domain.marks import clean_view as _clean_view

        clean_view = _clean_view
    stored = transcript.text
    turns = list(transcript.turns)
    if not turns:  # a text without turns is one piece
        turns_spec = [(None, 0, len(stored))]
    else:
        turns_spec = [(u, u.start, u.end) for u in turns]

    chunks: list[str] = []
    pieces: list[Piece] = []
    infos: list[TurnInfo] = []
    line_starts: list[int] = []
    row_kinds: list[int] = []
    row_turn: list[int] = []
    pos = 0
    row = 0

    def add_line(line: str, kind: int, turn: int) -> None:
        nonlocal pos, row
        if row:
            chunks.append("\n")
            pos += 1
        line_starts.append(pos)
        row_kinds.append(kind)
        row_turn.append(turn)
        chunks.append(line)
        pos += len(line)
        row += 1

    for index, (turn, start, end) in enumerate(turns_spec):
        if index:
            add_line("", BLANK, -1)
        moderator = turn is not None and turn.role in MODERATOR_ROLES
        header_row = None
        if turn is not None and turn.speaker:
            header_row = row
            add_line(_shown(header_text(turn)),
                     HEADER_MODERATOR if moderator else HEADER, index)
        raw = stored[start:end]
        view = clean_view(raw) if clean else None
        shown = _shown(view.text if view is not None else raw)
        first_row = row
        kind = TEXT_MODERATOR if moderator else TEXT
        disp_start = pos + (1 if row else 0)
        for line in shown.split("\n"):
            add_line(line, kind, index)
        pieces.append(Piece(index, disp_start, disp_start + len(shown), start, end, view))
        infos.append(
            TurnInfo(
                index,
                turn.speaker if turn is not None else None,
                turn.participant_id if turn is not None else None,
                turn.role if turn is not None else None,
                header_row, first_row, row - 1,
            )
        )
    return DisplayDoc("".join(chunks), clean, pieces, infos, line_starts, row_kinds, row_turn)


def find_turn_row(doc: DisplayDoc, row: int, step: int, *, same_speaker: bool = False
                  ) -> TurnInfo | None:
    """The next (``step=1``) or previous (``-1``) turn from ``row``."""
    current = doc.turn_at_row(row)
    if current is None:
        return None
    i = current.index + step
    while 0 <= i < len(doc.turns):
        turn = doc.turns[i]
        if not same_speaker or (
            turn.participant_id is not None and turn.participant_id == current.participant_id
        ):
            return turn
        i += step
    return None


def bisect_rows(line_starts: list[int], a: int, b: int) -> range:
    """Rows touched by display ``[a, b)``."""
    first = bisect_right(line_starts, a) - 1
    last = bisect_left(line_starts, b) - 1
    return range(first, max(first, last) + 1)
