"""Plain domain vocabulary shared by every layer: phases, roles, statuses, origins.

No database, no UI: these are the words of Braun & Clarke's thematic analysis as the
program uses them. Display names live in the message catalogues (``workbench.i18n``).
"""

from __future__ import annotations

import secrets
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

PHASES = (1, 2, 3, 4, 5, 6)


class Role(StrEnum):
    MODERATOR = "moderator"
    CO_MODERATOR = "co-moderator"
    INFORMANT = "informant"


class Origin(StrEnum):
    INDUCTIVE = "inductive"
    DEDUCTIVE = "deductive"


class ThemeStatus(StrEnum):
    CANDIDATE = "candidate"
    REVIEWED = "reviewed"
    DEFINED = "defined"
    FINAL = "final"
    DISCARDED = "discarded"


class CommentStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class AnchorKind(StrEnum):
    """What a supervisor's review comment is attached to."""

    PROJECT = "project"
    THEME = "theme"
    CODE = "code"
    CODING = "coding"
    TRANSCRIPT = "transcript"


def new_guid() -> str:
    """A stable identifier given to an entity at creation; it never changes.

    A time-ordered UUID (version 7 of RFC 9562: the Unix time in milliseconds, then the
    fraction of the millisecond in 12 bits, then 62 random bits), so that the identifiers
    made one after the other sort together: a new row's entry lands at the end of the
    unique index on ``guid`` instead of on a random page of it, which made every import
    into a large project slower than the one before."""
    ms, fraction = divmod(time.time_ns(), 1_000_000)
    value = ((ms & _MS_MASK) << 80 | 0x7 << 76 | (fraction * 4096 // 1_000_000) << 64
             | 0b10 << 62 | secrets.randbits(62))
    return str(uuid.UUID(int=value))


_MS_MASK = (1 << 48) - 1


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def clean_name(name: str) -> str:
    """A name as stored: NFC, trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


@dataclass(frozen=True)
class Span:
    """A half-open ``[start, end)`` range in Unicode code points of a stored text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


# --- read models handed to the UI and CLI (never ORM objects) --------------------------


@dataclass(frozen=True)
class TranscriptSummary:
    id: int
    guid: str
    name: str
    group: str | None
    source_format: str
    speakers: int
    turns: int
    words: int
    coded_share: float


@dataclass(frozen=True)
class CommandInfo:
    """One entry of the change log: who did what, when, and whether it is undone."""

    seq: int
    name: str
    args: dict
    actor: str
    created: str
    state: str
    summary: str = ""


@dataclass(frozen=True)
class ProjectInfo:
    title: str
    language: str
    phase: int
    schema_version: int
    transcripts: list[TranscriptSummary] = field(default_factory=list)
    participants: int = 0
    groups: list[str] = field(default_factory=list)
    codes: int = 0
    codings: int = 0
    themes: int = 0
    open_comments: int = 0
