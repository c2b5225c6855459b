"""Clock times in transcripts: the one parser for ``hh:mm:ss`` in every format.

Recognised forms: ``[hh:mm:ss]``, ``[mm:ss]``, ``(mm:ss)``, ``(hh:mm:ss)``, f4/MAXQDA's
``#hh:mm:ss-d#``, bare ``hh:mm:ss`` at the start of a line, the end time f4 writes at the
end of a paragraph, a table cell holding only a time, and subtitle cue timings
(``00:00:01.000 --> 00:00:04.000``). A fraction follows ``.``, ``,`` or (f4 tenths) ``-``.

Two-part clock times (``[12:34]``, ``(00:12)``) are read as minutes:seconds, since transcript
timestamps point into a recording; three-part times are hours:minutes:seconds.
"""

from __future__ import annotations

import re

#: One clock time, without groups, to build larger patterns from.
CLOCK = r"(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,-]\d{1,3})?"
_CLOCK = re.compile(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,-](\d{1,3}))?")
#: A timestamp at the start of a line. Groups: bracketed, parenthesised, f4/MAXQDA, bare.
_LEAD_TS = re.compile(
    r"\[(\d[\d:.,]{3,11})\]"
    r"|\((\d[\d:.,]{3,11})\)"
    r"|#(\d[\d:.,-]{6,12})#"
    r"|(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=\s|$)"
)
_F4_TAIL = re.compile(r"\s*#(\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?)#\Z")
_CUE_TIMING = re.compile(rf"\s*({CLOCK})\s*-->\s*({CLOCK})")
_WS = re.compile(r"\s*")


def clock_to_ms(value: str) -> int | None:
    """``hh:mm:ss[.fff]`` or ``mm:ss[.fff]`` (also ``-d`` tenths, as f4 writes) to ms."""
    m = _CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds, fraction = m.groups()
    mins, secs = int(minutes), int(seconds)
    if secs >= 60 or (hours is not None and mins >= 60):
        return None
    ms = ((int(hours or 0) * 60 + mins) * 60 + secs) * 1000
    if fraction:
        ms += int(fraction.ljust(3, "0"))
    return ms


def leading_timestamp(text: str, pos: int = 0) -> tuple[int, int] | None:
    """A timestamp starting at ``pos``: ``(ms, end position after trailing space)``."""
    m = _LEAD_TS.match(text, pos)
    if m is None:
        return None
    ms = clock_to_ms(m.group(m.lastindex or 1))
    if ms is None:
        return None
    return ms, _WS.match(text, m.end()).end()


def trailing_timestamp(line: str) -> tuple[int, int] | None:
    """The end time f4/MAXQDA write at the end of a paragraph (``… #00:01:02-5#``):
    ``(ms, position where it and the space before it start)``."""
    m = _F4_TAIL.search(line)
    if m is None:
        return None
    ms = clock_to_ms(m.group(1))
    return None if ms is None else (ms, m.start())


def bare_timestamp(cell: str) -> int | None:
    """A table cell holding only a time, with or without brackets."""
    cell = cell.strip()
    found = leading_timestamp(cell)
    if found is not None and found[1] == len(cell):
        return found[0]
    return clock_to_ms(cell) if ":" in cell else None


def cue_timing(line: str) -> tuple[int, int] | None:
    """``00:00:01.000 --> 00:00:04.000 [settings]`` (hours optional, ``,`` or ``.``) to ms."""
    m = _CUE_TIMING.match(line)
    if m is None:
        return None
    start, end = clock_to_ms(m.group(1)), clock_to_ms(m.group(2))
    if start is None or end is None:
        return None
    return start, end


__all__ = [
    "CLOCK",
    "bare_timestamp",
    "clock_to_ms",
    "cue_timing",
    "leading_timestamp",
    "trailing_timestamp",
]
