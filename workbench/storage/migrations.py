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

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, text

from .models import Base, Meta

SCHEMA_VERSION = 2


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


UPGRADES: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}


def create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        conn.execute(Meta.__table__.delete())
        conn.execute(
            Meta.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
        )


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
    for version in range(from_version, SCHEMA_VERSION):
        with engine.begin() as conn:
            UPGRADES[version](conn)
            conn.execute(
                text("UPDATE workbench_meta SET value = :v WHERE key = 'schema_version'"),
                {"v": str(version + 1)},
            )
