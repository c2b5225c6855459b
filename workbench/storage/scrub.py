"""Removing data for good: rows, their copies in the change log, and free pages.

Privacy work (the linking key moved out of the project, a withdrawn participant, the
study's end) needs deletions that undo cannot bring back. These functions work below the
recorded commands: they write the project and its change log directly, under the write
lock, and end with :func:`vacuum`, so the deleted text is not left in free pages of the
file (SQLite) or in dead tuples (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, inspect, select, text, update
from sqlalchemy.orm import Session

from .migrations import WRITE
from .models import Command

LEGACY_REPLACEMENT = "replacement"
"""The table that held the linking key inside the project before schema 4."""


@contextmanager
def unrecorded(engine: Engine) -> Iterator[Session]:
    """A writing session (under the write lock) outside the change log: what it deletes,
    undo cannot bring back. For privacy deletions only."""
    with engine.execution_options(**WRITE).connect() as conn, conn.begin():
        session = Session(bind=conn)
        try:
            yield session
            session.flush()
        finally:
            session.close()


def meta_value(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT value FROM workbench_meta WHERE key = :k"), {"k": key}
        ).scalar()


def set_meta_value(engine: Engine, key: str, value: str | None) -> None:
    """Set (or with ``None`` remove) one fact in ``workbench_meta``."""
    with engine.execution_options(**WRITE).begin() as conn:
        conn.execute(text("DELETE FROM workbench_meta WHERE key = :k"), {"k": key})
        if value is not None:
            conn.execute(text("INSERT INTO workbench_meta (key, value) VALUES (:k, :v)"),
                         {"k": key, "v": value})


def legacy_replacements(engine: Engine) -> list[tuple[str, str]] | None:
    """The name list a project made before schema 4 keeps inside itself, or ``None``."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(LEGACY_REPLACEMENT):
            return None
        rows = conn.execute(text('SELECT find, "replace" FROM replacement ORDER BY id'))
        return [(str(find), str(repl)) for find, repl in rows]


def _clean_value(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean_value(v, clean) for v in value]
    if isinstance(value, dict):
        return {k: _clean_value(v, clean) for k, v in value.items()}
    return value


LogRewrite = Callable[[str, dict[str, Any], list[Any]], tuple[dict[str, Any], list[Any]] | None]


def rewrite_log(engine: Engine, rewrite: LogRewrite) -> int:
    """Give every change-log row to ``rewrite(name, args, changes)``; a returned pair
    ``(args, changes)`` replaces the row's values (``None`` keeps them). Returns the number
    of rows changed."""
    table = Command.__table__
    changed = 0
    with engine.execution_options(**WRITE).begin() as conn:
        rows = conn.execute(select(table.c.seq, table.c.name, table.c.args, table.c.changes))
        for seq, name, args, changes in rows.all():
            new = rewrite(name, dict(args or {}), list(changes or []))
            if new is None:
                continue
            conn.execute(update(table).where(table.c.seq == seq)
                         .values(args=new[0], changes=new[1]))
            changed += 1
    return changed


def drop_legacy_replacements(engine: Engine, clean: Callable[[str], str]) -> int:
    """Remove the legacy name list from the project: the table, the list's rows in the
    change log, and every real name in the log's other values (``clean`` replaces them).
    Returns the number of log rows changed. The caller vacuums afterwards."""
    with engine.execution_options(**WRITE).begin() as conn:
        if inspect(conn).has_table(LEGACY_REPLACEMENT):
            conn.execute(text("DROP TABLE replacement"))

    def rewrite(_name: str, args: dict[str, Any], changes: list[Any]):  # type: ignore[no-untyped-def]
        new_changes = [_clean_value(change, clean) for change in changes
                       if not (isinstance(change, dict) and change.get("t") == LEGACY_REPLACEMENT)]
        new_args = _clean_value(args, clean)
        if new_changes == changes and new_args == args:
            return None
        return new_args, new_changes

    return rewrite_log(engine, rewrite)


def clean_column(engine: Engine, table: str, column: str, clean: Callable[[str], str]) -> int:
    """Apply ``clean`` to every value of ``table.column`` (a text column); returns the
    number of rows changed. Not recorded: the caller cleans the log the same way."""
    if not (table.isidentifier() and column.isidentifier()):
        raise ValueError(f"{table}.{column}")
    changed = 0
    with engine.execution_options(**WRITE).begin() as conn:
        rows = conn.execute(text(f'SELECT id, "{column}" FROM "{table}"')).all()
        for row_id, value in rows:
            if isinstance(value, str) and clean(value) != value:
                conn.execute(text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :i'),
                             {"v": clean(value), "i": row_id})
                changed += 1
    return changed


def vacuum(engine: Engine) -> None:
    """Rewrite the database without free pages (and fold the SQLite journal in), so that
    deleted values are gone from the file, not only from its tables."""
    raw = engine.raw_connection()  # outside the store's BEGIN (see database._setup_locking)
    try:
        dbapi: Any = raw.driver_connection
        if engine.dialect.name == "sqlite":
            dbapi.execute("VACUUM")
            dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            raw.rollback()
            dbapi.autocommit = True
            try:
                cur = dbapi.cursor()
                cur.execute("VACUUM FULL")
                cur.close()
            finally:
                dbapi.autocommit = False
    finally:
        raw.close()


__all__ = [
    "LEGACY_REPLACEMENT", "clean_column", "drop_legacy_replacements", "legacy_replacements",
    "meta_value", "rewrite_log", "unrecorded", "set_meta_value", "vacuum",
]
