"""The value every importer returns, and how turns become the stored transcript text.

Importers (``workbench.formats.transcripts``) read a file in any supported format and return a
:class:`ParsedTranscript`: an ordered list of speaker turns with optional times. They never
touch the database. The import service then assembles the turns into one stored text
(:func:`assemble`) and records each turn's ``[start, end)`` span in Unicode code points.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

TURN_SEPARATOR = "\n\n"


def normalise_text(text: str) -> str:
    """NFC, LF line ends, no BOM: the form every stored text has before offsets are taken."""
    text = text.replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class ParsedTurn:
    """One speaker turn as found in the file.

    ``speaker`` is the label exactly as the file writes it (NFC, stripped), or ``None`` for
    text that no speaker is marked for (text before the first speaker, headings).
    ``text`` is NFC with LF line ends and no leading/trailing blank lines.
    """

    speaker: str | None
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass
class ParsedTranscript:
    """What an importer found in one file."""

    source_format: str
    turns: list[ParsedTurn]
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                seen.setdefault(turn.speaker, None)
        return list(seen)

    @property
    def word_count(self) -> int:
        return sum(len(turn.text.split()) for turn in self.turns)


def assemble(turns: list[ParsedTurn]) -> tuple[str, list[tuple[int, int]]]:
    """Join turn texts into one stored text; return it with each turn's ``[start, end)``."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, turn in enumerate(turns):
        if i:
            parts.append(TURN_SEPARATOR)
            pos += len(TURN_SEPARATOR)
        text = normalise_text(turn.text)
        parts.append(text)
        spans.append((pos, pos + len(text)))
        pos += len(text)
    return "".join(parts), spans
