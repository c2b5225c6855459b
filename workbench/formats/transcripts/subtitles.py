"""Subtitle-style transcripts: WebVTT (.vtt) and SubRip (.srt).

Cue times become ``start_ms``/``end_ms``. Speakers come from WebVTT voice tags
(``<v Kari>``) or a label at the start of a cue line (``Speaker 1:``, ``Taler 1:``, ``Kari:``);
a cue without either continues the previous cue's speaker. Consecutive cues of one speaker
merge into one turn. ``NOTE``/``STYLE``/``REGION`` blocks, cue identifiers and SRT indices
are skipped; markup (``<i>``, ``<c.x>``, inline ``<00:00:01.000>``, ``{\\an8}``) is removed.
"""

from __future__ import annotations

import html
import re

from workbench.domain.parsed import ParsedTranscript
from workbench.i18n import UserError, t

from .clock import cue_timing
from .labels import clean_label, split_marker
from .reading import Progress, Ticker, decode_text
from .turns import Segment, merge_segments

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"<[^<>\n]*>")
_ASS_TAG = re.compile(r"\{\\[^{}\n]*\}")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
_CHUNK = 2000


def parse_subtitles(
    data: bytes, name: str, kind: str, progress: Progress | None = None
) -> ParsedTranscript:
    text, encoding = decode_text(data, name)
    if text.lstrip().startswith("WEBVTT"):
        kind = "vtt"
    return parse_subtitle_text(text, name, kind, encoding, progress)


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_subtitle_text(
    text: str, name: str, kind: str, encoding: str | None, progress: Progress | None = None
) -> ParsedTranscript:
    blocks = _blocks(text)
    if blocks and blocks[0][0].startswith("WEBVTT"):
        # the header block; a cue glued to it without a blank line is still read
        header = blocks[0]
        first_timing = next((i for i, line in enumerate(header) if "-->" in line), None)
        if first_timing is None:
            blocks = blocks[1:]
        else:
            blocks[0] = header[first_timing:]
    ticker = Ticker(progress, len(blocks), _CHUNK)
    segments: list[Segment] = []
    speaker: str | None = None
    timed = untimed = 0
    backwards: list[int] = []  # cues that end before they start (1-based)
    for index, block in enumerate(blocks):
        if index % _CHUNK == 0:
            ticker.tick(index)
        if block[0].split(None, 1)[0] in _SKIPPED_BLOCKS:
            continue
        timing_at = next((i for i, line in enumerate(block) if "-->" in line), None)
        timing = cue_timing(block[timing_at]) if timing_at is not None else None
        if timing is None:
            if all(line.isdigit() for line in block):
                continue  # a stray SRT index
            untimed += 1
            start = end = None
            payload = block
        else:
            assert timing_at is not None
            timed += 1
            start, end = timing
            if end < start:  # a typo in the file: the cue lasts no time at its start
                backwards.append(index + 1)
                end = start
            payload = block[timing_at + 1 :]
        speaker = _cue_segments(payload, start, end, speaker, segments)
    if timed == 0:
        raise UserError("import.error.no_cues", name=name)
    turns = merge_segments(segments)
    ticker.finish()
    result = ParsedTranscript(kind, turns, encoding=encoding)
    if untimed:
        result.warnings.append(t("import.warning.cues_without_time", name=name, count=untimed))
    if encoding == "cp1252":
        result.warnings.append(t("import.warning.legacy_encoding", name=name))
    if backwards:
        result.warnings.append(t("import.warning.cue_ends_before_start", name=name,
                                 count=len(backwards),
                                 cues=", ".join(map(str, backwards[:5]))))
    return result


def _cue_segments(
    lines: list[str],
    start: int | None,
    end: int | None,
    speaker: str | None,
    out: list[Segment],
) -> str | None:
    """Append the cue's segments to ``out``; return the speaker in force after the cue."""
    payload = "\n".join(lines)
    if "{" in payload:
        payload = _ASS_TAG.sub("", payload)
    pieces = _VOICE.split(payload) if "<v" in payload else [payload]
    # pieces: [text before first voice, voice1, text1, voice2, text2, ...]
    chunks: list[tuple[str | None, str]] = [(None, pieces[0])]
    for i in range(1, len(pieces), 2):
        chunks.append((clean_label(pieces[i] or "") or None, pieces[i + 1]))
    for voice, chunk in chunks:
        if voice is not None:
            speaker = voice
        cleaned = _TAG.sub("", chunk) if "<" in chunk else chunk
        if "&" in cleaned:
            cleaned = html.unescape(cleaned)
        current: list[str] = []
        for line in cleaned.splitlines():
            line = line.strip()
            if not line:
                continue
            label, _, rest = split_marker(line)
            if label is not None:
                if current:
                    out.append(Segment(speaker, " ".join(current), start, end))
                speaker, current = label, [rest] if rest else []
            else:
                current.append(line)
        if current:
            out.append(Segment(speaker, " ".join(current), start, end))
    return speaker
