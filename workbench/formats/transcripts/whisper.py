"""Whisper and WhisperX JSON (.json).

Whisper: ``{"text": ..., "segments": [{"start": s, "end": s, "text": ...}]}``, no speakers;
segments are grouped into unattributed paragraphs. WhisperX adds ``"speaker": "SPEAKER_00"``
to segments; consecutive segments of one speaker merge into one turn. A bare list of segments
is accepted too. Times are seconds in the file and milliseconds in the result.
"""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

from workbench.domain.parsed import ParsedTranscript
from workbench.i18n import UserError

from .reading import Progress, Ticker, decode_text
from .turns import Segment, merge_segments

_CHUNK = 5000


def parse_whisper_json(
    data: bytes, name: str, progress: Progress | None = None
) -> ParsedTranscript:
    text, encoding = decode_text(data, name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            "import.error.json_invalid", name=name, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise UserError("import.error.json_invalid", name=name, line="?", column="?") from None

    if isinstance(document, list):
        raw_segments: list[Any] = document
    elif isinstance(document, dict) and isinstance(document.get("segments"), list):
        raw_segments = document["segments"]
    elif isinstance(document, dict) and "segments" not in document and isinstance(
        document.get("text"), str
    ):
        raw_segments = [{"text": document["text"]}]
    else:
        raise UserError("import.error.json_not_transcript", name=name)
    if not raw_segments and isinstance(document, dict) and isinstance(document.get("text"), str):
        raw_segments = [{"text": document["text"]}]

    ticker = Ticker(progress, len(raw_segments), _CHUNK)
    segments: list[Segment] = []
    has_speakers = False
    labels: dict[str | int, str] = {}
    for index, raw in enumerate(raw_segments, start=1):
        if index % _CHUNK == 0:
            ticker.tick(index)
        if not isinstance(raw, dict):
            raise UserError("import.error.json_segment_not_object", name=name, index=index)
        seg_text = raw.get("text")
        if not isinstance(seg_text, str):
            raise UserError("import.error.json_bad_segment", name=name, index=index, field="text")
        speaker = raw.get("speaker")
        if speaker is not None:
            label = labels.get(speaker) if isinstance(speaker, str) else None
            if label is None:
                if isinstance(speaker, bool) or not isinstance(speaker, str | int):
                    raise UserError(
                        "import.error.json_bad_segment", name=name, index=index, field="speaker"
                    )
                label = labels[speaker] = unicodedata.normalize("NFC", str(speaker)).strip()
            speaker = label or None
            has_speakers = has_speakers or speaker is not None
        segments.append(
            Segment(
                speaker,
                seg_text,  # merge_segments collapses whitespace and normalises to NFC
                _seconds_to_ms(raw.get("start"), name, index, "start"),
                _seconds_to_ms(raw.get("end"), name, index, "end"),
            )
        )
    turns = merge_segments(segments)
    ticker.finish()
    return ParsedTranscript(
        "whisperx_json" if has_speakers else "whisper_json", turns, encoding=encoding
    )


def _seconds_to_ms(value: object, name: str, index: int, field: str) -> int | None:
    if type(value) is float and 0 <= value < 1e12:  # the common case, checked cheaply
        return round(value * 1000)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UserError("import.error.json_bad_segment", name=name, index=index, field=field)
    if value < 0:
        raise UserError("import.error.json_bad_segment", name=name, index=index, field=field)
    return round(value * 1000)
