"""The project schema as SQLAlchemy 2 typed ORM classes.

Every entity that can leave the program carries a ``guid`` assigned at creation. Every
table of analysis data is *recorded*: changes to it go through the change log
(:mod:`workbench.storage.changelog`) and can be undone. Derived tables (search index) and
the log itself are not recorded; they say so with ``__recorded__ = False``.

Foreign keys between recorded tables have no ``ON DELETE CASCADE``: deletions cascade in
the ORM so that every deleted row is seen, and recorded, by the change log. A delete that
forgets a child fails loudly on the foreign key instead of losing data silently.
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from workbench.domain.model import new_guid

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC timestamp (SQLite stores no zone; every stored time is UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def fk(target: str, **kw: Any) -> ForeignKey:
    # Deferrable so undo/redo can replay rows in any order inside one transaction
    # (PostgreSQL); SQLite uses PRAGMA defer_foreign_keys for the same effect.
    return ForeignKey(target, deferrable=True, initially="IMMEDIATE", **kw)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}

    __recorded__: ClassVar[bool] = True


class Entity(Base):
    """A recorded row with an integer key and a stable GUID."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)


class Meta(Base):
    """Key/value facts about the file itself (schema version)."""

    __tablename__ = "workbench_meta"
    __recorded__ = False

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Project(Entity):
    __tablename__ = "project"
    __table_args__ = (CheckConstraint("phase BETWEEN 1 AND 6", name="phase_range"),)

    title: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(8), default="nb")
    phase: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    analysis_kind: Mapped[str] = mapped_column(String(20), default="reflexive")
    """Which kind of thematic analysis (schema 5): ``reflexive``, ``codebook`` or
    ``reliability`` (coding reliability). Agreement figures are framed by it."""


class Transcript(Entity):
    __tablename__ = "transcript"

    name: Mapped[str] = mapped_column(String(300), unique=True)
    group_name: Mapped[str | None] = mapped_column(String(200))
    source_format: Mapped[str] = mapped_column(String(40))
    original_filename: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    turns: Mapped[list[Turn]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan", order_by="Turn.position"
    )
    codings: Mapped[list[Coding]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(cascade="all, delete-orphan")
    assignment: Mapped[Assignment | None] = relationship(cascade="all, delete-orphan")


class Participant(Entity):
    """A speaker. ``label`` is what the program shows: a pseudonym, never a real name."""

    __tablename__ = "participant"
    __table_args__ = (
        CheckConstraint(
            "role IN ('moderator', 'co-moderator', 'informant')", name="role_known"
        ),
    )

    label: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="informant")
    profession: Mapped[str | None] = mapped_column(String(200))
    group_name: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class Turn(Entity):
    __tablename__ = "turn"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" >= start", name="span_valid"),
        Index("ix_turn_transcript_position", "transcript_id", "position"),
    )

    transcript_id: Mapped[int] = mapped_column(fk("transcript.id"))
    participant_id: Mapped[int | None] = mapped_column(fk("participant.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    start_ms: Mapped[int | None] = mapped_column(Integer)
    end_ms: Mapped[int | None] = mapped_column(Integer)

    transcript: Mapped[Transcript] = relationship(back_populates="turns")
    participant: Mapped[Participant | None] = relationship()


class CodeTheme(Entity):
    """A code placed under a theme. A code may sit under several themes."""

    __tablename__ = "code_theme"
    __table_args__ = (UniqueConstraint("code_id", "theme_id", name="uq_code_theme_pair"),)

    code_id: Mapped[int] = mapped_column(fk("code.id"), index=True)
    theme_id: Mapped[int] = mapped_column(fk("theme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    code: Mapped[Code] = relationship(back_populates="theme_links")
    theme: Mapped[Theme] = relationship(back_populates="code_links")


class Code(Entity):
    __tablename__ = "code"
    __table_args__ = (
        CheckConstraint("origin IN ('inductive', 'deductive')", name="origin_known"),
    )

    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(9), default="#4e79a7")
    parent_id: Mapped[int | None] = mapped_column(fk("code.id"), index=True)
    origin: Mapped[str] = mapped_column(String(12), default="inductive")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped[Code | None] = relationship(remote_side="Code.id", back_populates="children")
    children: Mapped[list[Code]] = relationship(back_populates="parent")
    codings: Mapped[list[Coding]] = relationship(
        back_populates="code", cascade="all, delete-orphan"
    )
    theme_links: Mapped[list[CodeTheme]] = relationship(
        back_populates="code", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(cascade="all, delete-orphan")


class Theme(Entity):
    __tablename__ = "theme"
    __table_args__ = (
        CheckConstraint(
            "status IN ('candidate', 'reviewed', 'defined', 'final', 'discarded')",
            name="status_known",
        ),
    )

    name: Mapped[str] = mapped_column(String(1000))
    definition: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="candidate")
    parent_id: Mapped[int | None] = mapped_column(fk("theme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_misc: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped[Theme | None] = relationship(
        remote_side="Theme.id", back_populates="children"
    )
    children: Mapped[list[Theme]] = relationship(
        back_populates="parent", order_by="Theme.position"
    )
    code_links: Mapped[list[CodeTheme]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", order_by="CodeTheme.position"
    )
    notes: Mapped[list[Note]] = relationship(cascade="all, delete-orphan")


class Coding(Entity):
    """A code applied to ``[start, end)`` of a transcript's stored text."""

    __tablename__ = "coding"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="span_valid"),
        Index("ix_coding_transcript_start", "transcript_id", "start"),
    )

    transcript_id: Mapped[int] = mapped_column(fk("transcript.id"))
    code_id: Mapped[int] = mapped_column(fk("code.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    coder: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    memo: Mapped[str] = mapped_column(Text, default="")
    is_quote: Mapped[bool] = mapped_column(Boolean, default=False)

    transcript: Mapped[Transcript] = relationship(back_populates="codings")
    code: Mapped[Code] = relationship(back_populates="codings")
    notes: Mapped[list[Note]] = relationship(cascade="all, delete-orphan")


class Note(Entity):
    """A memo on the project (no target), a transcript, a code, a theme or a coding."""

    __tablename__ = "note"

    transcript_id: Mapped[int | None] = mapped_column(fk("transcript.id"), index=True)
    code_id: Mapped[int | None] = mapped_column(fk("code.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(fk("theme.id"), index=True)
    coding_id: Mapped[int | None] = mapped_column(fk("coding.id"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class JournalEntry(Entity):
    """A reflexive-journal entry, tagged with the phase it was written in."""

    __tablename__ = "journal_entry"

    phase: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PhaseChange(Entity):
    __tablename__ = "phase_change"

    from_phase: Mapped[int] = mapped_column(Integer)
    to_phase: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Snapshot(Entity):
    """A named, frozen copy of the theme map (themes, codes, links) for review and diffs."""

    __tablename__ = "snapshot"

    name: Mapped[str] = mapped_column(String(300), unique=True)
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReviewComment(Entity):
    """A supervisor's comment, or a reply to one.

    The anchor is held by GUID (plus a label) so a comment outlives a theme that is later
    renamed, merged or removed.
    """

    __tablename__ = "review_comment"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved')", name="status_known"),
    )

    anchor_kind: Mapped[str] = mapped_column(String(20))
    anchor_guid: Mapped[str | None] = mapped_column(String(36), index=True)
    anchor_label: Mapped[str] = mapped_column(String(1000), default="")
    snapshot_id: Mapped[int | None] = mapped_column(fk("snapshot.id"))
    parent_id: Mapped[int | None] = mapped_column(fk("review_comment.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)

    replies: Mapped[list[ReviewComment]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewComment.created"
    )


class Withdrawal(Base):
    """A participant who withdrew consent (schema 4): when, and how much was deleted.

    Holds no content: the label is the pseudonym, and the counts say what went. Not
    recorded: a withdrawal cannot be undone (see :mod:`workbench.services.privacy`).
    """

    __tablename__ = "withdrawal"
    __recorded__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(10))
    turns: Mapped[int] = mapped_column(Integer, default=0)
    codings: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[int] = mapped_column(Integer, default=0)
    log_rows: Mapped[int] = mapped_column(Integer, default=0)


class Member(Entity):
    """A person who works on the project, with a role (schema 3).

    A project without members lets everyone do everything (as before schema 3). Once it
    has members, every unit of work is done by one of them, and the role decides which
    kinds of command they may run (see :mod:`workbench.storage.commands`).
    """

    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint(
            "role IN ('researcher', 'co-coder', 'supervisor')", name="role_known"
        ),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Assignment(Entity):
    """Who codes a transcript, and whether blind (schema 5).

    While ``blind`` is true, each listed coder's reads of this transcript leave out the
    other listed coders' codings (enforced in the services); the researcher unblinds it,
    and ``unblinded_at`` says when. One assignment per transcript.
    """

    __tablename__ = "assignment"

    transcript_id: Mapped[int] = mapped_column(fk("transcript.id"), unique=True)
    coders: Mapped[list[str]] = mapped_column(JSON)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    unblinded_at: Mapped[datetime | None] = mapped_column(DateTime)


class AgreementRun(Entity):
    """One computation of inter-coder agreement, kept for the audit appendix (schema 5).

    ``scope`` holds the filters (transcript and code names) and ``result`` the figures
    as ``{"units", "percent_agreement", "kappa", "alpha", "codes": {name: {...}}}``.
    """

    __tablename__ = "agreement_run"

    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    coders: Mapped[list[str]] = mapped_column(JSON)
    unit: Mapped[str] = mapped_column(String(20))
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class PostingTerm(Base):
    """Derived: the search index's dictionary, every lemma and word form once (schema 6).

    Terms are only ever added, so a key keeps its meaning while postings refer to it."""

    __tablename__ = "posting_term"
    __recorded__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(200), unique=True)


class Posting(Base):
    """Derived: where one term occurs in one transcript, the search index (schema 6).

    ``field`` is 1 for a lemma's occurrences, 2 for a lower-cased word form's, 3 for both
    (a form that is its own lemma's only form in the text). ``data`` holds the word numbers
    of the occurrences, ascending, delta- and varint-coded; where a word lies comes from
    the transcript's :class:`TextIndex` (see :mod:`workbench.storage.search_index`). One
    row per term and transcript keeps the index small to write and quick to read: a search
    reads one row per transcript, not one per word. Keyed by integers with no row id on
    SQLite, so a row is its key and its data.
    """

    __tablename__ = "posting"
    __recorded__ = False
    __table_args__ = (
        Index("ix_posting_term_id", "term_id", "field"),
        {"sqlite_with_rowid": False},
    )

    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), primary_key=True
    )
    term_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TextIndex(Base):
    """Derived: one transcript's part of the search index that is not per term (schema 6).

    ``version`` is the index version it was written with, ``words`` the number of indexed
    words; ``tokens`` where each word lies, ``sentences`` the sentence spans, ``turns`` the
    turns (starts and row ids) at indexing time, as encoded by
    :mod:`workbench.nlp.postings`."""

    __tablename__ = "text_index"
    __recorded__ = False

    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(8))
    words: Mapped[int] = mapped_column(Integer)
    tokens: Mapped[bytes] = mapped_column(LargeBinary)
    sentences: Mapped[bytes] = mapped_column(LargeBinary)
    turns: Mapped[bytes] = mapped_column(LargeBinary)


class ChangeList(TypeDecorator):
    """The row changes of a logged command as compact JSON in a binary column (schema 6).

    JSON is written without ASCII escapes (æøå as themselves) and without spaces; a
    payload above :attr:`COMPRESS_ABOVE` bytes (an import: the whole text and every turn)
    is zlib-compressed, which a zlib header (``0x78``) tells apart from plain JSON (``[``).
    Reads take either, and JSON text too (a log written before schema 6)."""

    impl = LargeBinary
    cache_ok = True
    COMPRESS_ABOVE = 512
    LEVEL = 3  # level 6 is 10 % smaller and three times slower on an import

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        if value is None:
            return None
        raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return zlib.compress(raw, self.LEVEL) if len(raw) > self.COMPRESS_ABOVE else raw

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return decode_changes(value)


def decode_changes(value: Any) -> Any:
    """A stored change list: zlib-compressed or plain JSON bytes, or JSON text."""
    if value is None:
        return None
    if isinstance(value, str):
        return json.loads(value)
    data = bytes(value)
    if data[:1] == b"\x78":
        data = zlib.decompress(data)
    return json.loads(data)


class Command(Base):
    """One entry of the change log: a service call with who, when, what, and its row changes.

    ``state`` is ``done``, ``undone`` (can be redone) or ``abandoned`` (undone and then
    superseded by a new command; kept for the audit trail). Undo and redo are per actor.

    ``applied`` is a logical clock over the whole log: the command got the next number
    when it was done, and gets a new one each time it is undone or redone. "Later" in the
    conflict checks of :mod:`workbench.storage.undo` means a higher ``applied``.
    """

    __tablename__ = "command"
    __recorded__ = False
    __table_args__ = (
        Index("ix_command_actor_state", "actor", "state"),
        Index("ix_command_applied", "applied"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="done", index=True)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    changes: Mapped[list[Any]] = mapped_column(ChangeList, default=list)
    applied: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


RECORDED_TABLES = frozenset(
    mapper.local_table.name
    for mapper in Base.registry.mappers
    if getattr(mapper.class_, "__recorded__", True)
)
