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

SCHEMA_VERSION = 1

UPGRADES: dict[int, Callable[[Connection], None]] = {}


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
