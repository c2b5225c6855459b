"""Positions in REFI-QDA files, and how other programs count them.

The standard counts ``[start, end)`` in Unicode code points of the text as written. Real
files also count UTF-16 code units, and line breaks as written, as one character or as two
(CRLF). :func:`choose_reading` finds the reading under which a file's selections fit best;
:class:`OffsetMap` converts positions of one reading to offsets in the stored text (NFC, LF
line ends, code points).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """How a tool counted positions: line breaks as written/one/two; code points or UTF-16."""

    breaks: str  # "written" | "lf" | "crlf"
    units: str  # "cp" | "utf16"

    @property
    def key(self) -> str:
        return f"{self.breaks}_{self.units}"


READINGS = tuple(Reading(b, u) for u in ("cp", "utf16") for b in ("written", "lf", "crlf"))
STANDARD = READINGS[0]


def _line_pieces(line: str) -> list[tuple[str, str]]:
    """(raw, stored) pieces of one line, fine enough that NFC never crosses a boundary."""
    if line.isascii() or (
        "\ufeff" not in line and max(line) <= "\uffff" and unicodedata.is_normalized("NFC", line)
    ):
        return [(line, line)]
    clusters: list[str] = []
    for ch in line:
        if clusters and ch != "\ufeff" and unicodedata.combining(ch) and clusters[-1] != "\ufeff":
            clusters[-1] += ch
        else:
            clusters.append(ch)
    pieces = [(c, unicodedata.normalize("NFC", c.replace("\ufeff", ""))) for c in clusters]
    if "".join(s for _, s in pieces) != unicodedata.normalize("NFC", line.replace("\ufeff", "")):
        return [(line, unicodedata.normalize("NFC", line.replace("\ufeff", "")))]
    return pieces


OFFSETS = ("codepoints", "utf16")
"""How an export counts positions: code points (the standard) or UTF-16 code units (what
NVivo for Windows counts)."""


def utf16_counter(text: str) -> Callable[[int], int]:
    """A function from a code-point offset in ``text`` to the same offset counted in UTF-16
    code units (a character outside the Basic Multilingual Plane counts two)."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_right(astral, offset - 1)


class OffsetMap:
    """Maps positions of one reading of a raw text to offsets in its stored form."""

    def __init__(self, raw: str, reading: Reading) -> None:
        starts: list[int] = []
        stored_starts: list[int] = []
        lengths: list[int] = []
        stored_lengths: list[int] = []
        linear: list[bool] = []
        pos = stored = 0
        for kind, raw_piece, stored_piece in _pieces(raw):
            if kind == "break":
                size = {"written": len(raw_piece), "lf": 1, "crlf": 2}[reading.breaks]
            elif reading.units == "utf16":
                size = len(raw_piece.encode("utf-16-le")) // 2
            else:
                size = len(raw_piece)
            stored_size = len(stored_piece)
            is_linear = size == stored_size
            if size == 0 and stored_size == 0:
                continue
            if is_linear and linear and linear[-1]:
                lengths[-1] += size
                stored_lengths[-1] += stored_size
            else:
                starts.append(pos)
                stored_starts.append(stored)
                lengths.append(size)
                stored_lengths.append(stored_size)
                linear.append(is_linear)
            pos += size
            stored += stored_size
        self.total = pos
        self.stored_total = stored
        self._starts, self._stored_starts = starts, stored_starts
        self._lengths, self._stored_lengths, self._linear = lengths, stored_lengths, linear

    def to_stored(self, pos: int, *, end: bool) -> tuple[int, bool] | None:
        """Stored offset of ``pos`` and whether it fell on a clean boundary; ``None`` if
        out of range. A position inside a piece that changes length (a CRLF counted as two,
        a decomposed letter, a surrogate pair) snaps outwards: starts down, ends up."""
        if pos < 0 or pos > self.total:
            return None
        if pos == self.total:
            return self.stored_total, True
        k = bisect_right(self._starts, pos) - 1
        offset = pos - self._starts[k]
        if offset == 0:
            return self._stored_starts[k], True
        if self._linear[k]:
            return self._stored_starts[k] + offset, True
        return self._stored_starts[k] + (self._stored_lengths[k] if end else 0), False


def _pieces(raw: str) -> list[tuple[str, str, str]]:
    parts = re.split(r"(\r\n|\r|\n)", raw)
    out: list[tuple[str, str, str]] = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(("break", part, "\n"))
        elif part:
            out.extend(("text", r, s) for r, s in _line_pieces(part))
    return out


def _word_boundary(text: str, pos: int) -> bool:
    if pos <= 0 or pos >= len(text):
        return True
    return not (text[pos - 1].isalnum() and text[pos].isalnum())


def _squash(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _name_fits(name: str, selected: str) -> bool:
    wanted = _squash(name).removesuffix("…").removesuffix("...").rstrip()
    if not wanted:
        return False
    got = _squash(selected)
    return got == wanted or (len(wanted) >= 20 and got.startswith(wanted))


def choose_reading(
    texts: list[tuple[str, str, list[tuple[int, int, str]]]], *, guess: bool = True
) -> Reading:
    """The reading under which the selections fit the texts best.

    ``texts`` holds (raw text, stored text, [(start, end, name)]) per source. Each reading
    scores one point per selection in range, one per boundary on a clean position and one
    per boundary on a word boundary, four when the selection's name is the selected text;
    the reading with most selections in range and then the best score wins, the standard
    reading first among equals.
    """
    if not guess:
        return STANDARD
    best: tuple[int, int, int] | None = None
    chosen = STANDARD
    for rank, reading in enumerate(READINGS):
        valid = score = 0
        for raw, stored, selections in texts:
            mapping = OffsetMap(raw, reading)
            for start, end, name in selections:
                a = mapping.to_stored(start, end=False)
                b = mapping.to_stored(end, end=True)
                if a is None or b is None or a[0] >= b[0]:
                    continue
                valid += 1
                score += 1 + a[1] + b[1]
                score += _word_boundary(stored, a[0]) + _word_boundary(stored, b[0])
                if name and _name_fits(name, stored[a[0]:b[0]]):
                    score += 4
        key = (valid, score, -rank)
        if best is None or key > best:
            best, chosen = key, reading
    return chosen


__all__ = ["READINGS", "STANDARD", "OffsetMap", "Reading", "choose_reading"]
