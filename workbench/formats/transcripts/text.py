"""Plain-text transcripts (.txt), including noScribe's text export.

Lines are the unit. When the file has blank lines, they separate paragraphs (hard-wrapped
text); when it has none, every line is a paragraph (Word's "save as text" writes one line per
paragraph). Inside a speaker's turn paragraphs are joined with ``\\n``; unattributed text is
kept one turn per paragraph. One exception: a file without speakers, without blank lines and
with short lines (Whisper's .txt output writes one segment per line) is grouped into
paragraphs of reasonable length instead of thousands of one-line turns.
"""

from __future__ import annotations

import re
import statistics

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.i18n import t

from .reading import Progress, Ticker, decode_text
from .turns import PARAGRAPH_HARD_WORDS, PARAGRAPH_SOFT_WORDS, SENTENCE_END, LineParser

_CHUNK = 1000
_BLANK_LINE = re.compile(r"\n[ \t\u00a0\f\v]*\n")
_NOSCRIBE_TURN = re.compile(r"^S\d{2}: \[\d{2}:\d{2}:\d{2}\]", re.MULTILINE)
_SHORT_LINE_WORDS = 20
_MIN_LINES_TO_GROUP = 10


def is_noscribe_text(text: str) -> bool:
    head = text[:20000]
    return "noScribe" in head[:3000] or len(_NOSCRIBE_TURN.findall(head)) >= 2


def parse_txt(data: bytes, name: str, progress: Progress | None = None) -> ParsedTranscript:
    text, encoding = decode_text(data, name)
    if text.lstrip().startswith("WEBVTT"):
        from .subtitles import parse_subtitle_text

        return parse_subtitle_text(text, name, "vtt", encoding, progress)
    fmt = "noscribe_txt" if is_noscribe_text(text) else "txt"
    result = ParsedTranscript(fmt, parse_lines(text, progress), encoding=encoding)
    if encoding == "cp1252":
        result.warnings.append(t("import.warning.legacy_encoding", name=name))
    return result


def parse_lines(text: str, progress: Progress | None = None) -> list[ParsedTurn]:
    """Turns from normalised text (see the module docstring for the paragraph rule)."""
    lines = text.splitlines()
    total = len(lines)
    ticker = Ticker(progress, total, _CHUNK)
    parser = LineParser()
    feed = parser.feed
    every_line_a_paragraph = _BLANK_LINE.search(text) is None
    brk = parser.paragraph_break
    for begin in range(0, total, _CHUNK):
        ticker.tick(begin)
        chunk = lines[begin : begin + _CHUNK]
        if every_line_a_paragraph:
            for line in chunk:
                feed(line)
                brk()
        else:
            for line in chunk:
                feed(line)
    turns = parser.finish()
    if every_line_a_paragraph and _short_unattributed_lines(turns):
        turns = _group_lines(turns)
    ticker.finish()
    return turns


def _short_unattributed_lines(turns: list[ParsedTurn]) -> bool:
    return (
        len(turns) >= _MIN_LINES_TO_GROUP
        and all(turn.speaker is None for turn in turns)
        and statistics.median(len(turn.text.split()) for turn in turns) < _SHORT_LINE_WORDS
    )


def _group_lines(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """One-line turns into paragraphs: break after a sentence once long, or when very long."""
    grouped: list[ParsedTurn] = []
    lines: list[str] = []
    words = 0
    start: int | None = None
    for turn in turns:
        if not lines:
            start = turn.start_ms
        lines.append(turn.text)
        words += len(turn.text.split())
        if words >= PARAGRAPH_HARD_WORDS or (
            words >= PARAGRAPH_SOFT_WORDS and turn.text.endswith(SENTENCE_END)
        ):
            grouped.append(ParsedTurn(None, "\n".join(lines), start))
            lines, words = [], 0
    if lines:
        grouped.append(ParsedTurn(None, "\n".join(lines), start))
    return grouped
