"""Plain domain vocabulary shared by every layer: phases, roles, statuses, origins.

No database, no UI: these are the words of Braun & Clarke's thematic analysis as the
program uses them. Display names live in the message catalogues (``workbench.i18n``).
"""

from __future__ import annotations

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
    """A stable identifier given to an entity at creation; it never changes."""
    return str(uuid.uuid4())


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
