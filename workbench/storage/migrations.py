"""Schema versions and the upgrades between them.

A new project gets the current schema straight from the ORM metadata and is stamped with
:data:`SCHEMA_VERSION`. A file written by an earlier version is upgraded step by step by the
functions in :data:`UPGRADES` (version ``n`` → ``n + 1``), each in one transaction; the
caller keeps a backup copy of the file first.

Rules for a new step: never change what an earlier step does; add a step that brings the
previous version to the new one, bump :data:`SCHEMA_VERSION`, and add a fixture file made
at the previous version to ``tests/fixtures/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    inspect,
    text,
)

from workbench.domain.model import new_guid

from .models import NAMING, Base, ChangeList, Meta, Project, decode_changes, utcnow

SCHEMA_VERSION = 6
VACUUM_BELOW = 6
"""A project file upgraded from an earlier schema is vacuumed (SQLite): schema 6 drops the
old search index, which was most of the file, and its pages would stay in it as free space."""

WRITE = {"workbench_write": True}
"""Execution option of a writing unit of work: takes the write lock when it begins
(``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL; see ``database.py``)."""


def _v1_to_v2(conn: Connection) -> None:
    """Schema 2: the search index (sentences, postings of lemmas and word forms) and the
    pseudonym list.

    The index is derived data: it is filled for existing transcripts the next time the
    project is opened by the services (see ``TranscriptService.ensure_index``).
    """
    conn.execute(text(
        "CREATE TABLE replacement ("
        " id INTEGER NOT NULL, guid VARCHAR(36) NOT NULL, find VARCHAR(300) NOT NULL,"
        " \"replace\" VARCHAR(300) NOT NULL, whole_word BOOLEAN NOT NULL,"
        " created DATETIME NOT NULL,"
        " CONSTRAINT pk_replacement PRIMARY KEY (id),"
        " CONSTRAINT uq_replacement_guid UNIQUE (guid))"
    ))
    conn.execute(text(
        "CREATE TABLE sentence ("
        " id INTEGER NOT NULL, transcript_id INTEGER NOT NULL,"
        " start INTEGER NOT NULL, \"end\" INTEGER NOT NULL,"
        " CONSTRAINT pk_sentence PRIMARY KEY (id),"
        " CONSTRAINT fk_sentence_transcript_id_transcript FOREIGN KEY(transcript_id)"
        "  REFERENCES transcript (id) ON DELETE CASCADE)"
    ))
    conn.execute(text("CREATE INDEX ix_sentence_transcript_start ON sentence (transcript_id, start)"))
    conn.execute(text(
        "CREATE TABLE posting ("
        " id INTEGER NOT NULL, transcript_id INTEGER NOT NULL,"
        " field VARCHAR(1) NOT NULL, term VARCHAR(200) NOT NULL, count INTEGER NOT NULL,"
        " data BLOB NOT NULL,"
        " CONSTRAINT pk_posting PRIMARY KEY (id),"
        " CONSTRAINT fk_posting_transcript_id_transcript FOREIGN KEY(transcript_id)"
        "  REFERENCES transcript (id) ON DELETE CASCADE)"
    ))
    conn.execute(text("CREATE INDEX ix_posting_term ON posting (field, term)"))
    conn.execute(text("CREATE INDEX ix_posting_transcript ON posting (transcript_id)"))


def _v2_to_v3(conn: Connection) -> None:
    """Schema 3: project members with roles, and the ``applied`` clock of the change log.

    Written with Core objects defined here (not the ORM models), so the step stays what it
    is when the models change later, and runs on SQLite and PostgreSQL alike. Existing
    commands get ``applied = seq``. On SQLite the high-water mark of every table's keys
    is taken from the table and from the log, so a key that an undone command used is
    never handed out again (see ``changelog.allocate_ids``).
    """
    meta = MetaData(naming_convention=NAMING)
    member = Table(
        "member", meta,
        Column("id", Integer, primary_key=True),
        Column("guid", String(36), nullable=False),
        Column("name", String(200), nullable=False),
        Column("role", String(20), nullable=False),
        Column("added_at", DateTime, nullable=False),
        UniqueConstraint("guid"),
        UniqueConstraint("name"),
        CheckConstraint("role IN ('researcher', 'co-coder', 'supervisor')", name="role_known"),
    )
    member.create(conn)
    conn.execute(text("ALTER TABLE command ADD COLUMN applied INTEGER DEFAULT 0 NOT NULL"))
    conn.execute(text("UPDATE command SET applied = seq"))
    command = Table("command", meta, Column("actor", String(200)), Column("state", String(10)),
                    Column("applied", Integer))
    Index("ix_command_actor_state", command.c.actor, command.c.state).create(conn)
    Index("ix_command_applied", command.c.applied).create(conn)
    if conn.dialect.name == "sqlite":
        marks: dict[str, int] = {}
        for (changes,) in conn.execute(text("SELECT changes FROM command")):
            for change in json.loads(changes) if isinstance(changes, str) else changes or []:
                marks[change["t"]] = max(marks.get(change["t"], 0), int(change["id"]))
        for table, mark in sorted(marks.items()):
            top = conn.execute(text(f'SELECT max(id) FROM "{table}"')).scalar() or 0
            conn.execute(
                text("INSERT INTO workbench_meta (key, value) VALUES (:k, :v)"),
                {"k": f"next_id.{table}", "v": str(max(mark, int(top)))},
            )


def _v3_to_v4(conn: Connection) -> None:
    """Schema 4: the log of withdrawn participants (no content, only counts).

    The name list of earlier schemas (table ``replacement``) is not touched here: it is
    moved out into the linking-key file when the services open the project (see
    :meth:`workbench.services.privacy.PrivacyService.move_legacy_key`), which needs the
    project's path, and then dropped with its rows in the change log.
    """
    meta = MetaData(naming_convention=NAMING)
    Table(
        "withdrawal", meta,
        Column("id", Integer, primary_key=True),
        Column("label", String(200), nullable=False),
        Column("withdrawn_at", DateTime, nullable=False),
        Column("actor", String(200), nullable=False),
        Column("mode", String(10), nullable=False),
        Column("turns", Integer, nullable=False),
        Column("codings", Integer, nullable=False),
        Column("notes", Integer, nullable=False),
        Column("log_rows", Integer, nullable=False),
    ).create(conn)


def _v4_to_v5(conn: Connection) -> None:
    """Schema 5: team coding — the kind of analysis, coder assignments, agreement runs."""
    conn.execute(text(
        "ALTER TABLE project ADD COLUMN analysis_kind VARCHAR(20) DEFAULT 'reflexive' NOT NULL"
    ))
    meta = MetaData(naming_convention=NAMING)
    Table("transcript", meta, Column("id", Integer, primary_key=True))
    Table(
        "assignment", meta,
        Column("id", Integer, primary_key=True),
        Column("guid", String(36), nullable=False),
        Column("transcript_id", Integer,
               ForeignKey("transcript.id", deferrable=True, initially="IMMEDIATE"),
               nullable=False),
        Column("coders", JSON, nullable=False),
        Column("blind", Boolean, nullable=False),
        Column("created", DateTime, nullable=False),
        Column("unblinded_at", DateTime, nullable=True),
        UniqueConstraint("guid"),
        UniqueConstraint("transcript_id"),
    ).create(conn)
    Table(
        "agreement_run", meta,
        Column("id", Integer, primary_key=True),
        Column("guid", String(36), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("actor", String(200), nullable=False),
        Column("coders", JSON, nullable=False),
        Column("unit", String(20), nullable=False),
        Column("scope", JSON, nullable=False),
        Column("result", JSON, nullable=False),
        UniqueConstraint("guid"),
    ).create(conn)


def _v5_to_v6(conn: Connection) -> None:
    """Schema 6: a compact search index and a compressed change log.

    The index tables of schema 2 (``posting`` with term strings and packed positions,
    ``sentence``) are dropped and the new ones created (``posting_term``, ``posting`` keyed
    by integers, ``text_index``); the index is derived data, rebuilt for every transcript
    when the services next open the project (``ensure_index``).

    ``command.changes`` becomes a binary column of compact, compressed JSON
    (:class:`workbench.storage.models.ChangeList`); every logged command is rewritten so.
    SQLite cannot change a column's type, so the table is rebuilt (no table refers to it).
    """
    sqlite = conn.dialect.name == "sqlite"
    conn.execute(text("DROP TABLE posting"))
    conn.execute(text("DROP TABLE sentence"))
    meta = MetaData(naming_convention=NAMING)
    Table("transcript", meta, Column("id", Integer, primary_key=True))
    Table(
        "posting_term", meta,
        Column("id", Integer, primary_key=True),
        Column("term", String(200), nullable=False),
        UniqueConstraint("term"),
    ).create(conn)
    Table(
        "posting", meta,
        Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
               primary_key=True),
        Column("term_id", Integer, primary_key=True),
        Column("field", SmallInteger, primary_key=True),
        Column("count", Integer, nullable=False),
        Column("data", LargeBinary, nullable=False),
        Index("ix_posting_term_id", "term_id", "field"),
        sqlite_with_rowid=False,
    ).create(conn)
    Table(
        "text_index", meta,
        Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
               primary_key=True),
        Column("version", String(8), nullable=False),
        Column("words", Integer, nullable=False),
        Column("tokens", LargeBinary, nullable=False),
        Column("sentences", LargeBinary, nullable=False),
        Column("turns", LargeBinary, nullable=False),
    ).create(conn)
    if sqlite:
        for name in ("ix_command_actor_state", "ix_command_applied", "ix_command_state"):
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        conn.execute(text("ALTER TABLE command RENAME TO command_v5"))
        command = Table(
            "command", meta,
            Column("seq", Integer, primary_key=True),
            Column("name", String(100), nullable=False),
            Column("args", JSON, nullable=False),
            Column("actor", String(200), nullable=False),
            Column("created", DateTime, nullable=False),
            Column("state", String(10), nullable=False),
            Column("changed_at", DateTime, nullable=True),
            Column("changes", LargeBinary, nullable=False),
            Column("applied", Integer, nullable=False, server_default=text("0")),
        )
        command.create(conn)
        Index("ix_command_actor_state", command.c.actor, command.c.state).create(conn)
        Index("ix_command_applied", command.c.applied).create(conn)
        Index("ix_command_state", command.c.state).create(conn)
        conn.execute(text(
            "INSERT INTO command (seq, name, args, actor, created, state, changed_at, changes,"
            " applied) SELECT seq, name, args, actor, created, state, changed_at,"
            " CAST(changes AS BLOB), applied FROM command_v5"
        ))
        conn.execute(text("DROP TABLE command_v5"))
    else:
        conn.execute(text(
            "ALTER TABLE command ALTER COLUMN changes TYPE BYTEA"
            " USING convert_to(changes::text, 'UTF8')"
        ))
    codec = ChangeList()
    rows = conn.execute(text("SELECT seq, changes FROM command")).all()
    for seq, stored in rows:
        value = codec.process_bind_param(decode_changes(stored), conn.dialect)
        if value != bytes(stored):
            conn.execute(text("UPDATE command SET changes = :c WHERE seq = :s"),
                         {"c": value, "s": seq})


UPGRADES: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6,
}


class NotEmpty(Exception):
    """The database already holds tables: ``project`` is True when it is a workbench project."""

    def __init__(self, project: bool) -> None:
        super().__init__("not empty")
        self.project = project


def create_schema(engine: Engine, *, title: str = "Prosjekt", language: str = "nb") -> None:
    """Create a new project (schema, version stamp and project row) in one transaction.

    Refuses a database that already has tables (:class:`NotEmpty`): a second project row
    would break the first project, and foreign tables are someone else's data.
    """
    with engine.execution_options(**WRITE).begin() as conn:
        names = inspect(conn).get_table_names()
        if names:
            raise NotEmpty(project=Meta.__tablename__ in names)
        Base.metadata.create_all(conn)
        conn.execute(
            Meta.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
        )
        conn.execute(Project.__table__.insert().values(
            guid=new_guid(), title=title, language=language, phase=1, created=utcnow(),
        ))


def table_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return inspect(conn).get_table_names()


def read_version(engine: Engine) -> int | None:
    """The file's schema version, or ``None`` when it is not a workbench project."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(Meta.__tablename__):
            return None
        value = conn.execute(
            text("SELECT value FROM workbench_meta WHERE key = 'schema_version'")
        ).scalar()
    return int(value) if value is not None else None


def upgrade(engine: Engine, from_version: int) -> None:
    """Bring the database from ``from_version`` to :data:`SCHEMA_VERSION`.

    Each step holds the write lock and re-reads the version first, so two processes
    opening the same old project at once upgrade it once.
    """
    for version in range(from_version, SCHEMA_VERSION):
        with engine.execution_options(**WRITE).begin() as conn:
            now = conn.execute(
                text("SELECT value FROM workbench_meta WHERE key = 'schema_version'")
            ).scalar()
            if now is None or int(now) != version:
                continue
            UPGRADES[version](conn)
            conn.execute(
                text("UPDATE workbench_meta SET value = :v WHERE key = 'schema_version'"),
                {"v": str(version + 1)},
            )
